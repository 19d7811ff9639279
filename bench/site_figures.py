"""What a built site weighs: its largest page, its size, and what one search costs a reader.

Search is measured for whichever index the site has. Material's lunr index
is one file every search downloads whole, so one query costs all of it.
Pagefind splits its index into chunks fetched as a query needs them: one
query's cost is the bytes the browser fetches under /pagefind/ while a reader
types the query, measured in Chromium (bench/search_bytes.py when present,
else the fallback below).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
LUNR = Path("search/search_index.json")
PAGEFIND = Path("pagefind")
#: Where a reader types a query, in the order tried: Pagefind's UI, Material's box.
SEARCH_INPUTS = (".pagefind-ui__search-input", "input[type=search]", "input.md-search__input")


@dataclass(frozen=True)
class SiteFigures:
    largest_bytes: int
    largest_page: str
    site_bytes: int
    site_files: int
    search_kind: str
    search_total: int
    search_query: int


def largest_page(site: Path) -> tuple[int, str]:
    """The biggest HTML file: (bytes, path relative to the site)."""
    return max(
        ((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")),
        default=(0, ""),
    )


def folder_size(root: Path) -> tuple[int, int]:
    """(bytes, files) of every file under ``root``."""
    sizes = [p.stat().st_size for p in root.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


def pagefind_query_bytes(site: Path, query: str) -> int:
    """Bytes fetched under /pagefind/ from opening the home page to showing ``query``'s results."""
    sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, serve

    fetched: dict[str, int] = {}

    def count(response) -> None:  # type: ignore[no-untyped-def]
        if "/pagefind/" in response.url and response.ok:
            fetched[response.url] = len(response.body())

    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("response", count)
        page.goto(base, wait_until="networkidle")
        box = next(
            (page.locator(s).first for s in SEARCH_INPUTS if page.locator(s).first.is_visible()),
            None,
        )
        if box is None:
            page.keyboard.press("/")
        else:
            box.click()
        page.keyboard.type(query, delay=80)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        page.wait_for_load_state("networkidle")
        browser.close()
    if not fetched:
        raise SystemExit(f"searching {query!r} on {site} fetched nothing under /pagefind/")
    return sum(fetched.values())


def one_query_bytes(site: Path, query: str) -> int:
    """bench/search_bytes.py's measurement of Pagefind when it is there, else ours."""
    helper = BENCH / "search_bytes.py"
    if not helper.exists():
        return pagefind_query_bytes(site, query)
    spec = importlib.util.spec_from_file_location("search_bytes", helper)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return int(module.one_query_bytes(site, query))


def search_figures(site: Path, query: str) -> tuple[str, int, int]:
    """(index kind, total index bytes, bytes one query fetches)."""
    if (site / PAGEFIND).is_dir():
        total, _ = folder_size(site / PAGEFIND)
        return "pagefind", total, one_query_bytes(site, query)
    if (site / LUNR).is_file():
        size = (site / LUNR).stat().st_size
        return "lunr", size, size
    return "none", 0, 0


def site_figures(site: Path, query: str) -> SiteFigures:
    page_bytes, page = largest_page(site)
    site_bytes, files = folder_size(site)
    kind, total, one = search_figures(site, query)
    return SiteFigures(page_bytes, page, site_bytes, files, kind, total, one)


def card_page(site: Path, claim_id: str, marker: str) -> str:
    """The page, relative to the site root, that shows the card edited with ``marker``.

    The page claim-pages.json names for the claim when it holds the marker,
    else the smallest page that does (an editor looks at the card, not at
    the longest listing it appears in).
    """
    holding = [p for p in site.rglob("*.html") if marker.encode() in p.read_bytes()]
    if not holding:
        raise SystemExit(f"no page of {site} shows the edit {marker!r}")
    index = site / "assets" / "claim-pages.json"
    if index.is_file():
        named = str(json.loads(index.read_text(encoding="utf-8")).get(claim_id, "#"))
        named = named.split("#")[0]
        if named and site / named / "index.html" in holding:
            return named
    smallest = min(holding, key=lambda p: p.stat().st_size)
    return smallest.relative_to(site).as_posix().removesuffix("index.html")
