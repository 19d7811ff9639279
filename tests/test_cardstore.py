"""The card store in shards: an edit writes one shard, a comparison reads only the
shards that differ, and a crash never lets one shard pass for another's bytes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from generator.build import postbuild, stamps
from generator.build.postbuild import Since, fix_html
from generator.content import files
from generator.content.files import SHARDS, shard_of
from generator.site import cardstore, slots
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


def test_an_edits_post_step_reads_only_the_pages_showing_a_changed_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fix_html keeps which cards each page shows (postbuild.CARDS_SHOWN): after an
    edit to one card, of the pages the engine left alone only the one showing it is
    read and filled again, and it ends as a fill from nothing would."""
    site, shown = tmp_path / "site", tmp_path / "shown.marshal"
    for n in range(6):
        page = site / f"p{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<main>{slots.slot(f'claim:c{n}')}{slots.slot('claim:all')}</main>")
    cards = {f"claim:c{n}": f"<p>card {n}</p>" for n in range(6)} | {"claim:all": "<p>all</p>"}
    fix_html(site, cards, None, shown)
    started = time.time() + 1  # every page is older than this "build"
    cards["claim:c3"] = "<p>card 3, edited</p>"
    read: list[str] = []
    real_read = Path.read_text

    def counted(self: Path, *args: Any, **kwargs: Any) -> str:
        read.append(self.parent.name)
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    assert fix_html(site, cards, Since(started, frozenset({"claim:c3"})), shown) == [
        "p3/index.html"
    ]
    assert read == ["p3"]
    assert "card 3, edited" in real_read(site / "p3/index.html")
    read.clear()
    fix_html(site, cards, Since(started, frozenset({"claim:all"})), shown)
    assert sorted(read) == [f"p{n}" for n in range(6)]


def test_a_full_fill_on_two_cores_gives_what_one_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build fills every other page in a child process (postbuild.PAGES_BESIDE
    pages and more): the same pages, the same list of those changed, the same record
    of the cards each page shows."""
    cards = {f"claim:c{n}": f"<p>card {n}</p>" for n in range(6)}
    started: list[Any] = []
    real_beside = postbuild.beside
    monkeypatch.setattr(
        postbuild, "beside", lambda *job: started.append(real_beside(*job)) or started[-1]
    )
    results = []
    for folder, split_from in (("one", 10_000), ("two", 2)):
        monkeypatch.setattr(postbuild, "PAGES_BESIDE", split_from)
        site = tmp_path / folder / "site"
        for n in range(6):
            page = site / f"p{n}" / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f"<main>{slots.slot(f'claim:c{n}')}</main>")
        changed = fix_html(site, cards, None, tmp_path / folder / "shown.marshal")
        pages = {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*.html")}
        shown = stamps.load(tmp_path / folder / "shown.marshal", postbuild._SHOWN_VERSION)
        results.append((changed, pages, {rel: keys for rel, (_, keys) in shown.items()}))
    assert results[0] == results[1]
    assert len(started) == 1  # the second fill only
    assert len(results[0][0]) == 6 and "card 4" in results[0][1]["p4/index.html"]
