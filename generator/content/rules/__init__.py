"""Editorial rules checked by machine, one module per rule.

Each module's ``check(fb, problems)`` reports the entries that break its rule,
with what to change; :func:`check_rules` runs them all once the tables are
indexed and the references resolved. The methodology page states the same
rules to readers, with examples taken from the fact base.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.content.problems import Problems
from generator.content.rules import (
    anonymous,
    denied,
    disputed,
    future,
    general,
    labels,
    on_record,
    references,
    relayed,
    via_chain,
)
from generator.content.rules.base import Facts

#: Every editorial rule, in the order its problems are reported.
RULES: tuple[Callable[[Facts, Problems], None], ...] = (
    labels.check,
    references.check,
    anonymous.check,
    via_chain.check,
    relayed.check,
    on_record.check,
    denied.check,
    disputed.check,
    future.check,
    general.check,
)


def check_rules(fb: Facts, problems: Problems) -> None:
    """Every editorial rule, in a stable order."""
    for rule in RULES:
        rule(fb, problems)
