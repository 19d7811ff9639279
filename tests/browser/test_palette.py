"""The colour-scheme switch (generator/theme/partials/palette.html).

It replaces Material's palette component, so it must do what readers had:
follow the system preference until they choose, cycle automatic → light →
dark by mouse and keyboard, and remember the choice on the next page.
"""

from __future__ import annotations

from .support import goto, page_scheme

SWITCH = "#wcw-palette label:not([hidden])"


def test_the_scheme_follows_the_system_until_the_reader_chooses(open_page) -> None:
    page, log = open_page(scheme="dark")
    goto(page, "who-claims-what/")
    # Set while the header is parsed: no flash of the light scheme, no script later.
    assert page_scheme(page) == "slate"
    assert page.locator(SWITCH).get_attribute("title") == "Switch to light mode"
    page.emulate_media(color_scheme="light")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert not log.problems(), log.problems()


def test_the_switch_cycles_and_the_choice_is_remembered(open_page) -> None:
    page, log = open_page(scheme="light")
    goto(page, "")
    titles = []
    for _ in range(3):
        titles.append(page.locator(SWITCH).get_attribute("title"))
        page.locator(SWITCH).click()
        titles.append(page_scheme(page))
    assert titles == [
        "Switch to light mode", "default",   # automatic → light
        "Switch to dark mode", "slate",      # light → dark
        "Switch to system preference", "default",  # dark → automatic (system: light)
    ]  # fmt: skip
    page.locator(SWITCH).click()  # automatic → light
    page.locator(SWITCH).click()  # light → dark
    goto(page, "summit/")  # another page, a full load: the choice holds
    assert page_scheme(page) == "slate"
    assert page.locator(SWITCH).get_attribute("title") == "Switch to system preference"
    # Keyboard: Enter on the focused option moves on to the next one.
    page.locator("#wcw-palette input:checked").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page.locator(SWITCH).get_attribute("title") == "Switch to light mode"
    assert not log.problems(), log.problems()
