"""A check that cannot fail is not a check.

Each test here hands one of the suite's checks a deliberately broken page,
through the very function the real test uses, and asserts the check
catches it; where it matters, the same page unbroken passes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build.postbuild import (
    HTML_FIXES,
    broken_links,
    drop_empty_tabindex,
    unlink_orphan_labels,
)

from .support import (
    Recorder,
    bad_external_link,
    goto,
    run_axe,
    run_vnu,
    serve,
    vnu_errors,
)
from .test_layout import sideways_scroll
from .test_maps import completeness_problems, keyboard_reach, map_units, naming_problems
from .vnu_allow import VNU_ALLOWED

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken on purpose</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body><main><h1>Broken on purpose</h1>{body}</main></body></html>
"""

REGIONS = {"UA-05": "Vinnytsia", "UA-07": "Volyn", "UA-09": "Luhansk"}


def _bad_map() -> str:
    """Three regions, and no focus ring: UA-05 named well, UA-07 with no title and no
    link, UA-09 drawn twice and named without its status."""
    return """<style>svg a:focus { outline: none }</style><figure><svg viewBox="0 0 30 10" role="img">
      <a href="#x" aria-label="Vinnytsia: not claimed"><path data-iso="UA-05" data-status="none" d="M0 0h10v10H0z"><title>Vinnytsia: not claimed</title></path></a>
      <path data-iso="UA-07" data-status="claimed" d="M10 0h10v10H10z"/>
      <a href="#y" aria-label="Luhansk"><path data-iso="UA-09" data-status="claimed" d="M20 0h10v10H20z"><title>Luhansk</title></path></a>
      <a href="#z" aria-label="Luhansk"><path data-iso="UA-09" data-status="claimed" d="M20 0h10v10H20z"><title>Luhansk</title></path></a>
    </svg><figcaption>A broken map</figcaption></figure><p id="x">x</p><p id="y">y</p><p id="z">z</p>"""


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of broken pages, served like the site."""
    folder = tmp_path_factory.mktemp("broken")
    pages = {
        "axe.html": PAGE.format(
            body='<svg role="img" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>'
            '<p style="color:#bbb;background:#fff">pale text</p><a href="#top"></a>'
        ),
        "console.html": PAGE.format(
            body='<img src="missing.png" alt="missing"><img src="https://example.invalid/x.png" alt="x">'
            '<script>console.error("boom")</script>'
        ),
        "wide.html": PAGE.format(body='<div style="width:600px">too wide for a phone</div>'),
        "map.html": PAGE.format(body=_bad_map()),
    }
    for name, html in pages.items():
        (folder / name).write_text(html, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def broken_url(broken_dir: Path):  # type: ignore[no-untyped-def]
    with serve(broken_dir) as url:
        yield url


def test_axe_catches_an_unlabelled_svg_pale_text_and_an_empty_link(
    browser, broken_url: str, axe_js
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    try:
        goto(page, broken_url + "axe.html")
        found = {v["id"]: v["impact"] for v in run_axe(page)}
    finally:
        page.close()
    assert found.get("svg-img-alt") == "serious", found
    assert found.get("color-contrast") == "serious", found
    assert found.get("link-name") == "serious", found


def test_the_recorder_catches_console_errors_failed_and_foreign_requests(
    browser, broken_url: str
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    log = Recorder().attach(page)
    try:
        goto(page, broken_url + "console.html", wait="load")
        page.wait_for_timeout(300)
    finally:
        page.close()
    problems = "\n".join(log.problems())
    assert "console error: boom" in problems, problems
    assert "missing.png" in problems, problems
    assert "request to another host: https://example.invalid/x.png" in problems, problems


def test_the_layout_check_catches_sideways_scrolling(browser, broken_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 375, "height": 740})
    try:
        goto(page, broken_url + "wide.html")
        why = sideways_scroll(page)
    finally:
        page.close()
    assert why and "600px" in why, why


def test_the_map_checks_catch_missing_duplicate_unnamed_and_unfocusable_regions(
    browser, broken_url: str
) -> None:  # type: ignore[no-untyped-def]
    from .test_maps import accessible_names

    page = browser.new_page()
    try:
        goto(page, broken_url + "map.html")
        units = map_units(page)
        names = accessible_names(page)
        reached, invisible = keyboard_reach(page)
    finally:
        page.close()
    counted = "\n".join(completeness_problems(units, REGIONS))
    assert "4 regions in the map, not 27" in counted
    assert "regions drawn twice: ['UA-09']" in counted
    named = "\n".join(naming_problems(units, names, REGIONS))
    assert "UA-07: tooltip None" in named, named
    assert "UA-09: accessible name 'Luhansk' does not say its status" in named, named
    assert "UA-07" not in reached and "UA-05" in reached, reached
    assert "UA-05" in invisible, invisible  # the broken page styles no focus ring


def test_the_link_checker_catches_a_dead_anchor_and_a_dead_page(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    index = copy / "index.html"
    html = index.read_text(encoding="utf-8")
    assert not broken_links(copy), "the copy was broken before we broke it"
    index.write_text(
        html.replace(
            "</article>",
            '<a href="sources/#src-no-such-source">dead anchor</a>'
            '<a href="no-such-page/">dead page</a></article>',
            1,
        ),
        encoding="utf-8",
    )
    broken = broken_links(copy)
    assert "index.html: sources/#src-no-such-source (no such anchor)" in broken, broken
    assert "index.html: no-such-page/ (no such page)" in broken, broken


def test_the_nu_checker_catches_invalid_html(site: Path, tmp_path: Path, vnu_jar: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    html = (site / "index.html").read_text(encoding="utf-8")
    (good / "index.html").write_text(html, encoding="utf-8")
    (bad / "index.html").write_text(
        html.replace(
            "</h1>", '</h1><blink>new</blink><input type="checkbox" autocomplete="off">', 1
        ),
        encoding="utf-8",
    )
    report = run_vnu(tmp_path)
    assert len(report.checked) == 2, report.checked
    errors, _ = vnu_errors(report.messages, VNU_ALLOWED)
    in_bad = [e for e in errors if "bad/index.html" in e]
    assert not [e for e in errors if "good/index.html" in e], errors
    assert any("“blink”" in e for e in in_bad), errors
    assert any("autocomplete" in e for e in in_bad), errors


def test_the_theme_fixes_are_needed_and_exact() -> None:
    """Each post-build fix changes what it names in the theme's HTML, and nothing else."""
    theme = (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
        '<input type="text" class="md-search__input" autocomplete="off">'
        '<label class="md-nav__link" for="__drawer" tabindex="">'
        '<label class="md-nav__title" for="__toc">'
        '<label class="md-overlay" for="__drawer" aria-hidden="true"></label>'
        '<div class="md-search" data-md-component="search" role="dialog">'
        '<a href="../regions/">Regions</a>'
    )
    fixed = theme
    for fix in HTML_FIXES:
        fixed = fix(fixed)
    assert fixed == (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
        '<input type="text" class="md-search__input" autocomplete="off">'
        '<label class="md-nav__link" for="__drawer">'
        '<label class="md-nav__title">'
        '<label class="md-overlay" for="__drawer"></label>'
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
        '<a href="../regions/">Regions</a>'
    )
    for fix in HTML_FIXES:  # idempotent
        assert fix(fixed) == fixed, fix.__name__


def test_the_theme_fixes_hold_where_a_tag_is_hard_to_find() -> None:
    """The fixes look for a tag from its attribute's name back to its ``<``: a ``<``
    inside a quoted value, the word in a page's text, a capital letter or an id
    written unquoted must not make them miss a tag or change the wrong one."""
    page = (
        "<p>Set tabindex to zero.</p>"
        '<a title="a < b" TabIndex="" href="#x">x</a>'
        '<input id="__drawer" type="checkbox"><label for="__drawer" tabindex="0">'
        "<label for=__toc>Contents</label><input id=__toc type=checkbox>"
        '<label for="gone">Orphan</label><span data-id="gone"></span>'
    )
    assert drop_empty_tabindex(page) == page.replace(' TabIndex=""', "")
    assert unlink_orphan_labels(page) == page.replace('<label for="gone">', "<label>")


@pytest.mark.parametrize(
    "href",
    [
        "http://example.com/",
        "https://exa mple.com/",
        "javascript:alert(1)",
        "https://localhost/",
        "ftp://example.com/",
    ],
)
def test_the_external_link_check_catches(href: str) -> None:
    assert bad_external_link(href)


def test_the_external_link_check_passes_a_good_link() -> None:
    assert bad_external_link("https://www.bloomberg.com/news/articles/2025-08-08/x?a=1&b=2") is None
