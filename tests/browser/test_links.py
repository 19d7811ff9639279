"""Every internal link and anchor resolves; external links are well-formed (never fetched)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from generator.build.postbuild import broken_links

from .support import bad_external_link, external_links
from .test_pages import SITE_URL

#: External links allowed on plain http, each with the reason.
HTTP_ALLOWED: dict[str, str] = {
    "http://127.0.0.1:8000/": (
        "contributing/: the editor's own live preview (make serve), never a remote host"
    ),
}


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    broken = broken_links(site, urlsplit(SITE_URL).path or "/")
    assert not broken, "\n".join(broken)


def test_external_links_are_well_formed(site: Path) -> None:
    links = external_links(site)
    assert links, "no external link at all: is the scan looking at the right pages?"
    bad = []
    for href, where in sorted(links.items()):
        if href.startswith(SITE_URL) or href in HTTP_ALLOWED:
            continue
        why = bad_external_link(href)
        if why:
            bad.append(f"{href} ({why}), on {', '.join(sorted(where)[:3])}")
    assert not bad, "\n".join(bad)
