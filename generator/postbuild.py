"""Checks and fixes applied to the built HTML, whichever engine built it.

MkDocs validates Markdown links, but our facts are HTML blocks whose links
it never sees; so every internal link and anchor in the final HTML is
resolved here, and a dead one fails the build before anything is published.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            elif name == "href" and tag == "a" and value:
                self.links.append(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Internal links whose page or anchor does not exist, as 'page: href'.

    ``base_path`` is the path of ``site_url``: MkDocs writes root-absolute
    links with it on pages such as 404.html, which are served from anywhere.
    """
    pages = {p.relative_to(site).as_posix(): _parse(p) for p in sorted(site.rglob("*.html"))}
    broken = []
    for rel, page in pages.items():
        base = posixpath.dirname(rel)
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                if not path.startswith(base_path):
                    broken.append(f"{rel}: {href} (outside the site's base path {base_path})")
                    continue
                path = path[len(base_path):]
                target = posixpath.normpath(path) if path else "."
            else:
                target = rel if not path else posixpath.normpath(posixpath.join(base, path))
            if target == ".":
                target = ""
            if not target or path.endswith("/") or (path and (site / target).is_dir()):
                target = posixpath.join(target, "index.html") if target else "index.html"
            if target.startswith("../"):
                broken.append(f"{rel}: {href} (leaves the site)")
                continue
            if not (site / target).exists():
                broken.append(f"{rel}: {href} (no such page)")
                continue
            anchor = unquote(parts.fragment)
            if anchor and target in pages and anchor not in pages[target].ids:
                broken.append(f"{rel}: {href} (no such anchor)")
    return broken


def postprocess(site: Path, base_path: str = "/") -> None:
    """Fail on dead internal links; then apply the accessibility fixes."""
    from .publish import BuildError

    broken = broken_links(site, base_path)
    if broken:
        shown = "\n".join(f"  {b}" for b in broken[:50])
        more = f"\n  … and {len(broken) - 50} more" if len(broken) > 50 else ""
        raise BuildError(f"{len(broken)} broken internal links or anchors:\n{shown}{more}")
