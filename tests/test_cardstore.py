"""The card store in shards: an edit writes one shard, a comparison reads only the
shards that differ, and a crash never lets one shard pass for another's bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content import files
from generator.content.files import SHARDS, shard_of
from generator.site import cardstore
from generator.site.cardstore import MANIFEST, CardShards, place_store, write_store

CARDS = {f"claim:c{i}": f"<p>card {i} – “quoted”\nline</p>" for i in range(200)}
CARDS["html:0f"] = ""


def inodes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in folder.iterdir()}


def test_a_store_reads_back_as_written_and_an_edit_rewrites_one_shard(tmp_path: Path) -> None:
    store = tmp_path / "cards"
    digest = write_store(store, CARDS)
    assert sorted(p.name for p in store.iterdir()) == sorted(
        [MANIFEST, *(f"{i:02d}.json" for i in range(SHARDS))]
    )
    assert dict(CardShards(store)) == CARDS and len(CardShards(store)) == len(CARDS)
    assert "claim:c7" in CardShards(store) and "claim:none" not in CardShards(store)

    before = inodes(store)
    assert write_store(store, dict(reversed(CARDS.items()))) == digest  # nothing changed
    assert inodes(store) == before  # not a file written again

    edited = {**CARDS, "claim:c7": "<p>edited</p>"}
    assert write_store(store, edited) != digest
    after = inodes(store)
    rewritten = sorted(name for name in after if after[name] != before[name])
    assert rewritten == sorted([f"{shard_of('claim:c7'):02d}.json", MANIFEST])
    assert CardShards(store)["claim:c7"] == "<p>edited</p>"


def test_two_stores_compare_by_the_shards_that_differ(tmp_path: Path) -> None:
    store, copy = tmp_path / "cards", tmp_path / "copy"
    write_store(store, CARDS)
    place_store(store, copy)
    assert all(  # the copy is the store's shards by hard links
        (copy / p.name).stat().st_ino == p.stat().st_ino for p in store.glob("[0-9]*.json")
    )
    edited = {k: v for k, v in CARDS.items() if k != "claim:c3"}
    edited["claim:c9"], edited["claim:new"] = "<p>nine</p>", "<p>new</p>"
    write_store(store, edited)
    after, before = CardShards(store), CardShards(copy)
    assert after.changed_from(before) == {"claim:c9", "claim:new"}
    differing = {shard_of("claim:c9"), shard_of("claim:new"), shard_of("claim:c3")}
    assert set(after._shards) == set(before._shards) == differing  # no other shard read
    assert before["claim:c9"] == CARDS["claim:c9"]  # the copy kept the bytes it was made of

    place_store(store, copy)
    assert CardShards(store).changed_from(CardShards(copy)) == frozenset()


def test_a_write_that_fails_midway_leaves_no_store_to_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "cards"
    write_store(store, CARDS)
    edited = {k: f"{v}!" for k, v in CARDS.items()}
    real, written = files.write_atomic, []

    def full_disk(path: Path, data: bytes) -> None:
        if written:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(cardstore, "write_atomic", full_disk)
    with pytest.raises(OSError):
        write_store(store, edited)
    monkeypatch.undo()
    with pytest.raises(ValueError, match="no manifest"):
        CardShards(store)  # one shard new, the others old: not read as a store
    write_store(store, CARDS)  # the old cards again: every shard is written, not trusted
    assert dict(CardShards(store)) == CARDS
    (store / "05.json").unlink()
    with pytest.raises(ValueError, match="05.json is missing"):
        CardShards(store)
