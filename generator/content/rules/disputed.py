"""Rule: ``disputed`` needs two sources that conflict, named with ``conflicts_with``."""

from __future__ import annotations

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.rules.base import Facts
from generator.content.scope import EVERYTHING, Scope


def _check(kind: str, table: dict[str, m.Claim] | dict[str, m.Event], problems: Problems) -> None:
    for record in table.values():
        if record.status is not m.Status.disputed:
            continue
        others = [table[i] for i in record.conflicts_with if i in table]
        if not record.conflicts_with:
            problems.add(
                record.position("status"),
                f"{kind} '{record.id}' is disputed, but names no conflicting account: add "
                f"'conflicts_with: [ID]' naming the {kind} whose sources tell it otherwise",
            )
            continue
        mine = {c.source for c in record.sources}
        if (
            others
            and all({c.source for c in o.sources} <= mine for o in others)
            and all(mine <= {c.source for c in o.sources} for o in others)
        ):
            problems.add(
                record.position("conflicts_with"),
                f"{kind} '{record.id}' is disputed, but it and the accounts it conflicts with "
                "cite the same sources: a dispute needs two sources that conflict",
            )


def check(fb: object, problems: Problems, scope: Scope = EVERYTHING) -> None:
    """Reads across records, so it runs over everything (``scope`` is not used: see
    :data:`~generator.content.rules.ACROSS`)."""
    facts: Facts = fb  # type: ignore[assignment]
    _check("claim", facts.claims, problems)
    _check("event", facts.events, problems)
