"""Feeds: an Atom feed of facts and events, and an iCalendar file of deadlines.

``feed.xml`` lists the newest :data:`FEED_ENTRIES` claims and events, newest first, by the date it was
added to the site or last changed (the optional ``added`` and ``updated``
fields); where neither is recorded, by the date of the fact itself, and the
feed's subtitle says so. ``deadlines.ics`` holds every deadline and every
summit as an all-day event spanning exactly what the sources know: a day, a
month or a year.

Both are deterministic: entries sorted, ids stable across builds (``tag:``
URIs that never change with the site's address), and no timestamp other than
the facts' own dates and the build's as-of date.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from markupsafe import escape

from generator.content.dates import PartialDate
from generator.content.factbase import FactBase
from generator.content.model import Claim, Deadline, Event, EventKind, Resolution, Status
from generator.outputs.opendata import LICENCE_URL, claim_url, deadline_url, event_url
from generator.content.project import Project
from generator.site.templating import ROOT, glossary_terms
from generator.site.textformat import TextRenderer, renderer_for

ATOM = "http://www.w3.org/2005/Atom"
#: The authority of every tag: URI (RFC 4151). Fixed: a feed reader knows an
#: entry by its id, so ids must not change when the site moves.
TAG = "tag:who-claims-what.github.io,2025"
CALENDAR_DOMAIN = "who-claims-what.github.io"
TITLE = "Who Claims What"
#: Feed readers poll the feed again and again: it carries the latest news,
#: not the archive (every fact is in data/facts.json). 10,000 entries would be
#: a 10 MB download on every poll, and a second of every build.
FEED_ENTRIES = 100

FEED_SUBTITLE = (
    "Claims and events on the US–Russia negotiations over Ukraine, each with its sources. "
    f"The {FEED_ENTRIES} newest, by the date a fact was added to the site or last changed; "
    "every fact is in data/facts.json. Where the date of a change is "
    "not recorded, by the date of the fact itself (for a fact dated later than this edition, "
    "the edition's date)."
)


def changed(record: Claim | Event | Deadline, as_of: dt.date) -> dt.date:
    """When a fact was last added or changed, falling back to its own date.

    A fact dated after the build (a planned summit) cannot have been added
    later than the build, so the fallback never passes the as-of date.
    """
    if record.updated or record.added:
        return (record.updated or record.added).earliest()  # type: ignore[union-attr]
    return min(record.date.earliest(), as_of)


def added(record: Claim | Event, as_of: dt.date) -> dt.date:
    return record.added.earliest() if record.added else min(record.date.earliest(), as_of)


def _instant(date: dt.date) -> str:
    """An RFC 3339 timestamp for a day (midnight UTC)."""
    return f"{date.isoformat()}T00:00:00Z"


# ---- Atom ------------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _status_suffix(status: Status) -> str:
    return "" if status is Status.confirmed else f" ({status.label})"


def _cites_html(fb: FactBase, record: Any) -> str:
    items = []
    for cite in record.sources:
        source = fb.sources[cite.source]
        when = source.published.human()
        head = f"{escape(source.outlet)}, {'c. ' if source.published_circa else ''}{when}"
        if source.url:
            head = f'<a href="{escape(source.url)}">{head}</a>'
        items.append(f"<li>{head}: “{escape(cite.evidence)}”</li>")
    return f"<p>Sources:</p><ul>{''.join(items)}</ul>"


def _entry(
    feed: ET.Element, fb: FactBase, record: Claim | Event, site_url: str, md: TextRenderer,
    as_of: dt.date,
) -> None:  # fmt: skip
    entry = _sub(feed, "entry")
    if isinstance(record, Claim):
        kind, link = "claim", claim_url(site_url, record.id)
        title = record.summary
        actor = fb.actors[record.actor]
        lead = f"<p><strong>{escape(actor.name)}</strong> {escape(record.stance.value)}"
    else:
        kind, link = "event", event_url(site_url, record.id)
        title = record.title
        lead = f"<p><strong>{escape(record.kind.value.capitalize())}</strong>"
    lead += f" · {escape(record.status.label)} · {'c. ' if record.circa else ''}"
    lead += f"{escape(record.date.human())}</p>"
    _sub(entry, "id", f"{TAG}:{kind}:{record.id}")
    _sub(entry, "title", title + _status_suffix(record.status))
    _sub(entry, "link", rel="alternate", type="text/html", href=link)
    _sub(entry, "published", _instant(added(record, as_of)))
    _sub(entry, "updated", _instant(changed(record, as_of)))
    _sub(entry, "category", term=kind)
    _sub(entry, "category", term=record.status.value, label=record.status.label)
    if isinstance(record, Claim):
        _sub(entry, "category", term=fb.party(record).value, label=fb.party(record).label)
        for topic in record.topics:
            _sub(entry, "category", term=topic.value, label=topic.label)
    summary = record.summary if isinstance(record, Claim) else record.title
    _sub(entry, "summary", summary)
    # Glossary links point into the site: from the feed, that is the site root.
    root = site_url.rstrip("/") + "/" if site_url else ""
    text = str(md.markdown(record.text)).replace(ROOT, root)
    body = lead + text + _cites_html(fb, record)
    _sub(entry, "content", body, type="html")


def atom_feed(fb: FactBase, as_of: dt.date, site_url: str = "") -> bytes:
    """Every claim and event, newest change first."""
    ET.register_namespace("", ATOM)
    md = renderer_for(glossary_terms(fb.glossary))
    records: list[Claim | Event] = [*fb.claims.values(), *fb.events.values()]
    records.sort(
        key=lambda r: (changed(r, as_of), r.date.sort_key, isinstance(r, Claim), r.id),
        reverse=True,
    )
    del records[FEED_ENTRIES:]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"{TAG}:feed")
    _sub(feed, "title", f"{TITLE}: claims and events")
    _sub(feed, "subtitle", FEED_SUBTITLE)
    newest = max((changed(r, as_of) for r in records), default=as_of)
    _sub(feed, "updated", _instant(newest))
    author = _sub(feed, "author")
    _sub(author, "name", TITLE)
    base = site_url.rstrip("/") + "/" if site_url else ""
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}feed.xml")
    _sub(feed, "link", rel="alternate", type="text/html", href=base or "./")
    _sub(feed, "rights", f"Facts: CC BY 4.0 ({LICENCE_URL}); quoted passages: their publishers.")
    for record in records:
        _entry(feed, fb, record, site_url, md, as_of)
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# ---- iCalendar -----------------------------------------------------------------------


def _ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n")
    )  # fmt: skip


def _fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets, never inside a character."""
    pieces: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += width
    pieces.append(current)
    return pieces


def _span(date: PartialDate) -> tuple[str, str]:
    """DTSTART and (exclusive) DTEND of an all-day event covering what is known."""
    start = date.earliest()
    end = date.latest() + dt.timedelta(days=1)
    return start.strftime("%Y%m%d"), end.strftime("%Y%m%d")


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
    outlets = dict.fromkeys(
        f"{fb.sources[c.source].outlet} ({fb.sources[c.source].published.human()})"
        for c in record.sources
    )
    return "Sources: " + "; ".join(outlets) + "."


def _vevent(props: list[tuple[str, str]]) -> list[str]:
    return ["BEGIN:VEVENT", *(f"{k}:{v}" for k, v in props), "END:VEVENT"]


def _deadline_event(d: Deadline, fb: FactBase, as_of: dt.date, site_url: str) -> list[str]:
    start, end = _span(d.date)
    state = d.state(as_of)
    setter = fb.actors[d.set_by].name
    description = " ".join(
        part
        for part in (
            f"Set by {setter}, against {'; '.join(d.targets)}.",
            f"Threatened: {d.threat}",
            f"Status on {as_of.isoformat()}: {state.label}.",
            f"What became of it: {d.outcome}" if d.outcome else "",
            f"Reporting: {d.status.label}.",
            _precision_note(d.date, d.circa),
            _sources_line(fb, d),
        )
        if part
    )
    if d.resolution in (Resolution.postponed, Resolution.superseded):
        status = "CANCELLED"
    else:
        status = "CONFIRMED" if d.status is Status.confirmed else "TENTATIVE"
    return _vevent([
        ("UID", f"deadline-{d.id}@{CALENDAR_DOMAIN}"),
        ("DTSTAMP", as_of.strftime("%Y%m%dT000000Z")),
        ("DTSTART;VALUE=DATE", start),
        ("DTEND;VALUE=DATE", end),
        ("SUMMARY", _ics_text(f"Deadline: {d.title}")),
        ("DESCRIPTION", _ics_text(description)),
        ("CATEGORIES", "Deadline"),
        ("STATUS", status),
        ("TRANSP", "TRANSPARENT"),
        ("URL;VALUE=URI", deadline_url(site_url, d.id)),
    ])  # fmt: skip


def _summit_event(e: Event, fb: FactBase, as_of: dt.date, site_url: str) -> list[str]:
    start, end = _span(e.date)
    actors = ", ".join(fb.actors[a].name for a in e.actors)
    description = " ".join(
        part
        for part in (
            e.text,
            f"With {actors}." if actors else "",
            f"Reporting: {e.status.label}.",
            _precision_note(e.date, e.circa),
            _sources_line(fb, e),
        )
        if part
    )
    props = [
        ("UID", f"event-{e.id}@{CALENDAR_DOMAIN}"),
        ("DTSTAMP", as_of.strftime("%Y%m%dT000000Z")),
        ("DTSTART;VALUE=DATE", start),
        ("DTEND;VALUE=DATE", end),
        ("SUMMARY", _ics_text(f"Summit: {e.title}")),
        ("DESCRIPTION", _ics_text(description)),
        ("CATEGORIES", "Summit"),
        ("STATUS", "CONFIRMED" if e.status is Status.confirmed else "TENTATIVE"),
        ("TRANSP", "TRANSPARENT"),
        ("URL;VALUE=URI", event_url(site_url, e.id)),
    ]
    if e.location:
        props.insert(6, ("LOCATION", _ics_text(e.location)))
    return _vevent(props)


def calendar(fb: FactBase, as_of: dt.date, site_url: str = "") -> bytes:
    """Deadlines and summits as all-day events, in date order."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Who Claims What//Deadlines and summits//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(TITLE + ': deadlines and summits')}",
        "X-WR-CALDESC:" + _ics_text(
            "Deadlines and ultimatums reported in the sources, and the summits, each spanning "
            "the day, month or year the sources give."
        ),
    ]  # fmt: skip
    items: list[tuple[Any, str, list[str]]] = []
    for d in fb.deadlines.values():
        items.append((d.date.sort_key, d.id, _deadline_event(d, fb, as_of, site_url)))
    for e in fb.events.values():
        if e.kind is EventKind.summit:
            items.append((e.date.sort_key, e.id, _summit_event(e, fb, as_of, site_url)))
    for _, _, block in sorted(items, key=lambda item: item[:2]):
        lines += block
    lines.append("END:VCALENDAR")
    return "".join(piece + "\r\n" for line in lines for piece in _fold(line)).encode("utf-8")


def feed_files(
    fb: FactBase, project: Project, as_of: dt.date, site_url: str = ""
) -> dict[str, bytes]:
    """The feeds, by docs-relative path."""
    return {
        "feed.xml": atom_feed(fb, as_of, site_url),
        "deadlines.ics": calendar(fb, as_of, site_url),
    }
