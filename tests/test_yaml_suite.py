"""The loader against a reference parser, on the YAML specification's examples.

Reference: PyYAML's SafeLoader (YAML 1.1 typing, as the loader's own typing).
The cases are in tests/yaml_suite/ (see its README for where they come from
and their licence); nothing is downloaded. Every case either reads to the
reference's data, or is listed below with the reason it differs. Content
deliberately refuses tags other than the standard scalar ones, aliases,
duplicate and non-text keys, control characters and second documents: those
cases must be refused *with a position*, and the reference must accept them
(else they belong to ``BOTH_REFUSE``).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.content.problems import Problems
from generator.content.yamlfile import Document, parse_text

CASES = Path(__file__).parent / "yaml_suite"

#: Valid YAML that content refuses on purpose: case → (what our message says, why).
REFUSED_BY_CHOICE = {
    "spec-2.07-two-documents-in-a-stream": ("a second YAML document", "one file, one document"),
    "spec-2.08-play-by-play-feed": ("a second YAML document", "one file, one document"),
    "spec-2.28-log-file": ("a second YAML document", "one file, one document"),
    "spec-2.10-node-appears-twice": ("alias '*SS' is not allowed",
                                     "aliases can hide or multiply data (alias bombs)"),
    "spec-2.17-quoted-scalars": ("writes an invisible or control character U+0008",
                                 "control characters can make text look like what it is not"),
    "spec-2.21-miscellaneous": ("field names must be text",
                                "a key YAML reads as null, a number or true/false is a slip"),
    "spec-2.25-unordered-sets": ("YAML tag '!!set' is not allowed",
                                 "content holds text, numbers, lists and mappings only"),
    "spec-2.26-ordered-mappings": ("YAML tag '!!omap' is not allowed",
                                   "content holds text, numbers, lists and mappings only"),
}  # fmt: skip

#: Input both parsers refuse: case → why the reference refuses it.
BOTH_REFUSE = {
    "spec-2.11-mapping-between-sequences": "keys that are lists are unhashable in Python",
    "spec-2.23-various-explicit-tags": "the application tag '!something' has no constructor",
    "spec-5.12-tabs-and-spaces": "PyYAML does not allow a tab after 'block:' before '|'",
    "spec-6.01-indentation-spaces": "PyYAML does not allow the tab inside the flow sequence",
}

#: Read by both, to different data: case → (check of our data, why).
DATA_DIFFERS = {
    # Dates stay text: the model parses them and keeps their precision
    # ('2025-08' is a month, not its first day); the reference makes datetimes.
    "spec-2.22-timestamps": lambda ours, ref: all(
        isinstance(v, str) and isinstance(ref[k], dt.date) for k, v in ours.items()
    ),
    # Merge keys are YAML 1.1 only (gone in 1.2) and mostly used with aliases,
    # which content refuses: '<<' stays a key, and the schema reports it as an
    # unknown field where it stands.
    "merge-key": lambda ours, ref: (
        ours["derived"]["<<"] == {"a": 1, "b": 2} and ref["derived"] == {"a": 1, "b": 2, "c": 3}
    ),
}

ALL = sorted(p.stem for p in CASES.glob("*.yaml"))


def _same(a: Any, b: Any) -> bool:
    """Equal data of equal types, NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _reference(text: str) -> list[Any] | None:
    try:
        return list(yaml.load_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return None


def _ours(name: str, text: str) -> tuple[Any, Problems]:
    doc, problems = Document(CASES / f"{name}.yaml", f"{name}.yaml"), Problems()
    parse_text(text, doc, problems)
    return doc.data, problems


def test_the_cases_are_there_and_every_listed_difference_is_a_case() -> None:
    assert len(ALL) >= 35
    listed = REFUSED_BY_CHOICE.keys() | BOTH_REFUSE.keys() | DATA_DIFFERS.keys()
    assert listed <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_the_loader_agrees_with_the_reference(name: str) -> None:
    text = (CASES / f"{name}.yaml").read_text(encoding="utf-8")
    reference = _reference(text)
    ours, problems = _ours(name, text)
    positioned = [p.format() for p in problems.items if p.position.line >= 1]
    if name in BOTH_REFUSE:
        assert reference is None
        assert problems and len(positioned) == len(problems.items)
        return
    assert reference is not None, "the reference refuses it: list it in BOTH_REFUSE"
    if name in REFUSED_BY_CHOICE:
        phrase, _why = REFUSED_BY_CHOICE[name]
        assert any(phrase in line for line in positioned), positioned
        return
    assert not problems, [p.format() for p in problems]
    assert len(reference) == 1
    if name in DATA_DIFFERS:
        assert not _same(ours, reference[0]) and DATA_DIFFERS[name](ours, reference[0])
        return
    assert _same(ours, reference[0]), (ours, reference[0])
