"""What readers click: a claim's source, and the evidence behind it."""

from __future__ import annotations

from urllib.parse import urlsplit

import yaml

from generator.content.quotes import normalize

from .support import REPO, goto

CITE = "article.wcw-fact ul.wcw-cites > li"


def test_a_claims_source_link_lands_on_that_source(open_page) -> None:
    page, log = open_page()
    # Cards stand open on the timeline (who-claims-what lists lines; cards are a tap away).
    goto(page, "timeline/")
    link = page.locator(f"{CITE} > a[href*='sources/#src-']").first
    href = link.get_attribute("href") or ""
    anchor = urlsplit(href).fragment
    link.click()
    page.wait_for_url(f"**/sources/#{anchor}")
    page.wait_for_load_state("load")
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1, f"no single element #{anchor} on /sources/"
    # In view, and not under the sticky header.
    page.wait_for_function(
        """id => { const r = document.getElementById(id).getBoundingClientRect();
                   const h = document.querySelector('.md-header').getBoundingClientRect();
                   return r.top >= h.bottom - 1 && r.top < innerHeight; }""",
        arg=anchor,
        timeout=5_000,
    )
    heading = target.locator("h2, h3").first
    assert heading.is_visible() and heading.inner_text().strip()
    assert not log.problems(), log.problems()


def test_expanding_evidence_shows_the_verbatim_passage(open_page) -> None:
    page, log = open_page()
    # Cards stand open on the timeline (who-claims-what lists lines; cards are a tap away).
    goto(page, "timeline/")
    item = page.locator(f"{CITE}:has(> details.wcw-evidence)").first
    details = item.locator("details.wcw-evidence")
    passage = details.locator("blockquote")
    assert not passage.is_visible(), "the evidence is open before it is asked for"
    details.locator("summary").click()
    assert details.evaluate("d => d.open")
    assert passage.is_visible()
    shown = passage.inner_text()
    assert len(shown.strip()) > 10, shown
    # The passage stands, word for word, in the article the claim cites.
    source_id = urlsplit(
        item.locator("a[href*='sources/#src-']").first.get_attribute("href") or ""
    ).fragment
    source_id = source_id.removeprefix("src-")
    manifest = yaml.safe_load((REPO / "seeds" / "sources.yml").read_text(encoding="utf-8"))
    file = next(s["file"] for s in manifest["sources"] if s["id"] == source_id)
    article = normalize((REPO / "seeds" / file).read_text(encoding="utf-8"))
    assert normalize(shown) in article, f"{shown!r} is not verbatim in seeds/{file}"
    assert not log.problems(), log.problems()
