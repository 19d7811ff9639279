"""Every page loads in a real browser without an error, and talks only to us."""

from __future__ import annotations

import re
from pathlib import Path

from .support import REPO, goto, sitemap_pages

SITE_URL = re.search(
    r"^site_url:\s*(\S+)", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M
).group(1)


def _noindex(site: Path, path: str) -> bool:
    """A page that asks not to be indexed (an embeddable map): no place in the sitemap."""
    html = (site / (path if path.endswith(".html") else path + "index.html")).read_text("utf-8")
    return '<meta name="robots" content="noindex">' in html


def test_the_sitemap_lists_every_page(site: Path, pages: list[str]) -> None:
    expected = sorted(p for p in pages if p != "404.html" and not _noindex(site, p))
    assert sitemap_pages(site, SITE_URL) == expected


def test_every_page_loads_cleanly_and_only_from_127_0_0_1(open_page, pages: list[str]) -> None:
    page, log = open_page()
    problems = []
    for path in pages:
        log.clear()
        # networkidle: the search index and anything else loaded after 'load'
        goto(page, path, wait="networkidle")
        assert log.requests, f"{path}: no request recorded; is the recorder attached?"
        problems += [f"/{path}: {p}" for p in log.problems()]
    assert not problems, "\n".join(problems)


def test_every_page_has_a_title_language_and_description_of_its_own(
    site: Path, pages: list[str]
) -> None:
    seen: dict[str, str] = {}
    problems = []
    for path in pages:
        html = (site / (path if path.endswith(".html") else path + "index.html")).read_text(
            encoding="utf-8"
        )
        if not re.search(r"<html[^>]*\slang=\"[a-z]{2}", html):
            problems.append(f"/{path}: no lang on <html>")
        if not re.search(r"<title>[^<]{3,}</title>", html):
            problems.append(f"/{path}: no title")
        m = re.search(r'<meta name="description" content="([^"]{20,})"', html)
        if not m:
            problems.append(f"/{path}: no meta description")
        elif path != "404.html":
            if m.group(1) in seen:
                problems.append(f"/{path}: same description as /{seen[m.group(1)]}")
            seen[m.group(1)] = path
    assert not problems, "\n".join(problems)


#: Records <html>'s classes when <body> is created, before any theme script runs.
CLASSES_AT_BODY = """
new MutationObserver((records, observer) => {
  if (document.body) {
    window.__classesAtBody = document.documentElement.className;
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_the_theme_starts_without_restyling_the_whole_page(open_page) -> None:
    """A class change on <html> restyles every element below it: on the matrix
    page, a second full restyle and layout inside the theme's start-up task.
    The classes the theme's script wants are set in <head>; it must find
    nothing left to change (a new theme version that adds a class fails here)."""
    page, _ = open_page()
    page.add_init_script(CLASSES_AT_BODY)
    goto(page, "who-claims-what/", wait="networkidle")
    started = page.evaluate("typeof window.document$ !== 'undefined'")
    before, after = page.evaluate("[window.__classesAtBody, document.documentElement.className]")
    assert started, "the theme's script did not run"
    assert before == after, f"<html> classes changed after <body> existed: {before!r} -> {after!r}"
    deferred = page.evaluate(
        "[...document.scripts].filter(s => s.src.includes('bundle')).map(s => s.defer)"
    )
    assert deferred == [True]
