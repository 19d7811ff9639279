"""The publication's pages: which exist, at which URL, with which data.

Each :class:`Page` pairs a template with a view — plain data prepared here
from the fact base — so templates only lay things out. URLs are stable:
they are the contract with readers' bookmarks and other sites' links, and
they all come from :mod:`generator.content.urls`. Titles and descriptions
are worded here from the facts (how many regions, which years), never
written into a template.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.content import urls
from generator.content.dates import PartialDate
from generator.content.factbase import FactBase
from generator.content.model import (
    PROPOSAL_TERMS,
    Actor,
    ActorKind,
    Claim,
    Event,
    EventKind,
    Party,
    Proposal,
    Region,
    RegionKind,
    Status,
    Topic,
    chronological,
)
from generator.site import listings, paging
from generator.site.corrections import corrections_log
from generator.site.dating import Dateline, dateline
from generator.site.front import developments, key_numbers, what_we_know
from generator.site.matrix import matrix, matrix_grid, region_order
from generator.site.standing import region_standing


@dataclass
class Page:
    url: str  # directory-style, as MkDocs serves it: one of generator.content.urls
    template: str
    title: str
    description: str
    view: dict[str, Any] = field(default_factory=dict)
    # What the page navigates by but does not show (a group's other pages): the
    # template sees it, the dateline does not date the page by it.
    context: dict[str, Any] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)  # for the page's JSON-LD
    hide: tuple[str, ...] = ()  # Material's front matter: "navigation", "toc"
    dateline: Dateline | None = None  # set by pages(), from the records the view shows

    @property
    def path(self) -> str:
        """The Markdown file inside docs/, e.g. "regions/kherson/index.md"."""
        return urls.markdown_file(self.url)


@dataclass(frozen=True)
class TimelineMonth:
    label: str
    events: list[Event]


@dataclass(frozen=True)
class TimelineYear:
    year: int
    undated: list[Event]  # known only to the year
    months: list[TimelineMonth]


@dataclass(frozen=True)
class ProposalRow:
    term: str
    cells: list[list[Claim]]


@dataclass(frozen=True)
class RegionRow:
    """A region in the regions index: how many claims name it, and whether it has a page."""

    region: Region
    claims: int
    has_page: bool


def region_rows(fb: FactBase, with_pages: set[str]) -> list[RegionRow]:
    return [
        RegionRow(r, len(fb.claims_about(r.code)), r.code in with_pages) for r in region_order(fb)
    ]


def timeline(events: list[Event]) -> list[TimelineYear]:
    """Newest first: a reader comes for the latest; events known only to the year
    close their year, after its months."""
    by_year: dict[int, list[Event]] = defaultdict(list)
    for event in sorted(events, key=chronological, reverse=True):
        by_year[event.date.year].append(event)
    years = []
    for year, items in sorted(by_year.items(), reverse=True):
        months: dict[int, list[Event]] = defaultdict(list)
        for e in items:
            if e.date.month:
                months[e.date.month].append(e)
        years.append(
            TimelineYear(
                year,
                [e for e in items if not e.date.month],
                [
                    TimelineMonth(dt.date(year, m, 1).strftime("%B %Y"), evs)
                    for m, evs in sorted(months.items(), reverse=True)
                ],
            )
        )
    return years


def proposal_rows(fb: FactBase, proposals: list[Proposal]) -> list[ProposalRow]:
    """Region by region, then term by term; a row only where some proposal speaks."""
    per_proposal = {p.id: fb.terms_of(p.id) for p in proposals}
    rows: list[ProposalRow] = []
    for region in region_order(fb):
        cells = [[c for c in per_proposal[p.id] if region.code in c.regions] for p in proposals]
        if any(cells):
            rows.append(ProposalRow(region.name, cells))
    for topic in PROPOSAL_TERMS:
        if topic is Topic.territory:
            continue
        cells = [[c for c in per_proposal[p.id] if topic in c.topics] for p in proposals]
        if any(cells):
            rows.append(ProposalRow(topic.label, cells))
    return rows


def deadlines_view(fb: FactBase, as_of: dt.date) -> dict[str, Any]:
    ordered = sorted(fb.deadlines.values(), key=chronological)
    states = {d.id: d.state(as_of) for d in ordered}
    upcoming = [d for d in ordered if states[d.id].key in ("upcoming", "due")]
    past = [d for d in reversed(ordered) if states[d.id].key not in ("upcoming", "due")]
    return {
        "deadlines": ordered,
        "states": states,
        "next_deadline": upcoming[0] if upcoming else None,
        "last_deadline": past[0] if past else None,
        "measures": _events_of(fb, EventKind.measure),
        "markets": _events_of(fb, EventKind.market),
    }


def _events_of(fb: FactBase, kind: EventKind) -> list[Event]:
    return sorted((e for e in fb.events.values() if e.kind is kind), key=lambda e: e.date.sort_key)


def summit_view(fb: FactBase) -> dict[str, Any]:
    """The latest summit, why it is there, who takes part, and what each side says."""
    summits = _events_of(fb, EventKind.summit)
    main = summits[-1] if summits else None
    about = sorted(
        (
            c
            for c in fb.claims.values()
            if Topic.summit in c.topics or Topic.venue in c.topics or Topic.attendance in c.topics
        ),
        key=chronological,
    )
    venue = [c for c in about if Topic.venue in c.topics]
    attendance = [c for c in about if Topic.attendance in c.topics and Topic.venue not in c.topics]
    by_party: dict[Party, list[Claim]] = defaultdict(list)
    for claim in about:
        if Topic.venue not in claim.topics and Topic.attendance not in claim.topics:
            by_party[fb.party(claim)].append(claim)
    road = [
        e
        for e in fb.events.values()
        if main is not None
        and e is not main
        and e.kind in (EventKind.call, EventKind.meeting, EventKind.talks, EventKind.announcement)
        and e.date.year >= main.date.year
        and e.date.latest() <= main.date.earliest()
    ]
    road.sort(key=chronological)
    return {
        "summit": main,
        "earlier": [e for e in summits if e is not main],
        "road": road,
        "venue": venue,
        "attendance": attendance,
        "positions": [(party, by_party[party]) for party in Party if by_party.get(party)],
    }


@dataclass(frozen=True)
class CitingEntry:
    """A fact that cites a source, as the sources page links to it."""

    kind: str
    label: str
    link: urls.Link


#: The field that names a record of each kind in the sources page's lists.
_LABEL = {
    "claim": "summary",
    "event": "title",
    "deadline": "title",
    "proposal": "name",
    "actor": "name",
    "brief": "heading",
}


def sources_view(fb: FactBase) -> dict[str, Any]:
    citing: dict[str, list[CitingEntry]] = defaultdict(list)
    for kind, record, cites in fb.sourced_records():
        if kind == "glossary":
            continue  # definitions are cited, but have no page anchor of their own
        link = urls.CANONICAL[kind](getattr(record, "id"))  # noqa: B009 - not on Record
        entry = CitingEntry(kind, getattr(record, _LABEL[kind]), link)
        for source_id in sorted({c.source for c in cites}):
            citing[source_id].append(entry)
    framings: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    for framing in fb.framings.values():
        for wording in framing.wordings:
            framings[wording.source].append((framing, wording))
    return {
        "sources": sorted(fb.sources.values(), key=lambda s: (s.published.sort_key, s.id)),
        "citing": {s: paging.Capped.of(citing.get(s, []), paging.SOURCE_SHOWN) for s in fb.sources},
        "framings": framings,
    }


def counts(fb: FactBase) -> dict[str, int]:
    cites = [c for _, _, cs in fb.sourced_records() for c in cs]
    return {
        "claims": len(fb.claims),
        "events": len(fb.events),
        "deadlines": len(fb.deadlines),
        "proposals": len(fb.proposals),
        "sources": len(fb.sources),
        "evidence": len(cites),
        "quotes": sum(1 for c in cites if c.quote),
    }


def _newest_first(claims: list[Claim]) -> list[Claim]:
    return sorted(claims, key=chronological, reverse=True)


def people_view(
    fb: FactBase,
) -> list[tuple[Party, list[tuple[Actor, paging.Capped[Claim]]]]]:
    """Each party's people, each with the newest of what they said (the rest are on the
    listings and in the open data)."""
    groups = []
    for party in Party:
        actors = sorted((a for a in fb.actors.values() if a.party is party), key=lambda a: a.name)
        if actors:
            said = [
                (a, paging.Capped.of(_newest_first(fb.claims_by(a.id)), paging.PERSON_SHOWN))
                for a in actors
            ]
            groups.append((party, said))
    return groups


@dataclass(frozen=True)
class Facts:
    """What titles, descriptions and ledes say about the content, worded from the facts.

    A page that says "all 27 regions" or "from 2014 to August 2025" in its
    template is wrong the day the facts change; these are counted instead.
    """

    regions: int
    region_kinds: str  # "24 oblasts, the Autonomous Republic of Crimea, and the cities of …"
    timeline_span: str  # "from 2014 to August 2025", "in 2025", or "" with no events
    proposals_since: int | None  # the year of the first proposal
    summit_place: str | None  # "Alaska": the first part of the latest summit's location
    summit_leaders: str  # "Donald Trump and Vladimir Putin", the people who meet there


def _and(items: list[str], comma: str = "") -> str:
    """'a', 'a and b', 'a, b{comma} and c'."""
    if len(items) < 3:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f"{comma} and {items[-1]}"


def _region_kinds(regions: list[Region]) -> str:
    names = {kind: sorted(r.name for r in regions if r.kind is kind) for kind in RegionKind}
    parts = []
    if oblasts := names[RegionKind.oblast]:
        parts.append(f"{len(oblasts)} oblast{'s' if len(oblasts) != 1 else ''}")
    parts += [f"the Autonomous Republic of {n}" for n in names[RegionKind.autonomous_republic]]
    if cities := names[RegionKind.city]:
        parts.append(f"the cit{'ies' if len(cities) != 1 else 'y'} of {_and(cities)}")
    return _and(parts, comma=",")


def _timeline_span(events: list[Event]) -> str:
    """The years the timeline covers: from the first event's year to the last one's month."""
    if not events:
        return ""
    first = min(events, key=chronological).date
    last = max(events, key=chronological).date
    if first.year == last.year:
        return f"in {last.year}"
    return f"from {first.year} to {PartialDate(last.year, last.month).human()}"


def facts(fb: FactBase, summit: Event | None) -> Facts:
    leaders = [
        fb.actors[a].name for a in (summit.actors if summit else [])
        if fb.actors[a].kind is ActorKind.person
    ]  # fmt: skip
    return Facts(
        regions=len(fb.regions),
        region_kinds=_region_kinds(list(fb.regions.values())),
        timeline_span=_timeline_span(list(fb.events.values())),
        proposals_since=min((p.date.year for p in fb.proposals.values()), default=None),
        summit_place=summit.location.split(",")[0].strip() if summit and summit.location else None,
        summit_leaders=_and(leaders),
    )


def summit_title(known: Facts) -> str:
    return f"The {known.summit_place} summit" if known.summit_place else "The summit"


def summit_description(summit: Event | None, known: Facts) -> str:
    which = f"The summit of {known.summit_leaders}" if known.summit_leaders else "The summit"
    if summit and summit.location:
        return (
            f"{which}: {summit.date.human()}, {summit.location}. "
            "Why there, who attends, what each side wants, and the road to it."
        )
    return f"{which}, the road to it and earlier summits."


def region_pages(fb: FactBase, region: Region, specs: Sequence[Any]) -> list[Page]:
    """A region's page (its standing, then its newest entries) and, once it has more
    than a page holds, the pages of all its entries, oldest first."""
    claims = fb.claims_about(region.code)
    entries = sorted([*claims, *fb.events_about(region.code)], key=chronological)
    url = urls.region_page(region.name).page
    links = paging.region_pages(region.name, len(entries))
    newest = entries[-paging.REGION_PER_PAGE :]
    shown = [c for c in newest if isinstance(c, Claim)]
    head = Page(
        url,
        "region.md.j2",
        region.name,
        f"Every claim, event and proposal about {region.name}, in time order, with its sources.",
        {
            "region": region,
            "standing": region_standing(region.code, specs),
            "entries": newest,
            "total": len(entries),
            "proposals": [
                fb.proposals[p] for p in sorted({c.proposal for c in claims if c.proposal})
            ],
        },
        context={"links": links},
        claims=shown,
    )
    parts = []
    for number, link in enumerate(links, start=1):
        chunk = paging.chunk(entries, number)
        parts.append(
            Page(
                link.page,
                "region_entries.md.j2",
                f"{region.name}: claims and events ({number} of {len(links)})",
                f"{len(chunk)} claims and events about {region.name} from "
                f"{chunk[0].date.human()} to {chunk[-1].date.human()}, with their sources.",
                {"region": region, "entries": chunk, "total": len(entries)},
                context={"links": links, "number": number, "home": url},
                claims=[c for c in chunk if isinstance(c, Claim)],
            )
        )
    return [head, *parts]


def group_pages(fb: FactBase, all_sections: list[listings.Section]) -> list[Page]:
    """Each group's cards, PER_PAGE to a page, oldest first: a card's page never moves."""
    result = []
    for section in all_sections:
        for group in section.groups:
            links = group.pages
            for number, link in enumerate(links, start=1):
                chunk = group.chunk(number)
                part = f" ({number} of {len(links)})" if len(links) > 1 else ""
                result.append(
                    Page(
                        link.page,
                        "claims_group.md.j2",
                        f"{group.title}{part}",
                        f"{len(chunk)} claims from {chunk[0].date.human()} to "
                        f"{chunk[-1].date.human()}, each with its sources.",
                        {"chunk": chunk[::-1], "filters": listings.filters(fb, chunk)},
                        context={
                            "section": section,
                            "group": group,
                            "number": number,
                            "links": links,
                        },
                        claims=chunk,
                    )
                )
    return result


def pages(fb: FactBase, as_of: dt.date, specs: Sequence[Any] = ()) -> list[Page]:
    """Every page of the site, in navigation order. ``specs``: the maps' specs, which
    the home page's key numbers and the regions' status boxes read."""
    main_map = next((s for s in specs if s.kind.value == "main"), None)
    deadlines = deadlines_view(fb, as_of)
    matrix_rows = matrix(fb)
    listings_grid = matrix_grid(fb)
    claim_sections = listings.sections(fb)
    claim_homes = listings.homes(claim_sections)
    shown = [c for g in claim_sections[0].groups for c in g.newest] if claim_sections else []
    with_facts = fb.touched_regions()
    touched = [r for r in region_order(fb) if r.code in with_facts]
    proposals = sorted(fb.proposals.values(), key=chronological)
    summit = summit_view(fb)
    summit_event = summit["summit"]
    known = facts(fb, summit_event)
    the_summit = f"the {known.summit_place} summit" if known.summit_place else "the summits"
    timeline_span = f" {known.timeline_span}" if known.timeline_span else ""
    news = developments(fb, as_of)
    result = [
        Page(
            urls.HOME,
            "home.md.j2",
            "Who claims what",
            "Who claims which Ukrainian regions in the US–Russia talks, sourced fact by fact: "
            f"positions, proposals, {the_summit} and the sanctions deadlines.",
            {
                **news,
                "matrix": matrix_rows,
                **deadlines,
                "summit": summit_event,
                "briefs": list(fb.briefs.values()),
                "facts": known,
                "key_numbers": key_numbers(fb, as_of, main_map),
                "known": what_we_know(fb, as_of),
            },
            claims=[x for x in news["latest"] if isinstance(x, Claim)],
        ),
        Page(
            urls.WHO_CLAIMS_WHAT,
            "who_claims_what.md.j2",
            "Who claims what",
            "A matrix of Ukraine's regions against the positions of Russia, the United States, "
            "Ukraine and Europe, the territorial positions, and every claim grouped by side.",
            {
                "grid": listings_grid,
                "sections": claim_sections,
                "homes": claim_homes,
                "filters": listings.filters(fb, shown),
            },
            claims=shown,
            hide=("navigation", "toc"),
        ),
        *group_pages(fb, claim_sections),
        Page(
            urls.REGIONS,
            "regions.md.j2",
            "Regions",
            f"All {known.regions} first-level units of Ukraine, the most disputed first: how "
            "many claims name each, and a page for each one named.",
            {"rows": region_rows(fb, {r.code for r in touched}), "facts": known},
        ),
    ]
    for region in touched:
        result += region_pages(fb, region, specs)
    since = f" since {known.proposals_since}" if known.proposals_since else ""
    result += [
        Page(
            urls.PROPOSALS,
            "proposals.md.j2",
            "Proposals",
            "The peace proposals compared side by side, region by region and term by term.",
            {
                "proposals": proposals,
                "rows": proposal_rows(fb, proposals),
                "since": since,
                # What each proposal holds, then the claims that answer it (lines only).
                "sections": [(p, fb.terms_of(p.id), fb.responses_to(p.id)) for p in proposals],
            },
            claims=[c for p in proposals for c in fb.claims_for_proposal(p.id)],
        ),
        Page(
            urls.SUMMIT,
            "summit.md.j2",
            summit_title(known),
            summit_description(summit_event, known),
            {**summit, "place": known.summit_place},
            claims=[
                *summit["venue"],
                *summit["attendance"],
                *(c for _, cs in summit["positions"] for c in cs),
            ],
        ),
        Page(
            urls.DEADLINES,
            "deadlines.md.j2",
            "Deadlines",
            "Every sanctions and tariff deadline, its status, the measures taken and the "
            "market reactions.",
            deadlines,
        ),
        Page(
            urls.TIMELINE,
            "timeline.md.j2",
            "Timeline",
            f"Every dated event{timeline_span}, to the precision the sources give.",
            {"years": timeline(list(fb.events.values()))},
        ),
        Page(
            urls.PEOPLE,
            "people.md.j2",
            "People",
            "Everyone who claims, demands, offers or reports something, with what they said.",
            {"groups": people_view(fb)},
        ),
        Page(
            urls.SOURCES,
            "sources.md.j2",
            "Sources",
            "The source articles: outlet, attribution chain, what each reports and how its "
            "wording frames the story.",
            sources_view(fb),
        ),
        Page(
            urls.METHODOLOGY,
            "methodology.md.j2",
            "Methodology",
            "How facts are sourced and verified, what the statuses mean, and where the map "
            "data comes from.",
            {
                "counts": counts(fb),
                "facts": known,
                "statuses": {s.value: s for s in Status},
                "glossary": sorted(fb.glossary, key=lambda g: g.term.casefold()),
            },
        ),
        Page(
            urls.CORRECTIONS,
            "corrections.md.j2",
            "Corrections",
            "Every correction to a published fact, newest first: when, what changed and why.",
            {"log": corrections_log(fb)},
        ),
    ]
    for page in result:
        page.dateline = dateline(fb, page.view, as_of)
    return result
