"""The theme's search finds pages by what readers type, spellings included."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .support import goto

RESULT_LINKS = ".md-search-result__list a.md-search-result__link"


def search(page, query: str, expected: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type ``query`` into Material's search box; the result links' paths.

    Waits (up to 10 s) until a result links to ``expected``, or gives up and
    returns what was found, for the failure message.
    """
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # narrow screens: the header's magnifier opens it
        page.locator("label.md-header__button[for='__search']").click()
    box.click()
    box.press_sequentially(query, delay=20)
    links = page.locator(RESULT_LINKS)
    links.first.wait_for(state="visible", timeout=10_000)
    # On a timeout the caller's assertion says what was found instead.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            """([sel, path]) => [...document.querySelectorAll(sel)]
                .some(a => new URL(a.href).pathname === path)""",
            arg=[RESULT_LINKS, expected],
            timeout=10_000,
        )
    return [urlsplit(h).path for h in links.evaluate_all("as => as.map(a => a.href)")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Alaska", "/summit/"),
        # An alias from content/regions.yml, not the name the site writes.
        ("Zaporozhye", "/regions/zaporizhzhia/"),
    ],
)
def test_search_finds(open_page, query: str, expected: str) -> None:
    page, log = open_page()
    goto(page, "")
    found = search(page, query, expected)
    assert expected in found, f"searching {query!r} found {found}, not {expected}"
    assert not log.problems(), log.problems()
