"""Reference markup in prose: ``{source:toutiao-relay}``, ``{actor:kremlin}``, ``{region:UA-43}``.

Prose names other entries through this markup, never through their machine
ids: a page shows the entry's reader-facing name with a link, and the plain
text of feeds and share cards shows the name alone. ``rename`` rewrites the
same tokens when an id changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from generator.content import model as m
from generator.content.rules.base import Facts

#: Prose markup naming an entry, e.g. ``{actor:kremlin}``.
MARKUP = re.compile(r"\{(actor|source|claim|event|deadline|proposal|region):([^{}\s]+)\}")

#: The fields readers see as prose, per kind of record (verbatim passages excluded).
PROSE_FIELDS: dict[type[m.Record], tuple[str, ...]] = {
    m.Claim: ("summary", "text", "date_basis"),
    m.Event: ("title", "text", "date_basis", "location"),
    m.Deadline: ("title", "threat", "outcome", "date_basis"),
    m.Proposal: ("name", "summary", "date_basis"),
    m.Brief: ("heading", "text"),
    m.Region: ("note",),
    m.Actor: ("role",),
    m.GlossaryEntry: ("definition",),
    m.Source: ("summary", "language_note", "published_basis"),
    m.Citation: ("via",),
    m.Framing: ("subject",),
    m.Wording: ("note",),
}


def tables(fb: Facts) -> dict[str, dict[str, Any]]:
    """Each kind markup may name, and its records by id."""
    return {
        "source": fb.sources,
        "actor": fb.actors,
        "region": fb.regions,
        "claim": fb.claims,
        "event": fb.events,
        "deadline": fb.deadlines,
        "proposal": fb.proposals,
    }


def reader_name(kind: str, record: Any) -> str:
    """What a reader sees for an entry named in prose."""
    name = {
        "source": "label",
        "actor": "name",
        "region": "name",
        "claim": "summary",
        "event": "title",
        "deadline": "title",
        "proposal": "name",
    }[kind]
    return str(getattr(record, name))


def substitute(text: str, fb: Facts, render: Callable[[str, str, str], str]) -> str:
    """``text`` with each known reference replaced by ``render(kind, id, name)``;
    unknown ones (``check`` reports them) are left as written."""
    known = tables(fb)

    def one(match: re.Match[str]) -> str:
        kind, ident = match.groups()
        record = known[kind].get(ident)
        return render(kind, ident, reader_name(kind, record)) if record else match.group()

    return MARKUP.sub(one, text)


def plain(text: str, fb: Facts) -> str:
    """The text as plain words: each reference becomes the entry's reader-facing name."""
    return substitute(text, fb, lambda _kind, _ident, name: name)


def prose(record: m.Record) -> Iterator[tuple[m.Record, str, str]]:
    """Every prose value of ``record`` and of its citations and wordings: (owner, field, text)."""
    for field_name in PROSE_FIELDS.get(type(record), ()):
        value = getattr(record, field_name)
        if value:
            yield record, field_name, value
    for nested in [
        *(getattr(record, "sources", None) or ()),
        *(getattr(record, "wordings", None) or ()),
    ]:
        if isinstance(nested, m.Record):
            yield from prose(nested)
