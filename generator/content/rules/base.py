"""What every rule reads: the fact base's tables, and the ways to walk them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from generator.content import model as m
from generator.content.scope import EVERYTHING, Scope


class Facts(Protocol):
    """What the rules read: a :class:`~generator.content.factbase.FactBase`."""

    sources: dict[str, m.Source]
    actors: dict[str, m.Actor]
    regions: dict[str, m.Region]
    claims: dict[str, m.Claim]
    events: dict[str, m.Event]
    deadlines: dict[str, m.Deadline]
    proposals: dict[str, m.Proposal]
    framings: dict[str, m.Framing]
    glossary: list[m.GlossaryEntry]
    briefs: dict[str, m.Brief]


Fact = m.Claim | m.Event | m.Deadline | m.Proposal


def facts(fb: Facts, scope: Scope = EVERYTHING) -> Iterator[tuple[str, Fact]]:
    """Every record with a status (of ``scope``): (kind, record)."""
    tables: list[tuple[str, dict[str, Any]]] = [
        ("claim", fb.claims),
        ("event", fb.events),
        ("deadline", fb.deadlines),
        ("proposal", fb.proposals),
    ]
    for kind, table in tables:
        for record in scope.only(table.values()):
            yield kind, record


def cited(fb: Facts, record: Fact) -> list[tuple[m.Citation, m.Source]]:
    """The record's citations with their sources (unknown sources are reported elsewhere)."""
    return [(c, fb.sources[c.source]) for c in record.sources or () if c.source in fb.sources]


def records(fb: Facts, scope: Scope = EVERYTHING) -> Iterator[m.Record]:
    """Every record that may hold prose (of ``scope``)."""
    yield from scope.only(fb.sources.values())
    yield from scope.only(fb.actors.values())
    yield from scope.only(fb.regions.values())
    for _kind, fact in facts(fb, scope):
        yield fact
    yield from scope.only(fb.framings.values())
    yield from scope.only(fb.glossary)
    yield from scope.only(fb.briefs.values())
