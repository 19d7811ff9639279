"""Screenshots of every page, wide and narrow, light and dark, for people to look at.

Written to screenshots/<width>-<scheme>/<page>.png (git-ignored). The test
checks only that each was taken in the intended colour scheme; judging them
is for humans.
"""

from __future__ import annotations

import shutil

import pytest

from .support import SCREENSHOTS, goto, page_scheme, screenshot_name, wait_for_scheme


@pytest.fixture(scope="module", autouse=True)
def fresh_folder() -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_screenshot_every_page(open_page, pages: list[str], width: int, scheme: str) -> None:
    page, _ = open_page(width=width, height=900 if width > 800 else 740, scheme=scheme)
    folder = SCREENSHOTS / f"{width}-{scheme}"
    folder.mkdir(parents=True, exist_ok=True)
    for path in pages:
        goto(page, path)
        wait_for_scheme(page, scheme)
        page.evaluate("document.fonts.ready")
        file = folder / f"{screenshot_name(path)}.png"
        page.screenshot(path=str(file), full_page=True, animations="disabled")
        assert file.stat().st_size > 1000, file
        assert page_scheme(page) == ("slate" if scheme == "dark" else "default")
