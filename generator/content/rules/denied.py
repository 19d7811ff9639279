"""Rule: ``denied`` needs a denial in the evidence of a source."""

from __future__ import annotations

import re

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.rules.base import Facts, facts
from generator.content.scope import EVERYTHING, Scope

#: Words by which a party says a report is untrue.
DENIAL = re.compile(
    r"\b(den(y|ies|ied|ying|ial)|untrue|not true|false|fake|fabricat\w*|never happened)\b",
    re.IGNORECASE,
)


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    for kind, record in facts(fb, scope):
        if record.status is not m.Status.denied:
            continue
        if not any(DENIAL.search(cite.evidence) for cite in record.sources):
            problems.add(
                record.position("status"),
                f"{kind} '{record.id}' is denied, but no evidence passage holds a denial "
                "('denied', 'untrue', 'false'…): cite the denial, or choose another status "
                "(a refusal to comment or a dismissal is not a denial)",
            )
