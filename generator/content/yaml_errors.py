"""YAML syntax errors in the editor's words, and reading on past them.

The parser says "mapping values are not allowed in this context" both for a
line indented too deep and for a colon inside unquoted text; an editor needs to
be told what to type. The common mistakes are recognised from the lines around
the place the parser gave up, and the message names the fix ("put the text in
double quotes", "indent this line to match the one above (4 spaces)").

A syntax error would otherwise hide every other mistake of its file: the entry
holding it is blanked out (its lines kept, empty, so every later position is
still right) and the file is read again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from generator.content.problems import Position

#: Parser contexts naming something that must be closed on the line it opens:
#: a quoted text, a ``[...]`` or ``{...}``, a key before its colon. When the
#: parser gives up inside one of these on a later line, it has usually run to
#: the end of the file (or into the next entries) looking for the closing quote,
#: bracket or colon; the mistake is at the opening.
_OPENERS = (
    "while scanning a quoted scalar",
    "while scanning a simple key",
    "while parsing a flow sequence",
    "while parsing a flow mapping",
)
_SECTION = re.compile(r"[^\s#\-][^:#]*:")
_ITEM = re.compile(r"( *)- ")
_KEY_LINE = re.compile(r"( *)((?:- +)*)([^\s:#'\"\[{][^:#]*?)(:)( |$)")
#: A value opening a quote it does not close on its line.
_OPEN_QUOTE = re.compile(r"""(?:^|:\s|-\s)\s*(["'])""")


def flow_depth(text: str, mark: Any) -> int:
    """How many ``[`` and ``{`` are open at ``mark`` on its line (quotes aside).

    Parsers bound flow nesting with their own limits and words (libyaml 0.2.6
    stops at 1,000 levels): where the line is that deep, the editor gets our
    message about nesting, whichever parser gave up.
    """
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    depth = deepest = 0
    for ch in line[: mark.column + 1]:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _indent(line: str) -> int:
    """Where a line's content starts, counting the '- ' of list items as indentation."""
    m = _KEY_LINE.match(line) or re.match(r"( *)((?:- +)*)", line)
    assert m is not None
    return len(m.group(1)) + len(m.group(2))


def _line_above(lines: list[str], index: int) -> str | None:
    for line in reversed(lines[:index]):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return None


def _unclosed_quote(lines: list[str], start: int, end: int) -> tuple[int, int] | None:
    """The first line (and column) in ``start..end`` whose value opens a quote left open."""
    for i in range(start, min(end + 1, len(lines))):
        line = lines[i]
        m = _OPEN_QUOTE.search(line)
        if m is None:
            continue
        quote, rest = m.group(1), line[m.end() :]
        closed = re.search(r'(?<!\\)"' if quote == '"' else r"'", rest.replace("''", ""))
        if closed is None:
            return i, m.start(1)
    return None


def _key_of_entry(lines: list[str], index: int) -> str | None:
    """The first field of the list entry above ``index`` at its indentation ('id')."""
    indent = len(lines[index]) - len(lines[index].lstrip(" "))
    for line in reversed(lines[:index]):
        m = _KEY_LINE.match(line)
        if line.startswith(" " * indent + "- ") and m is not None:
            return m.group(3)
    return None


def _quoted(line: str) -> str:
    """The line with its value in double quotes, as the editor should type it."""
    m = _KEY_LINE.match(line)
    assert m is not None
    value = line[m.end() :].strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'{m.group(3)}: "{value}"'


@dataclass(frozen=True)
class Syntax:
    """A syntax error as reported: where, what, and the line the mistake is on (0-based)."""

    position: Position
    message: str
    line: int


def _plain(exc: yaml.MarkedYAMLError, lines: list[str], mark: Any) -> tuple[int, int, str] | None:
    """(line, column, message) for the common mistakes, 0-based; None for the others."""
    problem = exc.problem or ""
    at = mark.line
    line = lines[at] if at < len(lines) else ""
    above = _line_above(lines, at)
    key = _KEY_LINE.match(line)
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        opened = exc.context_mark
        mark_line = lines[opened.line] if opened.line < len(lines) else ""
        char = mark_line[opened.column : opened.column + 1] or '"'
        return (
            opened.line,
            opened.column,
            (
                f"unclosed quote: close the quote opened at line {opened.line + 1} "
                f"(type {char} at the end of the text)"
            ),
        )
    quote = _unclosed_quote(lines, exc.context_mark.line if exc.context_mark else at, at)
    if quote is not None and quote[0] < at:
        q_line, q_col = quote
        return (
            q_line,
            q_col,
            (
                f"unclosed quote: close the quote opened at line {q_line + 1} "
                f"(type {lines[q_line][q_col]} at the end of the text)"
            ),
        )
    if problem.startswith("mapping values are not allowed") and key is not None:
        if mark.column > key.end(4) - 1:  # a second colon, inside the value
            return (
                at,
                mark.column,
                (
                    f"a colon followed by a space inside text: put the text in double quotes, "
                    f"e.g. {_quoted(line)}"
                ),
            )
        if above is not None and _indent(line) > _indent(above):
            return (
                at,
                _indent(line) - len(key.group(2)),
                (
                    f"this line is indented more than the one above: indent this line to match "
                    f"the one above ({_indent(above)} spaces)"
                ),
            )
    if problem == "did not find expected '-' indicator" and key is not None:
        if _key_of_entry(lines, at) == key.group(3):  # the first field of an entry of its own
            return (
                at,
                mark.column,
                (
                    f"an entry of the list without '- ': start the item with '- ' "
                    f"(write '- {line.strip()}')"
                ),
            )
        if above is not None:
            return (
                at,
                _indent(line) - len(key.group(2)),
                (
                    f"this line is indented less than the one above: indent this line to match "
                    f"the one above ({_indent(above)} spaces)"
                ),
            )
    if problem == "could not find expected ':'" and exc.context == "while scanning a simple key":
        start = exc.context_mark.line if exc.context_mark else at
        text, above = lines[start], _line_above(lines, start)
        if above is not None and above.lstrip().startswith("- "):
            return (
                start,
                exc.context_mark.column if exc.context_mark else 0,
                (f"a list item without '- ': start the item with '- ' (write '- {text.strip()}')"),
            )
        word = text.strip().split(" ", 1)
        example = f"{word[0]}: {word[1]}" if len(word) == 2 else f"{word[0]}: …"
        return (
            start,
            exc.context_mark.column if exc.context_mark else 0,
            (f"a field without its colon: put ': ' after the field name (write '{example}')"),
        )
    return None


def describe(
    exc: yaml.MarkedYAMLError, display: str, text: str = "", max_depth: int = 40
) -> Syntax:
    """Where a syntax error is, as an editor would look for it, and what to type."""
    what = " ".join(x for x in (exc.context, exc.problem) if x)
    problem, context = exc.problem_mark, exc.context_mark
    if problem is not None and flow_depth(text, problem) > max_depth:
        return Syntax(
            Position(display, problem.line + 1, problem.column + 1),
            f"nesting deeper than {max_depth} levels; content is never this deep — "
            "check the brackets and indentation",
            problem.line,
        )
    mark = problem or context
    if (
        problem is not None
        and context is not None
        and exc.context in _OPENERS
        and context.line < problem.line
    ):
        mark = context
        what += f" (the parser gave up at line {problem.line + 1}, column {problem.column + 1})"
    if mark is None:
        return Syntax(Position(display), f"YAML syntax error: {what}", 0)
    plain = _plain(exc, text.split("\n"), mark)
    if plain is not None:
        line, column, message = plain
        return Syntax(Position(display, line + 1, column + 1), message, line)
    return Syntax(
        Position(display, mark.line + 1, mark.column + 1),
        f"YAML syntax error: {what}; check quotes, colons and indentation",
        mark.line,
    )


def without_entry(text: str, line: int) -> tuple[str, str] | None:
    """The text with the list entry holding ``line`` (0-based) blanked, and its section.

    Lines are emptied, not removed, so every position after them stays right.
    None when the line is not inside an entry of a section (the file's own
    structure is broken: nothing sensible can be read on).
    """
    lines = text.split("\n")
    if line >= len(lines):
        return None
    section = next(
        (i for i in range(line, -1, -1) if _SECTION.match(lines[i])), None
    )  # fmt: skip
    if section is None or section == line:
        return None
    first = next((_ITEM.match(x) for x in lines[section + 1 :] if _ITEM.match(x)), None)
    if first is None:
        return None
    indent = len(first.group(1))
    item = re.compile(rf" {{{indent}}}- ")
    start = next((i for i in range(line, section, -1) if item.match(lines[i])), None)
    if start is None:
        return None
    end = max(start, line) + 1  # the line in error goes too, however it is indented
    boundary = re.compile(rf" {{0,{indent}}}[^\s#]")
    while end < len(lines) and not boundary.match(lines[end]):
        end += 1
    blanked = lines[:start] + [""] * (end - start) + lines[end:]
    return "\n".join(blanked), lines[section].split(":", 1)[0].strip()
