"""The content model: what a fact is, and the rules every fact obeys.

The classes are the single source of truth for three things at once: the validation of editors'
YAML, the JSON Schema that gives editors completion in their editor, and the objects templates
render. Templates never re-derive rules (a deadline's status, a claim's party): they ask the model.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator.content.corrections import Corrected
from generator.content.dates import PartialDate
from generator.content.kinds import (  # noqa: F401 - re-exported: the model's vocabulary
    NEGOTIATING_PARTIES,
    PROPOSAL_TERMS,
    ActorKind,
    EventKind,
    Party,
    ProposalRole,
    RegionKind,
    Resolution,
    Stance,
    Standing,
    Status,
    Topic,
)
from generator.content.problems import Position

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
REGION_CODE_PATTERN = r"^UA-\d\d$"
#: ISO 3166-2:UA first-level units: 24 oblasts, Crimea, Kyiv and Sevastopol.
UA_CODES = (
    "UA-05", "UA-07", "UA-09", "UA-12", "UA-14", "UA-18", "UA-21", "UA-23", "UA-26",
    "UA-30", "UA-32", "UA-35", "UA-40", "UA-43", "UA-46", "UA-48", "UA-51", "UA-53",
    "UA-56", "UA-59", "UA-61", "UA-63", "UA-65", "UA-68", "UA-71", "UA-74", "UA-77",
)  # fmt: skip
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"
REGION_NAME_PATTERN = r"^[A-Z][A-Za-z’' -]{1,40}$"
TERM_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 .'’-]{0,60}$"

#: What each pattern asks of an editor, for the message when a value breaks it.
PATTERN_HINTS = {
    ID_PATTERN: "is not a valid id: use lower-case letters, digits and single hyphens "
    "(e.g. putin-demands-donbas)",
    REGION_CODE_PATTERN: "is not an ISO 3166-2:UA code such as UA-23",
    LANGUAGE_PATTERN: "is not a language code such as 'en' or 'zh'",
    REGION_NAME_PATTERN: "is not a plain region name: use letters, spaces, hyphens and "
    "apostrophes only, starting with a capital (it becomes a page title)",
    TERM_PATTERN: "is not a plain glossary term: use letters, digits, spaces, dots, hyphens "
    "and apostrophes (at most 61 characters)",
}

Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=80,
        description="lower-case letters, digits and single hyphens, e.g. putin-demands-donbas",
    ),
]
#: The JSON Schema keyword that marks a field naming another entry, with the kind
#: it names. ``rename`` finds every reference by it; ``schema`` lists the real ids there.
REFERS_TO = "x-refers-to"

RegionCode = Annotated[
    str,
    Field(
        pattern=REGION_CODE_PATTERN,
        description="ISO 3166-2:UA code of a region in content/regions.yml, e.g. UA-23",
        json_schema_extra={REFERS_TO: "region"},
    ),
]


def _reference(kind: str, where: str) -> Any:
    return Field(description=f"id of {where}", json_schema_extra={REFERS_TO: kind})


ActorId = Annotated[Id, _reference("actor", "an actor in content/actors.yml")]
SourceId = Annotated[Id, _reference("source", "a source in seeds/sources.yml")]
ClaimId = Annotated[Id, _reference("claim", "a claim in content/claims/")]
EventId = Annotated[Id, _reference("event", "an event in content/events.yml")]
DeadlineId = Annotated[Id, _reference("deadline", "a deadline in content/deadlines.yml")]
ProposalId = Annotated[Id, _reference("proposal", "a proposal in content/proposals.yml")]
PreviousIds = Annotated[
    list[Id],
    Field(
        default_factory=list,
        description="ids this entry had before it was renamed ('python -m generator rename' "
        "adds them); the site keeps an anchor for each, so old links still reach the entry",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Line = Annotated[str, Field(min_length=1, max_length=300)]
LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN)]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s<>\"']*$", value, re.IGNORECASE):
        raise ValueError(
            f"'{value}' is not a web address; links must start with https:// or http://"
        )
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]


Established = Annotated[
    Status,
    Field(description="how far it is established: confirmed, reported, denied or disputed"),
]
AboutRegions = Annotated[
    list[RegionCode],
    Field(default_factory=list, description="codes of the regions it is about, e.g. [UA-65]"),
]


class Record(BaseModel):
    """Base of every content record: unknown fields are errors, and it knows its origin."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_default=True)

    # Where the record came from: its file's parsed document and its path in
    # it. Positions are looked up only when a problem needs one. Set by
    # :meth:`locate` into the instance's own dict, beside the fields (which
    # serialisation, repr and equality ignore), not as pydantic private
    # attributes: those are made for every record and citation pydantic
    # validates and read through its __getattr__, 0.4 s at 10,000 claims.
    _doc: ClassVar[Any] = None
    _path: ClassVar[tuple[str | int, ...]] = ()

    def locate(self, doc: Any, path: tuple[str | int, ...] = ()) -> None:
        """Record where this record stands: ``doc``, the parsed file, at ``path``."""
        fields = self.__dict__
        fields["_doc"] = doc
        fields["_path"] = path

    def position(self, field_name: str | None = None, index: int | None = None) -> Position:
        """Where this record, one of its fields, or one item of a list field stands.

        A field that is absent from the file points at the record itself.
        """
        if self._doc is None:
            return Position("<unknown>")
        path = self._path
        if field_name is not None:
            path = path + (field_name,) if index is None else path + (field_name, index)
        position: Position = self._doc.at(path)
        return position


class Citation(Record):
    """One source backing a fact, with the words in it that support the fact."""

    source: SourceId = Field(description="id of a source in seeds/sources.yml")
    evidence: Text = Field(
        description="a passage copied verbatim from the source that supports the fact"
    )
    quote: Text | None = Field(
        default=None, description="the actor's own words, verbatim from the source, if any"
    )
    via: Line | None = Field(
        default=None,
        description="who the source attributes it to, "
        "e.g. 'citing people familiar with the matter'",
    )
    via_anonymous: bool = Field(
        default=False,
        description="true when the source gives it to unnamed people ('people familiar with "
        "the matter', 'officials who asked not to be named'); such a citation alone never "
        "makes a fact confirmed",
    )


def slug(text: str) -> str:
    """Lower-case words joined by hyphens: URLs and anchors made from names."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def chronological(record: Dated) -> tuple[tuple[int, int, int], str]:
    """Sort key: by date (a month before its days), then by id, so ties are stable."""
    return (record.date.sort_key, record.id)  # type: ignore[attr-defined]


class Noted(Record):
    """A record that may rest partly on general knowledge, and may carry editors' notes."""

    general_knowledge: list[Line] = Field(
        default_factory=list,
        description="names of the fields that rest partly on general knowledge rather than "
        "on the sources (e.g. [date, text]); readers see it marked as such",
    )
    note: Text | None = Field(
        default=None,
        description="a note for editors (linking reasoning, open questions); never shown",
    )


class Dated(Noted, Corrected):
    date: PartialDate = Field(
        description="when it happened or was said: YYYY-MM-DD, YYYY-MM or YYYY"
    )
    circa: bool = Field(default=False, description="true when the date is approximate")
    date_basis: Text | None = Field(
        default=None,
        description="how the date was worked out when the source gives it relatively "
        "('on Wednesday', 'next Friday')",
    )
    added: PartialDate | None = Field(
        default=None,
        description="when this entry was added to the site, YYYY-MM-DD; the news feed "
        "uses it ('python -m generator new' fills it in)",
    )
    updated: PartialDate | None = Field(
        default=None,
        description="when this entry was last changed in substance, YYYY-MM-DD; the news "
        "feed lists the entry again under this date",
    )


class Sourced(Record):
    sources: list[Citation] = Field(min_length=1, description="at least one citation")


class Section(Record):
    """Where a source's own text starts and ends inside a seed file holding several."""

    starts: Line = Field(description="the first words of the article, verbatim")
    ends: Line | None = Field(default=None, description="the last words of the article, verbatim")


class Source(Record):
    id: Id = Field(description="the source's id, cited as 'source:' in every fact it backs")
    previous_ids: PreviousIds
    file: Line = Field(description="file name of the article under seeds/")
    section: Section | None = Field(
        default=None, description="for a seed file holding several articles: which one"
    )
    outlet: Line = Field(description="who published the article, as the site names it")
    label: Line = Field(
        description="what readers see wherever the source is cited: unique, and saying who "
        "tells whom, e.g. 'English-language relay of Bloomberg (unnamed site, 8 Aug 2025)'"
    )
    relays: bool = Field(
        default=False,
        description="true when the copy we hold retells another outlet's report (a relay or "
        "a translation of one), not a report of its own or a syndicated copy",
    )
    headline: Line | None = Field(
        default=None, description="the headline, when the copy we hold has one"
    )
    url: HttpUrl | None = Field(
        default=None, description="the article's web address, https://…, if it has one"
    )
    original_url: HttpUrl | None = Field(
        default=None, description="the web address of the original the article names, if any"
    )
    language: LanguageCode = Field(
        description="BCP 47 code of the language the text we hold is written in"
    )
    language_note: Text | None = Field(
        default=None, description="about the language of our copy, e.g. a translation's origin"
    )
    published: PartialDate = Field(
        description="when the article appeared: YYYY-MM-DD, YYYY-MM or YYYY"
    )
    published_circa: bool = Field(
        default=False, description="true when the publication date is approximate"
    )
    published_basis: Text | None = Field(
        default=None, description="how the publication date was inferred, if it was"
    )
    attribution: list[Line] = Field(
        min_length=1,
        description="the chain the article reports, first teller first: "
        "['Reuters', 'Bloomberg', 'people familiar with the matter']",
    )
    other_tellers: list[Line] = Field(
        default_factory=list,
        description="outlets the article also relays, outside its main chain, e.g. [Axios]",
    )
    contributors: list[Line] = Field(default_factory=list, description="the article's authors")
    summary: Text = Field(description="what the article reports, in a sentence or two")
    boilerplate: list[Text] = Field(
        default_factory=list, description="its bylines, sign-up and copyright lines, verbatim"
    )

    @property
    def chain(self) -> str:
        """Who the outlet cites, first teller first, without repeating the outlet itself."""
        tellers = self.attribution[1:] if self.attribution[0] == self.outlet else self.attribution
        return ", citing ".join(tellers)


class Actor(Sourced, Noted):
    id: Id = Field(description="the actor's id, used by claims ('actor:') and events")
    previous_ids: PreviousIds
    name: Line = Field(description="the name as the site writes it, e.g. Vladimir Putin")
    kind: ActorKind = Field(description="person, institution, outlet or group")
    party: Party = Field(description="the side the actor speaks for")
    role: Line = Field(description="who they are, in a line, e.g. President of Russia")
    country: Line | None = Field(default=None, description="the country they belong to, if any")
    aliases: list[Line] = Field(
        default_factory=list, description="other spellings and forms found in the sources"
    )
    standing: Standing | None = Field(
        default=None,
        description="official, military, analyst, media, anonymous or other; outlets "
        "default to media, groups to anonymous, everyone else to other",
    )

    @property
    def speaks_as(self) -> Standing:
        """The actor's standing, or the default for its kind."""
        if self.standing is not None:
            return self.standing
        return {ActorKind.outlet: Standing.media, ActorKind.group: Standing.anonymous}.get(
            self.kind, Standing.other
        )


class Region(Noted):
    code: RegionCode = Field(description="ISO 3166-2:UA code of the region, e.g. UA-65")
    # A region's name becomes a page title, which themes print unescaped.
    name: Annotated[str, Field(pattern=REGION_NAME_PATTERN)] = Field(
        description="the English display name, e.g. Zaporizhzhia"
    )
    kind: RegionKind = Field(description="oblast, city or autonomous-republic")
    aliases: list[Line] = Field(
        default_factory=list,
        description="other spellings found in the sources, e.g. Donbass, so search finds them",
    )
    note: Text | None = Field(default=None, description="a remark shown with the region")

    @cached_property
    def slug(self) -> str:
        return slug(self.name)


class Claim(Dated, Sourced):
    id: Id = Field(description="the claim's id, e.g. putin-demands-donbas; its anchor on the site")
    previous_ids: PreviousIds
    actor: ActorId = Field(description="id of the actor who claims, demands, offers…")
    stance: Stance = Field(description="what the actor does: claims, demands, offers, denies…")
    summary: Line = Field(description="one line, shown in tables and map tooltips")
    text: Text = Field(description="the fact in full; Markdown, raw HTML is not rendered")
    status: Established
    topics: list[Topic] = Field(
        default_factory=list, description="what it is about; the claim is listed under each"
    )
    regions: AboutRegions
    proposal: ProposalId | None = Field(
        default=None, description="id of the proposal whose terms it states or answers"
    )
    proposal_role: ProposalRole = Field(
        default=ProposalRole.part,
        description="part: it states one of the proposal's terms; responds: it answers or "
        "reports on the proposal",
    )
    conflicts_with: list[ClaimId] = Field(
        default_factory=list,
        description="ids of claims whose sources give a conflicting account; a disputed "
        "claim names at least one",
    )
    event: EventId | None = Field(default=None, description="id of the event where it was said")
    responds_to: ClaimId | None = Field(default=None, description="id of the claim this answers")


class Event(Dated, Sourced):
    id: Id = Field(description="the event's id; claims name it with 'event:'")
    previous_ids: PreviousIds
    title: Line = Field(description="one line, as the timeline shows it")
    kind: EventKind = Field(description="what kind of thing happened: call, meeting, summit…")
    text: Text = Field(description="what happened, in full; Markdown, raw HTML is not rendered")
    status: Established
    location: Line | None = Field(default=None, description="where, e.g. 'Moscow, Russia'")
    actors: list[ActorId] = Field(default_factory=list, description="ids of the actors taking part")
    regions: AboutRegions
    conflicts_with: list[EventId] = Field(
        default_factory=list,
        description="ids of events whose sources give a conflicting account; a disputed "
        "event names at least one",
    )


class Deadline(Dated, Sourced):
    id: Id = Field(description="the deadline's id, e.g. trump-ceasefire-deadline-2025-08-08")
    previous_ids: PreviousIds
    title: Line = Field(description="one line naming the deadline")
    set_by: ActorId = Field(description="id of the actor who set the deadline")
    targets: list[Line] = Field(min_length=1, description="against whom")
    threat: Text = Field(description="what was threatened if the deadline was missed")
    resolution: Resolution = Field(
        default=Resolution.pending, description="what became of it: pending, postponed, …"
    )
    outcome: Text | None = Field(default=None, description="what became of it, per the sources")
    superseded_by: DeadlineId | None = Field(
        default=None, description="id of the deadline that replaced this one"
    )
    status: Established

    def state(self, as_of: dt.date) -> DeadlineState:
        """Upcoming with days left, due, or passed; what the sources say wins.

        A deadline known only to the month is due for that whole month; we
        never claim it passed before its last possible day.
        """
        if self.resolution in (Resolution.postponed, Resolution.superseded):
            return DeadlineState(self.resolution.value, self.resolution.value.capitalize())
        if self.resolution in (Resolution.lapsed, Resolution.enforced):
            return DeadlineState(
                self.resolution.value,
                "Lapsed without action" if self.resolution is Resolution.lapsed else "Enforced",
            )
        if as_of < self.date.earliest():
            days = (self.date.earliest() - as_of).days
            return DeadlineState(
                "upcoming", f"Upcoming: {days} day{'s' if days != 1 else ''} left", days
            )
        if as_of <= self.date.latest():
            return DeadlineState("due", "Due now", 0)
        if self.resolution is Resolution.unknown:
            return DeadlineState("passed", "Passed; outcome not reported")
        return DeadlineState("passed", "Passed")


@dataclass(frozen=True)
class DeadlineState:
    """A deadline's status on the build's as-of date."""

    key: str
    label: str
    days_left: int | None = None


class Proposal(Dated, Sourced):
    id: Id = Field(description="the proposal's id; claims name it with 'proposal:'")
    previous_ids: PreviousIds
    name: Line = Field(description="the plan's name, e.g. Istanbul draft agreement (April 2022)")
    proposed_by: list[ActorId] = Field(
        min_length=1, description="ids of the actors who put it forward"
    )
    summary: Text = Field(description="what the plan would do, in a few sentences")
    status: Established


class Wording(Record):
    source: SourceId = Field(description="id of the source in seeds/sources.yml")
    wording: Text = Field(description="the outlet's words, verbatim")
    note: Line | None = Field(default=None, description="what the choice of words signals")


class Framing(Record):
    id: Id = Field(description="the framing's id")
    subject: Line = Field(description="the fact the outlets word differently")
    wordings: list[Wording] = Field(
        min_length=2, description="at least two outlets' wordings of it"
    )


class GlossaryEntry(Sourced, Noted):
    term: Annotated[str, Field(pattern=TERM_PATTERN)] = Field(
        description="the word or abbreviation as it appears in text, e.g. ICC"
    )
    definition: Line = Field(description="what it means, in a sentence")

    @property
    def anchor(self) -> str:
        """Its id in the glossary; terms that differ only in case or dots share one."""
        return "term-" + slug(self.term)


class Brief(Sourced, Noted):
    """A sourced paragraph of explanation, shown on the home page in file order."""

    id: Id = Field(description="the paragraph's id; its anchor on the home page")
    heading: Line = Field(description="the paragraph's heading")
    text: Text = Field(description="the explanation; Markdown, raw HTML is not rendered")


class ContentFile(Record):
    """A file under content/: any of these collections, in any file."""

    model_config = ConfigDict(
        extra="forbid",
        title="Who Claims What content file",
        json_schema_extra={"$id": "https://who-claims-what.invalid/content.schema.json"},
    )

    actors: list[Actor] = Field(default_factory=list, description="people and institutions")
    regions: list[Region] = Field(default_factory=list, description="Ukraine's 27 regions")
    claims: list[Claim] = Field(default_factory=list, description="who claims what")
    events: list[Event] = Field(default_factory=list, description="what happened, when")
    deadlines: list[Deadline] = Field(default_factory=list, description="deadlines, ultimatums")
    proposals: list[Proposal] = Field(default_factory=list, description="peace plans")
    framings: list[Framing] = Field(default_factory=list, description="one fact, worded apart")
    glossary: list[GlossaryEntry] = Field(default_factory=list, description="terms explained")
    briefs: list[Brief] = Field(default_factory=list, description="the home page's paragraphs")


class SourcesFile(Record):
    model_config = ConfigDict(extra="forbid", title="Who Claims What source manifest")

    sources: list[Source] = Field(min_length=1, description="the articles facts cite")


COLLECTIONS: tuple[str, ...] = tuple(ContentFile.model_fields)


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")
