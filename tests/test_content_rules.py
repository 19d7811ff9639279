"""Rules of issue 20 that are not one bad line of YAML: warnings, seeds, open data, collection.

Each test runs the real loader or command line on a small project copied
from tests/fixtures/mini (see conftest.make_project).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from generator import cli
from generator.content.factbase import load
from generator.content.problems import Position, Problems, Severity
from generator.content.project import Project
from generator.outputs.opendata import inert, open_data_files
from tests.conftest import FIXTURES, make_project

BASE = (FIXTURES / "mini" / "base.yml").read_text(encoding="utf-8")


def _project(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """A mini project with one replacement in its base.yml; returns its content dir."""
    assert not old or BASE.count(old) == 1
    return make_project(tmp_path / "p", {"base.yml": BASE.replace(old, new) if old else BASE})


def _check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["check", "--content", str(content)])
    out = capsys.readouterr()
    return code, out.out, out.err


# ---- warnings ---------------------------------------------------------------------


def test_a_warning_is_shown_but_does_not_count_as_a_problem() -> None:
    problems = Problems()
    problems.warn(Position("a.yml", 3, 5), "look here")
    assert not problems and len(problems) == 0
    problems.raise_if_any()  # nothing to raise: warnings never block
    assert [p.format() for p in problems] == ["a.yml:3:5: warning: look here"]
    assert list(problems)[0].format(github=True).startswith("::warning file=a.yml,line=3,col=5,")
    problems.add(Position("a.yml", 1, 1), "broken")
    assert problems and len(problems) == 1 and problems.errors[0].severity is Severity.error


def test_a_name_mixing_alphabets_in_a_word_is_warned_and_check_still_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _project(tmp_path, "    name: Vladimir Putin", "    name: Vladimir \u0420utin")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = _check(content, capsys)
    assert code == 0, err
    line = BASE[: BASE.index("    name: Vladimir Putin")].count("\n") + 1
    assert re.search(
        rf"^content/base\.yml:{line}:11: warning: '\u0420utin' mixes Cyrillic and Latin letters "
        r"in one word \('\u0420' U\+0420 CYRILLIC CAPITAL LETTER ER\)",
        err.replace(str(content.parent) + "/", ""), re.MULTILINE,
    ), err  # fmt: skip
    assert "::warning file=" in out and f"line={line},col=11,title=content warning::" in out
    assert out.rstrip().endswith("every quote and evidence passage verified.")


def test_names_in_one_alphabet_are_not_warned(tmp_path: Path) -> None:
    aliases = "    aliases: [Владимир Путин, Putin Владимир]"
    content = _project(tmp_path, "    name: Vladimir Putin", f"    name: Vladimir Putin\n{aliases}")
    _, problems = load(Project.at(content))
    assert not problems.items, [p.format() for p in problems]


# ---- seeds --------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\x07"])
def test_an_invisible_character_in_a_seed_is_refused_where_it_stands(
    tmp_path: Path, char: str, capsys: pytest.CaptureFixture[str]
) -> None:
    content = _project(tmp_path)
    seed = content.parent / "seeds" / "000_c0d1cf61ef67c8ef.txt"
    text = seed.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[2] = lines[2][:4] + char + lines[2][4:]
    seed.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = _check(content, capsys)
    assert code == 1
    assert re.search(
        rf"seeds/000_c0d1cf61ef67c8ef\.txt:3:5: error: invisible or control character "
        rf"U\+{ord(char):04X}", err,
    ), err  # fmt: skip
    assert "Traceback" not in err and "internal error" not in err


# ---- open data ----------------------------------------------------------------------


# A carriage return cannot reach a summary (the loader refuses it): see the next test.
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_csv_cells_never_start_a_formula(tmp_path: Path, start: str) -> None:
    payload = f"{start}SUM(1+1)*cmd|' /C calc'!A0"
    content = _project(tmp_path, "summary: Putin claims Luhansk, Donetsk, Zaporizhzhia and Kherson",
                       f"summary: {payload!r}")  # fmt: skip
    content_text = (content / "base.yml").read_text(encoding="utf-8")
    (content / "base.yml").write_text(content_text.replace(
        "title: Ceasefire by Friday", 'title: "@HYPERLINK(1)"').replace(
        "title: Trump–Putin summit in Alaska", "title: '-2+3'"), encoding="utf-8")  # fmt: skip
    fb, problems = load(Project.at(content))
    assert not problems, [p.format() for p in problems]
    assert fb.claims["putin-claims-four-regions"].summary == payload
    files = open_data_files(fb, Project.at(content), dt.date(2025, 8, 20))
    cells = {
        name: [cell for row in csv.reader(io.StringIO(files[f"data/{name}"].decode(), newline=""))
               for cell in row]
        for name in ("claims.csv", "events.csv", "deadlines.csv")
    }  # fmt: skip
    assert "'" + payload in cells["claims.csv"]
    assert "'-2+3" in cells["events.csv"]
    assert "'@HYPERLINK(1)" in cells["deadlines.csv"]
    for name, values in cells.items():
        bad = [v for v in values if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert not bad, (name, bad)
    readme = " ".join(files["data/README.txt"].decode().split())
    assert "starts with an apostrophe (') instead, so that no spreadsheet runs it" in readme


def test_every_formula_start_is_made_inert_and_nothing_else() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert inert(start + "1") == "'" + start + "1"
    for cell in ("", "Putin", "2025-08", "'quoted'", " =1", "UA-14; UA-09"):
        assert inert(cell) == cell


# ---- regions touched ----------------------------------------------------------------


def test_the_regions_a_fact_touches_are_the_ones_it_lists(tmp_path: Path) -> None:
    content = _project(tmp_path, "    regions: [UA-09, UA-14, UA-23, UA-65]",
                       "    regions: [UA-14, UA-09, UA-14]")  # fmt: skip
    (content / "base.yml").write_text(
        (content / "base.yml").read_text(encoding="utf-8").replace(
            "    location: Alaska\n", "    location: Alaska\n    regions: [UA-43]\n"),
        encoding="utf-8",
    )  # fmt: skip
    fb, problems = load(Project.at(content))
    assert not problems, [p.format() for p in problems]
    assert fb.regions_of(fb.claims["putin-claims-four-regions"]) == ["UA-14", "UA-09"]
    assert fb.touched_regions() == {"UA-09", "UA-14", "UA-43"}


# ---- collection -----------------------------------------------------------------------


def test_problems_are_collected_once_each_in_file_order() -> None:
    problems = Problems()
    for i in (3, 1, 2, 1, 3):
        problems.add(Position("a.yml", i), f"problem {i}")
    assert len(problems) == 3
    assert [p.position.line for p in problems] == [1, 2, 3]
    other = Problems()
    other.add(Position("a.yml", 2), "problem 2")
    other.warn(Position("a.yml", 9), "a warning")
    problems.extend(other)
    assert len(problems) == 3 and len(problems.items) == 4
