"""The calendar (``deadlines.ics``): every deadline and every summit.

Each is an all-day event spanning exactly what the sources know: a day, a
month or a year. The file is written with the ``icalendar`` library, which
escapes text values and folds long lines (at 75 octets, never inside a
character) as RFC 5545 asks.

It is deterministic: events in date order, properties in the library's
sorted order, UIDs stable across builds (they do not change with the site's
address), and no timestamp other than the facts' own dates and the build's
as-of date.

The events are first plain values (:func:`calendar_events`), so a build whose
calendar comes out the same serves the file it kept (:func:`calendar`) and
never imports ``icalendar``: 0.04 s of every edit's start at 10,000 claims.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
from pathlib import Path
from typing import Any

from generator.content import urls
from generator.content.dates import PartialDate
from generator.content.factbase import FactBase
from generator.content.files import read_kept, write_kept
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


#: One calendar event: its properties, in the order they are added.
CalendarEvent = list[tuple[str, Any]]


def _all_day(
    uid: str, record: Deadline | Event, link: urls.Link, as_of: dt.date, site_url: str
) -> CalendarEvent:
    """An all-day event over the day, month or year the sources give (DTEND is exclusive).

    ``uid`` is the record's kind and id, never its URL: it must not change
    when a page or an anchor does.
    """
    return [
        ("uid", f"{uid}@{CALENDAR_DOMAIN}"),
        ("dtstamp", dt.datetime.combine(as_of, dt.time(), dt.UTC)),
        ("dtstart", record.date.earliest()),
        ("dtend", record.date.latest() + dt.timedelta(days=1)),
        ("transp", "TRANSPARENT"),
        ("url", urls.absolute(site_url, link)),
    ]


def _deadline_event(d: Deadline, fb: FactBase, as_of: dt.date, site_url: str) -> CalendarEvent:
    called_off = d.resolution in (Resolution.postponed, Resolution.superseded)
    return [
        *_all_day(f"deadline-{d.id}", d, urls.deadline(d.id), as_of, site_url),
        ("summary", f"Deadline: {d.title}"),
        ("description", _sentences(
            f"Set by {fb.actors[d.set_by].name}, against {'; '.join(d.targets)}.",
            f"Threatened: {plain(d.threat, fb)}",
            f"Status on {as_of.isoformat()}: {d.state(as_of).label}.",
            f"What became of it: {plain(d.outcome, fb)}" if d.outcome else "",
            f"Reporting: {d.status.label}.",
            _precision_note(d.date, d.circa),
            _sources_line(fb, d),
        )),
        ("categories", ["Deadline"]),
        ("status", "CANCELLED" if called_off else _reporting(d.status)),
    ]  # fmt: skip


def _summit_event(e: Event, fb: FactBase, as_of: dt.date, site_url: str) -> CalendarEvent:
    actors = ", ".join(fb.actors[a].name for a in e.actors)
    return [
        *_all_day(f"event-{e.id}", e, urls.event(e.id), as_of, site_url),
        ("summary", f"Summit: {e.title}"),
        ("description", _sentences(
            plain(e.text, fb),
            f"With {actors}." if actors else "",
            f"Reporting: {e.status.label}.",
            _precision_note(e.date, e.circa),
            _sources_line(fb, e),
        )),
        ("categories", ["Summit"]),
        ("status", _reporting(e.status)),
        *([("location", e.location)] if e.location else []),
    ]  # fmt: skip


def calendar_events(fb: FactBase, as_of: dt.date, site_url: str = "") -> list[CalendarEvent]:
    """Deadlines and summits as all-day events, in date order."""
    items: list[tuple[Any, str, CalendarEvent]] = [
        (d.date.sort_key, d.id, _deadline_event(d, fb, as_of, site_url))
        for d in fb.deadlines.values()
    ]
    items += [
        (e.date.sort_key, e.id, _summit_event(e, fb, as_of, site_url))
        for e in fb.events.values()
        if e.kind is EventKind.summit
    ]
    return [event for _, _, event in sorted(items, key=lambda item: item[:2])]


def calendar(
    fb: FactBase, as_of: dt.date, site_url: str = "", kept: Path | None = None, code: bytes = b""
) -> bytes:
    """The calendar file of :func:`calendar_events`.

    ``kept``: a file under ``build/`` that holds the last file written, under a
    digest of what it was written from: the events, ``code`` (the generator's,
    :func:`~generator.site.keptcards.code_version`) and icalendar's version.
    When that is the same, the file is served as it is. Without ``code``
    nothing is kept.
    """
    events = calendar_events(fb, as_of, site_url)
    if kept is None or not code:
        return _to_ical(events)
    version = _version(events, code)
    made = read_kept(kept, version)
    if not isinstance(made, bytes):
        made = _to_ical(events)
        write_kept(kept, version, made)
    return made


def _version(events: list[CalendarEvent], code: bytes) -> str:
    h = hashlib.blake2b(code, digest_size=16)
    h.update(importlib.metadata.version("icalendar").encode() + b"\0" + repr(events).encode())
    return f"calendar {h.hexdigest()}"


def _to_ical(events: list[CalendarEvent]) -> bytes:
    import icalendar  # here: a build whose calendar is kept never needs it

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Who Claims What//Deadlines and summits//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # Non-standard properties default to TEXT (RFC 5545 §3.8.8.2): escape them as TEXT.
    cal.add("x-wr-calname", icalendar.vText(f"{TITLE}: deadlines and summits"))
    cal.add("x-wr-caldesc", icalendar.vText(DESCRIPTION))
    for properties in events:
        event = icalendar.Event()
        for name, value in properties:
            event.add(name, value)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
