"""Rule: a citation that gives the fact to unnamed people says so with ``via_anonymous``.

The status rules read the flag; this rule keeps it honest by spotting the
usual phrases in ``via``.
"""

from __future__ import annotations

import re

from generator.content.problems import Problems
from generator.content.rules.base import Facts, cited, facts
from generator.content.scope import EVERYTHING, Scope

#: How articles name people they do not name.
UNNAMED = re.compile(
    r"\b(people|persons?|sources?|officials?) (familiar|close|briefed|with knowledge)\b"
    r"|\bsources\b|\bunnamed\b|\banonymi|\bnot to be (named|identified)\b"
    r"|\bone source\b|\bofficials said\b",
    re.IGNORECASE,
)


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    for _kind, record in facts(fb, scope):
        for cite, _source in cited(fb, record):
            if cite.via and not cite.via_anonymous and UNNAMED.search(cite.via):
                problems.add(
                    cite.position("via"),
                    f"via '{cite.via}' gives this to unnamed people: add 'via_anonymous: true' "
                    "to this citation (an anonymous citation never confirms a fact on its own)",
                )
