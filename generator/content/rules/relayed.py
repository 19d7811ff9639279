"""Rule: a fact whose every source relays another outlet, or gives it to unnamed people,
is not ``confirmed``: nobody in our sources saw or said it on the record first-hand."""

from __future__ import annotations

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.rules.base import Facts, cited, facts
from generator.content.scope import EVERYTHING, Scope


def second_hand(cite: m.Citation, source: m.Source) -> bool:
    """A citation that cannot confirm: a relay of another outlet, or unnamed people."""
    return source.relays or cite.via_anonymous


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    for kind, record in facts(fb, scope):
        pairs = cited(fb, record)
        if record.status is not m.Status.confirmed or not pairs:
            continue
        if all(second_hand(cite, source) for cite, source in pairs):
            problems.add(
                record.position("status"),
                f"{kind} '{record.id}' is confirmed, but every source relays another outlet's "
                "report or gives it to unnamed people: mark it 'reported', or cite a source "
                "that reports it first-hand",
            )
