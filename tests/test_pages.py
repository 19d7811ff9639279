"""Pages: one URL scheme, and titles and descriptions worded from the facts.

The URL tests read the templates as text (no template may write a page path
or an anchor prefix) and check that every producer of links — pages,
JSON-LD, open data, feeds — gives the URL :mod:`generator.content.urls` gives.
The wording tests load a small project whose facts differ from the real
content and check its pages say what *its* facts say.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

import feedparser
import icalendar
import pytest

from generator.build.generate import generate
from generator.content import urls
from generator.content.model import EventKind
from generator.content.project import Project
from generator.outputs.atom import atom_feed
from generator.outputs.ical import calendar
from generator.outputs.opendata import open_data_files
from generator.site import slots
from generator.site.cardstore import CardShards
from generator.site.jsonld import JsonLd
from generator.site.pages import facts, pages

from .conftest import FIXTURES, REPO
from .publishing_helpers import AS_OF, SITE_URL, isolated_project, loaded

TEMPLATES = REPO / "generator" / "site" / "templates"

#: Anchor prefixes and page paths the URL scheme owns.
ANCHOR_PREFIXES = ("claim-", "event-", "deadline-", "proposal-", "actor-", "src-", "region-",
                   "brief-", "term-")  # fmt: skip
PAGE_PATHS = ("who-claims-what/", "timeline/", "deadlines/", "proposals/", "people/",
              "sources/", "regions/", "methodology/", "summit/", "contributing/", "data/",
              "feed.xml", "deadlines.ics")  # fmt: skip


# ---- one URL scheme --------------------------------------------------------------


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.j2")))
def test_templates_take_every_path_and_anchor_from_the_url_scheme(template: str) -> None:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    # Literal strings inside Jinja expressions and attribute values that hold an id.
    literals = re.findall(r"'([^']*)'|\"([^\"{}<>]*)\"", " ".join(
        re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text, re.S)
    ))  # fmt: skip
    written = [a or b for a, b in literals]
    for value in written:
        assert not value.startswith(ANCHOR_PREFIXES), (template, value)
        assert value not in PAGE_PATHS and not value.startswith("data/"), (template, value)
    # Ids and same-page links built by hand: id="claim-{{ … }}", href="#src-{{ … }}".
    prefixes = "|".join(ANCHOR_PREFIXES)
    hand_made = re.findall(rf'(?:id|href)="#?(?:{prefixes})\{{\{{', text)
    assert not hand_made, (template, hand_made)
    assert not re.search(r"\{ #[a-z]+-\{\{", text), template  # heading anchors


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    """The mini fixture, generated once into its own docs/."""
    project, fb = loaded(isolated_project(tmp_path_factory.mktemp("small") / "p"))
    generate(project, fb, AS_OF, SITE_URL)
    return project, fb


def test_every_producer_links_a_claim_where_the_scheme_says(small) -> None:
    project, fb = small
    claim = next(iter(fb.claims.values()))
    event = next(e for e in fb.events.values() if e.kind is EventKind.summit)
    deadline = next(iter(fb.deadlines.values()))
    want = {
        "claim": urls.absolute(SITE_URL, urls.claim(claim.id)),
        "event": urls.absolute(SITE_URL, urls.event(event.id)),
        "deadline": urls.absolute(SITE_URL, urls.deadline(deadline.id)),
    }
    assert want["claim"] == SITE_URL + f"who-claims-what/#claim-{claim.id}"
    # Open data
    files = open_data_files(fb, project, AS_OF, SITE_URL)
    for kind in want:
        rows = csv.DictReader(io.StringIO(files[f"data/{kind}s.csv"].decode("utf-8")))
        urls_of = {r["id"]: r["url"] for r in rows}
        ident = {"claim": claim, "event": event, "deadline": deadline}[kind].id
        assert urls_of[ident] == want[kind], kind
    # The Atom feed and the calendar
    feed = feedparser.parse(atom_feed(fb, AS_OF, SITE_URL))
    assert want["claim"] in {e.link for e in feed.entries}
    cal = icalendar.Calendar.from_ical(calendar(fb, AS_OF, SITE_URL))
    assert {want["event"], want["deadline"]} <= {str(e["URL"]) for e in cal.walk("VEVENT")}
    # JSON-LD: the claim's card on each page that shows it
    jsonld = JsonLd(fb, AS_OF, SITE_URL)
    for page in pages(fb, AS_OF):
        for mention in jsonld.page(page).get("mentions", []):
            page_url, anchor = mention["@id"].split("#")
            assert page_url == urls.absolute(SITE_URL, page.url)
            assert anchor.removeprefix("claim-") in fb.claims
    # The pages: each card's anchor, and links to it
    matrix = shown(project, urls.WHO_CLAIMS_WHAT)
    assert f'id="{urls.claim(claim.id).anchor}"' in matrix
    # Elsewhere a claim links to its card in full, on its group's page (site/listings.py).
    listing = next(p for p in pages(fb, AS_OF) if p.url == urls.WHO_CLAIMS_WHAT)
    people = shown(project, urls.PEOPLE)
    assert f'href="../{listing.view["homes"][claim.id]}"' in people


def shown(project: Project, url: str) -> str:
    """A generated page as the site shows it: its Markdown with the cards and blocks
    the post-step fills in after the engine (generator/site/slots.py)."""
    text = (project.docs / urls.markdown_file(url)).read_text(encoding="utf-8")
    return slots.fill(text, CardShards(project.cards), url)


def test_page_files_follow_the_url_scheme(small) -> None:
    project, fb = small
    for page in pages(fb, AS_OF):
        assert (project.docs / page.path).is_file(), page.path
        assert page.path == urls.markdown_file(page.url)
    assert urls.markdown_file(urls.HOME) == "index.md"
    assert urls.markdown_file(urls.REGIONS) == "regions/index.md"
    assert urls.markdown_file(urls.region_page("Kherson").page) == "regions/kherson/index.md"
    assert urls.markdown_file(urls.WHO_CLAIMS_WHAT) == "who-claims-what/index.md"


def test_methodology_links_the_open_data_the_feeds_and_the_guide(small) -> None:
    project, _ = small
    text = (project.docs / urls.markdown_file(urls.METHODOLOGY)).read_text(encoding="utf-8")
    linked = set(re.findall(r'href="\.\./([^"#]*)"', text))
    for target in ("data/facts.json", "data/facts.schema.json", "data/claims.csv",
                   "data/events.csv", "data/deadlines.csv", "data/regions.geojson",
                   "data/README.txt", "feed.xml", "deadlines.ics", "contributing/"):  # fmt: skip
        assert target in linked, target
        published = project.docs / target
        assert published.is_file() or (project.docs / urls.markdown_file(target)).is_file()
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"- Contributing: {urls.markdown_file(urls.CONTRIBUTING)}" in nav


# ---- titles and descriptions from the facts ---------------------------------------------

ELSEWHERE = """
  - id: hanoi-meeting
    title: A meeting in 2019
    kind: meeting
    text: A meeting.
    date: 2019-02
    status: confirmed
    sources:
      - source: yahoo-summit-explainer
        evidence: his meeting with Putin would be held in the far-north US state of Alaska
"""


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory):
    """The mini fixture with its summit moved to Helsinki, an event in 2019 and a
    proposal of 2023: facts that differ from the real content's."""
    text = (FIXTURES / "mini" / "base.yml").read_text(encoding="utf-8")
    changed = (
        text.replace("    location: Alaska\n", "    location: Helsinki, Finland\n")
        .replace("deadlines:\n", ELSEWHERE.lstrip("\n").join(["", "deadlines:\n"]), 1)
        .replace("    summary: deal\n    date: 2025-08\n", "    summary: deal\n    date: 2023-05\n")
    )
    assert changed.count("Helsinki") == 1 and "2023-05" in changed and "hanoi" in changed
    root = tmp_path_factory.mktemp("elsewhere") / "p"
    project, fb = loaded(isolated_project(root, {"base.yml": changed}))
    generate(project, fb, AS_OF, SITE_URL)
    return project, fb


def _by_url(fb) -> dict[str, object]:
    return {p.url: p for p in pages(fb, AS_OF)}


def test_titles_and_descriptions_say_what_this_projects_facts_say(elsewhere) -> None:
    project, fb = elsewhere
    by_url = _by_url(fb)
    summit = by_url[urls.SUMMIT]
    assert summit.title == "The Helsinki summit"
    assert summit.description.startswith(
        "The summit of Donald Trump and Vladimir Putin: 15 August 2025, Helsinki, Finland."
    )
    assert "the Helsinki summit" in by_url[urls.HOME].description
    assert "Alaska" not in by_url[urls.HOME].description
    assert by_url[urls.TIMELINE].description == (
        "Every dated event from 2019 to August 2025, to the precision the sources give."
    )
    assert by_url[urls.REGIONS].description.startswith(f"All {len(fb.regions)} first-level")
    docs = project.docs
    summit_md = (docs / "summit" / "index.md").read_text(encoding="utf-8")
    assert re.search(r"^# The Helsinki summit$", summit_md, re.M)
    assert re.search(r"^## Why Helsinki: the venues considered$", summit_md, re.M)
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert "Timeline</a>: from 2019 to August 2025." in home
    proposals = (docs / "proposals" / "index.md").read_text(encoding="utf-8")
    assert "The plans reported since 2023, side by side." in proposals


def test_region_counts_and_kinds_come_from_the_regions(elsewhere) -> None:
    _, fb = elsewhere
    real = facts(fb, None)
    assert real.regions == 27
    assert real.region_kinds == (
        "24 oblasts, the Autonomous Republic of Crimea, and the cities of Kyiv and Sevastopol"
    )
    kept = {code: r for code, r in fb.regions.items() if code in ("UA-09", "UA-14", "UA-30")}
    few = dataclasses.replace(fb, regions=kept, _indexes={})
    assert facts(few, None).region_kinds == "2 oblasts and the city of Kyiv"
    by_url = _by_url(few)
    assert by_url[urls.REGIONS].description.startswith("All 3 first-level units")


def test_a_project_without_summit_or_events_gets_no_invented_ones(tmp_path: Path) -> None:
    text = (FIXTURES / "mini" / "base.yml").read_text(encoding="utf-8")
    start, end = text.index("events:\n"), text.index("deadlines:\n")
    project, fb = loaded(isolated_project(tmp_path / "p", {"base.yml": text[:start] + text[end:]}))
    assert not fb.events
    by_url = _by_url(fb)
    assert by_url[urls.SUMMIT].title == "The summit"
    assert by_url[urls.SUMMIT].description == "The summit, the road to it and earlier summits."
    assert by_url[urls.TIMELINE].description == (
        "Every dated event, to the precision the sources give."
    )
    assert "the summits and the sanctions deadlines" in by_url[urls.HOME].description
