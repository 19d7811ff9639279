"""What Pagefind reads: a copy of each searched page, and a record for each name.

Each page is copied from its searched element on, with its own cards only
and a space at every block boundary (:func:`searchable_copy`); each name
and alias a page marks gets a short page of its own that ranks first for it
(:class:`NameRecord`). The copies are kept under ``build/`` and made again
only for the pages that changed, in the parts of the index they belong to
(:func:`part_of`); :mod:`generator.build.search` indexes them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from generator.build import stamps
from generator.build.worker import PAGES_BESIDE, beside
from generator.content.beside import in_halves
from generator.content.files import write_atomic
from generator.site import slots as slots_module
from generator.site.slots import Slot, has_slots, replace_slots

#: Pagefind separates words only at the few elements it knows as blocks (p,
#: li, td, div, headings…): ``<dt>Also written</dt><dd>Zaporozhye</dd>`` would
#: be indexed as one word "writtenzaporozhye". The copy it reads gets a space
#: before every start or end tag of these; what readers get is unchanged.
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:address|article|aside|blockquote|br|caption|dd|details|dialog|div|dl|dt|"
    r"fieldset|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|"
    r"summary|table|tbody|td|tfoot|th|thead|tr|ul)\b)",
    re.IGNORECASE,
)


def indexed_text(html: str) -> str:
    """The page as Pagefind reads it: block boundaries are word boundaries."""
    return _BLOCK_TAG.sub(" <", html)  # a plain replacement: no template to expand per tag


#: An element the templates mark with the names it is about (content's name
#: and aliases, as JSON): ``data-wcw-names='["Steve Witkoff", "Witko"]'``.
_NAMED = re.compile(r"<[a-zA-Z][^>]*\sdata-wcw-names='([^']*)'[^>]*>")
_ID = re.compile(r'\sid="([^"]*)"')
_AT = re.compile(r'\sdata-wcw-at="([^"]*)"')
_TITLE = re.compile(r'data-pagefind-meta="title:([^"]*)"')


#: Where the name records go in the copy Pagefind reads (their URLs are the
#: pages', set by ``data-pagefind-meta="url:…"``).
NAMES_FOLDER = "wcw-names"


@dataclass(frozen=True)
class NameRecord:
    """One thing a reader may type the name of, and the place the site is about it.

    A page long enough to cover many things (People) ranks low for any one of
    them, and a page that only mentions a name many times ranks high; so each
    name gets a short record of its own, which ranks first for it and for
    every other spelling of it, and sends the reader to its page or entry.
    Its words weigh the most Pagefind allows (10), so a page that repeats a
    name on fifty cards (10,000 claims) still ranks below it.
    """

    names: tuple[str, ...]  # the name the site writes, then the other spellings
    url: str  # root-relative, as Pagefind writes page URLs: /people/#actor-steve-witkoff
    where: str  # the title of the page it is on

    def html(self) -> str:
        title, others = self.names[0], self.names[1:]
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            f'<meta data-pagefind-meta="where[content]" content="{escape(self.where)}">'
            f'<meta data-pagefind-meta="also[content]" content="{escape(", ".join(others))}">'
            f'</head><body><main data-pagefind-body data-pagefind-meta="url:{escape(self.url)}">'
            f'<h1 data-pagefind-weight="10">{escape(title)}</h1>'
            f'<p data-pagefind-weight="10">{escape(" ".join(self.names))}</p></main></body></html>'
        )


def page_url(relative: str) -> str:
    """The URL Pagefind gives the page at ``relative`` (``people/index.html`` → ``/people/``)."""
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def name_records(relative: str, html: str) -> list[NameRecord]:
    """The records of the named elements on one page: each element's own anchor if it
    has an id (an entry, a row), the anchor it names in ``data-wcw-at`` (a section
    whose id is on its heading), else the page."""
    title = _TITLE.search(html)
    where = unescape(title.group(1)) if title else ""
    records = []
    for tag in _NAMED.finditer(html):
        names = tuple(str(n) for n in json.loads(unescape(tag.group(1))) if str(n).strip())
        if not names:
            continue
        anchor = _ID.search(tag.group(0)) or _AT.search(tag.group(0))
        url = page_url(relative) + (f"#{unescape(anchor.group(1))}" if anchor else "")
        records.append(NameRecord(names, url, where))
    return records


_PERMALINK = re.compile(r'<a class="wcw-permalink" href="([^"]*)"')


def own_cards_only(html: str, url: str) -> str:
    """The page without the cards whose permanent home is another page.

    A claim's card stands on its group's page and again on each region,
    person and source page it concerns: five copies of its words in the
    index, five results for one claim, and five times the text to index
    (87 MB of pages at 10,000 claims). A card's "#" permalink names its
    home; a search finds the card there, and the other pages by their own
    words and their name records.
    """

    def keep(slot: Slot) -> str:
        body = slot.card or ""
        if has_slots(body):  # a block: the cards in it, each by its own home
            return own_cards_only(body, url)
        link = _PERMALINK.search(body)
        if link is None:
            return slot.text(html)
        home = urlsplit(urljoin(url, unescape(link.group(1)))).path
        return slot.text(html) if home == url else ""

    return replace_slots(html, keep)


#: In a kept copy folder, what each copy was made from (see searchable_copy).
MANIFEST = "wcw-copied.marshal"
#: A copy made by other code is made again: the copy's rules live in these files.
COPY_CODE = hashlib.sha256(
    Path(__file__).read_bytes() + Path(slots_module.__file__ or "").read_bytes()
).hexdigest()

#: The site's HTML per part of the index, and the most parts. Pagefind
#: cannot add to an index: one run reads every page (34 MB of text at 10,000
#: claims, 2.6 s), and its time follows the words it reads. An edit changes
#: the text of one or two pages, so in a large site only their parts are
#: indexed again (at 10,000 claims 12 parts of about 2.5 MB of text: 0.25 s
#: for one, where 7 parts took 0.45 s). The search merges the parts in the
#: reader's browser (Pagefind's ``mergeIndex``), which adds three small files
#: per part to each query: at 10,000 claims one word fetches 160 kB in all,
#: two 253 kB, three 287 kB; 16 parts would pass 300 kB at three. That fits
#: because the search runs in the page, not in a web worker that fetches a
#: second copy of Pagefind's code (41 kB; see ``noWorker`` in wcw-search.js).
#: A word ranks by how rare it is in its own part, so a site small enough to
#: index at once (today's, 2.9 MB of HTML) stays one index, ranked as one.
PART_BYTES, MOST_PARTS = 5_000_000, 12


def part_count(html_bytes: int, part_bytes: int = PART_BYTES) -> int:
    """How many parts the pages of a site with ``html_bytes`` of HTML are indexed in."""
    return max(1, min(MOST_PARTS, html_bytes // part_bytes))


def part_of(relative: str, count: int) -> int:
    """The part a copy is indexed in when the pages are in ``count`` parts: each
    page by its path, where it stays from build to build, and the name records
    in a part of their own, 0.

    A name's record among the other records ranks above the pages that
    mention the name ("Zaporizhzhia" finds its region, not the 25th page of
    its claims), as it does in one index; mixed in with the pages it would not.
    """
    if count == 1 or relative.startswith(NAMES_FOLDER + "/"):
        return 0
    return 1 + int.from_bytes(hashlib.sha256(relative.encode("utf-8")).digest()[:4], "big") % count


def part_folder(part: int) -> str:
    return f"part-{part}"


@dataclass(frozen=True)
class Copies:
    """What :func:`searchable_copy` made: the pages it will index, and per part a
    digest of the copies in it (a part whose digest is the one its index was
    made from need not be indexed again)."""

    pages: int
    parts: dict[int, str]


def searchable_copy(site: Path, into: Path, part_bytes: int = PART_BYTES) -> Copies:
    """The pages marked for search (``data-pagefind-body``), as :func:`indexed_text`
    of :func:`own_cards_only`, at their paths under ``into/part-N`` (see
    :func:`part_of`; :func:`part_count` parts of ``part_bytes`` each), and a
    record for each name they mark.

    ``into`` may be kept from the last run (the build and the preview keep
    theirs under ``build/``): a page whose size and time are those it had
    when it was copied is not read again. After an edit at 10,000 claims
    that is a handful of pages of 500, not 62 MB of HTML. Without a manifest
    it can trust (or when the site has grown into more parts), the folder is
    emptied and every page copied again.
    """
    now = stamps.files(site, ".html")
    count = part_count(sum(size for size, _ in now.values()), part_bytes)
    version = f"{COPY_CODE} {count}"
    before: dict[str, Any] = stamps.load(into / MANIFEST, version)
    if not before:
        shutil.rmtree(into, ignore_errors=True)
    kept: dict[str, Any] = {}
    for relative in now:
        made = before.get(relative)
        copy = into / part_folder(part_of(relative, count)) / relative
        if made and made["stamp"] == now[relative] and (made["names"] is None or copy.exists()):
            kept[relative] = made
    todo = [relative for relative in now if relative not in kept]
    copied = in_halves(beside, _copy_pages, todo, site, into, count, now, at_least=PAGES_BESIDE)
    after = {relative: kept.get(relative) or copied[relative] for relative in now}
    records = [
        NameRecord(tuple(r[0]), r[1], r[2]) for made in after.values() for r in made["names"] or ()
    ]
    for gone in before.keys() - after.keys():
        (into / part_folder(part_of(gone, count)) / gone).unlink(missing_ok=True)
    contents = {r: made["hash"] for r, made in after.items() if made["names"] is not None}
    contents.update(_write_name_records(into / part_folder(0) / NAMES_FOLDER, records))
    stamps.save(into / MANIFEST, version, after)
    parts: dict[int, list[str]] = {}
    for relative in sorted(contents):
        parts.setdefault(part_of(relative, count), []).append(f"{relative} {contents[relative]}")
    digests = {part: text_digest("\n".join(lines)) for part, lines in sorted(parts.items())}
    return Copies(sum(1 for made in after.values() if made["names"] is not None), digests)


def text_digest(text: str) -> str:
    """The hex digest that names and compares the copies."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write_name_records(folder: Path, records: list[NameRecord]) -> dict[str, str]:
    """Each name record as a file in ``folder`` named by its contents: a name
    added or removed changes one file, not every record after it. The records
    by path (as :func:`part_of` takes it), with their digests."""
    written: dict[str, str] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        html = record.html()
        digest = text_digest(html)
        name = f"{digest[:20]}.html"
        written[f"{NAMES_FOLDER}/{name}"] = digest
        if not (folder / name).exists():  # written whole or not at all: its name is its digest
            write_atomic(folder / name, html.encode("utf-8"))
    for old in folder.glob("*.html"):
        if f"{NAMES_FOLDER}/{old.name}" not in written:
            old.unlink()
    return written


#: The element the theme marks as the page's text (partials/content.html).
_BODY = re.compile(r"<[a-z]+ data-pagefind-body[\s>]")
_BARE_HEAD = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'


def _from_body(html: str) -> str:
    """The page from its searched element on: the header, the navigation and the
    table of contents before it are a third of a page at 10,000 claims, all
    read by Pagefind only to be skipped."""
    body = _BODY.search(html)
    return _BARE_HEAD + html[body.start() :] if body else html


def _copy_pages(
    relatives: list[str], site: Path, into: Path, count: int, now: dict[str, list[int]]
) -> dict[str, dict[str, Any]]:
    """:func:`_copy_page` for each page, with the stamp it had, by its path."""
    done = {}
    for relative in relatives:
        copy = into / part_folder(part_of(relative, count)) / relative
        done[relative] = {"stamp": now[relative], **_copy_page(site / relative, relative, copy)}
    return done


def _copy_page(path: Path, relative: str, copy: Path) -> dict[str, Any]:
    """Write one page's copy: its name records (None for a page search skips)
    and the digest of what was written."""
    html = path.read_text(encoding="utf-8")
    if "data-pagefind-body" not in html:
        copy.unlink(missing_ok=True)
        return {"names": None, "hash": ""}
    text = indexed_text(own_cards_only(_from_body(html), page_url(relative)))
    write_atomic(copy, text.encode("utf-8"))
    names = [[list(r.names), r.url, r.where] for r in name_records(relative, html)]
    return {"names": names, "hash": text_digest(text)}
