"""Cross-record rules: what one record may say about another.

Ids are unique, references name records that exist, reference chains have an
end, names and aliases belong to one owner, every first-level unit of Ukraine
is listed, and every cited passage stands word for word in its article (a
quote inside its own evidence). Field rules live in the model; these are the
rules no single record can check alone.
"""

from __future__ import annotations

import dataclasses
import typing
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from generator.content import model as m
from generator.content import rules
from generator.content.beside import Beside, InLine
from generator.content.loader import Dropped, Files
from generator.content.model import UA_CODES
from generator.content.problems import Position, Problems
from generator.content.quotes import SourceText, find_words, normalize
from generator.content.rules import region_guard
from generator.content.rules.base import Facts, records
from generator.content.schema_errors import did_you_mean
from generator.content.scope import Scope, world
from generator.content.verdicts import Verdicts, digest

__all__ = ["UA_CODES", "Tables", "check", "index"]


class Tables(Facts, Protocol):
    """The indexed records the rules read: a :class:`~generator.content.factbase.FactBase`."""

    texts: dict[str, SourceText]

    def sourced_records(self) -> Iterator[tuple[str, m.Record, list[m.Citation]]]: ...


def _index(records: Iterable[Any], key: str, what: str, problems: Problems) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for record in records:
        ident = getattr(record, key)
        if ident in table:
            first = table[ident].position(key)
            problems.add(
                record.position(key),
                f"duplicate {what} id '{ident}' (first defined at {first}); ids must be unique",
            )
            continue
        table[ident] = record
    return table


@dataclass(frozen=True)
class Names:
    """The ids one kind of reference may name: valid records' and dropped ones'."""

    what: str
    collection: str
    table: dict[str, Any]
    dropped: Dropped

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and (
            ident in self.table or self.dropped.covers(self.collection, ident)
        )


def _ref(
    record: m.Record, field_name: str, value: str | None, names: Names, problems: Problems,
    index: int | None = None,
) -> None:  # fmt: skip
    if value is None or value in names:
        return
    hint = (
        region_guard.suggestion(value, region_guard.lookup(names.table.values()))
        if names.collection == "regions"
        else did_you_mean(value, names.table)
    )
    problems.add(record.position(field_name, index), f"unknown {names.what} '{value}'{hint}")


def _refs(record: m.Record, field_name: str, names: Names, problems: Problems) -> None:
    """Check a list-valued reference field, pointing at the exact list item."""
    for i, value in enumerate(getattr(record, field_name) or []):
        _ref(record, field_name, value, names, problems, i)


def _check_cycles(table: dict[str, Any], field_name: str, what: str, problems: Problems) -> None:
    """A chain of references that returns to its start has no first link.

    Each cycle is reported once, at its first member in id order.
    """
    in_cycle: set[str] = set()
    for start in sorted(table):
        if start in in_cycle:
            continue
        seen = [start]
        current = getattr(table[start], field_name)
        while current in table:
            if current == start:
                chain = " → ".join(seen + [start])
                problems.add(
                    table[start].position(field_name),
                    f"{what} reference cycle: {chain}; one of them must not point back",
                )
                in_cycle.update(seen)
                break
            if current in seen:
                break
            seen.append(current)
            current = getattr(table[current], field_name)


def _verbatim(verdicts: Verdicts, text: SourceText, passage: str) -> bool:
    """Whether ``passage`` stands in ``text`` (:meth:`SourceText.contains`), kept."""
    return verdicts.passes(digest("verbatim", text.key, passage), partial(text.contains, passage))


def _quote_inside(evidence: str, quote: str) -> bool:
    return find_words(normalize(evidence), quote) >= 0


def _check_citations(
    fb: Tables, sources: Names, problems: Problems, verdicts: Verdicts, scope: Scope
) -> None:
    for _kind, record, cites in fb.sourced_records():
        if record not in scope:
            continue
        for cite in cites or []:  # None: the record's sources failed their schema
            if cite.source is None:
                continue  # its own problem is reported
            if cite.source not in sources:
                problems.add(
                    cite.position("source"),
                    f"unknown source '{cite.source}' (sources are listed in seeds/sources.yml)"
                    f"{did_you_mean(cite.source, fb.sources)}",
                )
                continue
            text = fb.texts.get(cite.source)
            if text is None:
                continue  # the source's own file problem is already reported
            found = {}
            for field_name in ("evidence", "quote"):
                passage = getattr(cite, field_name)
                found[field_name] = not passage or _verbatim(verdicts, text, passage)
                if not found[field_name]:
                    problems.add(
                        cite.position(field_name),
                        f"{field_name} not found verbatim in source '{cite.source}'; "
                        f"{text.explain(passage)}",
                    )
            evidence, quote = cite.evidence or "", cite.quote or ""
            key = digest("quote in evidence", evidence, quote)
            inside = verdicts.passes(key, partial(_quote_inside, evidence, quote))
            if cite.quote and found["quote"] and not inside:
                problems.add(
                    cite.position("quote"),
                    "quote is not part of this citation's evidence; a quote is the actor's "
                    "own words within the evidence passage: extend the evidence to include "
                    "it, or cite the quote's passage in a citation of its own",
                )
    for source in scope.only(fb.sources.values()):
        text = fb.texts.get(source.id)
        for i, passage in enumerate(source.boilerplate or [] if text else []):
            if text is not None and not _verbatim(verdicts, text, passage):
                problems.add(
                    source.position("boilerplate", i),
                    f"boilerplate not found verbatim in source '{source.id}'; "
                    f"{text.explain(passage)}",
                )
    for framing in scope.only(fb.framings.values()):
        for wording in framing.wordings:
            if wording.source is None:
                continue
            if wording.source not in sources:
                problems.add(
                    wording.position("source"),
                    f"unknown source '{wording.source}'{did_you_mean(wording.source, fb.sources)}",
                )
                continue
            text = fb.texts.get(wording.source)
            if text and wording.wording and not _verbatim(verdicts, text, wording.wording):
                problems.add(
                    wording.position("wording"),
                    f"wording not found verbatim in source '{wording.source}'; "
                    f"{text.explain(wording.wording)}",
                )


def _check_regions(
    fb: Tables, region_records: list[m.Region], problems: Problems, dropped: Dropped
) -> None:
    for region in region_records:
        if region.code not in UA_CODES:
            problems.add(
                region.position("code"),
                f"'{region.code}' is not a first-level unit of Ukraine"
                f"{did_you_mean(region.code, UA_CODES)}",
            )
    if region_records:
        # A region whose record was refused is reported where it stands already.
        missing = [c for c in UA_CODES if c not in fb.regions and not dropped.covers("regions", c)]
        if missing:
            anchor = region_records[0].position()
            problems.add(
                Position(anchor.file, 1, 1),
                f"regions missing for {', '.join(missing)}; all 27 first-level units "
                "must be listed (the maps draw every one)",
            )


def _unique_terms(entries: list[m.GlossaryEntry], problems: Problems) -> list[m.GlossaryEntry]:
    """One entry per term: text links each term to one place in the glossary."""
    seen: dict[str, m.GlossaryEntry] = {}
    for entry in entries:
        first = seen.setdefault(entry.anchor, entry)
        if first is not entry:
            problems.add(
                entry.position("term"),
                f"the glossary term '{entry.term}' is already defined as '{first.term}' "
                f"(at {first.position('term')}); define each term once",
            )
    return list(seen.values())


def _check_aliases(fb: Tables, problems: Problems) -> None:
    """An alias that names two things would make search and tooltips lie."""
    owners: dict[str, list[tuple[str, m.Record]]] = defaultdict(list)
    for actor in fb.actors.values():
        for name in [actor.name, *actor.aliases]:
            if name:
                owners[name.casefold()].append((actor.id, actor))
    for region in fb.regions.values():
        for name in [region.name, *region.aliases]:
            if name:
                owners[name.casefold()].append((region.code, region))
    for name, holders in sorted(owners.items()):
        ids = sorted({h[0] for h in holders})
        if len(ids) > 1:
            record = holders[-1][1]
            problems.add(
                record.position("aliases"),
                f"the name '{name}' is used by {' and '.join(ids)}; a name or alias must "
                "belong to one actor or region only",
            )


#: Alphabets whose look-alike letters can pass for one another ('Р' and 'P').
#: Scripts that mix within a word by nature (Japanese kana and kanji) are not among them.
_CONFUSABLE = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN"})


def _scripts(word: str) -> set[str]:
    return {
        script
        for ch in word
        if ch.isalpha() and (script := unicodedata.name(ch, "?").split(" ")[0]) in _CONFUSABLE
    }


def _mixed_word(name: str) -> tuple[str, set[str]] | None:
    """The first word of ``name`` written in two confusable alphabets, and those alphabets."""
    for word in name.split():
        scripts = _scripts(word)
        if len(scripts) > 1:
            return word, scripts
    return None


def _display_names(fb: Tables) -> Iterator[tuple[m.Record, str, int | None, str]]:
    """Every name shown to readers: (record, field, list index, name)."""
    owners: list[m.Actor | m.Region] = [*fb.actors.values(), *fb.regions.values()]
    for owner in owners:
        yield owner, "name", None, owner.name
        for i, alias in enumerate(owner.aliases):
            yield owner, "aliases", i, alias
    for entry in fb.glossary:
        yield entry, "term", None, entry.term


def _check_scripts(fb: Tables, problems: Problems) -> None:
    """Warn about a name with a word in two alphabets: 'Рutin' with a Cyrillic 'Р'.

    It reads as the real name but is not found by search, and sorts and links
    as another; it may be a slip of a keyboard layout or a deliberate look-alike.
    """
    for record, field_name, i, name in _display_names(fb):
        mixed = _mixed_word(name or "")
        if mixed is None:
            continue
        word, scripts = mixed
        odd = ", ".join(
            f"'{ch}' U+{ord(ch):04X} {unicodedata.name(ch, '?')}"
            for ch in dict.fromkeys(word)
            if ch.isalpha() and unicodedata.name(ch, "?").split(" ")[0] != "LATIN"
        )
        problems.warn(
            record.position(field_name, i),
            f"'{word}' mixes {' and '.join(sorted(s.title() for s in scripts))} letters in one "
            f"word ({odd}); retype it in one alphabet, or readers' searches will not find it",
        )


def index(fb: Tables, files: Files, problems: Problems) -> list[m.Region]:
    """Fill ``fb``'s tables from the files, reporting ids defined twice.

    Returns every region record read, duplicates included, for :func:`check`.
    """

    def gather(name: str) -> list[Any]:
        return [r for f in files.contents for r in getattr(f, name)]

    fb.sources = _index(files.manifest.sources if files.manifest else [], "id", "source", problems)
    fb.actors = _index(gather("actors"), "id", "actor", problems)
    region_records = gather("regions")
    fb.regions = _index(region_records, "code", "region", problems)
    fb.claims = _index(gather("claims"), "id", "claim", problems)
    fb.events = _index(gather("events"), "id", "event", problems)
    fb.deadlines = _index(gather("deadlines"), "id", "deadline", problems)
    fb.proposals = _index(gather("proposals"), "id", "proposal", problems)
    fb.framings = _index(gather("framings"), "id", "framing", problems)
    fb.glossary = _unique_terms(gather("glossary"), problems)
    fb.briefs = _index(gather("briefs"), "id", "brief", problems)
    return region_records


def with_salvaged(fb: Tables, dropped: Dropped) -> Tables:
    """``fb`` with the records that failed their schema added back, as far as they are valid.

    The rules run on this view, so that an entry with an unknown field still
    has its references and quotes checked in the same run; the fact base itself
    keeps only valid records, for the pages.
    """
    if not any(dropped.salvaged.values()):
        return fb
    changes: dict[str, Any] = {}
    for collection, kept in dropped.salvaged.items():
        table = getattr(fb, collection)
        if isinstance(table, list):
            changes[collection] = [*table, *kept]
            continue
        key = "code" if collection == "regions" else "id"
        merged = dict(table)
        for record in kept:
            merged.setdefault(getattr(record, key), record)
        changes[collection] = merged
    return typing.cast(Tables, dataclasses.replace(typing.cast(Any, fb), **changes))


def check(
    fb: Tables,
    region_records: list[m.Region],
    dropped: Dropped,
    problems: Problems,
    verdicts: Verdicts | None = None,
    beside: Beside = InLine,
) -> None:
    """Every cross-record rule, once the tables and the articles' texts are in ``fb``.
    ``verdicts``: the look-ups that passed before, not run again (see :mod:`verdicts`).
    ``beside``: where the first part of the editorial rules runs, while the
    rest are checked here (:data:`~generator.content.rules.FIRST`)."""
    verdicts = verdicts if verdicts is not None else Verdicts()
    _check_regions(fb, region_records, problems, dropped)
    fb = with_salvaged(fb, dropped)
    scope = Scope.of(records(fb), world(fb, dropped.known()), verdicts)
    # A scope of the files an edit changed leaves the rules 15 ms of work at
    # 10,000 claims: less than forking the job that would share it.
    editorial = (beside if scope.files_left_out == 0 else InLine)(
        _editorial, fb, rules.FIRST, scope
    )
    actors = Names("actor", "actors", fb.actors, dropped)
    regions = Names("region", "regions", fb.regions, dropped)
    claims = Names("claim", "claims", fb.claims, dropped)
    events = Names("event", "events", fb.events, dropped)
    deadlines = Names("deadline", "deadlines", fb.deadlines, dropped)
    proposals = Names("proposal", "proposals", fb.proposals, dropped)
    # The checks that report on a record from it and the world alone: on the files
    # an edit changed (see :mod:`generator.content.scope`). A reference names an
    # id, and every id is in the world.
    scoped = Problems()
    for claim in scope.only(fb.claims.values()):
        _ref(claim, "actor", claim.actor, actors, scoped)
        _refs(claim, "regions", regions, scoped)
        _ref(claim, "proposal", claim.proposal, proposals, scoped)
        _ref(claim, "event", claim.event, events, scoped)
        _ref(claim, "responds_to", claim.responds_to, claims, scoped)
        _refs(claim, "conflicts_with", claims, scoped)
    for event in scope.only(fb.events.values()):
        _refs(event, "actors", actors, scoped)
        _refs(event, "regions", regions, scoped)
        _refs(event, "conflicts_with", events, scoped)
    for deadline in fb.deadlines.values():
        _ref(deadline, "set_by", deadline.set_by, actors, problems)
        _ref(deadline, "superseded_by", deadline.superseded_by, deadlines, problems)
    for proposal in fb.proposals.values():
        _refs(proposal, "proposed_by", actors, problems)
    _check_cycles(fb.claims, "responds_to", "claim", problems)
    _check_cycles(fb.deadlines, "superseded_by", "deadline", problems)
    _check_aliases(fb, problems)
    _check_scripts(fb, problems)
    _check_citations(fb, Names("source", "sources", fb.sources, dropped), scoped, verdicts, scope)
    region_guard.check(scope.only(fb.claims.values()), fb.regions, scoped, verdicts)
    scoped.extend(_editorial(fb, rules.REST, scope))
    scoped.extend(editorial.result())
    scope.keep(verdicts, scoped)
    problems.extend(scoped)


def _editorial(fb: Tables, part: tuple[rules.Rule, ...], scope: Scope) -> Problems:
    """The problems of a part of the editorial rules, on their own (they may be
    found in another process)."""
    problems = Problems()
    rules.check_rules(fb, problems, part, scope)
    return problems
