"""On a 375 px phone nothing scrolls sideways, and the matrix stays readable."""

from __future__ import annotations

from .support import goto

PHONE = 375


def sideways_scroll(page) -> str | None:  # type: ignore[no-untyped-def]
    """Why the loaded page scrolls sideways (its widest offenders), or None."""
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll <= client:
        return None
    culprits = page.evaluate(
        """w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 1)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))
            .slice(0, 5).map(e => e.outerHTML.slice(0, 100))""",
        client,
    )
    return f"{scroll} px wide in a {client} px window; e.g. {culprits}"


def test_no_page_scrolls_sideways_on_a_phone(open_page, pages: list[str]) -> None:
    page, _ = open_page(width=PHONE, height=740)
    wide = []
    for path in pages:
        goto(page, path)
        why = sideways_scroll(page)
        if why:
            wide.append(f"/{path}: {why}")
    assert not wide, "\n".join(wide)


def test_the_matrix_is_usable_on_a_phone(open_page) -> None:
    page, _ = open_page(width=PHONE, height=740)
    goto(page, "who-claims-what/")
    matrix = page.locator("table.wcw-matrix")
    assert matrix.count() >= 1, "no table.wcw-matrix on who-claims-what/"
    cells = page.evaluate(
        """() => [...document.querySelectorAll('table.wcw-matrix tbody :is(td, th)')].map(c => {
            const r = c.getBoundingClientRect();
            return {text: c.textContent.trim().slice(0, 40), left: r.left, right: r.right,
                    width: r.width, height: r.height,
                    label: c.getAttribute('data-label'),
                    hidden: getComputedStyle(c).visibility === 'hidden' || getComputedStyle(c).display === 'none'};
        })"""
    )
    assert cells, "the matrix has no body cells"
    width = page.evaluate("() => document.documentElement.clientWidth")
    problems = []
    for c in cells:
        if c["hidden"] or c["width"] < 1 or c["height"] < 1:
            problems.append(f"cell {c['text']!r} is not visible")
        elif c["left"] < -0.5 or c["right"] > width + 0.5:
            problems.append(
                f"cell {c['text']!r} spans {c['left']:.0f}–{c['right']:.0f} px, outside 0–{width}"
            )
    assert not problems, "\n".join(problems[:20])
    # Column headers are hidden on phones; each data cell must then name its column.
    unlabeled = [c["text"] for c in cells if not c["label"]]
    header_cells = page.evaluate(
        "() => document.querySelectorAll('table.wcw-matrix tbody th').length"
    )
    assert len(unlabeled) <= header_cells, f"cells without data-label: {unlabeled[:10]}"


def test_a_map_is_drawn_no_larger_where_the_page_has_no_side_columns(open_page) -> None:
    """Who claims what hides the side columns for its matrix; its map must not grow
    with the freed width (it was 1,188 × 804 px at 1280, filling the screen) but
    stay the size of the home page's lead map at the same width."""
    for width in (1280, 1920):
        page, _ = open_page(width=width, height=900)
        sizes = {}
        for path in ("", "who-claims-what/"):
            goto(page, path)
            sizes[path] = page.locator(".wcw-map__svg").first.evaluate(
                "e => e.getBoundingClientRect().width"
            )
        assert sizes["who-claims-what/"] <= sizes[""] * 1.15, (width, sizes)


def test_the_regions_table_fits_a_phone(open_page) -> None:
    """Every column a phone shows is in view without scrolling inside the table: the
    ISO codes sat behind the right-hand fade, which few readers take for a cue."""
    for width in (360, 390, 412):
        page, _ = open_page(width=width, height=800)
        goto(page, "regions/")
        table, box = page.evaluate(
            """() => { const t = document.querySelector('table.wcw-regions');
                       return [t.scrollWidth, t.parentElement.clientWidth]; }"""
        )
        assert table <= box, f"at {width} px the table is {table} px in a {box} px box"
