"""The whole fact base: files → records → one checked model, and the queries pages ask.

Loading happens in three steps, each adding to one list of problems so the
editor sees everything at once: (1) every file is read and checked against
the model (:mod:`generator.content.loader`); (2) ids are indexed and every
cross-record rule checked (:mod:`generator.content.references`); (3) in that
step too, every quote and evidence passage is looked up in its article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.content import references
from generator.content.beside import Beside, InLine
from generator.content.loader import attach, read_files, source_texts
from generator.content.model import (
    UA_CODES,
    Actor,
    Brief,
    Citation,
    Claim,
    Deadline,
    Event,
    Framing,
    GlossaryEntry,
    Party,
    Proposal,
    ProposalRole,
    Record,
    Region,
    Source,
    Standing,
    chronological,
)
from generator.content.problems import Problems
from generator.content.project import Project
from generator.content.quotes import SourceText
from generator.content.readcache import ReadCache

#: Re-exported: map specs attach their records, and maps draw every unit.
__all__ = ["UA_CODES", "FactBase", "attach", "load"]


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
        stated = claim.proposal_role is ProposalRole.part
        if party not in (Party.media, Party.analysts) or not claim.proposal or not stated:
            return {party}
        proposal = self.proposals[claim.proposal]
        return {self.actors[a].party for a in proposal.proposed_by}

    def claims_about(self, code: str) -> list[Claim]:
        return self._by("claims/region", self.claims.values(), self.regions_of).get(code, [])

    def events_about(self, code: str) -> list[Event]:
        return self._by("events/region", self.events.values(), self.regions_of).get(code, [])

    def claims_by(self, actor_id: str) -> list[Claim]:
        return self._by("claims/actor", self.claims.values(), lambda c: [c.actor]).get(actor_id, [])

    def official(self, claim: Claim) -> bool:
        """Whether the claim's actor speaks for its party officially (a government,
        leader or spokesperson; not a soldier, analyst, outlet or unnamed people)."""
        return self.actors[claim.actor].speaks_as is Standing.official

    def terms_of(self, proposal_id: str) -> list[Claim]:
        """The claims stating what a proposal contains (not the responses to it)."""
        return [
            c for c in self.claims_for_proposal(proposal_id) if c.proposal_role is ProposalRole.part
        ]

    def responses_to(self, proposal_id: str) -> list[Claim]:
        """The claims answering a proposal: every claim about it that is not one of its terms."""
        return [
            c
            for c in self.claims_for_proposal(proposal_id)
            if c.proposal_role is not ProposalRole.part
        ]

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
                yield kind, record, record.sources
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

    # ---- regions ------------------------------------------------------------

    def regions_of(self, record: Claim | Event) -> list[str]:
        """The region codes a claim or event is about, each once, in the order written.

        The one definition of "the regions a fact touches": a fact touches the
        regions it lists, nothing more (its proposal's or event's regions are
        theirs). Pages, maps and open data all ask here.
        """
        return list(dict.fromkeys(record.regions))

    def touched_regions(self) -> set[str]:
        """Codes of the regions at least one claim or event touches (see :meth:`regions_of`).

        These are the regions with a page of their own; the others are rows of
        the regions table only.
        """
        if "touched" not in self._indexes:
            facts: list[Claim | Event] = [*self.claims.values(), *self.events.values()]
            self._indexes["touched"] = {
                code: [] for fact in facts for code in self.regions_of(fact)
            }
        return set(self._indexes["touched"])


def load(
    project: Project, cache: ReadCache | None = None, beside: Beside = InLine
) -> tuple[FactBase, Problems]:
    """Read and check everything; the fact base is only usable if problems is empty.
    ``cache``: files read before, by the preview or the last build (ReadCache).
    ``beside``: see :func:`references.check`."""
    problems = Problems()
    files = read_files(project, problems, cache, beside)
    fb = FactBase(project, files=files.names)
    region_records = references.index(fb, files, problems)
    fb.texts = source_texts(fb.sources, project, problems)
    verdicts = cache.verdicts if cache is not None else None
    references.check(fb, region_records, files.dropped, problems, verdicts, beside)
    return fb, problems
