"""The files whose records the per-record checks must read again: those an edit changed.

At 10,000 claims the editorial rules, the verbatim look-ups, the region
guard and the references walk every record: 0.5 s of work over two cores, 0.2 s of an edit's
rebuild on the critical path, for a save that changed one file of 80. Each
of those checks reports on a record from that record and the *world* alone
(:func:`world`): the tables that are not claims or events, whole; the ids
of every claim and event; the articles' texts; what failed its schema; and
the content code. So a file whose records passed them all
once passes again while its text and the world are the same, and is left
out (:class:`Scope`). A file with a problem from them is never kept: its
records are checked, and its problems reported, every time. An edit to the
world (a source, an actor, a region, an article, a new or removed id)
checks every file again.

A reference from a claim or an event to another record reads only the
other's id, which is in the world, so it is scoped too. A check that reads
other claims or events than the one it reports on (a reference cycle, a
dispute between two accounts, one label against another) is not, and runs
over everything every time (:data:`~generator.content.rules.ACROSS`).

The files' verdicts are kept with the others, in
:class:`~generator.content.verdicts.Verdicts`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.quotes import SourceText
from generator.content.verdicts import Verdicts, digest

__all__ = ["EVERYTHING", "Scope", "world"]


def _content_code() -> bytes:
    """Every check's code, and the model's: a change to any checks every file again."""
    h = hashlib.blake2b(digest_size=16)
    here = Path(__file__).parent
    for path in sorted(here.rglob("*.py")):
        h.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return h.digest()


_CODE = _content_code()

#: The tables a per-record check may read whole (every one but the claims and events).
WHOLE = ("sources", "actors", "regions", "deadlines", "proposals", "framings", "glossary", "briefs")


class World(Protocol):
    """What :func:`world` reads: the fact base, with the articles' texts."""

    claims: dict[str, m.Claim]
    events: dict[str, m.Event]
    texts: dict[str, SourceText]


def world(fb: World, failed: Iterable[Any] = ()) -> bytes:
    """A digest of all a per-record check reads besides its own record (see the module's
    docstring). ``failed``: what is known of the records that failed their schema
    (their ids), which decides whether a reference to one is reported."""
    h = hashlib.blake2b(_CODE, digest_size=20)
    for name in WHOLE:
        h.update(name.encode() + b"\0" + repr(getattr(fb, name)).encode() + b"\0")
    h.update(repr((list(fb.claims), list(fb.events))).encode())
    for ident, text in sorted(fb.texts.items()):
        h.update(ident.encode() + b"\0" + text.key)
    h.update(repr(list(failed)).encode())
    return h.digest()


class Scope:
    """Which records the per-record checks read: those of the files not passed before.

    Made once the world is known (:meth:`of`); after the checks,
    :meth:`keep` keeps the files they found nothing in. A record that names
    no file (none does, but a record made in a test) is always checked.
    """

    def __init__(
        self, skipped: Iterable[Any] = (), keys: dict[int, tuple[Any, bytes]] | None = None
    ):
        self._skipped = {id(doc) for doc in skipped}
        self._keys = keys or {}  # id(doc) → (doc, its key): the files checked in this run

    @classmethod
    def of(cls, records: Iterable[m.Record], world: bytes, verdicts: Verdicts) -> Scope:
        docs: dict[int, Any] = {}
        for record in records:
            doc = record._doc
            if doc is not None:
                docs.setdefault(id(doc), doc)
        skipped, keys = [], {}
        for ident, doc in docs.items():
            key = digest("file checks", world, doc.display, doc.text)
            if verdicts.holds(key):
                skipped.append(doc)
            else:
                keys[ident] = (doc, key)
        if skipped:
            verdicts.carry_unasked()  # the passages of the files left out still hold
        return cls(skipped, keys)

    def __contains__(self, record: m.Record) -> bool:
        return id(record._doc) not in self._skipped

    def only(self, records: Iterable[Any]) -> Iterator[Any]:
        """The records of ``records`` in this scope."""
        skipped = self._skipped
        if not skipped:
            yield from records
            return
        for record in records:
            if id(record._doc) not in skipped:
                yield record

    @property
    def files_left_out(self) -> int:
        return len(self._skipped)

    def keep(self, verdicts: Verdicts, found: Problems) -> None:
        """Keep the files checked in this run that ``found`` (the scoped checks'
        problems, warnings too) holds nothing of. None is kept if a problem
        stands in a file that was not checked: a check read across files."""
        files = {doc.display for doc, _key in self._keys.values()}
        if any(problem.position.file not in files for problem in found.items):
            return
        blamed = {problem.position.file for problem in found.items}
        for doc, key in self._keys.values():
            if doc.display not in blamed:
                verdicts.add(key)


#: Every record: what a check outside of any scope (a test, a single rule) reads.
EVERYTHING = Scope()
