"""The long listings read as a newsroom's would: short pages, a compact matrix, filters
that narrow the list (and a plain grouped list without JavaScript), a permalink and a
"Copy link" on every item, and old ``who-claims-what/#claim-ID`` anchors still landing."""

from __future__ import annotations

import re

import pytest

from generator.content import urls
from generator.content.factbase import load
from generator.content.project import Project

from .support import REPO, goto

PHONE = (390, 844)
DESKTOP = (1280, 900)
SIZES = [PHONE, DESKTOP]
SCHEMES = ["light", "dark"]
#: Pages a reader scrolls through; the editors' guide is a reference, not a read.
TALLEST = 15_000
EXEMPT = {"contributing/"}


@pytest.fixture(scope="module")
def fb():  # type: ignore[no-untyped-def]
    facts, problems = load(Project.at(REPO / "content"))
    assert not problems
    return facts


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_page_is_taller_than_15000_px_on_a_phone(open_page, pages, scheme) -> None:
    page, _ = open_page(width=PHONE[0], height=PHONE[1], scheme=scheme)
    tall = []
    for path in pages:
        if path in EXEMPT:
            continue
        goto(page, path)
        height = page.evaluate("() => document.documentElement.scrollHeight")
        if height > TALLEST:
            tall.append(f"/{path}: {height} px")
    assert not tall, "pages taller than 15,000 px at 390 px wide:\n" + "\n".join(tall)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_matrix_cells_open_claims_and_no_column_is_empty(open_page, size, scheme) -> None:
    page, _ = open_page(width=size[0], height=size[1], scheme=scheme)
    goto(page, "who-claims-what/")
    columns = page.evaluate(
        """() => [...document.querySelectorAll('table.wcw-matrix thead th')].map(th => th.textContent.trim())"""
    )
    rows = page.evaluate(
        """() => [...document.querySelectorAll('table.wcw-matrix tbody tr')].map(tr =>
            [...tr.querySelectorAll('td')].map(td => {
                const a = td.querySelector('a.wcw-cell');
                return a ? a.getAttribute('href') : null;
            }))"""
    )
    assert rows, "the matrix has no rows"
    for i, name in enumerate(columns[1:]):
        assert any(r[i] for r in rows), f"column {name!r} has no claim in any row"
    for r in rows:
        assert any(r), "a matrix row has no claim in any column"
    cells = [h for r in rows for h in r if h]
    assert all(re.search(r"#claim-[a-z0-9-]+$", h) for h in cells), cells[:5]
    page.locator("table.wcw-matrix a.wcw-cell").first.click()
    page.wait_for_load_state()
    anchor = page.evaluate("() => location.hash.slice(1)")
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1 and target.is_visible(), f"the cell's claim {anchor} is not shown"
    # Each cell: a stance word, a status chip with its words, and a date.
    cell = page.locator("table.wcw-matrix a.wcw-cell").first
    goto(page, "who-claims-what/")
    text = cell.inner_text()
    assert cell.locator(".wcw-chip").inner_text().strip(), text
    assert re.search(r"\d{4}", text), text
    # On desktop the matrix has the page's width: no navigation or contents beside it.
    if size == DESKTOP:
        width = page.evaluate(
            "() => document.querySelector('table.wcw-matrix').getBoundingClientRect().width"
        )
        assert width > 1000, f"the matrix is only {width:.0f} px wide"


def test_matrix_rows_agree_with_the_regions_index(open_page) -> None:
    page, _ = open_page()
    goto(page, "regions/")
    claimed = page.evaluate(
        """() => [...document.querySelectorAll('table.wcw-regions tbody tr')]
            .filter(tr => parseInt(tr.cells[tr.cells.length - 1].textContent) > 0
                || /[1-9]/.test(tr.textContent.replace(/UA-\\d+/g, '')))
            .map(tr => tr.querySelector('th').textContent.trim())"""
    )
    goto(page, "who-claims-what/")
    # A region is in the matrix if its row holds a claim, or the one-line note names it.
    shown = page.evaluate(
        """() => [...[...document.querySelectorAll('table.wcw-matrix tbody tr')]
                .filter(tr => tr.querySelector('td a'))
                .map(tr => tr.querySelector('th')),
            ...document.querySelectorAll('.wcw-matrix-note a')]
            .map(e => e.textContent.trim())"""
    )
    missing = [name for name in claimed if name not in shown]
    assert claimed and not missing, f"regions with claims missing from the matrix: {missing}"


@pytest.mark.parametrize("path", ["who-claims-what/", "who-claims-what/commentary-media/"])
def test_filters_narrow_the_list(open_page, path) -> None:
    page, _ = open_page(width=PHONE[0], height=PHONE[1])
    goto(page, path)
    form = page.locator("form[data-wcw-filters]")
    assert form.is_visible(), "the filters are not shown with JavaScript"
    visible = "() => [...document.querySelectorAll('[data-wcw-list] .wcw-item')].filter(e => e.offsetParent).length"
    before = page.evaluate(visible)
    assert before > 5
    for name in ("party", "region", "status", "source"):
        options = form.locator(f"select[name={name}] option").all()
        assert len(options) >= 2, f"no {name} filter"
    region = form.locator("select[name=region] option").nth(1).get_attribute("value")
    form.locator("select[name=region]").select_option(region)
    after = page.evaluate(visible)
    assert 0 < after < before, f"filtering by region {region}: {before} → {after}"
    wrong = page.evaluate(
        f"""() => [...document.querySelectorAll('[data-wcw-list] .wcw-item')]
            .filter(e => e.offsetParent && !(' ' + e.dataset.region + ' ').includes(' {region} ')).length"""
    )
    assert wrong == 0
    form.locator("button[type=reset]").click()
    page.wait_for_function(f"() => ({visible})() === {before}")


def test_without_javascript_the_grouped_list_is_all_there(browser, base_url, fb) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        listed: set[str] = set()
        goto(page, "who-claims-what/")
        assert not page.locator("form[data-wcw-filters]").is_visible()
        assert page.locator("h2#territory").count() == 1
        assert page.locator("h2#commentary").count() == 1
        groups = page.evaluate(
            "() => [...document.querySelectorAll('.wcw-more a, .wcw-groups a')].map(a => a.href)"
        )
        listed |= set(
            page.evaluate("() => [...document.querySelectorAll('li.wcw-item')].map(e => e.id)")
        )
        for link in dict.fromkeys(groups):
            page.goto(link)
            listed |= set(
                page.evaluate(
                    "() => [...document.querySelectorAll('details.wcw-item article')].map(e => e.id)"
                )
            )
        missing = {f"claim-{c}" for c in fb.claims} - listed
        assert not missing, f"claims in no list without JavaScript: {sorted(missing)[:10]}"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["who-claims-what/commentary-media/", "timeline/", "proposals/"])
def test_copy_link_puts_the_items_url_on_the_clipboard(open_page, base_url, path) -> None:
    page, _ = open_page(permissions=["clipboard-read", "clipboard-write"])
    goto(page, path)
    links = page.locator("a.wcw-permalink")
    assert links.count() > 0
    assert links.count() == page.locator("button.wcw-copy").count(), "an item without Copy link"
    names = page.evaluate(
        "() => [...document.querySelectorAll('a.wcw-permalink')].map(a => [a.textContent.trim(), a.getAttribute('aria-label')])"
    )
    assert all(text == "#" and label and len(label) > 20 for text, label in names), names[:3]
    link = links.nth(links.count() - 1)
    want = link.evaluate("a => a.href")
    button = page.locator("button.wcw-copy").nth(links.count() - 1)
    button.scroll_into_view_if_needed()
    if not button.is_visible():  # inside a closed card: open it as a reader would
        button.evaluate("b => b.closest('details').open = true")
    button.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.wcw-copy__status')].some(s => s.textContent)"
    )
    got = page.evaluate("() => navigator.clipboard.readText()")
    assert got == want and got.startswith(base_url) and "#" in got, (got, want)


def test_old_anchors_still_land(open_page, fb) -> None:
    page, _ = open_page(width=PHONE[0], height=PHONE[1])
    for claim in list(fb.claims.values())[::9]:
        anchor = urls.claim(claim.id).anchor
        page.goto(f"who-claims-what/#{anchor}")
        page.wait_for_function(
            f"() => {{ const e = document.getElementById('{anchor}'); return e && e.offsetParent; }}"
        )
        top = page.evaluate(
            f"() => document.getElementById('{anchor}').getBoundingClientRect().top"
        )
        assert -5 < top < PHONE[1], f"{anchor}: lands {top:.0f} px from the top"


def test_timeline_runs_newest_first_with_jump_links(open_page) -> None:
    page, _ = open_page()
    goto(page, "timeline/")
    years = page.evaluate(
        "() => [...document.querySelectorAll('article h2')].map(h => parseInt(h.textContent))"
    )
    years = [y for y in years if y]
    assert years == sorted(years, reverse=True) and len(years) > 2, years
    jumps = page.evaluate(
        "() => [...document.querySelectorAll('nav.wcw-jump a')].map(a => a.getAttribute('href'))"
    )
    assert len(jumps) > len(years)
    for target in jumps:
        assert page.locator(f"[id='{target[1:]}']").count() == 1, target
