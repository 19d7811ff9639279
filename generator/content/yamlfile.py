"""Read a content file into plain data, remembering where every value stands.

PyYAML's loaders are not enough for untrusted, hand-edited content: they keep
the last of two duplicate keys without a word, build Python objects from
``!!python`` tags (unsafe loaders) and expand alias bombs. So we read the
*event stream* (libyaml's fast C parser where available) and build the data
ourselves, which lets us refuse those things with a position, bound nesting
depth without recursion, and record a :class:`Position` for every key and
value so that later stages (schema, references, quotes) can point at the line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from generator.content.problems import Position, Problems
from generator.content.yaml_errors import describe, without_entry

try:  # the C parser is ~10x faster; fall back quietly where it is missing
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on the PyYAML wheel
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40

PathKey = tuple[str | int, ...]

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")
} | {"!"}

# Characters that make text look different from what it is: C0/C1 controls
# (other than tab and newlines), bidirectional overrides/isolates and
# zero-width characters. They have no place in facts and can hide an id swap.
# U+2028/U+2029 and a carriage return not followed by a line feed are line
# breaks to YAML but not to most editors, so every line number after them
# would be off by one: they are refused too (CRLF line ends are fine).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff]|\r(?!\n)"
)
_LEADING_TAB = re.compile(r"^[ ]*\t", re.MULTILINE)
# One escape of double-quoted YAML (an escaped backslash is matched whole, so
# the 'u200b' of YAML's "\\u200b" is not taken for an escape of its own).
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_NAMED_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "v": "\v", "r": "\r",
    "N": "\x85", "L": "\u2028", "P": "\u2029",
}  # fmt: skip

_resolver = Resolver()
_constructor = SafeConstructor()
#: First characters of a plain scalar that YAML might read as other than text.
_MAYBE_TYPED = frozenset(_resolver.yaml_implicit_resolvers)


@dataclass
class Document:
    """One parsed file: its data and where each value and key stands.

    Positions are recorded as the file is read. Reading without them and
    again on demand saved 0.09 s of 0.54 s at 10,000 claims and 1 ms on the
    real content, not worth a second reading to keep in step with the first.
    """

    path: Path
    display: str
    data: Any = None
    text: str = ""
    #: 1-based (line, column) of every value and key, by path. Tuples, not
    #: Position objects: a large file has hundreds of thousands of them and
    #: only the few an error points at are ever turned into a Position.
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    #: Values refused by the loader (aliases) and replaced by a placeholder. The
    #: refusal is already reported; later stages must not also report the
    #: placeholder as a wrong or missing value.
    refused: set[PathKey] = field(default_factory=set)
    #: Sections that lost an entry to a syntax error (see :func:`read_text`).
    blanked: set[str] = field(default_factory=set)

    def is_refused(self, path: PathKey) -> bool:
        """Whether ``path`` is, or lies inside, a value the loader refused."""
        return any(path[:n] in self.refused for n in range(len(path) + 1))

    def at(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of ``path``, or of its nearest recorded ancestor.

        A missing field has no position of its own; the mapping it is missing
        from is the useful place to point at.
        """
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            found = table.get(p) or (self.values.get(p) if key else None)
            if found:
                return Position(self.display, *found)
            p = p[:-1]
        line, column = self.values.get((), (1, 1))
        return Position(self.display, line, column)


def _position(display: str, mark: Any) -> Position:
    return Position(display, mark.line + 1, mark.column + 1)


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def _position_at(text: str, index: int, display: str) -> Position:
    """The line and column of a character offset, counting lines as editors do (LF)."""
    line = text.count("\n", 0, index) + 1
    return Position(display, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def scan_invisible(text: str, display: str, problems: Problems) -> bool:
    """Refuse invisible and control characters where they stand; whether there was one."""
    found = False
    for m in _INVISIBLE.finditer(text):
        found = True
        problems.add(
            _position_at(text, m.start(), display),
            f"invisible or control character {_char_name(m.group())}; "
            "delete it (it can make text or ids look like something they are not)",
        )
    return found


def _scan_text(text: str, display: str, problems: Problems) -> None:
    """Refuse invisible characters and tab indentation, with exact positions."""
    scan_invisible(text, display, problems)
    for m in _LEADING_TAB.finditer(text):
        line = text.count("\n", 0, m.end()) + 1
        col = m.end() - m.start()
        problems.add(
            Position(display, line, col),
            "tab character used for indentation; YAML needs spaces (use 2 spaces per level)",
        )


def _unescape(escape: str) -> str:
    """The character a double-quoted escape such as '\\u200b' stands for ('' if harmless)."""
    body = escape[1:]
    if body[0] in "xuU":
        return chr(int(body[1:], 16))
    return _NAMED_ESCAPES.get(body, "")


def _scan_escapes(
    text: str, event: yaml.ScalarEvent, display: str, problems: Problems
) -> bool:  # fmt: skip
    """Refuse invisible characters spelt as escapes in double-quoted text.

    '"Donald\\u200b Trump"' has no invisible character in the file, only in its
    value, so the scan of the raw text cannot see it; we find the escape that
    made it, to point at it. Returns whether there was one.
    """
    if event.style != '"' or not _INVISIBLE.search(event.value):
        return False
    found = False
    start, end = event.start_mark, event.end_mark
    if start is None or end is None:  # the parser always marks scalars; be safe anyway
        return False
    for m in _ESCAPE.finditer(text, start.index, end.index):
        char = _unescape(m.group())
        if char and _INVISIBLE.fullmatch(char):
            found = True
            problems.add(
                _position_at(text, m.start(), display),
                f"escape '{m.group()}' writes an invisible or control character "
                f"{_char_name(char)}; delete it (it can make text or ids look like "
                "something they are not)",
            )
    return found


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Type a scalar the way YAML 1.1 would, except timestamps stay text.

    Dates are parsed by the model, which keeps their precision ('2025-08' is a
    month, not the first of it). Raises ValueError for a value its explicit tag
    cannot hold (``!!int 2025-08``).
    """
    tag = event.tag
    value = event.value
    if tag is None and event.implicit[0] and value and value[0] not in _MAYBE_TYPED:
        return value  # most scalars: plain words no resolver would type
    if tag in (None, "!"):
        tag = _resolver.resolve(yaml.ScalarNode, value, event.implicit)
    return _typed(tag, yaml.ScalarNode(tag, value))


_CONSTRUCTORS = {
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
}


def _typed(tag: str, node: yaml.ScalarNode) -> Any:
    """The value of a resolved scalar; timestamps and text stay text."""
    construct = _CONSTRUCTORS.get(tag)
    if construct is None:
        return node.value
    try:
        return construct(node)
    except (ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        raise ValueError(node.value) from exc


class _Frame:
    __slots__ = ("container", "path", "pending_key", "seen")

    def __init__(self, container: Any, path: PathKey):
        self.container = container
        self.path = path
        self.pending_key: str | None = None
        #: Line of each key so far, for the message about a duplicate.
        self.seen: dict[str, int] = {}


def _not_text(value: Any, event: Any) -> str:
    """Why a key is not a field name, in the words the editor wrote it with.

    YAML reads ``yes``, ``1`` and ``~`` as true, a number and null, so the
    editor sees plain words where the parser saw something else: show both.
    """
    if isinstance(value, list):
        return "field names must be text, not a list"
    if isinstance(value, dict):
        return "field names must be text, not a mapping"
    kind = (
        "nothing (null)" if value is None
        else "true/false" if isinstance(value, bool)
        else "a number"
    )  # fmt: skip
    return (
        f"field names must be text, but YAML reads '{event.value}' as {kind}; "
        "put the name in quotes if it is meant to be text"
    )


_SCALAR_TAGS = _STANDARD_TAGS - {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_KIND_TAGS = {
    yaml.ScalarEvent: _SCALAR_TAGS,
    yaml.MappingStartEvent: {"!", "tag:yaml.org,2002:map"},
    yaml.SequenceStartEvent: {"!", "tag:yaml.org,2002:seq"},
}
_KIND_NAMES = {
    yaml.ScalarEvent: "a single value",
    yaml.MappingStartEvent: "a mapping",
    yaml.SequenceStartEvent: "a list",
}


def _tag_problem(event: Any) -> tuple[str, bool] | None:
    """What is wrong with a node's explicit tag, and whether reading must stop there."""
    tag = event.tag
    if tag is None or tag in _KIND_TAGS[event.__class__]:
        return None
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    if tag not in _STANDARD_TAGS:
        return (
            f"YAML tag '{shown}' is not allowed: content holds plain text, numbers, "
            "lists and mappings only; remove the tag"
        ), True
    return f"YAML tag '{shown}' cannot mark {_KIND_NAMES[event.__class__]}; remove the tag", False


def _bad_value(event: yaml.ScalarEvent) -> str:
    shown = (event.tag or "").replace("tag:yaml.org,2002:", "!!")
    return (
        f"'{event.value}' is not a valid {shown} value; remove the tag '{shown}' "
        "(each field already knows its type)"
    )


def _walk(text: str, doc: Document, problems: Problems) -> Any:
    """The data of a file's event stream, built iteratively (no recursion limit to hit).

    The one reading of content: every rule of the loader is here, and every
    value's and key's position is recorded in ``doc`` as it is read.
    """
    display = doc.display
    values, keys = doc.values, doc.keys
    stack: list[_Frame] = []
    documents = 0
    reported_alias = False
    invisible = False
    root: Any = None

    def report(mark: Any, message: str) -> None:
        problems.add(_position(display, mark), message)

    def place(value: Any, event: Any) -> PathKey:
        """Attach a value to its parent and return its path.

        A key gets the path of the slot it opens; a key that is not text opens
        a slot that is dropped, so its value (even a whole list) is still read
        and the rest of the file checked.
        """
        nonlocal root
        mark = event.start_mark
        if not stack:
            root = value
            values[()] = (mark.line + 1, mark.column + 1)
            return ()
        top = stack[-1]
        container = top.container
        if container.__class__ is list:
            path = top.path + (len(container),)
            container.append(value)
        elif top.pending_key is None:  # this value is a key
            key = _key(value, event, top)
            top.pending_key = key
            path = top.path + (key,)
            keys[path] = (mark.line + 1, mark.column + 1)
            return path
        else:
            key = top.pending_key
            top.pending_key = None
            path = top.path + (key,)
            if not key.startswith("\0"):
                container[key] = value
        values[path] = (mark.line + 1, mark.column + 1)
        return path

    def _key(value: Any, event: Any, top: _Frame) -> str:
        """The slot a key opens: its text, or a placeholder after reporting why not."""
        mark = event.start_mark
        key = value if isinstance(value, str) else None
        if key is None:
            if not isinstance(event, yaml.AliasEvent):  # reported as an alias
                report(mark, _not_text(value, event))
            key = f"\0invalid{len(top.seen)}"
        elif key in top.seen:
            report(
                mark,
                f"duplicate key '{key}' (first at line {top.seen[key]}); YAML would keep "
                "only the last one and silently drop the other: merge or rename them",
            )
            key = f"\0dup{len(top.seen)}:{key}"
        top.seen[key] = mark.line + 1
        return key

    scalar_event = yaml.ScalarEvent
    event: Any  # the classes are compared directly: isinstance() is slower on this hot path
    for event in yaml.parse(text, Loader=_EventLoader):
        cls = event.__class__
        if cls is scalar_event:  # by far the most frequent event
            if event.tag is not None and event.tag != "!":
                wrong = _tag_problem(event)
                if wrong is not None:
                    report(event.start_mark, wrong[0])
                    if wrong[1]:
                        return None
            if event.style == '"':
                invisible |= _scan_escapes(text, event, display, problems)
            try:
                place(_scalar(event), event)
            except ValueError:  # reported once: later stages skip the placeholder
                report(event.start_mark, _bad_value(event))
                doc.refused.add(place(None, event))
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            wrong = _tag_problem(event)
            if wrong is not None:
                report(event.start_mark, wrong[0])
                if wrong[1]:
                    return None
            if len(stack) >= MAX_DEPTH:
                report(
                    event.start_mark,
                    f"nesting deeper than {MAX_DEPTH} levels; content is never this deep — "
                    "check the indentation",
                )
                return None
            container: Any = {} if cls is yaml.MappingStartEvent else []
            stack.append(_Frame(container, place(container, event)))
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            stack.pop()
        elif cls is yaml.AliasEvent:
            if not reported_alias:
                report(
                    event.start_mark,
                    f"alias '*{event.anchor}' is not allowed: anchors and aliases are refused "
                    "in content (they can hide or multiply data); write the value out",
                )
                reported_alias = True
            doc.refused.add(place(None, event))
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                report(
                    event.start_mark,
                    "a second YAML document ('---') in one file; a content file holds one "
                    "document: move this part to its own file",
                )
                return None
    # Like one typed directly, an invisible character written as an escape makes
    # the whole file unreadable: its ids cannot be trusted to mean what they show.
    return None if invisible else root


def _parse(text: str, doc: Document, problems: Problems) -> int | None:
    """Read ``text`` into ``doc``; the 0-based line of a syntax error's entry, if one stopped it."""
    display = doc.display
    try:
        doc.data = _walk(text, doc, problems)
    except yaml.MarkedYAMLError as exc:
        doc.data = None
        syntax = describe(exc, display, text, MAX_DEPTH)
        problems.add(syntax.position, syntax.message)
        return syntax.line
    except yaml.reader.ReaderError as exc:
        doc.data = None
        problems.add(
            _position_at(text, exc.position, display),
            f"character that YAML cannot read ({_char_name(chr(exc.character))}); delete it",
        )
    except yaml.YAMLError as exc:
        doc.data = None
        problems.add(Position(display), f"YAML error: {exc}")
    return None


def parse_text(text: str, doc: Document, problems: Problems) -> None:
    """Read decoded YAML into ``doc``, whatever its shape, reporting every problem where
    it stands: no text, however malformed, raises (see tests/test_yamlfile.py).
    """
    _scan_text(text, doc.display, problems)
    if problems:
        return
    doc.text = text
    _parse(text, doc, problems)


#: At most this many syntax errors are reported per file, each entry blanked in turn.
MAX_SYNTAX_ERRORS = 20


def _read_on(text: str, doc: Document, problems: Problems, line: int | None) -> None:
    """After a syntax error, read the file again without the entry holding it.

    The rest of the file is then checked as usual, so one unclosed quote does
    not hide the other mistakes of the file; the sections that lost an entry
    are noted in ``doc.blanked`` (any id may have stood there).
    """
    for _ in range(MAX_SYNTAX_ERRORS):
        if line is None:
            return
        cut = without_entry(text, line)
        if cut is None:
            return
        text, section = cut
        doc.blanked.add(section)
        doc.values.clear()
        doc.keys.clear()
        doc.refused.clear()
        line = _parse(text, doc, problems)


def read_text(text: str, doc: Document, problems: Problems) -> None:
    """Read a decoded content file into ``doc``: a mapping of sections, or its problems."""
    display = doc.display
    _scan_text(text, display, problems)
    if problems:
        return
    doc.text = text
    line = _parse(text, doc, problems)
    if problems:
        _read_on(text, doc, problems, line)
        if not isinstance(doc.data, dict):
            doc.data = None
        return
    if doc.data is None:
        problems.add(
            Position(display), "file is empty; a content file starts with a key such as 'claims:'"
        )
    elif not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        problems.add(
            doc.at(()),
            f"expected a mapping at the top of the file (keys such as 'claims:'), found {kind}",
        )


class Kept(Protocol):
    """Where files read before are kept (:class:`~generator.content.readcache.ReadCache`)."""

    def get(self, path: Path, raw: bytes) -> Document | None: ...

    def keep(self, path: Path, raw: bytes, doc: Document) -> None: ...


def read_yaml(path: Path, display: str, cache: Kept | None = None) -> tuple[Document, Problems]:
    """Load one content file; never raises for bad content, returns its problems."""
    problems = Problems()
    doc = Document(path, display)
    start = Position(display)
    try:
        if path.is_symlink() or not path.is_file():
            problems.add(start, "not a regular file (symlinks are not followed)")
            return doc, problems
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.add(
                start,
                f"file is too large ({size / 1048576:.1f} MiB; the limit is "
                f"{MAX_BYTES // 1048576} MiB): split it into several files",
            )
            return doc, problems
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(start, f"cannot read file: {exc.strerror}")
        return doc, problems
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(
            start,
            "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
        )
        return doc, problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            Position(display, line, col),
            f"bytes that are not UTF-8 (0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
        return doc, problems
    kept = cache.get(path, raw) if cache is not None else None
    if kept is not None and kept.display == display:
        return kept, problems
    read_text(text, doc, problems)
    if cache is not None and not problems:
        cache.keep(path, raw, doc)
    return doc, problems
