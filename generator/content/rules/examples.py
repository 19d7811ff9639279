"""Real facts that show each status rule, for the methodology page.

The page explains the rules with entries of the fact base, never typed-in
examples, so what it says stays true as the content changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content import model as m
from generator.content.rules import future
from generator.content.rules.base import Facts, cited
from generator.content.rules.relayed import second_hand


@dataclass(frozen=True)
class Examples:
    confirmed: m.Claim | None
    second_hand: m.Claim | None
    disputed: tuple[m.Claim, m.Claim] | None
    denied: m.Claim | None
    planned: m.Event | None


def _first_hand_official(fb: Facts, claim: m.Claim) -> bool:
    actor = fb.actors.get(claim.actor)
    return bool(
        actor
        and actor.speaks_as is m.Standing.official
        and claim.sources[0].quote
        and not any(second_hand(c, s) for c, s in cited(fb, claim))
    )


def examples(fb: Facts) -> Examples:
    """The first fact, in id order, that shows each rule (None where none does).

    Each is the first found, not picked from a list of all that qualify: at
    10,000 claims those lists were 9 ms of every build, for one fact each.
    """
    claims = sorted(fb.claims.values(), key=lambda c: c.id)
    by_status = {s: [c for c in claims if c.status is s] for s in m.Status}
    relayed = (
        c
        for c in by_status[m.Status.reported]
        if all(second_hand(cite, source) for cite, source in cited(fb, c))
    )
    disputes = (
        (c, fb.claims[c.conflicts_with[0]])
        for c in by_status[m.Status.disputed]
        if c.conflicts_with and c.conflicts_with[0] in fb.claims
    )
    planned = (
        e
        for e in sorted(fb.events.values(), key=lambda e: e.id)
        if future.planned(e, [s for _c, s in cited(fb, e)])
    )
    return Examples(
        confirmed=next(
            (c for c in by_status[m.Status.confirmed] if _first_hand_official(fb, c)), None
        ),
        second_hand=next(relayed, None),
        disputed=next(disputes, None),
        denied=by_status[m.Status.denied][0] if by_status[m.Status.denied] else None,
        planned=next(planned, None),
    )
