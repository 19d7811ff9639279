"""The corrections log: every correction of every entry, newest first.

The Corrections page and the news feed both list it; the entries come from
the ``corrections:`` field of claims, events, deadlines and proposals
(:mod:`generator.content.corrections`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content import urls
from generator.content.corrections import Correction
from generator.content.factbase import FactBase


@dataclass(frozen=True)
class LoggedCorrection:
    """A correction, with the entry it corrects as a reader finds it."""

    kind: str  # claim, event, deadline, proposal
    record_id: str
    label: str  # the entry's headline
    link: urls.Link
    correction: Correction

    @property
    def tag(self) -> str:
        """A stable name for the feed's entry id: kind, entry and day."""
        return f"correction:{self.kind}:{self.record_id}:{self.correction.date.iso}"


def corrections_log(fb: FactBase) -> list[LoggedCorrection]:
    """Newest first; on one day, in the order of kind and id, so the log is stable."""
    kinds = (
        ("claim", fb.claims, "summary"),
        ("event", fb.events, "title"),
        ("deadline", fb.deadlines, "title"),
        ("proposal", fb.proposals, "name"),
    )
    log = [
        LoggedCorrection(kind, rid, getattr(rec, label), urls.CANONICAL[kind](rid), correction)
        for kind, records, label in kinds
        for rid, rec in records.items()
        for correction in rec.corrections
    ]
    order = {kind: i for i, (kind, _, _) in enumerate(kinds)}
    log.sort(key=lambda e: (order[e.kind], e.record_id))
    log.sort(key=lambda e: e.correction.date.sort_key, reverse=True)  # stable: ties keep order
    return log
