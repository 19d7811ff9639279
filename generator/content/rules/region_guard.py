"""Region guard: a claim's `regions` should match the regions its words name.

A real but wrong code passes every other check: `UA-56` (Rivne) typed for
Kherson (`UA-65`) is a valid code of an existing region. What gives it away is
the text: the claim's words name Kherson, and nowhere Rivne. So a region named
in a claim's text or evidence but missing from its `regions`, and one listed
there but named nowhere in its text, summary or evidence (by its name or an
alias), is a warning that names the likely code.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.content.problems import Problems
from generator.content.verdicts import Verdicts, digest

#: Region codes whose name is mostly the seat of a government, not the region:
#: "Kyiv rejects…" is about Ukraine's government. They are not looked for in
#: the words (a claim may still list them).
_METONYMS = frozenset({"UA-30"})


#: Words that name several regions at once, as the sources write them: the four
#: regions Russia claims to have annexed, the Donbas, and Crimea, which the site
#: takes with Sevastopol (the peninsula holds both units).
#: Each is (a word it always starts with, the regular expression, the codes).
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("four", r"four(?: [a-z]+){0,4} regions", ("UA-09", "UA-14", "UA-23", "UA-65")),
    ("Donbas", r"Donbass?", ("UA-09", "UA-14")),
    ("Crimea", r"Crimea", ("UA-43", "UA-40")),
)


@dataclass(frozen=True)
class RegionName:
    """A region as an editor may write it: its code and display name."""

    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


#: Every spelling of a region (code, name, alias), folded, to the region.
Lookup = Mapping[str, RegionName]


def lookup(regions: Iterable[Any]) -> dict[str, RegionName]:
    """The spellings of the given region records (or raw mappings) to their region."""
    found: dict[str, RegionName] = {}
    for region in regions:
        get = region.get if isinstance(region, dict) else lambda k, r=region: getattr(r, k, None)
        code, name = get("code"), get("name")
        if not isinstance(code, str) or not isinstance(name, str):
            continue
        entry = RegionName(code, name)
        aliases = get("aliases")
        for spelling in [code, name, *(aliases if isinstance(aliases, list) else [])]:
            if isinstance(spelling, str):
                found.setdefault(spelling.strip().casefold(), entry)
    return found


def suggestion(value: object, regions: Lookup) -> str:
    """'; did you mean UA-65 Kherson (write 'UA-65')?' for a name, a typo or a lower-case code."""
    if not isinstance(value, str) or not regions:
        return ""
    key = value.strip().casefold()
    hit = regions.get(key)
    if hit is None:
        close = difflib.get_close_matches(key, list(regions), n=1, cutoff=0.75)
        hit = regions[close[0]] if close else None
    return f"; did you mean {hit} (write '{hit.code}')?" if hit else ""


def _pattern(spellings: Iterable[str]) -> re.Pattern[str]:
    """Any of the spellings as a whole word, the longest first ('Kyiv Oblast' before 'Kyiv')."""
    words = sorted({re.escape(s) for s in spellings if s}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(words) or '(?!)'})(?!\w)")


class Guard:
    """The regions' spellings in two patterns, compiled once per check.

    One search of a claim's words finds every region it names: a search per
    region cost 9 s of check at 10,000 claims.
    """

    def __init__(self, regions: Mapping[str, Any]):
        self.regions = regions
        self._codes: dict[str, str] = {}
        for code in sorted(regions):
            for spelling in self.spellings(code):
                if spelling:
                    self._codes.setdefault(spelling, code)
        self._names = _pattern(self._codes)
        # Each group is looked for only where its first word stands: a pattern
        # with repeats searched through every claim cost seconds at scale.
        self._groups = [
            (first, re.compile(rf"(?<!\w)(?:{g})(?!\w)"), codes) for first, g, codes in GROUPS
        ]

    def spellings(self, code: str) -> list[str]:
        """The region's name and aliases: what names it in a claim's text."""
        region = self.regions[code]
        return [region.name, *(region.aliases or [])]

    def named_in(self, words: str) -> list[str]:
        """Codes of the regions ``words`` name, in code order."""
        found = {self._codes[m.group()] for m in self._names.finditer(words)}
        return sorted(found - _METONYMS)

    def covered(self, words: str) -> set[str]:
        """Codes of the regions ``words`` name, alone or with others ('the four regions')."""
        found = {self._codes[m.group()] for m in self._names.finditer(words)}
        for first, pattern, codes in self._groups:
            if first in words and pattern.search(words):
                found.update(codes)
        return found

    def label(self, code: str) -> str:
        region = self.regions.get(code)
        return f"{code} {region.name}" if region is not None else code


def _words(claim: Any, *, summary: bool) -> str:
    cites = claim.sources or []
    parts = [claim.text, *(c.evidence for c in cites), *(c.quote for c in cites)]
    if summary:
        # An editors' note may say why a region is listed ("the four regions Russia claims").
        parts += [claim.summary, getattr(claim, "note", None)]
    return "\n".join(p for p in parts if p)


def check_claim(claim: Any, guard: Guard, problems: Problems) -> None:
    """Warn where a claim's `regions` and the regions its words name disagree."""
    listed = [code for code in claim.regions or [] if code in guard.regions]
    named = [c for c in guard.named_in(_words(claim, summary=False)) if c not in listed]
    # Named in the summary, the one line saying what the claim is about: a name
    # in passing in the text ("shortly after the operation to seize Crimea") is not.
    headline = guard.named_in(claim.summary or "")
    named.sort(key=lambda code: (code not in headline, code))  # the likeliest first
    everything = _words(claim, summary=True)
    covered = guard.covered(everything)
    unnamed = [
        (i, code)
        for i, code in enumerate(claim.regions or [])
        if code in guard.regions and code not in _METONYMS and code not in covered
    ]
    for i, code in unnamed:
        likely = named.pop(0) if named else None
        hint = (
            f"; its text names {guard.label(likely)}, which 'regions' does not list: "
            f"did you mean {likely}?"
            if likely
            else "; remove it if the claim is not about it, or add the name the sources use "
            "to the region's aliases"
        )
        problems.warn(
            claim.position("regions", i),
            f"region {guard.label(code)} is listed in 'regions' but the claim's text, summary "
            f"and evidence never name it{hint}",
        )
    # A claim that lists no region is not about a place: naming one in passing
    # ("after Crimea's annexation") is not a region it is about.
    for code in [c for c in named if c in headline] if listed else []:
        problems.warn(
            claim.position("regions"),
            f"the claim's summary names {guard.label(code)}, which 'regions' does not "
            f"list; add {code} to 'regions' if the claim is about it",
        )


def check(
    claims: Iterable[Any],
    regions: Mapping[str, Any],
    problems: Problems,
    verdicts: Verdicts | None = None,
) -> None:
    """Run the guard over every claim; ``verdicts``: the claims it passed before, by
    their words and regions and the region table, are not read again."""
    guard = Guard(regions)
    verdicts = verdicts if verdicts is not None else Verdicts()
    table = repr(sorted((code, repr(region)) for code, region in regions.items()))
    for claim in claims:
        if claim.text is None:
            continue
        key = digest("region guard", table, repr(claim.regions), _words(claim, summary=True))
        verdicts.passes(key, partial(_passes, claim, guard, problems))


def _passes(claim: Any, guard: Guard, problems: Problems) -> bool:
    """:func:`check_claim`, into ``problems``; whether it warned of nothing."""
    found = Problems()
    check_claim(claim, guard, found)
    problems.extend(found)
    return not found.items
