"""The live preview in a real browser: one reload per save, the edit shown, problems overlaid.

Each test runs ``serve`` on its own copy of the content and opens the
who-claims-what page in Chromium. Save → visible is measured and printed
(``-s`` shows it); speed is the benchmark's business (bench/preview.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..test_serve import edit_summary, first_claims_file, running_preview
from ..test_site import copy_project
from .support import describe_violations, run_axe

#: Marks the moment a reloaded page is parsed and painted, on the browser's clock.
READY_SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  requestAnimationFrame(function () { window.__wcwPainted = Date.now(); });
});
"""
#: How long to wait for a second, stray reload: the old preview's second
#: build came a whole build (1.5 s, more on a loaded machine) after the first.
SETTLE_S = 6.0


class Loads:
    """Documents the page navigated to: each livereload reload is one more."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.count = 0
        page.on("framenavigated", lambda frame: self._add(frame, page))

    def _add(self, frame, page) -> None:  # type: ignore[no-untyped-def]
        if frame == page.main_frame:
            self.count += 1


@pytest.fixture
def preview(browser, tmp_path: Path) -> Iterator[tuple[object, Path, Loads]]:  # type: ignore[no-untyped-def]
    content = copy_project(tmp_path / "p")
    with running_preview(content) as (base, _output):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        context.add_init_script(READY_SCRIPT)
        page = context.new_page()
        loads = Loads(page)
        # The first claim file's first claim is an analyst's: its card is on that group's page.
        page.goto(base + "who-claims-what/commentary-analysts/")
        try:
            yield page, content, loads
        finally:
            context.close()


def save_and_wait(page, loads: Loads, save, visible: str) -> float:  # type: ignore[no-untyped-def]
    """Run ``save``, wait for ``visible`` in the reloaded page; seconds to its first paint."""
    before = loads.count
    saved_at = time.time()
    save()
    page.locator(visible).first.wait_for(state="attached")
    page.wait_for_function("window.__wcwPainted !== undefined")
    seconds = page.evaluate("window.__wcwPainted") / 1000 - saved_at
    time.sleep(SETTLE_S)
    assert loads.count - before == 1, f"{loads.count - before} reloads for one save"
    return seconds


def test_a_save_reloads_the_page_once_and_shows_the_edit(preview) -> None:  # type: ignore[no-untyped-def]
    page, content, loads = preview
    path = first_claims_file(content)
    for marker in ("PREVIEW-EDIT-4K", "PREVIEW-EDIT-8W"):
        seconds = save_and_wait(
            page, loads, lambda m=marker: edit_summary(path, m), f"text={marker}"
        )
        print(f"\nsave → visible: {seconds:.2f} s")
    assert page.locator("#wcw-preview-overlay").count() == 0


def test_a_broken_save_shows_the_overlay_and_the_fix_clears_it(preview, axe_js) -> None:  # type: ignore[no-untyped-def]
    page, content, loads = preview
    path = first_claims_file(content)
    good = path.read_text(encoding="utf-8")
    save_and_wait(
        page, loads, lambda: edit_summary(path, "PREVIEW-GOOD-2M"), "text=PREVIEW-GOOD-2M"
    )
    broken = good.replace("    summary: ", "    summary: PREVIEW-LOST-9Z ", 1) + "  - id: [\n"
    seconds = save_and_wait(
        page, loads, lambda: path.write_text(broken, encoding="utf-8"), "#wcw-preview-overlay"
    )
    print(f"\nbroken save → overlay: {seconds:.2f} s")
    overlay = page.get_by_role("alert")
    assert overlay.is_visible()
    text = overlay.inner_text()
    assert re.search(rf"content/claims/{re.escape(path.name)}:\d+:\d+", text), text
    assert "YAML" in text, text
    violations = [v for v in run_axe(page) if any("wcw-preview" in node for node in v["nodes"])]
    assert not violations, describe_violations("the overlay", violations)
    # The last good version stays underneath; the broken save is not shown.
    assert page.locator("text=PREVIEW-GOOD-2M").count() > 0
    assert page.locator("text=PREVIEW-LOST-9Z").count() == 0
    # The close button is reachable by keyboard and closes the overlay.
    close = overlay.get_by_role("button", name=re.compile("close", re.I))
    close.focus()
    assert page.evaluate("document.activeElement.textContent") == "Close"
    page.keyboard.press("Enter")
    assert page.locator("#wcw-preview-overlay").count() == 0
    page.reload()
    assert page.get_by_role("alert").is_visible()

    # The fix: one reload, the overlay gone, the fixed text shown.
    loads.count = 0
    fixed = good.replace("    summary: ", "    summary: PREVIEW-FIXED-5R ", 1)
    seconds = save_and_wait(
        page, loads, lambda: path.write_text(fixed, encoding="utf-8"), "text=PREVIEW-FIXED-5R"
    )
    print(f"fix → visible: {seconds:.2f} s")
    assert page.locator("#wcw-preview-overlay").count() == 0


def test_the_overlay_is_never_in_a_built_site(site: Path) -> None:
    found = [p for p in site.rglob("*") if p.is_file() and b"wcw-preview" in p.read_bytes()]
    assert not found, found
