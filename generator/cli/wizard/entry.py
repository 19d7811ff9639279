"""The new entry as the file will show it: fields in the kind's order, text folded.

Dates are written unquoted at their own precision, passages in double quotes,
long prose as folded blocks (``>-``) broken where an editor would break it.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)

from generator.cli.wizard.fields import CITATION_FIELDS, SHORT_LISTS, Kind, specs
from generator.content.dates import PartialDate

#: Fields of running text, written as folded blocks (``>-``) when long.
PROSE = {"text", "threat", "outcome", "date_basis", "summary", "language_note",
         "published_basis"}  # fmt: skip
FOLD_WIDTH = 88


def _date_value(text: str) -> Any:
    """A date as the file should show it: unquoted, at its own precision."""
    date = PartialDate.parse(text)
    if date.precision == "day":
        return date.earliest()
    if date.precision == "year":
        return date.year
    return str(date)


def _fold_positions(text: str, width: int) -> list[int] | None:
    """Where a folded block may break the text (single spaces only), or None if it cannot."""
    if "\n" in text or "  " in text or text != text.strip():
        return None
    positions, start, last_space = [], 0, -1
    for i, ch in enumerate(text):
        if ch == " ":
            last_space = i
        if i - start >= width and last_space > start:
            positions.append(last_space)
            start = last_space + 1
    return positions


def _scalar(name: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    if name in ("date", "published", "added", "updated"):
        try:
            return _date_value(value)
        except ValueError:
            return value  # the check reports it, at this line
    if name in ("evidence", "quote", "wording"):
        return DoubleQuotedScalarString(value)
    if "\n" in value:
        return LiteralScalarString(value)
    if name in PROSE and len(value) > FOLD_WIDTH - 10:
        positions = _fold_positions(value, FOLD_WIDTH - 6)
        if positions is not None:
            folded = FoldedScalarString(value)
            folded.fold_pos = positions
            return folded
    return value


def build_entry(kind: Kind, values: dict[str, Any], citation: dict[str, Any]) -> CommentedMap:
    """The new entry, fields in the kind's order, ready for ruamel.yaml to write."""
    entry = CommentedMap()
    for spec in specs(kind):
        value = values.get(spec.name)
        if value is None or value == [] or (spec.is_bool and not value):
            continue  # a false flag is the default: the file does not spell it out
        if spec.is_list:
            seq = CommentedSeq([_scalar(spec.name, v) for v in value])
            if spec.name in SHORT_LISTS:
                seq.fa.set_flow_style()
            entry[spec.name] = seq
        else:
            entry[spec.name] = _scalar(spec.name, value)
    if kind.cited:
        cite = CommentedMap(
            (k, _scalar(k, citation[k])) for k in CITATION_FIELDS if citation.get(k) is not None
        )
        entry["sources"] = CommentedSeq([cite])
    return entry
