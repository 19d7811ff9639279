"""Cards and pages kept from the generation before, so an edit renders only what it changed.

At 10,000 claims rendering every card is 1.2–1.4 s of an edit's rebuild,
and the pages another 1.6–2.6 s; an editor's save changes one claim. Each
card is kept with a digest of everything it is made from
(:func:`card_digest`); the next generation renders a card again only when
that digest differs. The pages are kept as one, with the digest of what they
are made from (:func:`pages_digest`): every page again, or none. The build
keeps them in ``build/cache/`` (:meth:`KeptCards.load`,
:meth:`KeptCards.save`), the preview in memory for its life; a kept card's
HTML is the card store's, read when asked for. Each record's own digests
are kept by its file's text (:meth:`KeptCards.record_digests`).

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

What the pages are made from: the same, except that of the claims and
events they take every field but the text (:data:`CARD_ONLY`). A page holds
a slot where a card stands, never its text; of a card's HTML a page depends
only on the glossary terms it links (a term is linked on its first use on
a page, cards included), so those are in the digest too, with the maps'
own inputs (their specs, the boundaries, the styles).

A card template that shows more of another claim than its summary must add
that to :func:`world_digest`; a page template that shows a record's text
must take it out of :data:`CARD_ONLY`. ``tests/test_kept_cards.py`` renders
the real content after each kind of edit both ways, kept and afresh, and
requires the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import marshal
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import markdown_it
import pydantic_core
from pydantic import BaseModel

from generator.content.factbase import FactBase
from generator.content.files import read_kept, read_kept_shards, write_kept, write_kept_shards
from generator.site.cardstore import CardShards, html_digest, manifest_digest
from generator.site.textformat import TERM_LINK_RE

__all__ = [
    "CARD_ONLY",
    "KeptCards",
    "KeptPages",
    "card_digest",
    "card_terms",
    "code_version",
    "pages_digest",
    "record_digests",
    "terms_digest",
    "world_digest",
]

#: The fact base's fields a card is not made from whole (see the module's docstring).
_PER_CARD = {"claims", "events", "_indexes"}

#: The generator's source, whose every change may change a card.
_CODE = Path(__file__).parents[1]


def code_version() -> bytes:
    """A digest of the generator's code and templates, and of what renders them: read
    once per generation (about 130 files) and handed to every digest that holds it."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.rglob("*")):
        if path.suffix in {".py", ".j2"} and "__pycache__" not in path.parts:
            h.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes())
    # pydantic-core writes the records' JSON: the digests above, and the open data's entries.
    versions = (
        sys.version, jinja2.__version__, markdown_it.__version__, marshal.version,
        pydantic_core.__version__,
    )  # fmt: skip
    h.update(repr(versions).encode())
    return h.digest()


def world_digest(
    fb: FactBase,
    as_of: dt.date,
    site_url: str,
    homes: Mapping[str, Any],
    with_pages: set[str],
    code: bytes,
) -> bytes:
    """What every card is made from besides its own record (see the module's docstring).
    ``code``: :func:`code_version`, read once per generation."""
    h = hashlib.blake2b(code, digest_size=16)
    h.update(repr((as_of, site_url, sorted(with_pages))).encode())
    _tables(h, fb)
    for ident, claim in fb.claims.items():
        home = homes.get(ident)  # a Link; its fields, not its repr (a third of the loop)
        where = "-" if home is None else f"+{home.page}\1{home.anchor or ''}"
        h.update(f"claim\0{ident}\0{claim.summary}\0{where}\0".encode())
    for ident, event in fb.events.items():
        h.update(f"event\0{ident}\0{event.title}\0".encode())
    return h.digest()


def _tables(h: Any, fb: FactBase) -> None:
    """Everything in the fact base but its claims and events, into ``h``."""
    for f in dataclasses.fields(fb):
        if f.name not in _PER_CARD:
            h.update(f.name.encode() + b"\0" + repr(getattr(fb, f.name)).encode())


#: A claim's or an event's fields that only its card shows (see the module's docstring).
CARD_ONLY = frozenset({"text"})


def record_digests(record: BaseModel) -> tuple[bytes, bytes]:
    """What the pages read of a record (every field but :data:`CARD_ONLY`) and what
    its card reads (all of it), as two digests. One dump as pydantic's JSON
    serves both: a third of ``repr``'s time."""
    h = hashlib.blake2b(record.model_dump_json(exclude=set(CARD_ONLY)).encode(), digest_size=16)
    fields = h.digest()
    for name in sorted(CARD_ONLY):
        h.update(b"\0" + str(getattr(record, name)).encode())
    return fields, h.digest()


def card_digest(world: bytes, own: bytes) -> bytes:
    """The digest a card is kept under: the world's, and its own record's whole
    (``own``, the second of :func:`record_digests`)."""
    return hashlib.blake2b(world + own, digest_size=16).digest()


def pages_digest(
    fb: FactBase,
    as_of: dt.date,
    site_url: str,
    with_pages: set[str],
    maps: str,
    fields: Mapping[str, bytes],
    code: bytes,
) -> bytes:
    """What the pages are made from before the cards (see the module's docstring).

    ``maps``: the maps' own digest; ``fields``: each card's record, by its
    key, without its card-only fields (the first of :func:`record_digests`);
    ``code``: :func:`code_version`.
    """
    h = hashlib.blake2b(code, digest_size=16)
    h.update(repr((as_of, site_url, sorted(with_pages), maps)).encode())
    _tables(h, fb)
    for key, record in fields.items():
        h.update(key.encode() + b"\0" + record + b"\0")
    return h.digest()


def card_terms(html: str) -> tuple[str, ...]:
    """The glossary terms a card links, in order: all a page takes of a card's HTML
    besides its slot. Kept with the card, so its HTML need not be read for them."""
    return tuple(TERM_LINK_RE.findall(html)) if "wcw-term" in html else ()


def terms_digest(terms: Mapping[str, tuple[str, ...]]) -> bytes:
    """Each card's :func:`card_terms`, by its key, as one digest (what the pages take
    of the cards)."""
    h = hashlib.blake2b(digest_size=16)
    for key, linked in terms.items():
        h.update(key.encode() + b"\0" + "\0".join(linked).encode() + b"\1")
    return h.digest()


@dataclasses.dataclass(frozen=True)
class KeptPages:
    """Every page's Markdown as one generation wrote it, and what else it made of them."""

    made_from: bytes  # pages_digest
    terms: bytes  # terms_digest of the cards they were rendered with
    homes: dict[str, tuple[str, str | None]]  # each claim's card's page and anchor
    files: dict[str, bytes]  # docs-relative path → bytes
    blocks: dict[str, str]  # the templates' blocks the pages hold (see slots)


class KeptCards:
    """What each card was made from, by its slot's key, with its HTML's digest and the
    terms it links; its HTML is the card store's (:mod:`~generator.site.cardstore`).

    :meth:`served` serves a kept card whose digest still matches, :meth:`made`
    keeps the others as rendered; :meth:`turn` then makes this generation's
    cards the kept ones, so a card no longer rendered (a claim removed) is dropped.
    A served card's HTML is read from the store when first asked for
    (:meth:`html`): an edit reads the shard of the card it changed, not the
    31 MB of cards at 10,000 claims, and the HTML is not kept twice on disk.
    The store is the one this generation's cards were written to
    (:meth:`stored`); cards kept beside another store are not served.
    """

    def __init__(
        self,
        kept: dict[str, tuple[bytes, bytes, tuple[str, ...]]] | None = None,
        pages: KeptPages | None = None,
        files: dict[str, tuple[bytes, dict[str, tuple[bytes, bytes]]]] | None = None,
        store: tuple[str, bytes] | None = None,
    ) -> None:
        # By key: (what the card was made from, its HTML's digest, the terms it links).
        self._kept = kept or {}
        # Each content file's records' digests (record_digests), by the file's display
        # path: (a digest of its text, {record's key: its digests}).
        self._files = files or {}
        self._files_unsaved = files is None
        self._made: dict[str, tuple[bytes, bytes, tuple[str, ...]]] = {}
        self._pages = pages
        # The store the kept cards' HTML is in: its folder and manifest_digest.
        self._store = store
        self._store_unsaved = False
        self._shards: CardShards | None = None  # the store, read as cards are asked for
        self.rendered = 0  # cards this generation rendered, not served
        self.dumped = 0  # records whose digests this generation made, not served
        self.pages_rendered = False  # whether this generation rendered the pages
        # The keys whose card was rendered or dropped since the cards were loaded
        # (None: every key, as when nothing could be loaded): what save() writes.
        self._unsaved: set[str] | None = None if kept is None else set()
        self._pages_unsaved = pages is None
        self._checked = False  # whether this generation found the store as it was left

    def _check_store(self) -> None:
        """Serve no card unless the store holds the HTML the kept cards were made as (a
        build stopped between the two, or another process's build, changed it)."""
        self._checked = True
        if self._kept and (self._store is None or
                           manifest_digest(Path(self._store[0])) != self._store[1]):  # fmt: skip
            self._kept, self._unsaved = {}, None

    def record_digests(
        self, records: Iterable[Any], key: Callable[[Any], str], code: bytes
    ) -> dict[str, tuple[bytes, bytes]]:
        """Each record's :func:`record_digests`, by its ``key``.

        A record is made from its file alone, so the digests of a file's
        records are kept by the file's text and served while it is the same:
        an edit dumps the records of the file it changed, not all 10,000
        (0.07 s). A record that names no file is always dumped. ``code``:
        :func:`code_version`, which a record's digests depend on too.
        """
        files: dict[str, tuple[bytes, dict[str, tuple[bytes, bytes]]]] = {}
        out = {}
        for record in records:
            doc = record._doc
            entry = files.get(doc.display) if doc is not None else None
            if doc is not None and entry is None:
                text = hashlib.blake2b(code + doc.text.encode(), digest_size=16).digest()
                kept = self._files.get(doc.display)
                entry = files[doc.display] = kept if kept and kept[0] == text else (text, {})
            ident = key(record)
            digests = entry[1].get(ident) if entry is not None else None
            if digests is None:
                digests = record_digests(record)
                self.dumped += 1
                if entry is not None:
                    entry[1][ident] = digests
                    self._files_unsaved = True
            out[ident] = digests
        if files.keys() != self._files.keys():
            self._files_unsaved = True
        self._files = files
        return out

    def served(self, key: str, digest: bytes) -> tuple[bytes, tuple[str, ...]] | None:
        """The digest and terms of the card kept under ``key``, if it was made from what
        ``digest`` digests: then it is this generation's too (its HTML: :meth:`html`)."""
        if not self._checked:
            self._check_store()
        kept = self._kept.get(key)
        if kept is None or kept[0] != digest:
            return None
        self._made[key] = kept
        return kept[1], kept[2]

    def html(self, key: str) -> str:
        """The HTML of a card :meth:`served`, as the store holds it."""
        if self._shards is None:
            assert self._store is not None  # served cards were checked against it
            self._shards = CardShards(Path(self._store[0]))
        return self._shards[key]

    def made(self, key: str, digest: bytes, html: str) -> tuple[bytes, tuple[str, ...]]:
        """Keep ``html``'s digest and terms, the card this generation rendered for
        ``key``, under ``digest``; they are returned."""
        self.rendered += 1
        if self._unsaved is not None:
            self._unsaved.add(key)
        self._made[key] = (digest, html_digest(html), card_terms(html))
        return self._made[key][1], self._made[key][2]

    def turn(self) -> None:
        """This generation's cards become the kept ones."""
        if self._unsaved is not None:
            self._unsaved.update(self._kept.keys() - self._made.keys())
        self._kept, self._made = self._made, {}
        self._checked = False

    def stored(self, folder: Path, digest: bytes) -> None:
        """This generation's cards are in the store in ``folder`` now, whose
        :func:`~generator.site.cardstore.manifest_digest` is ``digest``."""
        self._store, self._shards = (str(folder), digest), None
        self._store_unsaved = True

    def pages(self, made_from: bytes) -> KeptPages | None:
        """The pages kept, if they were made from what ``made_from`` digests."""
        pages = self._pages
        return pages if pages is not None and pages.made_from == made_from else None

    def keep_pages(self, pages: KeptPages) -> None:
        """This generation rendered the pages: they are the kept ones now."""
        self._pages = pages
        self.pages_rendered = True
        self._pages_unsaved = True

    @classmethod
    def load(cls, folder: Path) -> KeptCards:
        """The cards the last build kept in ``folder``; none if it is missing or damaged.

        marshal data, as :class:`~generator.content.readcache.ReadCache`
        keeps: plain values, no code named. Another Python's file fails the
        digests (they hold Python's version) or the load, and is not used.
        The cards are kept in shards, so that an edit writes again only the
        shard of the card it changed, and the pages apart from them.
        """
        cards = read_kept_shards(folder, _FORMAT)
        pages = read_kept(folder / _PAGES, _FORMAT)
        files = read_kept(folder / _RECORDS, _FORMAT)
        store = read_kept(folder / _STORE, _FORMAT)
        return cls(
            cards,
            KeptPages(*pages) if isinstance(pages, tuple) else None,
            files if isinstance(files, dict) else None,
            store if isinstance(store, tuple) else None,
        )

    def save(self, folder: Path) -> None:
        """Keep the cards and pages in ``folder`` (see :meth:`load`): the shards of the
        cards rendered or dropped since, and the pages if they were rendered."""
        write_kept_shards(folder, _FORMAT, self._kept, self._unsaved)
        self._unsaved = set()
        if self._pages_unsaved and (p := self._pages) is not None:
            pages = (p.made_from, p.terms, p.homes, p.files, p.blocks)
            write_kept(folder / _PAGES, _FORMAT, pages)
            self._pages_unsaved = False
        if self._files_unsaved:
            write_kept(folder / _RECORDS, _FORMAT, self._files)
            self._files_unsaved = False
        if self._store_unsaved and self._store is not None:
            write_kept(folder / _STORE, _FORMAT, self._store)
            self._store_unsaved = False


#: In the kept folder, beside the cards' shards: the pages, the records' digests, and
#: which store holds the cards' HTML.
_PAGES, _RECORDS, _STORE = "pages.marshal", "records.marshal", "store.marshal"

_FORMAT = "kept-cards-6"
