"""Rule: ``confirmed`` needs an on-the-record speaker in at least one source.

For an event the same requirement is that a source reports it as having
happened; :mod:`generator.content.rules.future` checks that one. A fact whose
every citation is second-hand is reported once, by
:mod:`generator.content.rules.relayed`.
"""

from __future__ import annotations

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.rules.base import Facts, cited, facts
from generator.content.rules.relayed import second_hand
from generator.content.scope import EVERYTHING, Scope


def speakers(record: m.Claim | m.Deadline | m.Proposal) -> list[str]:
    """The actors whose words the fact reports."""
    if isinstance(record, m.Claim):
        return [record.actor]
    if isinstance(record, m.Deadline):
        return [record.set_by]
    return record.proposed_by


def named(fb: Facts, actor_id: str) -> bool:
    actor = fb.actors.get(actor_id)
    return actor is None or actor.speaks_as is not m.Standing.anonymous


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    for kind, record in facts(fb, scope):
        if record.status is not m.Status.confirmed or isinstance(record, m.Event):
            continue
        pairs = cited(fb, record)
        if not pairs or all(second_hand(c, s) for c, s in pairs):
            continue
        if not any(named(fb, actor) for actor in speakers(record)):
            problems.add(
                record.position("status"),
                f"{kind} '{record.id}' is confirmed, but no source has a named speaker on the "
                "record: mark it 'reported'",
            )
