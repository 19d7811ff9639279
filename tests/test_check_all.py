"""`check` on the real content, broken on purpose: every problem in one run, in plain words.

Each test copies the real content, seeds and maps to a temporary folder, breaks
it the way an editor would, and runs the real command line in-process.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.content.quotes import word_diff

from .conftest import REPO

TERRITORY = "content/claims/territory.yml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def edit(root: Path, file: str, old: str, new: str) -> int:
    """Replace the one occurrence of ``old``; the 1-based line it started on."""
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["check", "--content", str(root / "content")])
    return code, capsys.readouterr().err.splitlines()


def lines_of(err: list[str], severity: str) -> list[str]:
    return [line for line in err if f": {severity}: " in line]


def test_real_content_passes_with_only_the_known_warnings(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = check(root, capsys)
    assert code == 0, err
    assert not lines_of(err, "error")
    assert len(lines_of(err, "warning")) <= 3, err


def test_three_mistakes_in_one_claim_give_three_messages(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim = "  - id: putin-claims-four-regions\n    actor: vladimir-putin\n    stance: claims\n"
    line = edit(
        root, TERRITORY, claim,
        "  - id: putin-claims-four-regions\n    actor: vladimir-putn\n    stance: claims\n"
        "    mood: angry\n",
    )  # fmt: skip
    evidence = edit(
        root, TERRITORY,
        "Putin claims four Ukrainian regions – Luhansk, Donetsk, Zaporizhzhia and Kherson – as",
        "Putin claims four Ukrainian provinces – Luhansk, Donetsk, Zaporizhzhia and Kherson – as",
    )  # fmt: skip
    code, err = check(root, capsys)
    assert code == 1
    errors = lines_of(err, "error")
    assert errors == [
        f"{TERRITORY}:{line + 1}:12: error: unknown actor 'vladimir-putn'; did you mean "
        "'vladimir-putin'?",
        f"{TERRITORY}:{line + 3}:5: error: unknown field 'mood' in claim (allowed: "
        + errors[1].split("(allowed: ", 1)[1],
        f"{TERRITORY}:{evidence}:19: error: evidence not found verbatim in source "
        "'lock-in-report'; " + errors[2].split("'lock-in-report'; ", 1)[1],
    ], err
    assert "[-regions-] {+provinces+}" in errors[2]
    assert "3 problems found; nothing was built." in err


def test_a_syntax_error_hides_nothing_else(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unclosed quote in one claim: the claims after it in the same file, and the
    other files, are still checked."""
    quote = edit(root, TERRITORY, '    stance: claims\n    summary: Putin claims four',
                 '    stance: claims\n    summary: "Putin claims four')  # fmt: skip
    stance = edit(root, TERRITORY, "  - id: putin-war-goals-territory\n    actor: vladimir-putin\n"
                  "    stance: demands\n", "  - id: putin-war-goals-territory\n    actor: "
                  "vladimir-putin\n    stance: demand\n")  # fmt: skip
    other = edit(
        root,
        "content/actors.yml",
        "    party: russia\n    role: President of Russia",
        "    party: rusia\n    role: President of Russia",
    )
    code, err = check(root, capsys)
    assert code == 1
    errors = lines_of(err, "error")
    assert [e.split(": error: ")[0] for e in errors] == [
        f"content/actors.yml:{other}:12",
        f"{TERRITORY}:{quote + 1}:14",
        f"{TERRITORY}:{stance + 2}:13",
    ], err
    assert "'rusia' is not an allowed party; did you mean 'russia'?" in errors[0]
    assert f"unclosed quote: close the quote opened at line {quote + 1}" in errors[1]
    assert "'demand' is not an allowed stance" in errors[2]


def test_unknown_region_suggestions_show_names(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regions = "    regions: [UA-23, UA-65]\n"
    line = edit(root, TERRITORY, regions, "    regions: [UA-23, Kherson]\n")
    edit(
        root,
        TERRITORY,
        "    regions: [UA-09, UA-14, UA-23, UA-65]\n    date: 2022-09\n",
        "    regions: [UA-09, ua-14, UA-23, UA-65]\n    date: 2022-09\n",
    )
    code, err = check(root, capsys)
    errors = lines_of(err, "error")
    assert (
        f"{TERRITORY}:{line}:22: error: 'Kherson' in 'regions' is not an ISO 3166-2:UA code "
        "such as UA-23; did you mean UA-65 Kherson (write 'UA-65')?" in errors
    ), err
    assert any("'ua-14' in 'regions'" in e and "did you mean UA-14 Donetsk (write 'UA-14')?" in e
               for e in errors), err  # fmt: skip


def test_unknown_region_code_suggestion_shows_the_name(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit(root, TERRITORY, "    regions: [UA-23, UA-65]\n", "    regions: [UA-23, UA-66]\n")
    code, err = check(root, capsys)
    assert re.search(
        rf"^{TERRITORY}:{line}:22: error: unknown region 'UA-66'; did you mean (UA-6\d) "
        r"[A-Z][a-z]+ \(write '\1'\)\?$",
        "\n".join(err),
        re.M,
    ), err


@pytest.mark.parametrize(
    ("regions", "column", "warning"),
    [
        # UA-56 (Rivne) typed for UA-65 (Kherson): valid, existing, and wrong.
        ("[UA-23, UA-56]", 22, "region UA-56 Rivne is listed in 'regions' but the claim's text, "
         "summary and evidence never name it; its text names UA-65 Kherson, which 'regions' "
         "does not list: did you mean UA-65?"),
        ("[UA-23]", 14, "the claim's summary names UA-65 Kherson, which 'regions' does not "
         "list; add UA-65 to 'regions' if the claim is about it"),
    ],
    ids=["wrong-code", "missing-code"],
)  # fmt: skip
def test_regions_the_words_do_not_name_get_a_warning(
    root: Path, capsys: pytest.CaptureFixture[str], regions: str, column: int, warning: str
) -> None:
    line = edit(root, TERRITORY, "    regions: [UA-23, UA-65]\n", f"    regions: {regions}\n")
    _code, err = check(root, capsys)
    assert f"{TERRITORY}:{line}:{column}: warning: {warning}" in err, err


def test_a_vanished_published_id_is_a_warning(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = root / "site" / "data"
    data.mkdir(parents=True)
    (data / "facts.json").write_text(
        json.dumps({"actors": [{"id": "kremlin"}, {"id": "the-old-kremlin"}]}), encoding="utf-8"
    )
    code, err = check(root, capsys)
    assert code == 0
    warned = [w for w in lines_of(err, "warning") if "site/data/facts.json" in w]
    assert len(warned) == 1, err
    assert re.match(
        r"content/actors\.yml:\d+:\d+: warning: the actor 'the-old-kremlin' was published "
        r"\(site/data/facts\.json\) but no actor has this id or lists it in previous_ids",
        warned[0],
    ), warned


def test_a_seed_no_source_describes_is_a_warning(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "seeds" / "005_0123456789abcdef.txt").write_text("An article.\n", encoding="utf-8")
    code, err = check(root, capsys)
    assert code == 0
    assert (
        "seeds/005_0123456789abcdef.txt:1:1: warning: no source in seeds/sources.yml describes "
        "this article; add one with 'file: 005_0123456789abcdef.txt' (python -m generator new "
        "source), or delete the file"
    ) in err, err


@pytest.mark.parametrize(
    ("source", "typed", "expected"),
    [
        ("a big red house", "a large red house", "differences: a [-big-] {+large+} red house"),
        ("one two three four five six seven eight nine ten",
         "one two three four five six SEVEN eight nine ten",
         "differences: … four five six [-seven-] {+SEVEN+} eight nine ten"),
        ("it was a deal", "it was a deal", "the words are the same: check punctuation and "
         "letter case"),
        ("he said no", "he said not no", "differences: he said {+not+} no"),
    ],
)  # fmt: skip
def test_word_diff_marks_the_changed_words(source: str, typed: str, expected: str) -> None:
    assert word_diff(source, typed) == expected


def test_stats_leaves_boilerplate_out(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real manifest's boilerplate is not counted; without it, it is the to-do list."""
    assert cli.main(["stats", "--content", str(root / "content")]) == 0
    listed = capsys.readouterr().out
    match = re.search(r"Coverage: (\d+) of (\d+) source sentences cited .*; (\d+) sentences of "
                      r"boilerplate not counted\.", listed)  # fmt: skip
    assert match and int(match[3]) >= 10, listed
    assert "Read Entire Article" not in listed and "©2025 Bloomberg L.P." not in listed
    edit(root, "seeds/sources.yml", '      - "Read Entire Article"\n', "")
    assert cli.main(["stats", "--content", str(root / "content")]) == 0
    out = capsys.readouterr().out
    assert "  [witkoff-putin-april] Read Entire Article" in out
    again = re.search(r"Coverage: (\d+) of (\d+) .*; (\d+) sentences", out)
    assert again and int(again[2]) == int(match[2]) + 1 and int(again[3]) == int(match[3]) - 1


def test_boilerplate_must_stand_in_the_article(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit(root, "seeds/sources.yml", '      - "Read Entire Article"\n',
                '      - "Read The Entire Article"\n')  # fmt: skip
    code, err = check(root, capsys)
    assert code == 1
    assert (
        f"seeds/sources.yml:{line}:9: error: boilerplate not found verbatim in source "
        "'witkoff-putin-april'; closest passage: \"Read Entire Article\"; differences: Read "
        "{+The+} Entire Article"
    ) in err, err
