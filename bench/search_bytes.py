"""What the site search costs a reader: the bytes fetched from /pagefind/ for one query.

Serves a built site on loopback, opens its home page in Chromium, opens the
header's search, types the query and waits for the results; every file
fetched from ``/pagefind/`` (Playwright's request events, the search's worker
included) is counted, as a static host serves it and as a gzip-serving host
(GitHub Pages) sends it. Also the index's
size on disk and, with ``--reindex``, the time of the Pagefind step.

    .venv/bin/python bench/search_bytes.py SITE_DIR [QUERY] [--reindex]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHROMIUM = "/usr/bin/chromium"


@dataclass
class SearchBytes:
    query: str
    first: str  # where the first result goes
    files: dict[str, int] = field(default_factory=dict)  # path under /pagefind/ → bytes served
    gzipped: dict[str, int] = field(default_factory=dict)  # the same, as gzip transport sends it

    @property
    def total(self) -> int:
        return sum(self.files.values())

    @property
    def total_gzipped(self) -> int:
        return sum(self.gzipped.values())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _on_the_wire(path: Path) -> int:
    """The file's size as a host that gzips responses sends it (Pagefind's
    fragments and chunks are gzip already: they go as they are)."""
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, 9, mtime=0)))


def search_bytes(site: Path, query: str, width: int = 1280, height: int = 900) -> SearchBytes:
    """Open the search on ``site``'s home page, type ``query``: what /pagefind/ sent."""
    from playwright.sync_api import sync_playwright

    result = SearchBytes(query, "")
    with served(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        try:
            # The context sees the page's requests and any worker's (the site's
            # search runs in the page; a worker's fetches would count too).
            context = browser.new_context(viewport={"width": width, "height": height})
            fetched: list[object] = []
            context.on("requestfinished", lambda request: fetched.append(request))
            page = context.new_page()
            page.goto(url, wait_until="networkidle")
            fetched.clear()  # the page itself: not the search's cost
            page.locator(".wcw-search__toggle").click()
            page.locator("#wcw-search-input").fill(query)
            page.wait_for_function(
                "q => document.getElementById('wcw-search-status').textContent"
                ".includes('\\u201c' + q + '\\u201d')",
                arg=query,
                timeout=60_000,
            )
            page.wait_for_load_state("networkidle")
            first = page.locator("#wcw-search-results a").first
            result.first = urlsplit(first.get_attribute("href") or "").path if first.count() else ""
            for request in fetched:
                path = urlsplit(request.url).path  # type: ignore[attr-defined]
                if "/pagefind/" not in path:
                    continue
                # A static host sends the file as it is (Playwright reports no
                # body size for the worker's own script).
                rel = path.split("/pagefind/", 1)[1]
                result.files[rel] = (site / "pagefind" / rel).stat().st_size
                result.gzipped[rel] = _on_the_wire(site / "pagefind" / rel)
        finally:
            browser.close()
    return result


def index_size(site: Path) -> int:
    return sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("query", nargs="?", default="Zaporozhye")
    parser.add_argument("--reindex", action="store_true", help="time the Pagefind step first")
    args = parser.parse_args()
    if args.reindex:
        from generator.build.search import index_site

        done = index_site(args.site)
        print(f"pagefind step: {done.seconds:.2f} s, {done.pages} records")
    found = search_bytes(args.site, args.query)
    for rel, size in sorted(found.files.items()):
        print(f"  {size:>9,} B  ({found.gzipped[rel]:>9,} B gzip)  {rel}")
    print(
        f"search {args.query!r}: {len(found.files)} files, {found.total:,} B served, "
        f"{found.total_gzipped:,} B with gzip transport; first result {found.first}"
    )
    print(f"index on disk: {index_size(args.site):,} B")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
