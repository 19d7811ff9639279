"""Each claim's and event's part of the open data, kept from the build before.

At 10,000 claims the open data is 0.36 s of an edit's build, and the pages
waited 0.1 s for it: facts.json (14 MB) and claims.csv (6 MB) are made from
every record again for an edit that changed one. A record's entry in
facts.json is its own fields; its row in claims.csv adds its actor's name
and party, its regions' names and the site's address. So each is kept with
a digest of those (:func:`row_digest`) and served while it is the same: the
open data of an edit is 0.18 s, and the pages no longer wait for it.

The open data is made on the other core (a forked job), which loads,
extends and saves the kept rows itself: nothing it keeps need travel back.
Every entry holds its digest, so a build stopped halfway leaves rows that
are either right or not served.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.content.factbase import FactBase
from generator.content.files import read_kept_shards, write_kept_shards

__all__ = ["KeptRows", "row_digest", "row_world"]

_FORMAT = "kept-rows-1"


def row_world(fb: FactBase, site_url: str, code: bytes) -> bytes:
    """What every row is made from besides its own record: the actors' names and
    parties, the regions' names, the site's address and the code (``code``)."""
    h = hashlib.blake2b(code, digest_size=16)
    actors = sorted((a.id, a.name, a.party.value) for a in fb.actors.values())
    regions = sorted((r.code, r.name) for r in fb.regions.values())
    h.update(repr((actors, regions, site_url)).encode())
    return h.digest()


class KeptRows:
    """Each record's facts.json entry and CSV row (empty for an event) by its key, with
    the digest of what they were made from; :meth:`get` serves one whose
    digest still matches, :meth:`put` keeps a new one."""

    def __init__(self, kept: dict[str, tuple[bytes, bytes, bytes]] | None = None) -> None:
        self._kept = kept or {}
        self._made: dict[str, tuple[bytes, bytes, bytes]] = {}
        self._unsaved: set[str] | None = None if kept is None else set()

    def get(self, key: str, digest: bytes) -> tuple[bytes, bytes] | None:
        kept = self._kept.get(key)
        if kept is None or kept[0] != digest:
            return None
        self._made[key] = kept
        return kept[1], kept[2]

    def put(self, key: str, digest: bytes, entry: bytes, row: bytes) -> None:
        self._made[key] = (digest, entry, row)
        if self._unsaved is not None:
            self._unsaved.add(key)

    @classmethod
    def load(cls, folder: Path) -> KeptRows:
        """The rows kept in ``folder``; none if it is missing or damaged."""
        return cls(read_kept_shards(folder, _FORMAT))

    def save(self, folder: Path) -> None:
        """This build's rows become the kept ones: the shards of the rows made or
        dropped are written again."""
        if self._unsaved is not None:
            self._unsaved.update(self._kept.keys() - self._made.keys())
        write_kept_shards(folder, _FORMAT, self._made, self._unsaved)
        self._kept, self._made, self._unsaved = self._made, {}, set()


def row_digest(world: bytes, own: bytes) -> bytes:
    """The digest a record's rows are kept under: the rows' world and the record's own
    (the second of :func:`~generator.site.keptcards.record_digests`)."""
    return hashlib.blake2b(world + own, digest_size=16).digest()
