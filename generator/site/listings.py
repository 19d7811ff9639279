"""The long listings of claims: grouped, filterable, and split so no page grows with the facts.

A reader meets territorial positions first, then the parties' other positions,
then outlets' and analysts' commentary, each under a heading per group. The
who-claims-what page lists the newest claims of each territorial group and a
one-line summary of every other group; every claim's full card lives on its
group's pages, chunks of :data:`PER_PAGE` in time order, oldest first, so a new
claim only ever adds to the last page and a card's URL does not move.
:func:`homes` says where each card lives, for links and for the redirect map
that keeps old ``who-claims-what/#claim-ID`` anchors landing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from generator.content import urls
from generator.content.factbase import FactBase
from generator.content.model import NEGOTIATING_PARTIES, Claim, Party, Status, Topic, chronological

#: Claims per group page (closed cards: about 5,000 px on a phone, 250 KB at scale).
PER_PAGE = 50
#: Newest claims per territorial group listed on the who-claims-what page itself.
SHOWN = 40
#: A claim about land: these come first.
TERRITORIAL = {Topic.territory, Topic.recognition}


@dataclass(frozen=True)
class Group:
    """One heading's claims: all of them (in time order) and the pages that hold their cards."""

    section: str
    party: Party
    heading: str
    claims: list[Claim]

    @cached_property
    def key(self) -> str:
        return f"{self.section}-{self.party.value}"

    @property
    def title(self) -> str:
        """The group's own pages' title: "Russia: territorial positions", "Outlets' reporting"."""
        kind = {"territory": "territorial positions", "positions": "other positions"}
        return f"{self.heading}: {kind[self.section]}" if self.section in kind else self.heading

    @cached_property
    def pages(self) -> list[urls.Link]:
        """Asked for once per page link on each of the group's pages: worked out once."""
        count = -(-len(self.claims) // PER_PAGE)
        return [urls.claims_page(self.key, n) for n in range(1, count + 1)]

    def chunk(self, number: int) -> list[Claim]:
        return self.claims[(number - 1) * PER_PAGE : number * PER_PAGE]

    @property
    def newest(self) -> list[Claim]:
        return self.claims[::-1][:SHOWN]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    groups: list[Group]


#: The three sections, in reading order, and what each holds.
SECTIONS = (
    ("territory", "Territorial positions"),
    ("positions", "Other positions of the parties"),
    ("commentary", "Commentary and reporting"),
)
#: Headings of the commentary groups: outlets and analysts say what they learn or think.
COMMENTARY = {Party.media: "Outlets' reporting", Party.analysts: "Analysts' commentary"}


def placement(fb: FactBase, claim: Claim) -> tuple[str, Party]:
    """The section and party group a claim is listed under: the one rule for both.

    A claim states the position of the parties in FactBase.positions_of (an outlet
    reporting a proposal's terms states its proposers'); about land, it is a
    territorial position. Outlets and analysts speaking for themselves are commentary.
    """
    positions = fb.positions_of(claim)
    own = fb.party(claim)
    party = own if own in positions else min(positions, key=list(Party).index)
    if party in COMMENTARY:
        return "commentary", party
    talks = party in NEGOTIATING_PARTIES
    if talks and (TERRITORIAL & set(claim.topics) or fb.regions_of(claim)):
        return "territory", party
    return "positions", party


def sections(fb: FactBase) -> list[Section]:
    grouped: dict[tuple[str, Party], list[Claim]] = {}
    for claim in sorted(fb.claims.values(), key=chronological):
        grouped.setdefault(placement(fb, claim), []).append(claim)
    result = []
    for key, heading in SECTIONS:
        groups = [
            Group(key, party, COMMENTARY.get(party, party.label), grouped[(key, party)])
            for party in Party
            if (key, party) in grouped
        ]
        if groups:
            result.append(Section(key, heading, groups))
    return result


def homes(all_sections: list[Section]) -> dict[str, urls.Link]:
    """Claim id → its card on its group's page (for links and the old-anchor redirect map)."""
    found: dict[str, urls.Link] = {}
    for section in all_sections:
        for group in section.groups:
            for number, page in enumerate(group.pages, start=1):
                for claim in group.chunk(number):
                    found[claim.id] = urls.claim(claim.id).on(page.page)
    return found


@dataclass(frozen=True)
class Option:
    """One choice of a filter: the data-* value items carry, and the words a reader sees."""

    value: str
    label: str


@dataclass(frozen=True)
class Filters:
    """The choices a reader filters a listing by: only those its claims use."""

    party: list[Option]
    region: list[Option]
    status: list[Option]
    source: list[Option]


def filters(fb: FactBase, claims: list[Claim]) -> Filters:
    parties = {p for c in claims for p in fb.positions_of(c) | {fb.party(c)}}
    regions = {code for c in claims for code in fb.regions_of(c)}
    statuses = {c.status for c in claims}
    sources = {cite.source for c in claims for cite in c.sources}
    ordered_sources = sorted(sources, key=lambda s: (fb.sources[s].outlet, s))
    return Filters(
        party=[Option(p.value, p.label) for p in Party if p in parties],
        region=[
            Option(c, fb.regions[c].name)
            for c in sorted((c for c in regions if c in fb.regions), key=_region_name(fb))
        ],
        status=[Option(s.value, s.label) for s in Status if s in statuses],
        source=[Option(s, _source_label(fb, s)) for s in ordered_sources],
    )


def _region_name(fb: FactBase):  # type: ignore[no-untyped-def]
    return lambda code: fb.regions[code].name


def _source_label(fb: FactBase, source_id: str) -> str:
    source = fb.sources[source_id]
    return f"{source.outlet}, {source.published.human()}"


def item_data(fb: FactBase, claim: Claim) -> dict[str, str]:
    """The data-* values a listed claim carries for the filters (space-separated)."""
    return {
        "party": " ".join(sorted(p.value for p in fb.positions_of(claim) | {fb.party(claim)})),
        "region": " ".join(fb.regions_of(claim)),
        "status": claim.status.value,
        "source": " ".join(dict.fromkeys(cite.source for cite in claim.sources)),
    }
