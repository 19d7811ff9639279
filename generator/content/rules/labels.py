"""Rule: every source's reader label is unique, so a reader can tell two articles apart."""

from __future__ import annotations

from generator.content.problems import Problems
from generator.content.rules.base import Facts
from generator.content.scope import EVERYTHING, Scope


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    """Reads across records, so it runs over everything (``scope`` is not used: see
    :data:`~generator.content.rules.ACROSS`)."""
    first: dict[str, str] = {}
    for source in fb.sources.values():
        key = source.label.casefold()
        if key in first:
            other = fb.sources[first[key]]
            problems.add(
                source.position("label"),
                f"sources '{other.id}' and '{source.id}' have the same label '{source.label}' "
                f"(first at {other.position('label')}); readers could not tell them apart: "
                "say what makes each one different (outlet, relay, date)",
            )
            continue
        first[key] = source.id
