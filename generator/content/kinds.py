"""The content's vocabularies: every closed list of values an editor picks from.

Kept apart from the record classes so the model stays readable; each enum's
docstring is what the JSON Schema shows editors.
"""

from __future__ import annotations

from enum import StrEnum


class Stance(StrEnum):
    """What the actor does in the claim. claims: says something is so; demands: insists
    another side must do something; offers: is ready to give something; proposes: puts a
    plan forward; accepts: agrees to a demand or plan; rejects: refuses one; reports: an
    outlet tells what it learned; denies: says a report is untrue; states: says what it
    does or holds; expects: foresees what will happen; threatens: warns of what it will
    do; declines: will not comment or take part."""

    claims = "claims"
    demands = "demands"
    offers = "offers"
    proposes = "proposes"
    accepts = "accepts"
    rejects = "rejects"
    reports = "reports"
    denies = "denies"
    states = "states"
    expects = "expects"
    threatens = "threatens"
    declines = "declines"


class Status(StrEnum):
    """How far a fact is established; each is shown differently. confirmed: on the
    record or seen by several sources; reported: told by a source, not verified;
    denied: a party concerned says it is untrue; disputed: the sources disagree."""

    confirmed = "confirmed"
    reported = "reported"
    denied = "denied"
    disputed = "disputed"

    @property
    def label(self) -> str:
        return {
            "confirmed": "Confirmed",
            "reported": "Reported, unverified",
            "denied": "Denied",
            "disputed": "Disputed",
        }[self.value]


class Party(StrEnum):
    """The side an actor speaks for, as the who-claims-what table groups them:
    russia, united-states, ukraine, europe (the EU and European states), other-states,
    analysts (think tanks, scholars), media (outlets and journalists), international
    (the UN, courts and other international bodies)."""

    russia = "russia"
    united_states = "united-states"
    ukraine = "ukraine"
    europe = "europe"
    other_states = "other-states"
    analysts = "analysts"
    media = "media"
    international = "international"

    @property
    def label(self) -> str:
        return {
            "russia": "Russia",
            "united-states": "United States",
            "ukraine": "Ukraine",
            "europe": "Europe",
            "other-states": "Other states",
            "analysts": "Analysts",
            "media": "Media",
            "international": "International bodies",
        }[self.value]


#: The parties compared in the who-claims-what matrix, in column order.
NEGOTIATING_PARTIES = (Party.russia, Party.united_states, Party.ukraine, Party.europe)


class Topic(StrEnum):
    """What a claim is about; it is listed under each of its topics. territory, recognition
    (of annexed land), ceasefire, neutrality, nato, army-size (limits on Ukraine's army),
    language (the status of Russian), security-guarantees, peacekeepers, sanctions, tariffs,
    summit, venue (where talks happen), attendance (who takes part), negotiations, markets."""

    territory = "territory"
    recognition = "recognition"
    ceasefire = "ceasefire"
    neutrality = "neutrality"
    nato = "nato"
    army_size = "army-size"
    language = "language"
    security_guarantees = "security-guarantees"
    peacekeepers = "peacekeepers"
    sanctions = "sanctions"
    tariffs = "tariffs"
    summit = "summit"
    venue = "venue"
    attendance = "attendance"
    negotiations = "negotiations"
    markets = "markets"

    @property
    def label(self) -> str:
        return {
            "army-size": "Army size",
            "nato": "NATO",
            "security-guarantees": "Security guarantees",
        }.get(self.value, self.value.capitalize())


#: Terms compared side by side on the proposals page.
PROPOSAL_TERMS = (
    Topic.territory,
    Topic.neutrality,
    Topic.nato,
    Topic.army_size,
    Topic.language,
    Topic.security_guarantees,
    Topic.peacekeepers,
    Topic.ceasefire,
)


class ActorKind(StrEnum):
    """person; institution (a government, ministry, army, company); outlet (a newspaper,
    agency or broadcaster); group (unnamed people, e.g. officials familiar with the
    matter)."""

    person = "person"
    institution = "institution"
    outlet = "outlet"
    group = "group"


class EventKind(StrEnum):
    """What kind of thing happened: annexation, invasion, call (by telephone), meeting,
    summit (of heads of state), talks (negotiating rounds), announcement, report (an
    article or study published), statement, measure (sanctions, tariffs, laws), market
    (a move in prices), military (an offensive, a strike)."""

    annexation = "annexation"
    invasion = "invasion"
    call = "call"
    meeting = "meeting"
    summit = "summit"
    talks = "talks"
    announcement = "announcement"
    report = "report"
    statement = "statement"
    measure = "measure"
    market = "market"
    military = "military"


class Resolution(StrEnum):
    """What became of a deadline, as the sources tell it. pending: not yet due;
    postponed: moved to a later date; superseded: replaced by another deadline (name it
    in superseded_by); lapsed: passed and nothing was done; enforced: the threat was
    carried out; unknown: passed and the sources do not say what followed."""

    pending = "pending"
    postponed = "postponed"
    superseded = "superseded"
    lapsed = "lapsed"
    enforced = "enforced"
    unknown = "unknown"


class RegionKind(StrEnum):
    """oblast (a province); city (Kyiv and Sevastopol, with a status of their own);
    autonomous-republic (Crimea)."""

    oblast = "oblast"
    city = "city"
    autonomous_republic = "autonomous-republic"


class Standing(StrEnum):
    """On whose authority an actor speaks, for whose position the matrix shows.
    official: a government, head of state or government, minister, envoy or official
    spokesperson; military: soldiers, commanders and armies; analyst: think tanks and
    scholars; media: outlets and journalists; anonymous: unnamed people; other: anyone
    else. Outlets default to media and groups of unnamed people to anonymous."""

    official = "official"
    military = "military"
    analyst = "analyst"
    media = "media"
    anonymous = "anonymous"
    other = "other"


class ProposalRole(StrEnum):
    """How a claim stands to the proposal it names. part: it states one of the
    proposal's terms (the proposals table lists it); responds: it answers, reports on
    or reacts to the proposal (listed with it, never as one of its terms)."""

    part = "part"
    responds = "responds"
