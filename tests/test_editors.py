"""The editors' side: the guide (content/README.md) and ``python -m generator new``.

Every ```yaml example in the guide is checked with the real ``check`` (so
examples must cite real sources with verbatim evidence); the guide explains
every message the bad-input corpus produces; and ``new`` adds an entry
without changing a single other byte of the file, or changes nothing at all.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import termios
from enum import Enum
from pathlib import Path

import pytest
import yaml

from generator.content import model
from generator.content.factbase import load
from generator.content.project import Project

from .conftest import FIXTURES, REPO, run_cli
from .publishing_helpers import PUBLISHING, isolated_project, loaded

GUIDE = REPO / "content" / "README.md"
MINI = FIXTURES / "mini" / "base.yml"


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def yaml_examples(text: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)


# ---- the guide's examples ---------------------------------------------------------

KEYS = {"regions": "code", "glossary": "term"}


def _merge_examples(root: Path, examples: list[str]) -> list[str]:
    """Put each example into the project: an entry whose id is already in the
    base, the regions or the source manifest replaces it there; the rest go
    to content/guide-examples.yml. Returns the ids merged."""
    content = root / "content"
    files = {
        content / "base.yml": yaml.safe_load((content / "base.yml").read_text(encoding="utf-8")),
        content / "regions.yml": yaml.safe_load(
            (content / "regions.yml").read_text(encoding="utf-8")
        ),
        root / "seeds" / "sources.yml": yaml.safe_load(
            (root / "seeds" / "sources.yml").read_text(encoding="utf-8")
        ),
    }
    extra: dict[str, list] = {}
    merged = []
    for block in examples:
        data = yaml.safe_load(block)
        assert isinstance(data, dict) and data, f"an example is not a whole file:\n{block}"
        for collection, entries in data.items():
            assert collection in (*model.COLLECTIONS, "sources"), collection
            for entry in entries:
                key = KEYS.get(collection, "id")
                merged.append(entry[key])
                for data_file in files.values():
                    table = data_file.get(collection) or []
                    at = next((i for i, e in enumerate(table) if e[key] == entry[key]), None)
                    if at is not None:
                        table[at] = entry
                        break
                else:
                    assert collection != "sources", "a source example must describe a real seed"
                    extra.setdefault(collection, []).append(entry)
    for path, data in files.items():
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (content / "guide-examples.yml").write_text(
        yaml.safe_dump(extra, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return merged


def test_guide_has_an_example_of_each_kind_of_entry() -> None:
    kinds = {key for block in yaml_examples(guide_text()) for key in yaml.safe_load(block)}
    assert {"sources", "actors", "claims", "events", "deadlines", "regions"} <= kinds


def test_every_yaml_example_in_the_guide_passes_check(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "project", {"base.yml": MINI})
    merged = _merge_examples(content.parent, yaml_examples(guide_text()))
    assert len(merged) >= 6
    result = run_cli("check", "--content", content, env={"GITHUB_ACTIONS": "false"})
    assert result.returncode == 0, result.stderr
    project, fb = loaded(content)
    assert "steve-witkoff" in fb.actors and "witkoff-putin-meeting-2025-08-06" in fb.events
    assert fb.regions["UA-23"].aliases == ["Zaporozhye"]


def test_a_wrong_example_would_fail(tmp_path: Path) -> None:
    """The examples test really checks: one retyped word in the evidence fails it."""
    content = isolated_project(tmp_path / "project", {"base.yml": MINI})
    examples = yaml_examples(guide_text())
    broken = [b.replace("met with Putin in Moscow", "met Putin in Moscow") for b in examples]
    assert broken != examples
    _merge_examples(content.parent, broken)
    result = run_cli("check", "--content", content, env={"GITHUB_ACTIONS": "false"})
    assert result.returncode == 1
    assert "evidence not found verbatim in source 'toutiao-relay'" in result.stderr


def test_the_claims_example_carries_the_schema_modeline() -> None:
    claims = next(b for b in yaml_examples(guide_text()) if "\nclaims:" in "\n" + b)
    assert claims.startswith("# yaml-language-server: $schema=../../schema/content.schema.json\n")
    assert (REPO / "content" / "claims").is_dir()
    assert "redhat.vscode-yaml" in guide_text() and "make serve" in guide_text()


@pytest.mark.parametrize(
    "enum",
    [model.Stance, model.Status, model.Topic, model.EventKind, model.Resolution, model.Party,
     model.ActorKind],
    ids=lambda e: e.__name__,
)  # fmt: skip
def test_guide_lists_every_allowed_value(enum: type[Enum]) -> None:
    text = guide_text()
    missing = [m.value for m in enum if f"`{m.value}`" not in text]
    assert not missing, f"content/README.md does not mention {missing}"


# ---- the guide explains the real messages -----------------------------------------


def guide_message_patterns() -> list[re.Pattern[str]]:
    """One pattern per message in the guide's tables of errors ('…' matches anything)."""
    section = guide_text().split("## Error messages and what to do", 1)[1]
    patterns = []
    for row in re.findall(r"^\| (`.*?) \| ", section, re.M):
        for span in re.findall(r"`([^`]+)`", row):
            body = ".*?".join(re.escape(part) for part in span.split("…"))
            patterns.append(re.compile(body))
    return patterns


@pytest.fixture(scope="module")
def corpus_messages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every message ``check`` gives on the cases of tests/test_bad_inputs.py, by case."""
    import shutil

    bad = pytest.importorskip("tests.test_bad_inputs")
    baseline = tmp_path_factory.mktemp("corpus") / "baseline"
    (baseline / "content").mkdir(parents=True)
    keep = lambda _d, names: [n for n in names if not (n.endswith(".txt") or n == "sources.yml")]  # noqa: E731
    shutil.copytree(REPO / "seeds", baseline / "seeds", ignore=keep)
    shutil.copy(REPO / "content" / "regions.yml", baseline / "content" / "regions.yml")
    (baseline / "content" / "base.yml").write_text(bad.BASE, encoding="utf-8")
    messages: dict[str, list[str]] = {}
    for i, param in enumerate(bad.CASES):
        case = param.values[0]
        if case.isolated:
            continue  # hostile input (huge files, bombs): slow, and not an editor's mistake
        root = baseline.parent / f"case{i}"
        shutil.copytree(baseline, root, symlinks=True)
        case.setup(root)
        messages[param.id] = [p.message for p in load(Project.at(root / "content"))[1]]
        shutil.rmtree(root, ignore_errors=True)
    return messages


def test_guide_explains_every_message_of_the_bad_input_corpus(
    corpus_messages: dict[str, list[str]],
) -> None:
    """Each message a case of tests/test_bad_inputs.py produces is in the guide's tables."""
    patterns = guide_message_patterns()
    assert len(patterns) >= 40 and len(corpus_messages) >= 30
    unexplained = {
        case: message
        for case, messages in corpus_messages.items()
        for message in messages
        if not any(p.search(message) for p in patterns)
    }
    assert not unexplained, "messages content/README.md does not explain:\n" + "\n".join(
        f"  {k}: {v}" for k, v in unexplained.items()
    )


def test_guide_messages_are_real(corpus_messages: dict[str, list[str]]) -> None:
    """Each message the guide quotes is written by the generator: its opening words
    stand in the source code, or a bad-input case produces it."""
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in (REPO / "generator").rglob("*.py")
    ).replace('\\"', '"')
    produced = [m for messages in corpus_messages.values() for m in messages]
    stale = []
    for pattern in guide_message_patterns():
        first = pattern.pattern.split(".*?")[0].replace("\\", "")
        words = re.split(r"[{}']", first)[0].strip()
        if words in sources or any(pattern.search(m) for m in produced):
            continue
        stale.append(pattern.pattern)
    assert not stale, f"the guide quotes messages the generator does not write: {stale}"


# ---- python -m generator new ------------------------------------------------------

CLAIM_FLAGS = [
    "--id", "putin-wants-donbas-deal", "--actor", "vladimir-putin", "--stance", "demands",
    "--summary", "Putin: Ukraine must abandon its NATO aspirations, Reuters reports",
    "--text", "According to Reuters, Putin insists that Ukraine must abandon its aspirations "
    "to join NATO and rules out any compromise regarding territorial matters.",
    "--date", "2024-11", "--circa", "--status", "reported", "--topics", "nato,territory",
    "--source", "reuters-kremlin-terms",
    "--evidence", "Putin rules out any compromise regarding territorial matters and insists "
    "that Ukraine must abandon its aspirations to join NATO",
    "--via", "five current and former Russian officials",
    "--as-of", "2025-08-12", "--no-input",
]  # fmt: skip


def _only_insertions(before: str, after: str, blocks: int = 1) -> list[str]:
    """The lines added, asserting nothing else changed and they form ``blocks`` blocks."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    changes = [op for op in ops if op[0] != "equal"]
    assert len(changes) == blocks and all(op[0] == "insert" for op in changes), changes
    return [line for op in changes for line in new[op[3] : op[4]]]


def test_new_claim_adds_lines_and_changes_nothing_else(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "project", {"claims.yml": PUBLISHING / "commented.yml"})
    target = content / "claims.yml"
    before = target.read_text(encoding="utf-8")
    result = run_cli("new", "claim", "--content", content, "--file", target, *CLAIM_FLAGS)
    assert result.returncode == 0, result.stderr
    assert "added claim 'putin-wants-donbas-deal' to content/claims.yml" in result.stdout
    after = target.read_text(encoding="utf-8")
    added = _only_insertions(before, after)
    # At the end of the claims list: after its last entry and its trailing
    # comment, separated by a blank line as the file's entries are, and before
    # the comment that introduces the next section.
    assert "  # more claims to come\n\n  - id: putin-wants-donbas-deal\n" in after
    assert after.index("putin-wants-donbas-deal") < after.index("# ---- Everything else")
    tail = after.split("  - id: putin-wants-donbas-deal\n", 1)[1]
    assert "\n\n# ---- Everything else" in tail and "\n  - " not in tail.split("\n\n#")[0]
    entry = yaml.safe_load("".join(added))[0]
    assert entry["id"] == "putin-wants-donbas-deal"
    assert entry["topics"] == ["nato", "territory"] and entry["circa"] is True
    assert str(entry["added"]) == "2025-08-12" and entry["date"] == "2024-11"
    assert entry["sources"][0]["via"] == "five current and former Russian officials"
    assert list(entry)[:3] == ["id", "actor", "stance"] and list(entry)[-1] == "sources"
    assert "    text: >-\n" in "".join(added)  # long text is folded, like the editors'
    assert all(len(line) <= 100 for line in added if "evidence:" not in line)
    # The result is valid, and the new claim is last in its list.
    project, fb = loaded(content)
    assert list(fb.claims)[-1] == "putin-wants-donbas-deal"
    assert fb.claims["putin-wants-donbas-deal"].text.startswith("According to Reuters, Putin")


def test_new_claim_that_fails_the_check_leaves_the_file_alone(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "project", {"claims.yml": PUBLISHING / "commented.yml"})
    target = content / "claims.yml"
    before = target.read_bytes()
    flags = [f.replace("rules out any", "rules out every") for f in CLAIM_FLAGS]
    flags[flags.index("vladimir-putin")] = "vladimir-putn"
    result = run_cli("new", "claim", "--content", content, "--file", target, *flags)
    assert result.returncode == 1
    assert target.read_bytes() == before
    assert "unknown actor 'vladimir-putn'; did you mean 'vladimir-putin'?" in result.stderr
    assert "evidence not found verbatim in source 'reuters-kremlin-terms'" in result.stderr
    assert "was not kept" in result.stderr
    assert not list(content.glob(".*.new"))


def test_new_without_a_terminal_names_the_missing_flags(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "project", {"base.yml": MINI})
    before = (content / "base.yml").read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "new", "claim", "--content", str(content),
         "--id", "x-y"],
        capture_output=True, text=True, cwd=REPO, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert (
        "missing --actor, --stance, --summary, --text, --date, --status, --source, --evidence"
        in result.stderr
    )
    assert (content / "base.yml").read_bytes() == before


def test_new_claim_goes_to_the_file_of_its_topic(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "project", {"base.yml": MINI})
    (content / "claims").mkdir()
    flags = [f for f in CLAIM_FLAGS]
    result = run_cli("new", "claim", "--content", content, *flags)
    assert result.returncode == 0, result.stderr
    created = content / "claims" / "nato.yml"
    text = created.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/content.schema.json\n")
    assert "\nclaims:\n  - id: putin-wants-donbas-deal\n" in text
    loaded(content)


def test_new_event_deadline_and_source(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "project", {"base.yml": MINI})
    base = content / "base.yml"
    before = base.read_text(encoding="utf-8")
    event = run_cli(
        "new", "event", "--content", content, "--file", base, "--no-input", "--as-of", "2025-08-12",
        "--id", "tusk-speaks", "--title", "Tusk speaks on the talks", "--kind", "statement",
        "--date", "2025-08-08", "--text", "Donald Tusk spoke.", "--status", "reported",
        "--actors", "donald-trump", "--source", "toutiao-relay",
        "--evidence", "Poland's Prime Minister, a close ally of Ukraine, Donald Tusk",
    )  # fmt: skip
    assert event.returncode == 0, event.stderr
    deadline = run_cli(
        "new", "deadline", "--content", content, "--file", base, "--no-input",
        "--id", "truce-by-friday", "--title", "A truce by Friday", "--date", "2025-08-08",
        "--set-by", "donald-trump", "--targets", "Russia (Vladimir Putin)",
        "--targets", "Countries buying Russian oil, such as India", "--threat", "Tariffs.",
        "--resolution", "unknown", "--status", "confirmed", "--source", "bloomberg-truce",
        "--evidence", "He has demanded that Putin agree to a ceasefire by Friday",
    )  # fmt: skip
    assert deadline.returncode == 0, deadline.stderr
    _only_insertions(before, base.read_text(encoding="utf-8"), blocks=2)
    sources = content.parent / "seeds" / "sources.yml"
    manifest = sources.read_text(encoding="utf-8")
    source = run_cli(
        "new", "source", "--content", content, "--no-input", "--id", "kremlin-terms-copy",
        "--file", "004_1447df4d8abbbe65.txt", "--outlet", "Another outlet", "--language", "en",
        "--label", "Another outlet's copy of Reuters on Putin's terms (2024)",
        "--published", "2024-11", "--published-circa", "--attribution", "Reuters",
        "--attribution", "five current and former Russian officials",
        "--summary", "A second copy of the Reuters report, for the test.",
    )  # fmt: skip
    assert source.returncode == 0, source.stderr
    added = _only_insertions(manifest, sources.read_text(encoding="utf-8"))
    assert "  - id: kremlin-terms-copy\n" in added
    project, fb = loaded(content)
    assert fb.deadlines["truce-by-friday"].targets == [
        "Russia (Vladimir Putin)", "Countries buying Russian oil, such as India"
    ]  # fmt: skip
    assert str(fb.events["tusk-speaks"].added) == "2025-08-12"
    assert fb.sources["kremlin-terms-copy"].published_circa is True


def test_new_refuses_a_file_outside_content(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "project", {"base.yml": MINI})
    outside = tmp_path / "elsewhere.yml"
    result = run_cli("new", "claim", "--content", content, "--file", outside, *CLAIM_FLAGS)
    assert result.returncode == 2 and "is not inside content/" in result.stderr
    assert not outside.exists()


def test_new_claim_asks_in_a_terminal(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "project", {"base.yml": MINI})
    master, slave = os.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO  # do not echo the answers back
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "new", "claim", "--content", str(content),
         "--file", str(content / "base.yml"), "--as-of", "2025-08-12"],
        stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, text=True,
    )  # fmt: skip
    os.close(slave)
    answers = [
        "trump-plans-alaska-summit", "donald-trump", "states",
        "Trump says he will meet Putin in Alaska on August 15",
        "Trump said his meeting with Putin would be held in Alaska on August 15.",
        "2025-08-08", "", "", "confirmed", "summit",
        "", "", "", "", "", "", "", "",  # regions … responds to, conflicts with, general knowledge, note
        "yahoo-summit-explainer",
        "his meeting with Putin would be held in the far-north US state of Alaska on August 15",
        "", "", "",  # quote, via, via anonymous
    ]  # fmt: skip
    os.write(master, ("\n".join(answers) + "\n").encode())
    out, err = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode == 0, err
    # Every field is asked for, optional ones too, each with the model's help line.
    for prompt in ("] id (required): the claim's id", "] actor (required)",
                   "] stance (required)", "   1  claims ", "says something is so",
                   "] circa (optional, Enter to skip): true when the date is approximate",
                   "] regions (optional", "] responds to (optional", "] source (required)",
                   "] evidence (required)", "] quote (optional", "] via (optional"):  # fmt: skip
        assert prompt in out, prompt
    project, fb = loaded(content)
    claim = fb.claims["trump-plans-alaska-summit"]
    assert claim.topics == [model.Topic.summit] and claim.regions == []
    assert str(claim.added) == "2025-08-12"


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("events: []  # none yet\nactors: []\n",
         "events:  # none yet\n  - id: x\n    title: T\nactors: []\n"),
        ("events:\nactors: []\n", "events:\n  - id: x\n    title: T\nactors: []\n"),
        ("actors: []\n", "actors: []\n\nevents:\n  - id: x\n    title: T\n"),
        ("events:\r\n  - id: a\r\n    title: A\r\n",
         "events:\r\n  - id: a\r\n    title: A\r\n  - id: x\r\n    title: T\r\n"),
        ("events:\n    - id: a\n      title: A\n",
         "events:\n    - id: a\n      title: A\n    - id: x\n      title: T\n"),
    ],
    ids=["empty-flow-list", "empty-key", "no-key", "crlf", "deeper-indent"],
)  # fmt: skip
def test_splice_handles_every_shape_of_list(original: str, expected: str) -> None:
    from ruamel.yaml.comments import CommentedMap

    from generator.cli.new import splice

    text, _ = splice(original, "events", CommentedMap(id="x", title="T"))
    assert text == expected


def test_every_model_field_is_offered_or_deliberately_left_out() -> None:
    from generator.cli.new import KINDS, SKIPPED, specs

    for kind in KINDS.values():
        offered = {s.name for s in specs(kind)}
        assert set(kind.model.model_fields) - SKIPPED == offered, kind.name
        assert set(kind.order) <= offered, kind.name
