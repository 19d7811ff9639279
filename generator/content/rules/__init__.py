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


#: The rules up to the one that names bare ids, about 0.6 s of the rules' 1.0 s at
#: 10,000 claims, and the rest (0.4 s): a build checks the first part on another
#: core while this one runs the rest beside the cross-record checks (0.6 s), so
#: that neither core waits long for the other.
SPLIT = RULES.index(references.check) + 1
FIRST, REST = RULES[:SPLIT], RULES[SPLIT:]


def check_rules(
    fb: Facts, problems: Problems, rules: tuple[Callable[[Facts, Problems], None], ...] = RULES
) -> None:
    """Every editorial rule (or those of ``rules``, a part of :data:`RULES`), in a
    stable order."""
    for rule in rules:
        rule(fb, problems)
