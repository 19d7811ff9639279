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
from generator.content.scope import EVERYTHING, Scope

Rule = Callable[[Facts, Problems, Scope], None]

#: Every editorial rule, in the order its problems are reported.
RULES: tuple[Rule, ...] = (
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


#: The rules that read other records than the one they report on: one source's label
#: against every other's, a dispute against the accounts it names. They run over
#: everything; every other rule reports on a record from it and the world alone, and
#: runs on the records of a :class:`~generator.content.scope.Scope`.
ACROSS = frozenset({labels.check, disputed.check})


def check_rules(
    fb: Facts, problems: Problems, rules: tuple[Rule, ...] = RULES, scope: Scope = EVERYTHING
) -> None:
    """Every editorial rule (or those of ``rules``, a part of :data:`RULES`), in a
    stable order; those not :data:`ACROSS` on the records of ``scope``."""
    for rule in rules:
        rule(fb, problems, EVERYTHING if rule in ACROSS else scope)
