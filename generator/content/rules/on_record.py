"""Rule: ``confirmed`` needs an on-the-record speaker, or an event reported as having
happened, in at least one source."""

from __future__ import annotations

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.rules import future
from generator.content.rules.base import Facts, cited, facts


def _named(fb: Facts, actor_id: str) -> bool:
    actor = fb.actors.get(actor_id)
    return actor is None or actor.speaks_as is not m.Standing.anonymous


def on_the_record(fb: Facts, record: m.Claim | m.Event | m.Deadline | m.Proposal) -> bool:
    """Whether one citation has a named speaker (claims, deadlines, proposals) or
    reports the event as having happened (events)."""
    pairs = cited(fb, record)
    if isinstance(record, m.Event):
        return not future.planned(record, [s for _c, s in pairs])
    speakers = {
        m.Claim: lambda r: [r.actor],
        m.Deadline: lambda r: [r.set_by],
        m.Proposal: lambda r: r.proposed_by,
    }[type(record)](record)
    named = any(_named(fb, s) for s in speakers)
    return named and any(not cite.via_anonymous for cite, _s in pairs)


def check(fb: Facts, problems: Problems) -> None:
    for kind, record in facts(fb):
        if record.status is not m.Status.confirmed or on_the_record(fb, record):
            continue
        what = (
            "no source reports it as having happened"
            if isinstance(record, m.Event)
            else "no source has a named speaker on the record"
        )
        problems.add(
            record.position("status"),
            f"{kind} '{record.id}' is confirmed, but {what}: mark it 'reported'",
        )
