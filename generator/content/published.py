"""Published ids that vanished: links out there that would now lead nowhere.

The record of what was published is the last build's open data,
``site/data/facts.json``: it lists every entry's id (and its previous ids).
An id found there that no entry now has, nor lists in ``previous_ids``, was
renamed or deleted by hand: links to ``#actor-OLD`` would silently die. The
check points at the entry that most likely took its place.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.content import urls
from generator.content.factbase import FactBase
from generator.content.files import read_kept, write_kept
from generator.content.problems import Position
from generator.content.project import Project

#: facts.json's collections, by the kind each holds (the rename command's kinds).
COLLECTIONS = {
    "actor": "actors",
    "source": "sources",
    "claim": "claims",
    "event": "events",
    "deadline": "deadlines",
    "proposal": "proposals",
}


def facts_json(site: Path) -> Path:
    """The open data that records what ``site`` published."""
    return site / urls.data_file("facts.json").page


def last_build(project: Project) -> Path:
    """Where the last ``build`` (to its default site folder) left its open data."""
    return facts_json(project.root / "site")


def published_ids(facts_json: Path, kept: Path | None = None) -> dict[str, set[str]]:
    """Every id (current or previous) of each kind in a published facts.json.

    A missing or unreadable file (a fresh clone, an interrupted build) records
    nothing, so nothing is reported. ``kept``: a file under ``build/`` that
    holds the ids for as long as facts.json is the same file (:func:`keep_ids`):
    at 10,000 claims facts.json is 20 MB, whose parse took 0.15-0.25 s of
    every check.
    """
    same = _same_file(facts_json)
    if same is None:
        return {}
    if kept is not None:
        held = read_kept(kept, _KEPT)
        if isinstance(held, tuple) and len(held) == 2 and tuple(held[0]) == same:
            return {kind: set(found) for kind, found in held[1].items()}
    found = _read_ids(facts_json)
    if kept is not None:
        keep_ids(facts_json, kept, found)
    return found


def keep_ids(facts_json: Path, kept: Path, ids: Mapping[str, set[str]]) -> None:
    """Keep ``ids`` as those of ``facts_json`` while it is the same file: its inode,
    time and size. The build replaces facts.json, never rewrites it, so each
    build's is a new file; the build keeps the ids it published
    (:func:`known_ids`) without reading them back."""
    same = _same_file(facts_json)
    if same is None:
        return
    write_kept(kept, _KEPT, (same, {kind: sorted(values) for kind, values in ids.items()}))


def _same_file(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


_KEPT = "published-ids-2"


def known_ids(fb: FactBase) -> dict[str, set[str]]:
    """Every id (current or previous) of each kind: what facts.json publishes of ``fb``."""
    return {
        kind: set(table) | {p for r in table.values() for p in getattr(r, "previous_ids", [])}
        for kind, table in _tables(fb).items()
    }


def _read_ids(facts_json: Path) -> dict[str, set[str]]:
    try:
        data = json.loads(facts_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, set[str]] = {}
    for kind, collection in COLLECTIONS.items():
        entries = data.get(collection)
        records = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
        found[kind] = {str(e["id"]) for e in records if "id" in e} | {
            str(p) for e in records for p in e.get("previous_ids") or []
        }
    return found


def _tables(fb: FactBase) -> dict[str, Mapping[str, object]]:
    return {
        "actor": fb.actors, "source": fb.sources, "claim": fb.claims, "event": fb.events,
        "deadline": fb.deadlines, "proposal": fb.proposals,
    }  # fmt: skip


def vanished(
    fb: FactBase, published: Mapping[str, set[str]], record_name: str = "site/data/facts.json"
) -> list[tuple[Position, str]]:
    """A warning for each published id that no entry has or lists in previous_ids."""
    warnings: list[tuple[Position, str]] = []
    known_now = known_ids(fb)
    for kind, table in _tables(fb).items():
        for old in sorted(published.get(kind, set()) - known_now[kind]):
            near = difflib.get_close_matches(old, list(table), n=1, cutoff=0.3)
            hint = (
                f"if '{near[0]}' is its new id, add 'previous_ids: [{old}]' to it, or run "
                f"'python -m generator rename {kind} {old} NEW' instead of renaming by hand"
                if near
                else f"add 'previous_ids: [{old}]' to the {kind} that replaces it"
            )
            record: Any = table[near[0]] if near else None
            where = record.position("id") if record is not None else Position(record_name)
            message = (
                f"the {kind} '{old}' was published ({record_name}) but no {kind} has this id "
                f"or lists it in previous_ids, so links to it now fail; {hint}"
            )
            warnings.append((where, message))
    return warnings
