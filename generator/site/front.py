"""The front page's reading aids: key numbers, what we know and don't, the news.

Every figure is counted from the fact base and the main map's spec (the map
right below the numbers, so the two can never disagree); nothing is typed
into the template. "What we know / what we don't" is sorted by status: what
is confirmed, against what rests on one report, what the sources cannot know
(an event due after they were written) and deadlines whose outcome no source
reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from generator.content import urls
from generator.content.factbase import FactBase
from generator.content.model import (
    ActorKind,
    Claim,
    Event,
    Resolution,
    Status,
    Topic,
    chronological,
)
from generator.site.dating import OUTCOME_NOT_RECORDED, overtaken

#: How many items each list of the front page shows before "and N more".
SHOWN = 4

#: How many open questions of each kind (disputed, denied…) the front page shows.
OPEN_SHOWN = 3


@dataclass(frozen=True)
class Tally:
    """Open questions of one kind the front page counts but does not list."""

    count: int
    kind: str  # "disputed claims and events", "deadlines passed with no reported outcome"…


@dataclass(frozen=True)
class KeyNumber:
    """One figure of the strip: '6', 'of 27 regions claimed by Russia', where to read on."""

    value: int
    label: str
    link: urls.Link


@dataclass(frozen=True)
class Known:
    """A line of "what we know" or "what we don't": a sentence and the item it is about."""

    text: str
    link: urls.Link


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def key_numbers(fb: FactBase, as_of: dt.date, main_map: Any) -> list[KeyNumber]:
    """The strip under the standfirst. ``main_map`` is the main map's spec, or None."""
    total = len(fb.regions)
    numbers = []
    if main_map is not None:
        claimed = [code for code in fb.regions if main_map.category_of(code).id != main_map.default]
        numbers.append(
            KeyNumber(
                len(claimed), f"of {total} regions claimed by Russia", urls.Link(urls.REGIONS)
            )
        )
        for overlay in main_map.overlays:
            hatched = [code for code in overlay.regions if code in claimed]
            if hatched:
                numbers.append(KeyNumber(len(hatched), overlay.phrase, urls.Link(urls.REGIONS)))
    n = len(fb.proposals)
    numbers.append(
        KeyNumber(n, _plural(n, "peace proposal", "peace proposals"), urls.Link(urls.PROPOSALS))
    )
    passed = sum(1 for d in fb.deadlines.values() if d.state(as_of).key == "passed")
    numbers.append(
        KeyNumber(
            passed,
            _plural(passed, "deadline passed", "deadlines passed"),
            urls.Link(urls.DEADLINES),
        )
    )
    n = len(fb.sources)
    numbers.append(
        KeyNumber(n, _plural(n, "source article", "source articles"), urls.Link(urls.SOURCES))
    )
    return numbers


def _link(record: Claim | Event) -> urls.Link:
    return urls.claim(record.id) if isinstance(record, Claim) else urls.event(record.id)


def _title(record: Claim | Event) -> str:
    return record.summary if isinstance(record, Claim) else record.title


def what_we_know(fb: FactBase, as_of: dt.date) -> dict[str, Any]:
    """Confirmed facts against open questions, newest first: what we know cut at
    :data:`SHOWN`, the open questions at :data:`OPEN_SHOWN` of each kind and the
    rest counted (``dont_more``)."""
    items: list[Claim | Event] = sorted(
        [*fb.claims.values(), *fb.events.values()], key=chronological, reverse=True
    )
    settled = [r for r in items if r.status is Status.confirmed and not overtaken(fb, r, as_of)]

    # The parties' territorial positions lead: they are what the site is about; an
    # outlet's own commentary comes after them.
    def rank(r: Claim | Event) -> tuple[bool, bool]:
        own = isinstance(r, Claim) and fb.actors[r.actor].kind is not ActorKind.outlet
        return (not (isinstance(r, Claim) and Topic.territory in r.topics), not own)

    ranked = sorted(settled, key=rank)
    know = [Known(_title(r), _link(r)) for r in ranked[:SHOWN]]
    # The open questions, a few of each kind: at 10,000 claims there are
    # hundreds of disputed claims, and the front page would list them all.
    kinds: list[tuple[str, list[Known]]] = [
        (
            "events now past, whose outcome our sources do not record",
            [
                Known(f"{_title(r)}: {OUTCOME_NOT_RECORDED}", _link(r))
                for r in items
                if overtaken(fb, r, as_of)
            ],
        ),
        (
            "deadlines passed with no reported outcome",
            [
                Known(f"{d.title}: {d.state(as_of).label.lower()}", urls.deadline(d.id))
                for d in sorted(fb.deadlines.values(), key=chronological, reverse=True)
                if d.state(as_of).key == "passed" and d.resolution is Resolution.unknown
            ],
        ),
        *(
            (
                f"{status.label.lower()} claims and events",
                [
                    Known(f"{_title(r)} ({status.label.lower()})", _link(r))
                    for r in items
                    if r.status is status
                ],
            )
            for status in (Status.disputed, Status.denied)
        ),
    ]
    dont = [k for _kind, found in kinds for k in found[:OPEN_SHOWN]]
    dont_more = [
        Tally(len(found) - OPEN_SHOWN, kind) for kind, found in kinds if len(found) > OPEN_SHOWN
    ]
    unverified = [r for r in items if r.status is Status.reported and not overtaken(fb, r, as_of)]
    return {
        "know": know,
        "confirmed": len(settled),
        "dont": dont,
        "dont_more": dont_more,
        "unverified": len(unverified),
        "unverified_shown": [Known(_title(r), _link(r)) for r in unverified[: SHOWN - 1]],
    }


def developments(fb: FactBase, as_of: dt.date, n: int = 8) -> dict[str, list[Claim | Event]]:
    """The latest developments, newest first, and what is still to come, soonest first.

    An item dated after the as-of day has not happened: it is "coming up", not
    news. One that was due after its sources and has passed stays in the news,
    marked past by its card.
    """
    items: list[Claim | Event] = [*fb.claims.values(), *fb.events.values()]
    items.sort(key=chronological, reverse=True)
    due = [r for r in items if r.date.earliest() > as_of]
    happened = [r for r in items if r.date.earliest() <= as_of]
    return {"latest": happened[:n], "coming": list(reversed(due))}
