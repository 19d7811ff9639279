"""What a built site weighs: its largest page, its size, and what one search costs a reader.

Search is measured for whichever index the site has. Material's lunr index
is one file every search downloads whole, so one query costs all of it.
Pagefind splits its index into chunks fetched as a query needs them: one
query's cost is the bytes the browser fetches under /pagefind/ while a reader
types the query, measured in Chromium (bench/search_bytes.py when present,
else the fallback below).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
LUNR = Path("search/search_index.json")
PAGEFIND = Path("pagefind")


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


def one_query_bytes(site: Path, query: str) -> int:
    """The bytes the site's own search box fetches from /pagefind/ for ``query``
    (bench/search_bytes.py, which drives the header search in Chromium)."""
    from search_bytes import search_bytes

    return search_bytes(site, query).total


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
