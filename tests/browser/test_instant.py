"""Material's instant navigation, as readers on the published site get it.

The theme navigates in place only to URLs its sitemap lists, and it maps
the sitemap's URLs to the current host but not to the current port; on
127.0.0.1:PORT it would fall back to full page loads, and the tests would
miss what readers get. So the sitemap is served with the port added.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .support import goto
from .test_pages import SITE_URL


def with_port(page, site: Path, base_url: str) -> None:  # type: ignore[no-untyped-def]
    port = urlsplit(base_url).port
    origin = f"{urlsplit(SITE_URL).scheme}://{urlsplit(SITE_URL).hostname}"
    body = (site / "sitemap.xml").read_text(encoding="utf-8").replace(f"{origin}/", f"{origin}:{port}/")
    page.route(
        "**/sitemap.xml",
        lambda route: route.fulfill(status=200, content_type="application/xml", body=body),
    )


def test_instant_navigation_to_the_maps_and_on_through_a_region(
    open_page, site: Path, base_url: str
) -> None:
    page, log = open_page()
    with_port(page, site, base_url)
    goto(page, "", wait="networkidle")
    page.evaluate("window.__wcwSamePage = true")
    page.locator(".md-tabs a.md-tabs__link", has_text="Who claims what").click()
    page.wait_for_url("**/who-claims-what/")
    page.locator("figure:has(svg [data-iso])").first.wait_for()
    assert page.evaluate("window.__wcwSamePage === true"), "a full page load, not instant navigation"
    # A region on the map, after the page was swapped in place: its link resolves here.
    region = page.locator("figure:has(svg [data-iso]) svg a:has([data-iso='UA-23'])").first
    region.click()
    page.wait_for_url("**/regions/zaporizhzhia/**")
    page.wait_for_load_state("load")
    assert page.locator("h1").first.inner_text().startswith("Zaporizhzhia")
    assert not log.problems(), log.problems()
