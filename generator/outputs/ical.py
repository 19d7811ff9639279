"""The calendar (``deadlines.ics``): every deadline and every summit.

Each is an all-day event spanning exactly what the sources know: a day, a
month or a year. The file is written with the ``icalendar`` library, which
escapes text values and folds long lines (at 75 octets, never inside a
character) as RFC 5545 asks.

It is deterministic: events in date order, properties in the library's
sorted order, UIDs stable across builds (they do not change with the site's
address), and no timestamp other than the facts' own dates and the build's
as-of date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar

from generator.content import urls
from generator.content.dates import PartialDate
from generator.content.factbase import FactBase
from generator.content.markup import plain
from generator.content.model import Deadline, Event, EventKind, Resolution, Status
from generator.outputs.opendata import TITLE

#: The domain of every UID: fixed, so a calendar client keeps knowing an
#: event when the site moves.
CALENDAR_DOMAIN = "who-claims-what.github.io"
DESCRIPTION = (
    "Deadlines and ultimatums reported in the sources, and the summits, each spanning "
    "the day, month or year the sources give."
)


def _precision_note(date: PartialDate, circa: bool) -> str:
    notes = []
    if date.precision == "month":
        notes.append(f"The sources give only the month: {date.human()}.")
    elif date.precision == "year":
        notes.append(f"The sources give only the year: {date.human()}.")
    if circa:
        notes.append("The date is approximate.")
    return " ".join(notes)


def _sources_line(fb: FactBase, record: Any) -> str:
    outlets = dict.fromkeys(f"{fb.sources[c.source].label}" for c in record.sources)
    return "Sources: " + "; ".join(outlets) + "."


def _sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _reporting(status: Status) -> str:
    """The iCalendar status of what the sources report."""
    return "CONFIRMED" if status is Status.confirmed else "TENTATIVE"


def _all_day(
    uid: str, record: Deadline | Event, link: urls.Link, as_of: dt.date, site_url: str
) -> icalendar.Event:
    """An all-day event over the day, month or year the sources give (DTEND is exclusive).

    ``uid`` is the record's kind and id, never its URL: it must not change
    when a page or an anchor does.
    """
    event = icalendar.Event()
    event.add("uid", f"{uid}@{CALENDAR_DOMAIN}")
    event.add("dtstamp", dt.datetime.combine(as_of, dt.time(), dt.UTC))
    event.add("dtstart", record.date.earliest())
    event.add("dtend", record.date.latest() + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("url", urls.absolute(site_url, link))
    return event


def _deadline_event(d: Deadline, fb: FactBase, as_of: dt.date, site_url: str) -> icalendar.Event:
    event = _all_day(f"deadline-{d.id}", d, urls.deadline(d.id), as_of, site_url)
    event.add("summary", f"Deadline: {d.title}")
    event.add("description", _sentences(
        f"Set by {fb.actors[d.set_by].name}, against {'; '.join(d.targets)}.",
        f"Threatened: {plain(d.threat, fb)}",
        f"Status on {as_of.isoformat()}: {d.state(as_of).label}.",
        f"What became of it: {plain(d.outcome, fb)}" if d.outcome else "",
        f"Reporting: {d.status.label}.",
        _precision_note(d.date, d.circa),
        _sources_line(fb, d),
    ))  # fmt: skip
    event.add("categories", ["Deadline"])
    called_off = d.resolution in (Resolution.postponed, Resolution.superseded)
    event.add("status", "CANCELLED" if called_off else _reporting(d.status))
    return event


def _summit_event(e: Event, fb: FactBase, as_of: dt.date, site_url: str) -> icalendar.Event:
    event = _all_day(f"event-{e.id}", e, urls.event(e.id), as_of, site_url)
    actors = ", ".join(fb.actors[a].name for a in e.actors)
    event.add("summary", f"Summit: {e.title}")
    event.add("description", _sentences(
        plain(e.text, fb),
        f"With {actors}." if actors else "",
        f"Reporting: {e.status.label}.",
        _precision_note(e.date, e.circa),
        _sources_line(fb, e),
    ))  # fmt: skip
    event.add("categories", ["Summit"])
    event.add("status", _reporting(e.status))
    if e.location:
        event.add("location", e.location)
    return event


def calendar(fb: FactBase, as_of: dt.date, site_url: str = "") -> bytes:
    """Deadlines and summits as all-day events, in date order."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Who Claims What//Deadlines and summits//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # Non-standard properties default to TEXT (RFC 5545 §3.8.8.2): escape them as TEXT.
    cal.add("x-wr-calname", icalendar.vText(f"{TITLE}: deadlines and summits"))
    cal.add("x-wr-caldesc", icalendar.vText(DESCRIPTION))
    items: list[tuple[Any, str, icalendar.Event]] = [
        (d.date.sort_key, d.id, _deadline_event(d, fb, as_of, site_url))
        for d in fb.deadlines.values()
    ]
    items += [
        (e.date.sort_key, e.id, _summit_event(e, fb, as_of, site_url))
        for e in fb.events.values()
        if e.kind is EventKind.summit
    ]
    for _, _, event in sorted(items, key=lambda item: item[:2]):
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
