"""The quick reading of a content file agrees with the full one.

A file that holds nothing to report is read once without positions
(``_quick``) and read again with them only when a later stage asks where a
value stands. These tests hold the two readings to the same data, the same
verdict on what must be reported, and the same positions.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.problems import Problems
from generator.content.yamlfile import Document, _build, _Irregular, _quick, read_yaml

REPO = Path(__file__).resolve().parent.parent


def _full(text: str, display: str = "x.yml") -> tuple[Document, Problems]:
    doc, problems = Document(Path(display), display), Problems()
    _build(text, doc, problems)
    return doc, problems


def _agree(text: str) -> None:
    """``_quick`` returns the full reading's data exactly when it has nothing to report."""
    try:
        full, problems = _full(text)
    except yaml.YAMLError:
        try:
            _quick(text)
        except (yaml.YAMLError, _Irregular):  # either way the full reading reports it
            return
        raise AssertionError(f"only the full reading failed on:\n{text}") from None
    try:
        data = _quick(text)
    except _Irregular:
        assert problems, f"quick reading refused a file with nothing to report:\n{text}"
        return
    assert not problems, f"quick reading missed {[p.message for p in problems]} in:\n{text}"
    assert data == full.data and type(data) is type(full.data)


def test_every_content_and_bad_input_file_reads_the_same() -> None:
    files = sorted((REPO / "content").rglob("*.yml")) + sorted(
        (REPO / "tests").rglob("*.yml")
    )
    assert len(files) > 20
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # refused before either reading
        _agree(text)


# Documents built from the pieces that make a reading irregular: duplicate and
# non-text keys, tags, anchors and aliases, escaped invisible characters,
# words YAML types (yes, ~, 1.5), and second documents.
_keys = st.sampled_from(["id", "text", "actor", "yes", "1", "~", '"id"', "'q'", "[a]"])
_scalars = st.sampled_from([
    "plain words", "yes", "No", "~", "null", "12", "0x1f", "1.5", ".inf", "2025-08-15",
    '"double \\u200b quoted"', '"tab\\there"', '"fine \\" quote"', "'single ''q'''",
    "!!str 12", "!!python/object:os.system x", "&a anchored", "*a", "! tagged", "''", "",
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
    return st.one_of(
        st.lists(st.tuples(_keys, child), min_size=1, max_size=4).map(
            lambda items: block([(f"{pad}{key}:", value) for key, value in items])
        ),
        st.lists(child, min_size=1, max_size=4).map(
            lambda items: block([(f"{pad}-", value) for value in items])
        ),
        st.lists(_scalars, max_size=3).map(lambda xs: [f"{pad}[{', '.join(xs)}]"]),
    )


@settings(max_examples=400, deadline=None)
@given(_node(0), st.booleans())
def test_generated_documents_read_the_same(lines: list[str], second_document: bool) -> None:
    text = "\n".join(lines) + "\n" + ("---\nmore: text\n" if second_document else "")
    _agree(text)


def test_positions_read_later_are_the_positions_read_at_once() -> None:
    path = sorted((REPO / "content" / "claims").glob("*.yml"))[0]
    doc, problems = read_yaml(path, "claims.yml")
    assert not problems and not doc.located  # read quickly: nothing to report
    full, _ = _full(path.read_text(encoding="utf-8"), "claims.yml")
    some = list(full.values)[:: max(1, len(full.values) // 50)]
    for p in some:
        assert doc.at(p) == full.at(p)
        assert doc.at(p, key=True) == full.at(p, key=True)
    assert doc.located and doc.values == full.values and doc.keys == full.keys
