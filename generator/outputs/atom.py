"""The Atom feed (``feed.xml``) of the newest claims and events.

It lists the newest :data:`FEED_ENTRIES` claims and events, newest first, by
the date each was added to the site or last changed (the optional ``added``
and ``updated`` fields); where neither is recorded, by the date of the fact
itself, and the feed's subtitle says so.

The feed is deterministic: entries sorted, ids stable across builds (``tag:``
URIs that never change with the site's address), and no timestamp other than
the facts' own dates and the build's as-of date.
"""

from __future__ import annotations

import datetime as dt
import heapq
import xml.etree.ElementTree as ET
from typing import Any

from markupsafe import escape

from generator.content import urls
from generator.content.factbase import FactBase
from generator.content.markup import plain
from generator.content.model import Claim, Deadline, Event, Status
from generator.outputs.opendata import LICENCE_URL, TITLE
from generator.site.corrections import LoggedCorrection, corrections_log
from generator.site.generate import text_renderer
from generator.site.templating import ROOT
from generator.site.textformat import TextRenderer

ATOM = "http://www.w3.org/2005/Atom"
#: The authority of every tag: URI (RFC 4151). Fixed: a feed reader knows an
#: entry by its id, so ids must not change when the site moves.
TAG = "tag:who-claims-what.github.io,2025"
#: Feed readers poll the feed again and again: it carries the latest news,
#: not the archive (every fact is in data/facts.json). 10,000 entries would be
#: a 10 MB download on every poll, and a second of every build.
FEED_ENTRIES = 100

FEED_SUBTITLE = (
    "Claims and events on the US–Russia negotiations over Ukraine, each with its sources. "
    f"The {FEED_ENTRIES} newest, by the date a fact was added to the site or last changed; "
    "every fact is in data/facts.json. Where the date of a change is "
    "not recorded, by the date of the fact itself (for a fact dated later than this edition, "
    "the edition's date). Corrections to published facts come first, newest first."
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
        kind, link = "claim", urls.claim(record.id)
        title = plain(record.summary, fb)
        actor = fb.actors[record.actor]
        lead = f"<p><strong>{escape(actor.name)}</strong> {escape(record.stance.value)}"
    else:
        kind, link = "event", urls.event(record.id)
        title = plain(record.title, fb)
        lead = f"<p><strong>{escape(record.kind.value.capitalize())}</strong>"
    lead += f" · {escape(record.status.label)} · {'c. ' if record.circa else ''}"
    lead += f"{escape(record.date.human())}</p>"
    _sub(entry, "id", f"{TAG}:{kind}:{record.id}")
    _sub(entry, "title", title + _status_suffix(record.status))
    _sub(entry, "link", rel="alternate", type="text/html", href=urls.absolute(site_url, link))
    _sub(entry, "published", _instant(added(record, as_of)))
    _sub(entry, "updated", _instant(changed(record, as_of)))
    _sub(entry, "category", term=kind)
    _sub(entry, "category", term=record.status.value, label=record.status.label)
    if isinstance(record, Claim):
        _sub(entry, "category", term=fb.party(record).value, label=fb.party(record).label)
        for topic in record.topics:
            _sub(entry, "category", term=topic.value, label=topic.label)
    summary = plain(record.summary if isinstance(record, Claim) else record.title, fb)
    _sub(entry, "summary", summary)
    # Glossary links point into the site: from the feed, that is the site root.
    text = str(md.markdown(record.text)).replace(ROOT, urls.absolute(site_url, urls.HOME))
    body = lead + text + _cites_html(fb, record)
    _sub(entry, "content", body, type="html")


def _correction_entry(feed: ET.Element, logged: LoggedCorrection, site_url: str) -> None:
    """A correction as an entry of its own: a reader who cited the old wording sees it."""
    entry = _sub(feed, "entry")
    day = _instant(logged.correction.date.earliest())
    _sub(entry, "id", f"{TAG}:{logged.tag}")
    _sub(entry, "title", f"Correction: {logged.label}")
    link = urls.absolute(site_url, logged.link)
    _sub(entry, "link", rel="alternate", type="text/html", href=link)
    _sub(entry, "published", day)
    _sub(entry, "updated", day)
    _sub(entry, "category", term="correction")
    _sub(entry, "summary", logged.correction.changed)
    body = (
        f"<p><strong>What changed:</strong> {escape(logged.correction.changed)}</p>"
        f"<p><strong>Why:</strong> {escape(logged.correction.why)}</p>"
    )
    _sub(entry, "content", body, type="html")


def atom_feed(
    fb: FactBase, as_of: dt.date, site_url: str = "", text: TextRenderer | None = None
) -> bytes:
    """The newest :data:`FEED_ENTRIES` claims and events, newest change first, and the
    newest corrections among them (each its own entry, by the day of the correction).

    ``text``: the generation's renderer, whose pages already rendered these texts.
    """
    ET.register_namespace("", ATOM)
    md = text or text_renderer(fb, fb.touched_regions())
    # The newest of thousands: a heap of FEED_ENTRIES, not a sort of them all
    # (heapq's own words: the same as sorting in reverse and taking the first).
    records: list[Claim | Event] = heapq.nlargest(
        FEED_ENTRIES,
        [*fb.claims.values(), *fb.events.values()],
        key=lambda r: (changed(r, as_of), r.date.sort_key, isinstance(r, Claim), r.id),
    )
    fixes = corrections_log(fb)[:FEED_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"{TAG}:feed")
    _sub(feed, "title", f"{TITLE}: claims and events")
    _sub(feed, "subtitle", FEED_SUBTITLE)
    newest = max(
        [*(changed(r, as_of) for r in records), *(c.correction.date.earliest() for c in fixes)],
        default=as_of,
    )
    _sub(feed, "updated", _instant(newest))
    author = _sub(feed, "author")
    _sub(author, "name", TITLE)
    here = urls.absolute(site_url, urls.FEED)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=here)
    home = urls.absolute(site_url, urls.HOME) or "./"
    _sub(feed, "link", rel="alternate", type="text/html", href=home)
    _sub(feed, "rights", f"Facts: CC BY 4.0 ({LICENCE_URL}); quoted passages: their publishers.")
    for logged in fixes:
        _correction_entry(feed, logged, site_url)
    for record in records:
        _entry(feed, fb, record, site_url, md, as_of)
    ET.indent(feed, space=" ")
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
