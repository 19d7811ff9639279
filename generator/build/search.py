"""The site search: a Pagefind index of every page's text, written into the site.

One lunr index of the whole site grows with it (20 MB at 10,000 claims, all
downloaded before the first result). Pagefind splits its index into chunks
and one compressed fragment per page, so a query fetches only the words and
the pages it shows. It runs after the engine, on the HTML readers get, for
every engine alike (``build`` and ``postbuild``), and in the preview after
each rebuild. What it reads is marked in the theme
(``generator/theme/partials/content.html``: the page's text, not the header,
navigation or footer); the header's search box is
``generator/theme/partials/search.html`` with ``generator/assets/wcw-search.js``.
Nothing is fetched: the binary comes with the ``pagefind[bin]`` package.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from generator.build import stamps
from generator.build.errors import BuildError
from generator.build.swap import staging_folder, swap_into_place
from generator.site import slots as slots_module
from generator.site.slots import Slot, has_slots, replace_slots

#: The index's folder inside the site; the header's script loads ``pagefind.js`` from it.
FOLDER = "pagefind"

#: Inside the indexed text, what is not the page's own words: the headings'
#: "¶" and the cards' "#" permalinks, and the URL printed on paper.
EXCLUDED = (".headerlink", ".wcw-permalink", ".wcw-print-only")

#: Pagefind's ready-made interfaces, which the site does not load (its
#: search box is its own script over ``pagefind.js``), and the search code for
#: pages of no known language (every page is indexed as English): not published.
UNUSED = (
    "wasm.unknown.pagefind",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


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

#: The folders under ``build/`` where the build and the preview keep the
#: copies Pagefind reads (:func:`searchable_copy`).
KEPT_FOR_BUILD, KEPT_FOR_PREVIEW = "search-pages", "search-pages-preview"

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
MANIFEST = "wcw-copied.json"
#: A copy made by other code is made again: the copy's rules live in these files.
_COPY_CODE = hashlib.sha256(
    Path(__file__).read_bytes() + Path(slots_module.__file__ or "").read_bytes()
).hexdigest()


def searchable_copy(site: Path, into: Path) -> int:
    """The pages marked for search (``data-pagefind-body``), as :func:`indexed_text`
    of :func:`own_cards_only`, at their paths under ``into``, and a record for
    each name they mark; how many pages there are.

    ``into`` may be kept from the last run (the build and the preview keep
    theirs under ``build/``): a page whose size and time are those it had
    when it was copied is not read again. After an edit at 10,000 claims
    that is a handful of pages of 500, not 62 MB of HTML.
    """
    before: dict[str, Any] = stamps.load(into / MANIFEST, _COPY_CODE)
    after: dict[str, Any] = {}
    records: list[NameRecord] = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        now = stamps.stamp(path)
        made = before.get(relative)
        copy = into / relative
        if not (made and made.get("stamp") == now and (made["names"] is None or copy.exists())):
            made = {"stamp": now, "names": _copy_page(path, relative, copy)}
        after[relative] = made
        records += [NameRecord(tuple(r[0]), r[1], r[2]) for r in made["names"] or ()]
    for gone in before.keys() - after.keys():
        (into / gone).unlink(missing_ok=True)
    shutil.rmtree(into / NAMES_FOLDER, ignore_errors=True)
    if records:
        (into / NAMES_FOLDER).mkdir(parents=True)
    for number, record in enumerate(records):
        (into / NAMES_FOLDER / f"{number}.html").write_text(record.html(), encoding="utf-8")
    stamps.save(into / MANIFEST, _COPY_CODE, after)
    return sum(1 for made in after.values() if made["names"] is not None)


#: The element the theme marks as the page's text (partials/content.html).
_BODY = re.compile(r"<[a-z]+ data-pagefind-body[\s>]")
_BARE_HEAD = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'


def _from_body(html: str) -> str:
    """The page from its searched element on: the header, the navigation and the
    table of contents before it are a third of a page at 10,000 claims, all
    read by Pagefind only to be skipped."""
    body = _BODY.search(html)
    return _BARE_HEAD + html[body.start() :] if body else html


def _copy_page(path: Path, relative: str, copy: Path) -> list[list[Any]] | None:
    """Write one page's copy; its name records, or None for a page search skips."""
    html = path.read_text(encoding="utf-8")
    if "data-pagefind-body" not in html:
        copy.unlink(missing_ok=True)
        return None
    copy.parent.mkdir(parents=True, exist_ok=True)
    text = own_cards_only(_from_body(html), page_url(relative))
    copy.write_text(indexed_text(text), encoding="utf-8")
    return [[list(r.names), r.url, r.where] for r in name_records(relative, html)]


@dataclass(frozen=True)
class SearchIndex:
    """What one indexing run wrote: for the build's summary and the benchmarks."""

    folder: Path
    pages: int
    bytes: int
    seconds: float


def pagefind_command(site: Path, output: Path) -> list[str]:
    """The Pagefind run over ``site``'s HTML, writing the index to ``output``."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--exclude-selectors",
        ", ".join(EXCLUDED),
        "--force-language",
        "en",
        "--quiet",
    ]


def _run_pagefind(site: Path, output: Path, kept: Path | None, yielding: bool) -> None:
    try:
        with tempfile.TemporaryDirectory(prefix="wcw-search-") as scratch:
            pages = kept or Path(scratch)
            pages.mkdir(parents=True, exist_ok=True)
            searchable_copy(site, pages)
            command = pagefind_command(pages, output)
            nice = shutil.which("nice") if yielding else None
            if nice:  # Pagefind uses every core; the rebuild beside it goes first
                command = [nice, "-n", "10", *command]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:  # no interpreter to run it with: the environment, not the content
        raise BuildError(f"the site search could not be indexed: {exc}") from None
    if done.returncode != 0 or not (output / "pagefind.js").is_file():
        said = (done.stderr or done.stdout).strip()
        if "No module named pagefind" in said or "Could not find pagefind binary" in said:
            said = "Pagefind is not installed; run 'make site' (it installs requirements/)"
        raise BuildError(f"the site search could not be indexed: {said}")
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)


def index_site(site: Path, kept: Path | None = None, yielding: bool = False) -> SearchIndex:
    """Index ``site`` into ``site/pagefind``, replacing an older index in one step.

    The new index is written beside the old one and swapped in, so a reader
    of the preview (which re-indexes a site it is serving) never meets half
    of one. ``kept``: a folder for the pages' searchable copies that outlives
    the run (see :func:`searchable_copy`); one per site that is indexed.
    ``yielding``: run Pagefind at a lower priority, behind whatever else runs
    (the preview's next rebuild).
    """
    started = time.perf_counter()
    target = site / FOLDER
    staging = staging_folder(target)
    try:
        _run_pagefind(site, staging, kept, yielding)
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    entry = json.loads((target / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return SearchIndex(target, pages, size, time.perf_counter() - started)


@dataclass(frozen=True)
class IndexedPage:
    """One record of a written index, as a reader's search gets it."""

    url: str  # where the result sends the reader (a name record's own place)
    title: str
    content: str  # the words Pagefind indexed, which its excerpts quote
    meta: dict[str, str]


#: What every Pagefind fragment starts with, once gunzipped.
_FRAGMENT_SIGNATURE = b"pagefind_dcd"


def indexed_pages(folder: Path) -> list[IndexedPage]:
    """Every record of the index in ``folder`` (``site/pagefind``), read from its
    fragments: what search can show a reader, for tests and benchmarks."""
    pages = []
    for path in sorted((folder / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(_FRAGMENT_SIGNATURE):
            raise ValueError(f"{path}: not a Pagefind fragment")
        data = json.loads(raw[len(_FRAGMENT_SIGNATURE) :])
        meta = {str(k): str(v) for k, v in data.get("meta", {}).items()}
        pages.append(IndexedPage(meta.get("url", data["url"]), meta.get("title", ""),
                                 data["content"], meta))  # fmt: skip
    return pages


class BackgroundIndex:
    """The preview's search index, rebuilt after each rebuild without delaying it.

    A save must show in the browser as fast as the page can be rendered; the
    index follows a moment later (a fraction of a second on today's content,
    seconds at 10,000 claims). Requests made while a run is under way are
    gathered into one more run, so the index always ends up matching the last
    build. ``say`` reports a run that failed.
    """

    def __init__(self, site: Path, say: Callable[[str], None], kept: Path | None = None) -> None:
        self.site = site
        self.kept = kept
        self.say = say
        self.last: SearchIndex | None = None
        self.runs = 0
        self._changed = threading.Condition()
        self._wanted = False
        self._running = False
        self._closed = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        """Index the site again, soon; returns at once."""
        with self._changed:
            if self._closed:
                return
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="search-index", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Until no run is asked for or under way (True), or ``timeout`` seconds (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._wanted and not self._running, timeout)

    def close(self) -> None:
        """Stop after the run under way, if any (the site folder may be removed next)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._wanted or self._closed)
                if self._closed:
                    return
                self._wanted, self._running = False, True
            try:
                # A page MkDocs is writing at this moment may be read half
                # written; the rebuild that wrote it asks for the next run.
                self.last = index_site(self.site, self.kept, yielding=True)
            except (BuildError, OSError, ValueError) as exc:
                self.say(f"search index not updated: {exc}")
            finally:
                with self._changed:
                    self._running = False
                    self.runs += 1
                    self._changed.notify_all()
