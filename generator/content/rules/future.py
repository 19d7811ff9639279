"""Rule: an event in the future of its sources is never ``confirmed``.

An event is planned when its date falls after every citing source's
publication, or when its evidence calls it due, planned or scheduled. Once
the build's as-of date passes it, the page shows it as past with its outcome
not recorded in our sources.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.rules.base import Facts, cited
from generator.content.scope import EVERYTHING, Scope

#: How articles speak of what has not happened yet.
PLANNED = re.compile(r"\b(is|are|was|were) (due|planned|scheduled|set) to\b", re.IGNORECASE)


def planned(event: m.Event, sources: Iterable[m.Source]) -> bool:
    """Whether the sources speak of the event as still to come."""
    dates = [s.published.latest() for s in sources]
    after_all = bool(dates) and event.date.earliest() > max(dates)
    return after_all or any(PLANNED.search(c.evidence) for c in event.sources)


def past_unrecorded(event: m.Event, sources: Iterable[m.Source], as_of: dt.date) -> bool:
    """A planned event whose date has passed: our sources do not say what happened."""
    return planned(event, sources) and event.date.latest() < as_of


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    for event in scope.only(fb.events.values()):
        if event.status is not m.Status.confirmed:
            continue
        if planned(event, [s for _c, s in cited(fb, event)]):
            problems.add(
                event.position("status"),
                f"event '{event.id}' is confirmed, but its sources speak of it as still to "
                "come (its date is after every source's publication, or they call it due, "
                "planned or scheduled): mark it 'reported'",
            )
