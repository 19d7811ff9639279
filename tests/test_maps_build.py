"""The maps in a whole build: specs parsed once, one boundaries credit everywhere.

These run the build the way ``make site`` does (check, generate, MkDocs) on
a small project, in this process, so they can see what the maps stage reads.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from generator.build.pipeline import build
from generator.content.project import Project
from generator.maps import spec as spec_module

from .conftest import make_project, run_cli

AS_OF = "2025-08-10"
CREDIT = "Test boundaries & shapes <b>(CC0)</b>, simplified."


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    # The build fixes SOURCE_DATE_EPOCH for MkDocs; keep that inside this test.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1754784000")
    return Project.at(make_project(tmp_path / "project"))


def test_a_build_parses_each_map_spec_once(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check, the drawing and the open data share one parse of maps/*.yml."""
    read = Counter[str]()
    real = spec_module.read_yaml

    def counting(path: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        read[Path(path).name] += 1
        return real(path, *args, **kwargs)

    monkeypatch.setattr(spec_module, "read_yaml", counting)
    build(project, tmp_path / "site", as_of=AS_OF, force=True)
    specs = sorted(p.name for p in project.maps.glob("*.yml"))
    assert specs, "the fixture project has a map"
    assert read == Counter({name: 1 for name in specs})
    data = tmp_path / "site" / "data" / "regions.geojson"
    geojson = json.loads(data.read_text(encoding="utf-8"))
    assert all(f["properties"]["maps"] for f in geojson["features"]), "open data got the specs"


def test_the_boundaries_credit_comes_from_the_licence_note(
    project: Project, tmp_path: Path
) -> None:
    """Figures, the methodology page and the open data all quote its 'Boundaries:' line."""
    licence = project.maps / "LICENSE-boundaries.md"
    text = licence.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("Boundaries:"))
    licence.write_text(text.replace(old, f"Boundaries: {CREDIT}"), encoding="utf-8")
    site = tmp_path / "site"
    build(project, site, as_of=AS_OF, force=True)
    escaped = "Test boundaries &amp; shapes &lt;b&gt;(CC0)&lt;/b&gt;, simplified."
    home = (site / "index.html").read_text(encoding="utf-8")
    source = "Source: the claims linked in the data table, each with its sources."
    assert f'<p class="wcw-map__source">{source} Boundaries: {escaped}</p>' in home
    methodology = (site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert f"Boundaries: {escaped}" in methodology
    facts = json.loads((site / "data" / "facts.json").read_text(encoding="utf-8"))
    assert facts["about"]["licence_note"].endswith(f"regions.geojson: {CREDIT}")
    readme = " ".join((site / "data" / "README.txt").read_text(encoding="utf-8").split())
    assert f"regions.geojson: {CREDIT}" in readme
    assert "<b>" not in home


@pytest.mark.parametrize("how", ["no credit line", "no licence note"])
def test_a_licence_note_without_a_credit_line_is_reported(project: Project, how: str) -> None:
    licence = project.maps / "LICENSE-boundaries.md"
    if how == "no licence note":
        licence.unlink()
    else:
        lines = licence.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if not line.startswith("Boundaries:")]
        licence.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = run_cli("check", "--content", project.content)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "maps/LICENSE-boundaries.md:1:1: error: no 'Boundaries: …' line" in result.stderr
