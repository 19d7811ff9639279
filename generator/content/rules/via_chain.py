"""Rule: a citation's ``via`` names only tellers in its source's attribution chain.

The manifest records who told whom (lock-in-report: Bloomberg News, citing
people familiar with the matter); a ``via`` naming an outlet outside that
chain (Reuters) would credit the report to someone the article does not.
"""

from __future__ import annotations

import re

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.rules.base import Facts, cited, facts
from generator.content.scope import EVERYTHING, Scope


def _outlet_names(fb: Facts) -> dict[str, list[str]]:
    """Each outlet actor's id → every name it goes by."""
    return {a.id: [a.name, *a.aliases] for a in fb.actors.values() if a.kind is m.ActorKind.outlet}


def _mentions(text: str, names: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in names)


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    outlets = _outlet_names(fb)
    for _kind, record in facts(fb, scope):
        for cite, source in cited(fb, record):
            if not cite.via:
                continue
            chain = " / ".join([source.outlet, *source.attribution, *source.other_tellers])
            for names in outlets.values():
                if _mentions(cite.via, names) and not _mentions(chain, names):
                    problems.add(
                        cite.position("via"),
                        f"via '{cite.via}' names {names[0]}, but source '{source.id}' tells "
                        f"it as {', citing '.join(source.attribution)}: name only tellers "
                        "in its attribution chain (or fix the chain in seeds/sources.yml)",
                    )
