"""The site's URL scheme, in one place: every page path, anchor and canonical URL.

Templates, maps, open data, feeds and JSON-LD all link to the same things;
each asks here, so a page can move or an anchor change in one edit.
URLs are directory-style and relative to the site root ('regions/kherson/');
:func:`absolute` prefixes ``site_url`` where a link must stand alone (feeds,
JSON-LD, open data).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass

from generator.content.model import Region, slug


@dataclass(frozen=True)
class Link:
    """A place on the site: a page (directory-style, relative to the root) and an anchor."""

    page: str
    anchor: str | None = None

    def __str__(self) -> str:
        return self.page + self.fragment

    @property
    def fragment(self) -> str:
        """'#anchor', for a link within the page that holds the anchor ('' if none)."""
        return f"#{self.anchor}" if self.anchor else ""

    def on(self, page: str) -> Link:
        """The same anchor on another page: a card is shown, with its anchor, on
        every page that lists it."""
        return Link(page, self.anchor)


#: Pages that list one kind of entry, and the anchor prefix of each entry there.
WHO_CLAIMS_WHAT = "who-claims-what/"
TIMELINE = "timeline/"
DEADLINES = "deadlines/"
PROPOSALS = "proposals/"
PEOPLE = "people/"
SOURCES = "sources/"
REGIONS = "regions/"
METHODOLOGY = "methodology/"
SUMMIT = "summit/"
CONTRIBUTING = "contributing/"
CORRECTIONS = "corrections/"
HOME = ""

#: Files published beside the pages.
DATA_DIR = "data/"
FEED = Link("feed.xml")
CALENDAR = Link("deadlines.ics")
#: The proposals page's section that draws each side's positions.
POSITIONS_COMPARED = Link(PROPOSALS, "positions-compared")


def claim(claim_id: str) -> Link:
    return Link(WHO_CLAIMS_WHAT, f"claim-{claim_id}")


def claims_page(group: str, number: int) -> Link:
    """Page ``number`` (from 1) of a group of claims' cards, under who-claims-what."""
    return Link(f"{WHO_CLAIMS_WHAT}{group}/" + (f"{number}/" if number > 1 else ""))


def event(event_id: str) -> Link:
    return Link(TIMELINE, f"event-{event_id}")


def deadline(deadline_id: str) -> Link:
    return Link(DEADLINES, f"deadline-{deadline_id}")


def proposal(proposal_id: str) -> Link:
    return Link(PROPOSALS, f"proposal-{proposal_id}")


def actor(actor_id: str) -> Link:
    return Link(PEOPLE, f"actor-{actor_id}")


def source(source_id: str) -> Link:
    return Link(SOURCES, f"src-{source_id}")


def brief(brief_id: str) -> Link:
    return Link(HOME, f"brief-{brief_id}")


def region_page(name: str) -> Link:
    """A region's own page, named by its display name."""
    return Link(f"{REGIONS}{slug(name)}/")


def region_entries(name: str, number: int) -> Link:
    """Page ``number`` (from 1) of all of a region's claims and events, oldest first."""
    return Link(f"{region_page(name).page}{number}/")


def region_row(code: str) -> Link:
    """A region's row in the regions index, for regions without a page of their own."""
    return Link(REGIONS, f"region-{code}")


def region(record: Region, with_pages: Container[str]) -> Link:
    """Where a link to a region goes: its own page if it has one (``with_pages``
    holds the codes of regions with a page), else its row in the regions index."""
    return region_page(record.name) if record.code in with_pages else region_row(record.code)


def glossary_term(anchor: str) -> Link:
    return Link(METHODOLOGY, anchor)


def data_file(name: str) -> Link:
    """An open-data file ('facts.json'), published under data/."""
    return Link(f"{DATA_DIR}{name}")


MAPS_DIR = "maps/"
MAP_IMAGES = "assets/maps/"


def map_figure(map_id: str, page: str = HOME) -> Link:
    """A map's figure on a page that shows it (its id is the figure's anchor)."""
    return Link(page, f"wcw-map-{map_id}")


def map_file(map_id: str, ext: str) -> Link:
    """A map published as a file of its own: 'svg' (the drawing), 'csv' (its data table)."""
    return Link(f"{MAPS_DIR}{map_id}.{ext}")


def map_image(map_id: str) -> Link:
    """A map's 1200×630 PNG, also the share image of the pages that show it."""
    return Link(f"{MAP_IMAGES}{map_id}.png")


def locator_image(code: str) -> Link:
    """A region's locator map as a 1200×630 PNG: its page's share image."""
    return Link(f"{MAP_IMAGES}locator-{code}.png")


#: The stylesheet every embeddable map page loads.
MAP_EMBED_CSS = Link("embed/embed.css")


def map_embed(map_id: str) -> Link:
    """A map's standalone page, the figure only, for an iframe on another site."""
    return Link(f"embed/{map_id}/")


#: Each kind of record with a canonical place on the site, and how to link it.
CANONICAL: dict[str, Callable[[str], Link]] = {
    "claim": claim,
    "event": event,
    "deadline": deadline,
    "proposal": proposal,
    "actor": actor,
    "source": source,
    "brief": brief,
}


def markdown_file(page: str) -> str:
    """The generated Markdown file, inside docs/, that the engine serves at ``page``.

    Always ``<page>index.md``: the file then sits where its URL does, so a link
    relative to the page is also relative to the file. MkDocs leaves links in
    HTML blocks as they are, while Zensical resolves them against the Markdown
    file; only with the file at its URL do both engines publish the same links.
    """
    return f"{page}index.md"


def timeline_year(year: int) -> Link:
    """A year's heading on the timeline (its jump links point here)."""
    return Link(TIMELINE, f"year-{year}")


def timeline_month(label: str) -> Link:
    """A month's heading on the timeline, from its label ('August 2025')."""
    return Link(TIMELINE, slug(label))


def timeline_undated(year: int) -> Link:
    """The events of a year whose month the sources do not give."""
    return Link(TIMELINE, f"year-{year}-undated")


def absolute(site_url: str, link: Link | str) -> str:
    """The link as a full URL under ``site_url`` (or as it is when there is no site URL)."""
    text = str(link)
    return f"{site_url.rstrip('/')}/{text}" if site_url else text
