"""Cards kept from the generation before, so an edit renders only the cards it changed.

At 10,000 claims rendering every card is 1.2–1.4 s of an edit's rebuild,
and an editor's save changes one claim. Each card is kept with a digest of
everything it is made from (:func:`card_digest`); the next generation
renders a card again only when that digest differs. The build keeps them in
``build/cache/`` (:meth:`KeptCards.load`, :meth:`KeptCards.save`), the
preview in memory for its life.

What a card is made from, and so what the digest covers:

- its own record, every field of the checked Claim or Event;
- everything in the fact base that is not a claim or an event (sources,
  actors, regions, glossary…), whole;
- of the other claims and events, what a card may show of them: their ids,
  a claim's summary and an event's title (``responds_to`` and ``{claim:ID}``
  name another claim by its summary), and the page each claim lives on;
- the regions that have a page, the as-of date and the site's address;
- the generator's own code and templates, and the versions of Python,
  Jinja and the Markdown renderer.

A card template that shows more of another claim than its summary must add
that to :func:`world_digest`. ``tests/test_kept_cards.py`` renders the real
content after each kind of edit both ways, kept and afresh, and requires the
same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import marshal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import markdown_it
from pydantic import BaseModel

from generator.content.factbase import FactBase
from generator.content.files import read_kept, write_kept

__all__ = ["KeptCards", "card_digest", "world_digest"]

#: The fact base's fields a card is not made from whole (see the module's docstring).
_PER_CARD = {"claims", "events", "_indexes"}

#: The generator's source, whose every change may change a card.
_CODE = Path(__file__).parents[1]


def _code_version() -> bytes:
    """A digest of the generator's code and templates, and of what renders them."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.rglob("*")):
        if path.suffix in {".py", ".j2"} and "__pycache__" not in path.parts:
            h.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes())
    versions = (sys.version, jinja2.__version__, markdown_it.__version__, marshal.version)
    h.update(repr(versions).encode())
    return h.digest()


def world_digest(
    fb: FactBase,
    as_of: dt.date,
    site_url: str,
    homes: Mapping[str, Any],
    with_pages: set[str],
) -> bytes:
    """What every card is made from besides its own record (see the module's docstring)."""
    h = hashlib.blake2b(_code_version(), digest_size=16)
    h.update(repr((as_of, site_url, sorted(with_pages))).encode())
    for f in dataclasses.fields(fb):
        if f.name not in _PER_CARD:
            h.update(f.name.encode() + b"\0" + repr(getattr(fb, f.name)).encode())
    for ident, claim in fb.claims.items():
        h.update(f"claim\0{ident}\0{claim.summary}\0{homes.get(ident)!r}\0".encode())
    for ident, event in fb.events.items():
        h.update(f"event\0{ident}\0{event.title}\0".encode())
    return h.digest()


def card_digest(world: bytes, record: BaseModel) -> bytes:
    """The digest a card is kept under: the world's and its own record's, every field
    (pydantic's JSON of it: a third of ``repr``'s time, 0.12 s at 10,000 claims)."""
    return hashlib.blake2b(world + record.model_dump_json().encode(), digest_size=16).digest()


class KeptCards:
    """Each card's HTML by its slot's key, with the digest of what it was made from.

    :meth:`card` serves a kept card whose digest still matches and renders
    the others; :meth:`turn` then makes this generation's cards the kept
    ones, so a card no longer rendered (a claim removed) is dropped.
    """

    def __init__(self, kept: dict[str, tuple[bytes, str]] | None = None) -> None:
        self._kept = kept or {}
        self._made: dict[str, tuple[bytes, str]] = {}
        self.rendered = 0  # cards this generation rendered, not served

    def card(self, key: str, digest: bytes, render: Callable[[], str]) -> str:
        kept = self._kept.get(key)
        if kept is not None and kept[0] == digest:
            html = kept[1]
        else:
            html = render()
            self.rendered += 1
        self._made[key] = (digest, html)
        return html

    def turn(self) -> None:
        """This generation's cards become the kept ones."""
        self._kept, self._made = self._made, {}

    @classmethod
    def load(cls, file: Path) -> KeptCards:
        """The cards the last build kept in ``file``; none if it is missing or damaged.

        marshal data, as :class:`~generator.content.readcache.ReadCache`
        keeps: plain values, no code named. Another Python's file fails the
        digests (they hold Python's version) or the load, and is not used.
        """
        kept = read_kept(file, _FORMAT)
        return cls(kept) if isinstance(kept, dict) else cls()

    def save(self, file: Path) -> None:
        write_kept(file, _FORMAT, self._kept)


_FORMAT = "kept-cards-1"
