"""Load and validate the whole fact base: files → records → one checked model.

Loading happens in three passes, each adding to one list of problems so the
editor sees everything at once: (1) every YAML file is parsed and checked
against the schema; (2) ids are collected and every reference is resolved;
(3) every quote and evidence passage is looked up in its source's text.
"""

from __future__ import annotations

import difflib
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.content.model import (
    Actor,
    Brief,
    Citation,
    Claim,
    ContentFile,
    Deadline,
    Event,
    Framing,
    GlossaryEntry,
    Party,
    Proposal,
    Record,
    Region,
    Source,
    SourcesFile,
    chronological,
)
from generator.content.problems import Position, Problems
from generator.content.project import Project
from generator.content.quotes import SourceText, normalize
from generator.content.schema_errors import did_you_mean, record_class, translate
from generator.content.yamlfile import Document, PathKey, read_yaml

M = TypeVar("M", bound=BaseModel)

#: ISO 3166-2:UA first-level units: 24 oblasts, Crimea, Kyiv and Sevastopol.
UA_CODES = (
    "UA-05", "UA-07", "UA-09", "UA-12", "UA-14", "UA-18", "UA-21", "UA-23", "UA-26",
    "UA-30", "UA-32", "UA-35", "UA-40", "UA-43", "UA-46", "UA-48", "UA-51", "UA-53",
    "UA-56", "UA-59", "UA-61", "UA-63", "UA-65", "UA-68", "UA-71", "UA-74", "UA-77",
)  # fmt: skip


def _record_fields(cls: type[Record]) -> tuple[str, ...]:
    """The fields of a record class that can hold nested records."""
    cached = _RECORD_FIELDS.get(cls)
    if cached is None:
        cached = tuple(
            name
            for name, info in cls.model_fields.items()
            if any(
                isinstance(t, type) and issubclass(t, Record)
                for t in _flatten(info.annotation)
            )
        )
        _RECORD_FIELDS[cls] = cached
    return cached


_RECORD_FIELDS: dict[type, tuple[str, ...]] = {}


def _flatten(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    return [annotation] if not args else [t for a in args for t in _flatten(a)]


def attach(record: Record, doc: Document, path: PathKey) -> None:
    """Tell a record (and the records nested in it) where its YAML stands."""
    record._doc = doc
    record._path = path
    for name in _record_fields(type(record)):
        value = getattr(record, name)
        if isinstance(value, Record):
            attach(value, doc, path + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                attach(item, doc, path + (name, i))


@dataclass
class Dropped:
    """Ids that exist in the files although no valid record holds them.

    A record that fails its schema is dropped, but its id is still written in
    the files; a file that could not be read, or a section that is not a list,
    may hold any id. A reference to one of these is not dangling, and saying so
    would send the editor hunting for a typo that is not there while the real
    problem is already reported.
    """

    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Collections that may hold any id, because part of them could not be read.
    unknown: set[str] = field(default_factory=set)

    def record(
        self, collection: str, record_type: type[BaseModel], item: Any, exc: ValidationError
    ) -> None:
        """Remember the id of a record that failed validation.

        A record whose id is itself missing or malformed could be the one any
        reference meant, so its whole collection becomes unknown.
        """
        key = next((k for k in ("id", "code") if k in record_type.model_fields), None)
        if key is None:
            return
        ident = item.get(key) if isinstance(item, dict) else None
        if isinstance(ident, str) and not any(e["loc"][:1] == (key,) for e in exc.errors()):
            self.ids[collection].add(ident)
        else:
            self.unknown.add(collection)

    def covers(self, collection: str, ident: str) -> bool:
        return collection in self.unknown or ident in self.ids[collection]


def validate_document(
    doc: Document, model: type[M], problems: Problems, dropped: Dropped | None = None
) -> M | None:
    """Validate a file record by record.

    A file-level model would reject the whole file for one bad claim and
    hide the reference errors of its neighbours; validating each record on
    its own keeps every good record for the later passes. What had to be left
    out is noted in ``dropped``.
    """
    dropped = dropped if dropped is not None else Dropped()
    data = doc.data
    assert isinstance(data, dict)
    fields = model.model_fields
    for key in data:
        if key not in fields:
            problems.add(
                doc.at((key,), key=True),
                f"unknown section '{key}'{did_you_mean(key, fields)} "
                f"(a file may hold: {', '.join(fields)})",
            )
    collected: dict[str, list[Record]] = {}
    for name, info in fields.items():
        if name not in data:
            if info.is_required():
                problems.add(doc.at(()), f"missing required section '{name}:'")
            continue
        items = data[name]
        if not isinstance(items, list):
            dropped.unknown.add(name)
            problems.add(
                doc.at((name,)),
                f"'{name}' must be a list of entries, each starting with '- '",
            )
            continue
        record_type = record_class(info.annotation)
        records: list[Record] = []
        for i, item in enumerate(items):
            try:
                record = record_type.model_validate(item)
            except ValidationError as exc:
                translate(exc, record_type, doc, problems, prefix=(name, i))
                dropped.record(name, record_type, item, exc)
                continue
            attach(record, doc, (name, i))
            records.append(record)
        collected[name] = records
    parsed = model.model_construct(**collected)
    assert isinstance(parsed, Record)
    parsed._doc = doc
    return parsed


@dataclass
class FactBase:
    """The validated content, indexed the ways pages need it."""

    project: Project
    sources: dict[str, Source] = field(default_factory=dict)
    texts: dict[str, SourceText] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    deadlines: dict[str, Deadline] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    framings: dict[str, Framing] = field(default_factory=dict)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    briefs: dict[str, Brief] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    # ---- queries pages ask -------------------------------------------------
    # Indexes are built on first use: a page build asks these thousands of
    # times, and the fact base does not change once loaded.
    _indexes: dict[str, dict[str, list[Any]]] = field(default_factory=dict, repr=False)

    def _by(self, name: str, records: Iterable[Any], keys: Any) -> dict[str, list[Any]]:
        if name not in self._indexes:
            index: dict[str, list[Any]] = defaultdict(list)
            for record in sorted(records, key=chronological):
                for key in keys(record):
                    index[key].append(record)
            self._indexes[name] = index
        return self._indexes[name]

    def party(self, claim: Claim) -> Party:
        return self.actors[claim.actor].party

    def positions_of(self, claim: Claim) -> set[Party]:
        """Whose position a claim states.

        Usually its actor's party; but when an outlet reports the terms of a
        proposal (Bloomberg on the August deal), the claim states the position
        of the parties that made the proposal, not of the outlet.
        """
        party = self.party(claim)
        if party not in (Party.media, Party.analysts) or not claim.proposal:
            return {party}
        proposal = self.proposals[claim.proposal]
        return {self.actors[a].party for a in proposal.proposed_by}

    def claims_about(self, code: str) -> list[Claim]:
        return self._by("claims/region", self.claims.values(), lambda c: c.regions).get(code, [])

    def events_about(self, code: str) -> list[Event]:
        return self._by("events/region", self.events.values(), lambda e: e.regions).get(code, [])

    def claims_by(self, actor_id: str) -> list[Claim]:
        return self._by("claims/actor", self.claims.values(), lambda c: [c.actor]).get(actor_id, [])

    def claims_for_proposal(self, proposal_id: str) -> list[Claim]:
        by_proposal = self._by(
            "claims/proposal", self.claims.values(), lambda c: [c.proposal] if c.proposal else []
        )
        return by_proposal.get(proposal_id, [])

    def sourced_records(self) -> Iterator[tuple[str, Record, list[Citation]]]:
        """Every record that cites sources, with its kind and citations."""
        for kind, table in (
            ("actor", self.actors),
            ("claim", self.claims),
            ("event", self.events),
            ("deadline", self.deadlines),
            ("proposal", self.proposals),
        ):
            for record in table.values():
                yield kind, record, record.sources  # type: ignore[attr-defined]
        for entry in self.glossary:
            yield "glossary", entry, entry.sources
        for brief in self.briefs.values():
            yield "brief", brief, brief.sources

    def citing(self, source_id: str) -> list[tuple[str, Record]]:
        return [
            (kind, record)
            for kind, record, cites in self.sourced_records()
            if any(c.source == source_id for c in cites)
        ]

    def evidence_for(self, source_id: str) -> list[str]:
        passages = [
            text
            for _, _, cites in self.sourced_records()
            for c in cites
            if c.source == source_id
            for text in (c.evidence, c.quote)
            if text
        ]
        passages += [
            w.wording for f in self.framings.values() for w in f.wordings if w.source == source_id
        ]
        return passages

    def uncovered(self, source_id: str) -> list[str]:
        return self.texts[source_id].uncovered(self.evidence_for(source_id))


# ---- pass 1: files --------------------------------------------------------


def _source_text(source: Source, project: Project, problems: Problems) -> SourceText | None:
    """Read a source's article, refusing any path that leaves seeds/."""
    pos = source.position("file")
    name = source.file
    if "/" in name or "\\" in name or name.startswith(".") or Path(name).is_absolute():
        problems.add(
            pos,
            f"source file '{name}' must be a plain file name inside seeds/ "
            "(no folders, no '..', no absolute paths)",
        )
        return None
    path = project.seeds / name
    if path.is_symlink():
        problems.add(pos, f"source file '{name}' is a symbolic link; copy the article into seeds/")
        return None
    if not path.is_file():
        known = sorted(p.name for p in project.seeds.glob("*.txt"))
        problems.add(pos, f"source file '{name}' not found in seeds/{did_you_mean(name, known)}")
        return None
    try:
        raw = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        problems.add(pos, f"cannot read source file '{name}' as UTF-8 text: {exc}")
        return None
    if source.section:
        whole = SourceText(raw)
        start = whole.find(source.section.starts)
        if start < 0:
            problems.add(
                source.section.position("starts"),
                f"section start not found in {name}; closest passage: "
                f"\"{whole.closest(source.section.starts)}\"",
            )
            return None
        end = len(whole.norm)
        if source.section.ends:
            at = whole.norm.find(normalize(source.section.ends), start)
            if at < 0:
                problems.add(
                    source.section.position("ends"),
                    f"section end not found after its start in {name}; closest passage: "
                    f"\"{whole.closest(source.section.ends)}\"",
                )
                return None
            end = at + len(normalize(source.section.ends))
        return SourceText(whole.norm[start:end])
    return SourceText(raw)


Parsed = tuple[Document, Problems]


def _source_texts(
    sources: dict[str, Source], project: Project
) -> tuple[dict[str, SourceText], Problems]:
    problems = Problems()
    texts: dict[str, SourceText] = {}
    for source in sources.values():
        text = _source_text(source, project, problems)
        if text is not None:
            texts[source.id] = text
    return texts, problems


def _read(
    path: Path, project: Project, model: type[M], problems: Problems, dropped: Dropped
) -> M | None:
    return _validated(read_yaml(path, project.display(path)), model, problems, dropped)


def _validated(parsed: Parsed, model: type[M], problems: Problems, dropped: Dropped) -> M | None:
    doc, file_problems = parsed
    problems.extend(file_problems)
    if not isinstance(doc.data, dict):
        dropped.unknown.update(model.model_fields)
        return None
    # Duplicate keys and aliases leave a usable mapping: keep checking it, so
    # the editor sees the file's other mistakes in the same run.
    return validate_document(doc, model, problems, dropped)


# ---- pass 2: ids and references ---------------------------------------------


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
    record: Record, field_name: str, value: str | None, names: Names, problems: Problems,
    index: int | None = None,
) -> None:  # fmt: skip
    if value is None or value in names:
        return
    problems.add(
        record.position(field_name, index),
        f"unknown {names.what} '{value}'{did_you_mean(value, names.table)}",
    )


def _refs(record: Record, field_name: str, names: Names, problems: Problems) -> None:
    """Check a list-valued reference field, pointing at the exact list item."""
    for i, value in enumerate(getattr(record, field_name)):
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


def _check_citations(fb: FactBase, sources: Names, problems: Problems) -> None:
    for _kind, _record, cites in fb.sourced_records():
        for cite in cites:
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
            for field_name in ("evidence", "quote"):
                passage = getattr(cite, field_name)
                if passage and not text.contains(passage):
                    problems.add(
                        cite.position(field_name),
                        f"{field_name} not found verbatim in source '{cite.source}'; "
                        f"closest passage: \"{text.closest(passage)}\"",
                    )
    for framing in fb.framings.values():
        for wording in framing.wordings:
            if wording.source not in sources:
                problems.add(
                    wording.position("source"),
                    f"unknown source '{wording.source}'{did_you_mean(wording.source, fb.sources)}",
                )
                continue
            text = fb.texts.get(wording.source)
            if text and not text.contains(wording.wording):
                problems.add(
                    wording.position("wording"),
                    f"wording not found verbatim in source '{wording.source}'; closest "
                    f"passage: \"{text.closest(wording.wording)}\"",
                )


def _check_regions(
    fb: FactBase, region_records: list[Region], problems: Problems, dropped: Dropped
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
        missing = [
            c for c in UA_CODES if c not in fb.regions and not dropped.covers("regions", c)
        ]
        if missing:
            anchor = region_records[0].position()
            problems.add(
                Position(anchor.file, 1, 1),
                f"regions missing for {', '.join(missing)}; all 27 first-level units "
                "must be listed (the maps draw every one)",
            )


def load(project: Project) -> tuple[FactBase, Problems]:
    """Read and check everything; the fact base is only usable if problems is empty."""
    problems = Problems()
    fb = FactBase(project)
    dropped = Dropped()

    manifest = (
        _read(project.manifest, project, SourcesFile, problems, dropped)
        if project.manifest.exists()
        else None
    )
    if not project.manifest.exists():
        problems.add(Position(project.display(project.manifest)), "source manifest is missing")
        dropped.unknown.add("sources")
    fb.sources = _index(manifest.sources if manifest else [], "id", "source", problems)
    files: list[ContentFile] = []
    paths = project.content_files()
    for path in paths:
        fb.files.append(project.display(path))
        content = _validated(read_yaml(path, fb.files[-1]), ContentFile, problems, dropped)
        if content is not None:
            files.append(content)
    fb.texts, text_problems = _source_texts(fb.sources, project)
    problems.extend(text_problems)

    def gather(name: str) -> list[Any]:
        return [r for f in files for r in getattr(f, name)]

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
    _check_regions(fb, region_records, problems, dropped)

    actors = Names("actor", "actors", fb.actors, dropped)
    regions = Names("region", "regions", fb.regions, dropped)
    claims = Names("claim", "claims", fb.claims, dropped)
    events = Names("event", "events", fb.events, dropped)
    deadlines = Names("deadline", "deadlines", fb.deadlines, dropped)
    proposals = Names("proposal", "proposals", fb.proposals, dropped)
    for claim in fb.claims.values():
        _ref(claim, "actor", claim.actor, actors, problems)
        _refs(claim, "regions", regions, problems)
        _ref(claim, "proposal", claim.proposal, proposals, problems)
        _ref(claim, "event", claim.event, events, problems)
        _ref(claim, "responds_to", claim.responds_to, claims, problems)
    for event in fb.events.values():
        _refs(event, "actors", actors, problems)
        _refs(event, "regions", regions, problems)
    for deadline in fb.deadlines.values():
        _ref(deadline, "set_by", deadline.set_by, actors, problems)
        _ref(deadline, "superseded_by", deadline.superseded_by, deadlines, problems)
    for proposal in fb.proposals.values():
        _refs(proposal, "proposed_by", actors, problems)
    _check_cycles(fb.claims, "responds_to", "claim", problems)
    _check_cycles(fb.deadlines, "superseded_by", "deadline", problems)
    _check_citations(fb, Names("source", "sources", fb.sources, dropped), problems)
    _check_aliases(fb, problems)
    return fb, problems


def _unique_terms(entries: list[GlossaryEntry], problems: Problems) -> list[GlossaryEntry]:
    """One entry per term: text links each term to one place in the glossary."""
    seen: dict[str, GlossaryEntry] = {}
    for entry in entries:
        first = seen.setdefault(entry.anchor, entry)
        if first is not entry:
            problems.add(
                entry.position("term"),
                f"the glossary term '{entry.term}' is already defined as '{first.term}' "
                f"(at {first.position('term')}); define each term once",
            )
    return list(seen.values())


def _check_aliases(fb: FactBase, problems: Problems) -> None:
    """An alias that names two things would make search and tooltips lie."""
    owners: dict[str, list[tuple[str, Record]]] = defaultdict(list)
    for actor in fb.actors.values():
        for name in [actor.name, *actor.aliases]:
            owners[name.casefold()].append((actor.id, actor))
    for region in fb.regions.values():
        for name in [region.name, *region.aliases]:
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
