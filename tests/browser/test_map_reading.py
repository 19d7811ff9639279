"""The maps on a phone and by keyboard (issue 18): tap to see details, a skip
link and a west-to-east tab order, a data table that fits or scrolls with a cue,
and the files under each map served.

Run against the build of the code before this work (WCW_TEST_SITE=DIR), every
test here fails: taps followed the link, Tab walked the regions in ISO order
with no skip link, the table's box had no focus, name or cue, and no map had
files of its own.
"""

from __future__ import annotations

import urllib.request

import pytest

from generator.content.project import Project
from generator.maps.geometry import load_geometry

from .support import REPO, goto

PHONE = 390
MAP = "figure.wcw-map:has(svg [data-iso])"
REGION = f"{MAP} svg a[aria-label]"
TIP = "#wcw-tip"


def touch(open_page):  # type: ignore[no-untyped-def]
    return open_page(width=PHONE, height=844, has_touch=True, is_mobile=True)


def test_a_tap_on_a_region_shows_its_details_and_a_second_tap_opens_it(open_page) -> None:
    page, log = touch(open_page)
    goto(page, "")
    region = page.locator(f"{MAP} svg a:has(path[data-iso='UA-23'])").first
    region.scroll_into_view_if_needed()
    region.tap()
    tip = page.locator(TIP)
    tip.wait_for(state="visible", timeout=3_000)
    assert "Zaporizhzhia" in tip.inner_text() and "claimed by Russia" in tip.inner_text()
    assert "/regions/" not in page.url, page.url
    box, where = tip.bounding_box(), region.bounding_box()
    assert box and where and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden", timeout=3_000)
    region.tap()
    tip.wait_for(state="visible", timeout=3_000)
    with page.expect_navigation():
        region.tap()
    assert page.url.endswith("/regions/zaporizhzhia/"), page.url
    assert not log.problems(), log.problems()


def test_a_tap_on_a_glossary_term_shows_its_definition_without_leaving(open_page) -> None:
    page, _ = touch(open_page)
    goto(page, "")
    term = page.locator("a.wcw-term").first
    term.scroll_into_view_if_needed()
    before = page.url
    definition = term.get_attribute("title")
    term.tap()
    tip = page.locator(TIP)
    tip.wait_for(state="visible", timeout=3_000)
    page.wait_for_timeout(300)  # a navigation, had the tap started one
    assert page.url == before
    assert definition and definition in tip.inner_text()
    page.locator("h1").first.tap()  # a tap elsewhere closes it
    tip.wait_for(state="hidden", timeout=3_000)


def test_keyboard_focus_shows_the_details_and_escape_closes_them(open_page) -> None:
    page, _ = open_page()
    goto(page, "")
    page.locator(f"{MAP} .wcw-map__skip").first.focus()
    page.keyboard.press("Tab")
    tip = page.locator(TIP)
    tip.wait_for(state="visible", timeout=3_000)
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused and tip.inner_text() == focused
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden", timeout=3_000)


def tab_walk(page) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """From just before the first map: what Tab reaches first, then the regions in order."""
    page.locator(MAP).first.evaluate(
        "f => { const s = document.createElement('span'); s.tabIndex = -1; f.before(s); s.focus(); }"
    )
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.textContent.trim()")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        iso = page.evaluate(
            "() => { const p = document.activeElement.querySelector('path[data-iso]');"
            " return p && p.getAttribute('data-iso'); }"
        )
        if not iso:
            break
        reached.append(iso)
    return first, reached


@pytest.mark.parametrize("path", ["", "proposals/"], ids=["home", "proposals"])
def test_tab_goes_from_a_skip_link_through_the_regions_west_to_east(open_page, path) -> None:
    page, _ = open_page()
    goto(page, path)
    first, reached = tab_walk(page)
    assert first == "Skip the map's regions"
    order = load_geometry(Project.at(REPO / "content")).west_to_east()
    assert reached == order
    assert reached[0] == "UA-21" and reached[-1] == "UA-09"  # Zakarpattia … Luhansk


def test_the_skip_link_jumps_past_the_regions(open_page) -> None:
    page, _ = open_page()
    goto(page, "")
    skip = page.locator(f"{MAP} .wcw-map__skip").first
    skip.focus()
    assert skip.is_visible()  # shown while focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("() => !!document.activeElement.closest('svg')")
    assert not inside


@pytest.mark.parametrize("path", ["", "proposals/"], ids=["home", "proposals"])
def test_the_data_table_fits_or_scrolls_with_a_cue_at_390(open_page, path) -> None:
    page, _ = open_page(width=PHONE, height=844)
    goto(page, path)
    problems = page.evaluate(
        """() => [...document.querySelectorAll('details.wcw-map__data')].flatMap(d => {
            d.open = true;
            const wrap = d.querySelector('.wcw-table-wrap'), table = wrap.querySelector('table');
            const name = d.querySelector('summary').textContent;
            const out = [];
            const page = document.documentElement.clientWidth;
            if (wrap.getBoundingClientRect().right > page + 1) out.push(name + ': box wider than the page');
            if (table.scrollWidth <= wrap.clientWidth + 1) return out;  // it fits
            const cs = getComputedStyle(wrap);
            if (!['auto', 'scroll'].includes(cs.overflowX)) out.push(name + ': clipped, no scroll');
            if (wrap.tabIndex !== 0) out.push(name + ': scroll box takes no keyboard focus');
            if (!wrap.getAttribute('aria-label')) out.push(name + ': scroll box has no name');
            const cue = d.querySelector('.wcw-table-cue');
            if (!cue || !cue.offsetParent || !/scroll/i.test(cue.textContent))
                out.push(name + ': no visible scroll cue');
            if (!cs.backgroundImage.includes('gradient')) out.push(name + ': no edge shadow');
            return out;
        })"""
    )
    assert not problems, problems


def _fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the local server
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.mark.parametrize("path", ["", "proposals/"], ids=["home", "proposals"])
def test_every_map_offers_png_svg_csv_embed_and_cite_and_they_are_served(
    open_page, path, base_url
) -> None:
    page, _ = open_page()
    goto(page, path)
    figures = page.locator(MAP)
    assert figures.count() >= 1
    for i in range(figures.count()):
        tools = figures.nth(i).locator(".wcw-map__tools")
        links = {a.text_content().split()[0]: a.evaluate("a => a.href") for a in
                 tools.locator("a").all()}  # fmt: skip
        assert {"PNG", "SVG", "CSV"} <= set(links), links
        for kind, magic in (("PNG", b"\x89PNG"), ("SVG", b"<?xml"), ("CSV", b"region_code,")):
            status, _type, body = _fetch(links[kind])
            assert status == 200 and body.startswith(magic), (kind, links[kind])
        tools.locator("summary", has_text="Embed").click()
        snippet = tools.locator("pre code").inner_text()
        assert snippet.startswith("<iframe src=") and "/embed/" in snippet
        embed = tools.locator("a", has_text="see the embeddable map").evaluate("a => a.href")
        status, kind, body = _fetch(embed)
        assert status == 200 and b"<svg" in body and b"md-header" not in body
        tools.locator("summary", has_text="Cite").click()
        citation = tools.locator(".wcw-map__citation").inner_text()
        assert "Who Claims What" in citation and "facts as of" in citation
        assert "https://" in citation


def test_the_embedded_map_stands_alone_and_asks_nothing_of_other_hosts(open_page) -> None:
    page, log = open_page(width=PHONE)
    goto(page, "embed/russia-claims/")
    assert page.locator("svg [data-iso]").count() == 27
    assert page.locator(".md-header, .md-sidebar, .md-footer").count() == 0
    assert not log.problems(), log.problems()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_one_meaning_one_colour_across_the_proposals_maps_in_both_schemes(
    open_page, scheme
) -> None:
    """As drawn by the browser (the stylesheet's colours, per scheme), on the page
    where the maps are compared side by side."""
    page, _ = open_page(scheme=scheme)
    goto(page, "proposals/")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('figure.wcw-map svg path[data-iso]')].map(p =>
            [p.getAttribute('data-key'), getComputedStyle(p).fill])"""
    )
    assert len(drawn) >= 4 * 27
    by_key: dict[str, set[str]] = {}
    by_fill: dict[str, set[str]] = {}
    for key, fill in drawn:
        by_key.setdefault(str(key), set()).add(fill)
        by_fill.setdefault(fill, set()).add(str(key))
    assert all(len(f) == 1 for f in by_key.values()), by_key
    assert all(len(k) == 1 for k in by_fill.values()), by_fill
