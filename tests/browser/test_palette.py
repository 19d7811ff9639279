"""The colour-scheme switch (generator/theme/partials/palette.html).

It replaces Material's palette component. Two states, light and dark: the
first page follows the system preference, every click changes what the
reader sees (a three-state cycle with "automatic" first changed nothing on
a light system), and the choice holds on the next page.
"""

from __future__ import annotations

import pytest

from .support import goto, page_scheme

SWITCH = "#wcw-palette label:not([hidden])"
SCHEME = {"light": "default", "dark": "slate"}
OTHER = {"light": "dark", "dark": "light"}


@pytest.mark.parametrize("system", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_switch_starts_from_the_system_and_has_two_states(
    open_page, system: str, width: int
) -> None:
    page, log = open_page(width=width, height=844 if width == 390 else 900, scheme=system)
    goto(page, "")
    # Set while the header is parsed: no flash of the other scheme, no script later.
    assert page_scheme(page) == SCHEME[system]
    assert page.locator("#wcw-palette input").count() == 2
    seen = []
    for _ in range(4):
        switch = page.locator(SWITCH)
        assert switch.count() == 1
        seen.append((switch.get_attribute("title"), page_scheme(page)))
        switch.click()
    first, second = SCHEME[system], SCHEME[OTHER[system]]
    assert seen == [
        (f"Switch to {OTHER[system]} mode", first),
        (f"Switch to {system} mode", second),  # the first click changes what the reader sees
        (f"Switch to {OTHER[system]} mode", first),  # and the second brings it back
        (f"Switch to {system} mode", second),
    ]
    assert not log.problems(), log.problems()


def test_the_page_follows_the_system_until_the_reader_chooses(open_page) -> None:
    page, log = open_page(scheme="dark")
    goto(page, "who-claims-what/")
    assert page_scheme(page) == "slate"
    page.emulate_media(color_scheme="light")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    page.locator(SWITCH).click()  # the reader chooses dark
    assert page_scheme(page) == "slate"
    page.emulate_media(color_scheme="dark")
    page.emulate_media(color_scheme="light")  # the system changes again: the choice holds
    assert page_scheme(page) == "slate"
    assert not log.problems(), log.problems()


def test_the_choice_is_remembered_and_works_by_keyboard(open_page) -> None:
    page, log = open_page(scheme="light")
    goto(page, "")
    page.locator(SWITCH).click()  # light → dark
    goto(page, "summit/")  # another page, a full load: the choice holds
    assert page_scheme(page) == "slate"
    assert page.locator(SWITCH).get_attribute("title") == "Switch to light mode"
    # Keyboard: Enter on the focused option moves on to the other one.
    page.locator("#wcw-palette input:checked").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page.locator(SWITCH).get_attribute("title") == "Switch to dark mode"
    assert not log.problems(), log.problems()
