"""Adding one entry to a YAML file by adding lines only: the rest stays byte for byte.

ruamel.yaml (round-trip mode) reads the file to find where the list ends and
renders the new entry in the file's own indentation; the entry's lines are
spliced in there, so comments, blank lines, quoting and order elsewhere stay
as they were. Used by ``python -m generator new``.
"""

from __future__ import annotations

import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


class NewError(Exception):
    """A mistake in what was asked for; nothing was written."""


def _yaml(dash: int = 2) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line; folded blocks carry their own breaks
    yaml.indent(mapping=2, sequence=dash + 2, offset=dash)
    return yaml


def render_entry(collection: str, entry: CommentedMap, dash: int = 2) -> str:
    """The entry's lines as they will stand in the file (the '- ' at column ``dash``)."""
    out = io.StringIO()
    _yaml(dash).dump({collection: [entry]}, out)
    lines = out.getvalue().splitlines(keepends=True)
    return "".join(lines[1:])


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _blank_above(lines: list[str], line: int) -> bool:
    """Whether a blank line stands above ``line``, past any comment lines heading it."""
    above = line - 1
    while above >= 0 and lines[above].lstrip().startswith("#"):
        above -= 1
    return above >= 0 and not lines[above].strip()


def splice(
    original: str | None, collection: str, entry: CommentedMap, header: str = ""
) -> tuple[str, int]:
    """The file's new text, and the 1-based line where the entry starts.

    Only lines are added: the new entry goes after the last entry of the
    list (before any blank lines and unindented comments that introduce
    what follows).
    """
    if original is None or not original.strip():
        text = (original or "") + header + f"{collection}:\n"
        start = text.count("\n") + 1
        return text + render_entry(collection, entry), start
    data = YAML().load(original)
    if not isinstance(data, CommentedMap):
        raise NewError("the file does not hold a mapping at the top (keys such as 'claims:')")
    lines = original.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if collection not in data:
        addition = ["\n", f"{collection}:\n", render_entry(collection, entry)]
        start = len(lines) + 3
        return _line_ends("".join(lines + addition), original), start
    key_line = data.lc.key(collection)[0]
    value = data[collection]
    if not isinstance(value, CommentedSeq) or not value or value.fa.flow_style():
        if value:
            raise NewError(
                f"'{collection}' is written as a one-line list ([...]); rewrite it with one "
                "'- ' entry per line first"
            )
        # 'claims:' or 'claims: []': the list starts here (a comment on the line stays).
        lines[key_line] = re.sub(r":[ \t]*\[[ \t]*\]", ":", lines[key_line], count=1)
        lines[key_line + 1 : key_line + 1] = [render_entry(collection, entry)]
        return _line_ends("".join(lines), original), key_line + 2
    keys = list(data)
    after = keys[keys.index(collection) + 1 :]
    end = data.lc.key(after[0])[0] if after else len(lines)
    # Step back over what introduces the next section: blank lines, and
    # comments that start at the left margin.
    while end > key_line + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    dash = max(value.lc.item(len(value) - 1)[1] - 2, 0)
    # A blank line before the new entry if the file separates its entries so.
    spaced = any(_blank_above(lines, value.lc.item(i)[0]) for i in range(1, len(value)))
    block = ("\n" if spaced else "") + render_entry(collection, entry, dash)
    lines[end:end] = [block]
    return _line_ends("".join(lines), original), end + 1 + (1 if spaced else 0)


def _line_ends(text: str, original: str) -> str:
    """Keep a file written with CRLF line ends in CRLF, new lines included."""
    if "\r\n" not in original:
        return text
    return text.replace("\r\n", "\n").replace("\n", "\r\n")
