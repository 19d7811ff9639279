"""The one YAML walker: positions where the editor sees them, and no text that makes it raise.

A content file comes from a pull request, so any text at all must end as data
or as ``FILE:LINE:COL`` problems, never as an exception (an "internal error"
to the editor, a hung preview under ``serve``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.problems import Problems
from generator.content.yamlfile import Document, parse_text, read_yaml

REPO = Path(__file__).resolve().parent.parent
FORMATTED = re.compile(r"^x\.yml:\d+:\d+: (error|warning): \S")


def parse(text: str) -> tuple[Document, Problems]:
    doc, problems = Document(Path("x.yml"), "x.yml"), Problems()
    parse_text(text, doc, problems)
    return doc, problems


def _parsed_or_positioned(text: str) -> None:
    """The property: data and no problem, or problems each at a place in the text."""
    doc, problems = parse(text)
    lines = text.count("\n") + 2
    for problem in problems.items:
        assert FORMATTED.match(problem.format()), problem.format()
        assert 1 <= problem.position.line <= lines, (problem, text)
    if not problems:
        assert doc.text == text


def test_every_recorded_key_stands_where_the_file_has_it() -> None:
    files = sorted((REPO / "content").rglob("*.yml"))
    assert len(files) > 10
    for path in files:
        doc, problems = read_yaml(path, path.name)
        assert not problems, [p.format() for p in problems]
        lines = doc.text.splitlines()
        assert doc.keys
        for key_path, (line, column) in doc.keys.items():
            key = key_path[-1]
            assert isinstance(key, str)
            assert lines[line - 1][column - 1 :].lstrip("\"'").startswith(key), (path, key_path)


def test_a_value_points_at_its_line_and_a_missing_field_at_its_record() -> None:
    doc, problems = parse("claims:\n  - id: a\n    regions:\n      - UA-14\n      - UA-09\n")
    assert not problems
    assert str(doc.at(("claims", 0, "regions", 1))) == "x.yml:5:9"
    assert str(doc.at(("claims", 0, "id"), key=True)) == "x.yml:2:5"
    assert str(doc.at(("claims", 0, "summary"))) == "x.yml:2:5"  # absent: its record


# The defects of issue 20, each an exception out of the old loader.
def test_explicit_tags_with_bad_values_are_positioned_problems() -> None:
    text = (
        "a:\n  date: !!int 2025-08\n  circa: !!bool maybe\n  f: !!float abc\n  i: !!int ''\n"
        "  m: !!map [x]\n  s: !!seq {x: 1}\n  t: !!str [x]\n"
    )
    doc, problems = parse(text)
    assert [str(p.position) for p in problems] == [f"x.yml:{n}:{c}" for n, c in (
        (2, 9), (3, 10), (4, 6), (5, 6), (6, 6), (7, 6), (8, 6))]  # fmt: skip
    assert "'2025-08' is not a valid !!int value" in problems.items[0].message
    assert doc.is_refused(("a", "date")) and not doc.is_refused(("a", "m"))


def test_an_empty_key_is_a_key_even_beside_another_problem() -> None:
    doc, problems = parse('a:\n  "": x\n  b: 1\n  b: 2\n')
    assert [p.format() for p in problems] == [
        "x.yml:4:3: error: duplicate key 'b' (first at line 3); YAML would keep only the last "
        "one and silently drop the other: merge or rename them"
    ]
    assert doc.data == {"a": {"": "x", "b": 1}}


# Documents built from the pieces that trouble a loader: duplicate, empty and
# non-text keys, tags (with values they cannot hold), anchors and aliases,
# escaped invisible characters, words YAML types (yes, ~, 1.5), second documents.
_keys = st.sampled_from(
    ["id", "text", "yes", "1", "~", '""', "''", '"id"', "[a]", "? x", "!!int 3", "&k key"]
)
_scalars = st.sampled_from([
    "plain words", "yes", "No", "~", "null", "12", "0x1f", "1.5", ".inf", "2025-08-15", "=",
    '"double \\u200b quoted"', '"tab\\there"', '"fine \\" quote"', "'single ''q'''",
    "!!str 12", "!!int 2025-08", "!!bool maybe", "!!float abc", "!!int ''", "!!null x",
    "!!map x", "!!binary aGk=", "!!python/object:os.system x", "&a anchored", "*a", "! tagged",
    "''", "", "|\n  block", ">-\n  folded", '"\\x85"', "'\u00e9t\u00e9'", "- nested",
])  # fmt: skip


def _node(depth: int) -> st.SearchStrategy[list[str]]:
    """Lines of a block node at ``depth`` (two spaces a level)."""
    pad = "  " * depth
    scalar = _scalars.map(lambda s: [f"{pad}{s}"])
    if depth >= 3:
        return scalar

    def block(entries: list[tuple[str, list[str] | str]]) -> list[str]:
        """'head value' for a scalar, else 'head' and then the nested node's lines."""
        lines = []
        for head, value in entries:
            if isinstance(value, str):
                lines.append(f"{head} {value}")
            else:
                lines.append(head)
                lines.extend(value)
        return lines

    child = st.one_of(_scalars, st.deferred(lambda: _node(depth + 1)))
    tagged = st.sampled_from(["", " !!map", " !!seq", " !!str", " &n", " !x"])
    return st.one_of(
        st.lists(st.tuples(_keys, tagged, child), min_size=1, max_size=4).map(
            lambda items: block([(f"{pad}{key}:{tag}", value) for key, tag, value in items])
        ),
        st.lists(child, min_size=1, max_size=4).map(
            lambda items: block([(f"{pad}-", value) for value in items])
        ),
        st.lists(_scalars, max_size=3).map(lambda xs: [f"{pad}[{', '.join(xs)}]"]),
        st.lists(st.tuples(_keys, _scalars), max_size=3).map(
            lambda kv: [pad + "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"]
        ),
    )


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_node(0), st.sampled_from(["", "---\nmore: text\n", "...\n", "%YAML 1.1\n---\nx: 1\n"]))
def test_generated_documents_parse_or_get_a_position(lines: list[str], tail: str) -> None:
    _parsed_or_positioned("\n".join(lines) + "\n" + tail)


_YAMLISH = st.text(
    alphabet=st.sampled_from(list(" \n\t-:?,[]{}#&*!|>'\"%@`\\abc019.~\u00e9\u2028\x85\ufeff")),
    max_size=60,
)


@settings(max_examples=1500, deadline=None)
@given(_YAMLISH)
def test_any_text_parses_or_gets_a_position(text: str) -> None:
    _parsed_or_positioned(text)


def test_loading_never_imports_the_performance_helpers() -> None:
    """Loading reads every file and article in process (issue 15)."""
    code = (
        "import sys\n"
        "from generator.content.project import Project\n"
        "from generator.content.factbase import load\n"
        "fb, problems = load(Project.at(None))\n"
        "assert not problems and fb.claims\n"
        "print(sorted(m for m in sys.modules if m.startswith('generator.perf')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_read_cache_serves_a_file_until_its_bytes_change(tmp_path: Path) -> None:
    """The preview keeps each file as last read; a save is read again, and a file
    with a problem is never served from the cache (its messages are made afresh)."""
    from generator.content.readcache import ReadCache
    from generator.content.yamlfile import read_yaml

    path, cache = tmp_path / "claims.yml", ReadCache()
    path.write_text("claims:\n- id: a\n", encoding="utf-8")
    first, problems = read_yaml(path, "claims.yml", cache)
    assert not problems and read_yaml(path, "claims.yml", cache)[0] is first
    path.write_text("claims:\n- id: b\n", encoding="utf-8")
    changed, _ = read_yaml(path, "claims.yml", cache)
    assert changed is not first and changed.data == {"claims": [{"id": "b"}]}
    path.write_text("claims:\n- id: [b\n", encoding="utf-8")
    broken, problems = read_yaml(path, "claims.yml", cache)
    again, problems_again = read_yaml(path, "claims.yml", cache)
    assert problems and problems_again and again is not broken


def test_a_read_cache_kept_on_disk_serves_the_next_build_and_nothing_stale(
    tmp_path: Path,
) -> None:
    """A build keeps the files it read for the next one: an unchanged file comes back
    as it was read (data and every position), an edited one is read again, a file
    gone is dropped at the next save, and a damaged or foreign cache is ignored.
    A save writes again only the shard of a file read afresh."""
    import marshal

    from generator.content.files import shard_of
    from generator.content.readcache import ReadCache
    from generator.content.yamlfile import read_yaml

    kept = tmp_path / "cache" / "read"
    a, b = tmp_path / "a.yml", tmp_path / "b.yml"
    a.write_text("claims:\n- id: a\n  text: 'one'\n", encoding="utf-8")
    b.write_text("claims:\n- id: b\n", encoding="utf-8")
    first = ReadCache()
    read_a, _ = read_yaml(a, "a.yml", first)
    read_yaml(b, "b.yml", first)
    first.save(kept)

    second = ReadCache.load(kept)
    served = second.get(a, a.read_bytes())
    assert served is not None and served is not read_a
    assert (served.data, served.values, served.keys, served.text) == (
        read_a.data, read_a.values, read_a.keys, read_a.text,
    )  # fmt: skip
    assert served.at(("claims", 0, "text")) == read_a.at(("claims", 0, "text"))
    b.write_text("claims:\n- id: c\n", encoding="utf-8")
    assert second.get(b, b.read_bytes()) is None
    assert read_yaml(b, "b.yml", second)[0].data == {"claims": [{"id": "c"}]}

    second.save(kept)
    b.unlink()  # the next build reads only a.yml: b.yml's entry is not written again
    third = ReadCache.load(kept)
    assert read_yaml(a, "a.yml", third)[0] is third.get(a, a.read_bytes())
    third.save(kept)
    fourth = ReadCache.load(kept)
    assert fourth.get(a, a.read_bytes()) is not None
    assert fourth.get(b, b"claims:\n- id: c\n") is None

    shards = sorted(kept.glob("*.marshal"))
    before = {shard: shard.stat().st_ino for shard in shards}
    b.write_text("claims:\n- id: d\n", encoding="utf-8")
    fifth = ReadCache.load(kept)
    read_yaml(a, "a.yml", fifth)
    read_yaml(b, "b.yml", fifth)
    fifth.save(kept)
    rewritten = [shard.stem for shard in shards if shard.stat().st_ino != before[shard]]
    assert rewritten == [f"{shard_of(str(b)):02d}"]  # b.yml's shard, and no other
    assert ReadCache.load(kept).get(b, b.read_bytes()) is not None

    shard = kept / f"{shard_of(str(a)):02d}.marshal"
    whole = shard.read_bytes()
    _version, files = marshal.loads(whole)
    shard.write_bytes(marshal.dumps(("another reader", files)))  # written by other code
    assert ReadCache.load(kept).get(a, a.read_bytes()) is None
    shard.write_bytes(whole[:100])  # damaged: nothing kept, nothing raised
    assert ReadCache.load(kept).get(a, a.read_bytes()) is None
    shard.write_bytes(b"\x00" * 64)
    assert ReadCache.load(kept).get(a, a.read_bytes()) is None
    shard.unlink()  # a shard missing: nothing kept either
    assert ReadCache.load(kept).get(b, b.read_bytes()) is None


def test_files_read_beside_come_back_as_read_here(tmp_path: Path) -> None:
    """A build reads every second file no cache holds on the other core: the files,
    their problems (in file order, positions and all) and what the cache keeps are
    those of a reading in one process; files the cache holds are read here."""
    from tests.conftest import run_alone

    run_alone(__name__, "_read_beside", str(tmp_path))


def _read_beside(folder: str) -> None:
    import os
    from typing import Any

    from generator.build.worker import beside
    from generator.content import loader
    from generator.content.factbase import load
    from generator.content.project import Project
    from generator.content.readcache import ReadCache
    from tests.conftest import FIXTURES, make_project

    reads: list[int] = []  # the process each reading beside ran in

    def spied(fn: Any, *args: Any) -> Any:
        if fn is not loader._read_unknown:
            return beside(fn, *args)
        job = beside(lambda *a: (os.getpid(), fn(*a)), *args)

        class Read:
            def result(self) -> Any:
                pid, value = job.result()
                reads.append(pid)
                return value

        return Read()

    files: dict[str, Path | str] = {"base.yml": FIXTURES / "mini" / "base.yml"}
    for n in range(loader.READ_BESIDE_FROM + 2):
        files[f"extra-{n}.yml"] = "claims: []\n"
    files["extra-3.yml"] = "claims:\n- id: [unclosed\n"  # a syntax error, read beside
    files["extra-4.yml"] = "claims: []\nclams: []\n"  # an unknown section, read here
    files["extra-7.yml"] = "events: [1]\n"  # a wrong shape, read beside
    project = Project.at(make_project(Path(folder) / "p", files))
    here_cache, there_cache = ReadCache(), ReadCache()
    _fb, here = load(project, here_cache)
    _fb, there = load(project, there_cache, beside=spied)
    assert reads and os.getpid() not in reads, "no file was read beside"
    shown = [p.format() for p in there]
    assert shown == [p.format() for p in here]
    named = [s.split(":")[0].rsplit("/", 1)[-1] for s in shown]
    assert {"extra-3.yml", "extra-4.yml", "extra-7.yml"} <= set(named), shown
    paths = project.content_files()
    kept = {path for path in paths if there_cache.holds(path)}
    assert kept == {path for path in paths if here_cache.holds(path)}
    assert project.content / "extra-3.yml" not in kept and len(kept) == len(paths) - 1
    for path in kept:
        a, b = here_cache.get(path, path.read_bytes()), there_cache.get(path, path.read_bytes())
        assert a is not None and b is not None
        assert (a.data, a.text, a.values, a.keys) == (b.data, b.text, b.values, b.keys)
    # Read again with that cache, one file is unknown: too few to fork for.
    reads.clear()
    _fb, again = load(project, there_cache, beside=spied)
    assert [p.format() for p in again] == shown and reads == []
