"""The header's search (Pagefind) sends a reader who types a name, or any other
spelling of it, to the page or entry about it first, on a phone and a desktop,
by mouse or keyboard, in both schemes, and asks nothing of another host."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from .support import Recorder, describe_violations, goto, run_axe, serve, wait_for_scheme

TOGGLE = ".wcw-search__toggle"
BOX = "#wcw-search-input"
HITS = "#wcw-search-results a"

#: What a reader types → where the first result must go. The other spellings
#: are content's aliases (content/regions.yml, content/actors.yml).
CANONICAL = [
    ("Zaporozhye", "/regions/zaporizhzhia/"),  # a region's alias: its page
    ("Lugansk", "/regions/luhansk/"),
    # Kyiv, the city ("Kiev"), is named by no claim or event, so it has no page
    # of its own: the site's one place about it is its row in the regions index.
    ("Kiev", "/regions/#region-UA-30"),
    ("Witko", "/people/#actor-steve-witkoff"),  # an actor's alias: the entry
    ("Witkoff", "/people/#actor-steve-witkoff"),
    ("Alaska", "/summit/"),  # the summit's place, in the page's title
    # A term of the glossary: its definition, before the pages that use it.
    ("ATACMS", "/methodology/#term-atacms"),
    ("de jure", "/methodology/#term-de-jure"),
    # A peace plan by words of its name: its section, before the claims about it.
    ("Istanbul draft", "/proposals/#proposal-istanbul-draft-2022"),
    ("final offer", "/proposals/#proposal-us-final-offer-apr-2025"),
    ("territorial deal", "/proposals/#proposal-us-russia-deal-aug-2025"),
]
SIZES = [(390, 844), (1280, 900)]


def where(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def type_query(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type ``query`` into the open search box; where the results go, in order."""
    page.locator(BOX).press_sequentially(query, delay=15)
    page.wait_for_function(
        """q => {
            const s = document.getElementById('wcw-search-status').textContent;
            return s.includes('\\u201c' + q + '\\u201d');
        }""",
        arg=query,
    )
    return [where(h) for h in page.locator(HITS).evaluate_all("as => as.map(a => a.href)")]


def search(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the search with the header's button, type ``query``: the results."""
    page.locator(TOGGLE).click()
    assert page.evaluate("document.activeElement.id") == "wcw-search-input"
    return type_query(page, query)


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize(("query", "expected"), CANONICAL)
def test_the_first_result_is_the_page_about_the_name(
    open_page, query: str, expected: str, width: int, height: int
) -> None:
    page, log = open_page(width=width, height=height)
    goto(page, "sources/")  # a page that names them all, so none wins by being open
    found = search(page, query)
    assert found, f"searching {query!r} found nothing"
    assert found[0] == expected, f"searching {query!r}: first {found[0]}, not {expected}: {found}"
    assert len(found) == len(set(found)), f"a place listed twice: {found}"
    assert not log.problems(), log.problems()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_search_by_keyboard_alone(open_page, width: int, height: int) -> None:
    """'/' opens the box; Arrow Down reaches the first result, Enter opens it;
    Escape closes the search and gives the focus back to its button."""
    page, log = open_page(width=width, height=height)
    goto(page, "timeline/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "wcw-search-input"
    assert page.locator(TOGGLE).get_attribute("aria-expanded") == "true"
    found = type_query(page, "Witkoff")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.href")
    assert where(focused) == found[0] == "/people/#actor-steve-witkoff"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert where(page.evaluate("document.activeElement.href")) == found[0]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "wcw-search-input"
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert where(page.url) == "/people/#actor-steve-witkoff"
    assert page.locator("#actor-steve-witkoff").is_visible()

    # Enter in the box opens the first result too; Escape leaves things as they were.
    page.keyboard.press("/")
    type_query(page, "Zaporozhye")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert where(page.url) == "/regions/zaporizhzhia/"
    page.keyboard.press("/")
    page.keyboard.press("Escape")
    assert page.locator("#wcw-search-panel").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('wcw-search__toggle')")
    assert not log.problems(), log.problems()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_open_search_passes_axe_and_fits(
    open_page, axe_js, scheme: str, width: int, height: int
) -> None:
    page, log = open_page(width=width, height=height, scheme=scheme)
    goto(page, "")
    wait_for_scheme(page, scheme)
    assert search(page, "Putin")
    panel = page.locator("#wcw-search-panel").bounding_box()
    assert panel is not None and panel["x"] >= 0 and panel["x"] + panel["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator(HITS).first.is_visible()
    found = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not found, "\n".join(describe_violations(f"search ({scheme}, {width} px)", found))
    assert not log.problems(), log.problems()


def test_the_404_page_search_box_works(open_page) -> None:
    """The 404 page tells the reader to use the search box at the top: there is one."""
    page, log = open_page(width=390, height=844)
    goto(page, "404.html")
    assert "search box at the top" in page.locator("article").inner_text()
    assert search(page, "Zaporozhye")[0] == "/regions/zaporizhzhia/"
    assert not log.problems(), log.problems()


def test_without_javascript_no_search_shows(open_page) -> None:
    page, _ = open_page(java_script_enabled=False)
    goto(page, "")
    assert page.locator(".wcw-search").count() == 1
    assert not page.locator(".wcw-search").is_visible()


def test_the_index_loads_only_when_the_search_opens(open_page) -> None:
    page, log = open_page()
    goto(page, "", wait="networkidle")
    assert not [u for u in log.requests if "/pagefind/" in u], "the index loaded with the page"
    search(page, "Alaska")
    assert [u for u in log.requests if "/pagefind/" in u]


def test_a_card_is_indexed_once_on_its_home_page(site) -> None:  # type: ignore[no-untyped-def]
    """A claim's card shown on its group's page, two region pages and the summit
    is one search result, on the page its "#" permalink names, not four. (Other
    pages may still name it in a list of links: those are their own words.)"""
    from generator.build.search import indexed_pages
    from generator.build.search_copy import page_url
    from generator.site import slots

    homes: dict[str, set[str]] = {}  # a card's own text → the pages its permalink names
    shown: dict[str, set[str]] = {}  # → the pages that show the card

    def cards(html: str) -> Iterator[str]:  # a block's cards too: a block holds slots of its own
        for found in slots.scan(html):
            body = found.card or ""
            yield from cards(body) if slots.has_slots(body) else (body,)

    for path in site.rglob("*.html"):
        url = page_url(path.relative_to(site).as_posix())
        for card in cards(path.read_text(encoding="utf-8")):
            link = re.search(r'<a class="wcw-permalink" href="([^"]*)"', card)
            text = re.search(r'<div class="wcw-fact__text"><p>([^<]{40,})', card)
            if link and text:
                words = unescape(text.group(1))
                homes.setdefault(words, set()).add(urlsplit(urljoin(url, link.group(1))).path)
                shown.setdefault(words, set()).add(url)
    records = indexed_pages(site / "pagefind")
    repeated = [words for words, pages in shown.items() if len(pages) > 1]
    assert len(repeated) > 20, "the site should show many cards on more than one page"
    for words in repeated:
        (home,) = homes[words]
        found_on = {urlsplit(r.url).path for r in records if words in r.content}
        assert home in found_on and found_on & shown[words] <= {home}, (
            f"{words!r}: shown on {sorted(shown[words])}, indexed on {sorted(found_on)}, home {home}"
        )


@pytest.fixture(scope="module")
def parted_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The real site with its index in the most parts, as a large site's is
    (generator/build/search.py, part_count); and its URL."""
    from generator.build.search import index_site

    copy = tmp_path_factory.mktemp("parted") / "site"
    shutil.copytree(site, copy)
    index_site(copy, part_bytes=1)
    with serve(copy) as url:
        yield copy, url


def test_an_index_in_parts_is_searched_as_one(browser, parted_site) -> None:  # type: ignore[no-untyped-def]
    """The first part loads the search and merges the others: a name's record
    (in the first) still comes first, the pages are found in whichever part
    indexes them, and a page is listed once."""
    folder, url = parted_site
    listed = json.loads((folder / "pagefind" / "wcw-parts.json").read_text(encoding="utf-8"))
    assert len(listed["parts"]) > 4
    context = browser.new_context(base_url=url, service_workers="block")
    try:
        page = context.new_page()
        log = Recorder().attach(page)
        goto(page, "sources/")
        assert search(page, "Zaporozhye")[0] == "/regions/zaporizhzhia/"
        for query, expected in [("Witko", "/people/#actor-steve-witkoff"),
                                ("Kiev", "/regions/#region-UA-30")]:  # fmt: skip
            page.locator(BOX).fill("")
            found = type_query(page, query)
            assert found[0] == expected, f"{query!r}: {found}"
            assert len(found) == len(set(found)), f"a place listed twice: {found}"
        fetched = {u.split("/pagefind/", 1)[1].split("/")[0] for u in log.requests
                   if "/pagefind/part-" in u}  # fmt: skip
        assert fetched == {p.rstrip("/") for p in listed["parts"]}, "every part is searched"
        assert not [u for u in log.requests if "worker" in u], (
            "the search runs in the page: a second copy of its code is not fetched"
        )
        assert not log.problems(), log.problems()
    finally:
        context.close()
