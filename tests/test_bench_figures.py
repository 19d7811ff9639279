"""The benchmark's arithmetic and its one edit: no timing is asserted here.

bench/run.py judges issue 19's goals from ratios and growth factors; these
check the sums that turn measured seconds into verdicts, and that the edit it
times changes exactly one claim's text and leaves valid YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

from figures import Paired, Project, growth_per_10x, growths, keyvals, table  # noqa: E402
from synth import edit_claim_text  # noqa: E402


def test_growth_is_brought_to_exactly_ten_times_the_claims() -> None:
    assert growth_per_10x((1_000, 10_000), (2.0, 30.0)) == pytest.approx(15.0)
    # Whole copies of the real content: 1,043 and 10,013 claims. Linear time is 10×,
    # quadratic 100×, although the raw ratios are 9.6× and 92×.
    assert growth_per_10x((1_043, 10_013), (1.043, 10.013)) == pytest.approx(10.0)
    assert growth_per_10x((1_043, 10_013), (1.043**2, 10.013**2)) == pytest.approx(100.0)


def test_a_ratio_is_the_median_of_the_pairs_not_of_the_medians() -> None:
    timed = Paired()
    for seconds, bare in ((10, 1), (20, 4), (40, 4)):  # a spell of load on the second pair
        timed.add(seconds, bare)
    assert timed.ratio() == 10
    assert timed.median() / 4 == 5


def project(size: int, claims: int, cold: float, edit: float) -> Project:
    p = Project(f"{size:,}", size, claims)
    p.cold.add(cold, 1.0)
    p.edit.add(edit, 1.0)
    return p


def test_goals_are_judged_at_ten_thousand_claims_and_say_what_did_not_run() -> None:
    small, big = project(1_000, 1_043, 2.0, 1.0), project(10_000, 10_013, 9.0, 2.5)
    text, verdicts = table([small, big])
    judged = {(v.figure, v.goal.text): v.text for v in verdicts}
    assert judged[("full cold build", "≤ 8×")] == "FAIL"
    assert judged[("edit one claim's text, rebuild", "≤ 3×")] == "PASS"
    assert judged[("peak memory (build process tree)", "≤ 4 GB")] == "not run at 100,000"
    cold_growth = next(g for g in growths([small, big]) if g.figure == "cold")
    assert cold_growth.value == pytest.approx(growth_per_10x((1_043, 10_013), (2.0, 9.0)))
    assert judged[(cold_growth.name, "≤ 12×")] == "PASS"
    assert f"| {cold_growth.name} |  | 4.6× | ≤ 12× | PASS |" in text
    assert "| full cold build | 2.00 s = 2.0× | 9.00 s = 9.0× | ≤ 8× at 10,000 | FAIL |" in text
    line = keyvals([small, big], verdicts)
    assert "cold_x_10000=9.00" in line and line.endswith("goals_passed=5 goals_judged=6")


@pytest.mark.parametrize(
    "written",
    [
        "text: >-\n      Plain words\n      that fold.\n",
        "text: 'Quoted: words'\n",
        "text: Plain words\n",
    ],
)
def test_the_edit_changes_only_the_first_claims_text(tmp_path: Path, written: str) -> None:
    claims = tmp_path / "content" / "claims"
    claims.mkdir(parents=True)
    source = f"claims:\n  - id: first\n    summary: S\n    {written}    date: 2025-01-01\n"
    source += "  - id: second\n    text: Untouched\n"
    (claims / "a.yml").write_text(source, encoding="utf-8")
    before = yaml.safe_load(source)
    path, claim = edit_claim_text(tmp_path / "content", "Marker1x")
    after = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert claim == "first"
    assert after["claims"][0].pop("text") == "Marker1x " + before["claims"][0].pop("text")
    assert after == before


def test_a_growth_stands_under_the_larger_of_its_two_sizes() -> None:
    sizes = [project(1_000, 1_000, 2.0, 1.0), project(10_000, 10_000, 20.0, 10.0)]
    text, _ = table([*sizes, project(100_000, 100_000, 400.0, 100.0)])
    assert "| cold: growth per 10× claims, 1,000 → 10,000 |  | 10.0× |  | ≤ 12× | PASS |" in text
    assert "| cold: growth per 10× claims, 10,000 → 100,000 |  |  | 20.0× | report |  |" in text
