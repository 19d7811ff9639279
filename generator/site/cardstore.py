"""The card store in shards: an edit writes, and the post-step reads, only the shard
of the card it changed.

The store is every card's HTML for the post-build step (:mod:`slots`): 31 MB
at 10,000 claims. Written whole, it was 0.3 s of an edit's generation, and
reading it, and the copy the site in place was filled from, to learn which
cards changed, another 0.3 s of the post-step. So it is a folder of
:data:`~generator.content.files.SHARDS` files, each a part of the store in
:func:`slots.dump`'s format, chosen by a hash of the card's key, and a
manifest of each shard's digest, written last. A shard whose digest is
unchanged is not written again; two stores compare only the shards whose
digests differ. Shards are replaced, never rewritten, so a copy of the store
made of hard links (:func:`place_store`) keeps the bytes it was made from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from generator.content.files import SHARDS, place_atomic, shard_of, write_atomic
from generator.site import slots

__all__ = ["CardShards", "html_digest", "manifest_digest", "place_store", "write_store"]

#: The manifest's file in the store's folder: each shard's digest.
MANIFEST = "shards.json"

#: The store's format; a manifest of another is not read.
FORMAT = "card-shards-2"


def html_digest(html: str) -> bytes:
    """A card's HTML as the store digests it: kept with the card
    (:class:`~generator.site.keptcards.KeptCards`), so that an edit's store
    need not read the HTML again."""
    return hashlib.blake2b(html.encode(), digest_size=16).digest()


def manifest_digest(folder: Path) -> bytes | None:
    """What :func:`write_store` returned for the store in ``folder``; None if it holds
    no whole store."""
    try:
        return hashlib.sha256((folder / MANIFEST).read_bytes()).digest()
    except OSError:
        return None


def _name(shard: int) -> str:
    return f"{shard:02d}.json"


def _digests(
    cards: Mapping[str, str], known: Mapping[str, bytes]
) -> tuple[dict[str, str], list[list[str]]]:
    """Each shard's digest by its file's name, and each shard's keys in order.

    A shard's digest is of its cards' keys and :func:`html_digest`'s: those of
    ``known`` are kept with the cards from the build before, so an edit's
    store digests only the HTML it made (the blocks and the changed cards),
    not 31 MB (0.05 s at 10,000 claims).
    """
    keys: list[list[str]] = [[] for _ in range(SHARDS)]
    for key in sorted(cards):
        keys[shard_of(key)].append(key)
    digests = {}
    for shard, part in enumerate(keys):
        h = hashlib.blake2b(digest_size=16)
        for key in part:
            html = known.get(key) or html_digest(cards[key])
            h.update(key.encode() + b"\0" + html + b"\1")
        digests[_name(shard)] = h.hexdigest()
    return digests, keys


def _manifest(folder: Path) -> dict[str, str] | None:
    """The shards' digests the folder's manifest lists; None if it cannot be used."""
    try:
        data = json.loads((folder / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    shards = data.get("shards")
    return shards if isinstance(shards, dict) and len(shards) == SHARDS else None


def write_store(
    folder: Path, cards: Mapping[str, str], known: Mapping[str, bytes] | None = None
) -> bytes:
    """Make ``folder`` hold ``cards``, writing only the shards that changed; a digest
    of the whole store. ``known``: some cards' :func:`html_digest`, kept.

    The manifest goes first and comes back last: a crash between leaves no
    manifest, and the next store is written whole, so no shard can be taken
    for another's bytes.
    """
    digests, keys = _digests(cards, known or {})
    manifest = json.dumps({"format": FORMAT, "shards": digests}, sort_keys=True).encode()
    before = _manifest(folder) or {}
    stale = [
        shard
        for shard, name in enumerate(digests)
        if before.get(name) != digests[name] or not (folder / name).is_file()
    ]
    if stale:
        # Made before any is written: a card kept from the build before is read from
        # the store as it stands (KeptCards.html).
        parts = {shard: slots.dump({k: cards[k] for k in keys[shard]}) for shard in stale}
        (folder / MANIFEST).unlink(missing_ok=True)
        for shard, part in parts.items():
            write_atomic(folder / _name(shard), part)
        write_atomic(folder / MANIFEST, manifest)
    return hashlib.sha256(manifest).digest()


def place_store(store: Path, copy: Path) -> None:
    """Make ``copy`` the store ``store`` is now, by hard links to the shards that differ.

    The copy says what the site's pages were filled from, for the next
    incremental post-step to compare with (:meth:`CardShards.changed_from`).
    """
    digests = _manifest(store)
    if digests is None:
        raise ValueError(f"{store} holds no card store")
    before = _manifest(copy) or {}
    (copy / MANIFEST).unlink(missing_ok=True)
    copy.mkdir(parents=True, exist_ok=True)
    for name, digest in digests.items():
        if before.get(name) != digest or not (copy / name).is_file():
            place_atomic(store / name, copy / name)
    place_atomic(store / MANIFEST, copy / MANIFEST, share=False)


class CardShards(Mapping[str, str]):
    """The card store in ``folder``, a shard read when a card in it is first asked for.

    Raises ValueError if the folder holds no whole store (no manifest, or a
    shard missing), and when a shard read is damaged.
    """

    def __init__(self, folder: Path) -> None:
        digests = _manifest(folder)
        if digests is None:
            raise ValueError("no manifest of the shards, or one of another format")
        missing = [name for name in digests if not (folder / name).is_file()]
        if missing:
            raise ValueError(f"shard {missing[0]} is missing")
        self.folder = folder
        self.digests = digests
        self._shards: dict[int, slots.CardStore] = {}

    def shard(self, shard: int) -> slots.CardStore:
        part = self._shards.get(shard)
        if part is None:
            part = self._shards[shard] = slots.load((self.folder / _name(shard)).read_bytes())
        return part

    def __getitem__(self, key: str) -> str:
        return self.shard(shard_of(key))[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.shard(shard_of(key))

    def __iter__(self) -> Iterator[str]:
        for shard in range(SHARDS):
            yield from self.shard(shard)

    def __len__(self) -> int:
        return sum(len(self.shard(shard)) for shard in range(SHARDS))

    def changed_from(self, before: CardShards) -> frozenset[str]:
        """The keys of the cards here that are new or differ from ``before``'s: only
        the shards whose digests differ are read."""
        changed: set[str] = set()
        for shard in range(SHARDS):
            name = _name(shard)
            if self.digests[name] != before.digests.get(name):
                changed |= self.shard(shard).changed_from(before.shard(shard))
        return frozenset(changed)
