"""What Pagefind reads: each page from its searched element on, its own cards
only, and, in the folder the build keeps, made again only for changed pages;
and the index written in parts, of which an edit indexes only its own."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from generator.build.search import PARTS_FILE, index_site, indexed_pages
from generator.build.search_copy import (
    MANIFEST,
    MOST_PARTS,
    NAMES_FOLDER,
    part_folder,
    part_of,
    searchable_copy,
)
from generator.site import slots

NAV = "<nav>" + "<a href='x/'>Every page of the site</a>" * 50 + "</nav>"


def page(body: str, names: str = "") -> str:
    named = f" data-wcw-names='{names}' id=\"who\"" if names else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{NAV}'
        f'<div data-pagefind-body data-pagefind-meta="title:T"><h1{named}>T</h1>{body}</div>'
        "<footer>Footer</footer></body></html>"
    )


def card(home: str, words: str) -> str:
    return f'<article><p><a class="wcw-permalink" href="{home}">#</a></p><p>{words}</p></article>'


def copy_of(into: Path, rel: str) -> Path:
    """Where a small site's page is copied: it is indexed in one part."""
    return into / part_folder(part_of(rel, 1)) / rel


def write(site: Path, rel: str, html: str) -> Path:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def test_a_copy_holds_the_searched_text_and_only_the_cards_at_home(tmp_path: Path) -> None:
    site, into = tmp_path / "site", tmp_path / "copy"
    here = str(slots.slot("claim:a")) + card("#claim-a", "Words of A") + "<!--/wcw-card claim:a-->"
    away = (
        str(slots.slot("claim:b"))
        + card("../b/#claim-b", "Words of B")
        + "<!--/wcw-card claim:b-->"
    )
    write(site, "a/index.html", page(f"<p>Own text</p>{here}{away}"))
    write(site, "guide/index.html", "<html><body><p>Not searched</p></body></html>")
    assert searchable_copy(site, into).pages == 1
    copy = copy_of(into, "a/index.html").read_text(encoding="utf-8")
    assert "Own text" in copy and "Words of A" in copy
    assert "Words of B" not in copy, "a card is indexed on its home page only"
    assert "Every page of the site" not in copy, "the navigation is not Pagefind's to read"
    assert not copy_of(into, "guide/index.html").exists()


def test_the_kept_copy_is_made_again_only_for_what_changed(tmp_path: Path) -> None:
    site, into = tmp_path / "site", tmp_path / "copy"
    same = write(site, "same/index.html", page("<p>Same</p>", '["Kyiv", "Kiev"]'))
    edited = write(site, "edited/index.html", page("<p>Before</p>"))
    gone = write(site, "gone/index.html", page("<p>Gone</p>"))
    searchable_copy(site, into)
    kept = copy_of(into, "same/index.html")
    made = kept.stat().st_mtime_ns
    kept.write_text("kept copy", encoding="utf-8")  # a marker
    os.utime(kept, ns=(made, made))

    write(site, "edited/index.html", page("<p>After, longer</p>"))
    gone.unlink()
    assert searchable_copy(site, into).pages == 2
    assert kept.read_text(encoding="utf-8") == "kept copy", "an unchanged page is not copied again"
    assert "After, longer" in copy_of(into, "edited/index.html").read_text(encoding="utf-8")
    assert not copy_of(into, "gone/index.html").exists()
    names = list(into.glob(f"part-*/{NAMES_FOLDER}/*.html"))
    assert len(names) == 1 and "Kiev" in names[0].read_text(encoding="utf-8"), (
        "the kept page's name record is written again from what was kept"
    )
    assert same.exists() and edited.exists()

    (into / MANIFEST).write_text("damaged", encoding="utf-8")
    searchable_copy(site, into)
    assert "Same" in kept.read_text(encoding="utf-8"), (
        "without a manifest it can trust, every page is copied again"
    )


def many_pages(site: Path, words: str = "Unchanged") -> list[str]:
    """Pages enough to fall in every part, each with its own word and a named heading."""
    rels = [f"page-{n}/index.html" for n in range(40)]
    for n, rel in enumerate(rels):
        write(site, rel, page(f"<p>{words} page{n}word</p>", f'["Name{n}", "Alias{n}"]'))
    return rels


def test_an_edit_indexes_again_only_the_part_of_the_page_it_changed(tmp_path: Path) -> None:
    site, kept = tmp_path / "site", tmp_path / "kept"
    rels = many_pages(site)
    first = index_site(site, kept, part_bytes=1)  # as a large site: in the most parts
    parts = {part_of(r, MOST_PARTS) for r in rels}
    assert len(first.indexed) == len(parts) + 1 == MOST_PARTS + 1, "every part, names too"
    assert first.pages == 80, "40 pages and their 40 name records"

    assert index_site(site, kept, part_bytes=1).indexed == (), "nothing changed, nothing indexed"

    edited = rels[7]
    write(site, edited, page("<p>Edited page7word</p>", '["Name7", "Alias7"]'))
    after = index_site(site, kept, part_bytes=1)
    assert after.indexed == (part_of(edited, MOST_PARTS),), "only the edited page's part, again"
    records = indexed_pages(site / "pagefind")
    assert len(records) == 80, "the other parts are still searched"
    seven = [r for r in records if "page7word" in r.content]
    assert len(seven) == 1 and "Edited" in seven[0].content, "the edit is what is indexed"
    assert sum("Unchanged" in r.content for r in records) == 39

    write(site, edited, page("<p>Edited page7word</p>", '["Name7", "Alias7", "Third7"]'))
    assert sorted(index_site(site, kept, part_bytes=1).indexed) == [
        0,
        part_of(edited, MOST_PARTS),
    ], "a new spelling changes the page and its name record's part"


def test_the_first_part_loads_the_search_and_lists_the_others(tmp_path: Path) -> None:
    site = tmp_path / "site"
    many_pages(site)
    index_site(site, part_bytes=1)  # no kept folder: a scratch one, every part indexed
    folder = site / "pagefind"
    listed = json.loads((folder / PARTS_FILE).read_text(encoding="utf-8"))["parts"]
    assert listed == [f"{part_folder(p)}/" for p in range(1, MOST_PARTS + 1)]
    assert (folder / "pagefind.js").is_file() and (folder / "wasm.en.pagefind").is_file()
    assert not (folder / "pagefind-worker.js").exists(), (
        "the search runs in the page (noWorker): the worker's copy of its code is not published"
    )
    for name in listed:
        part = folder / name
        assert (part / "pagefind-entry.json").is_file() and list(part.glob("*.pf_meta"))
        assert not list(part.glob("*.js")) and not list(part.glob("wasm.*")), (
            "a part holds its data only: the code is the first part's"
        )
    names = [r for r in indexed_pages(folder) if "Alias" in r.content]
    assert len(names) == 40 and all(r.url.startswith("/page-") and "#who" in r.url for r in names)


def test_an_index_with_a_kept_folder_makes_no_scratch_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build and the preview keep their copies under build/: a run of theirs
    killed in the middle leaves nothing in the system's temporary folder."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    site = tmp_path / "site"
    many_pages(site)
    made: list[str] = []
    real = tempfile.TemporaryDirectory

    def noted(*args: Any, **kwargs: Any) -> tempfile.TemporaryDirectory[str]:
        made.append(str(kwargs.get("prefix")))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryDirectory", noted)
    index_site(site, tmp_path / "kept")
    assert made == [], f"scratch folders made: {made}"
    index_site(site)  # no kept folder: a scratch one, removed after
    assert made == ["wcw-search-"] and list(scratch.iterdir()) == []


def test_a_site_small_enough_is_one_index_ranked_as_one(tmp_path: Path) -> None:
    site = tmp_path / "site"
    many_pages(site)
    assert index_site(site).indexed == (0,)
    folder = site / "pagefind"
    assert json.loads((folder / PARTS_FILE).read_text(encoding="utf-8")) == {"parts": []}
    assert len(indexed_pages(folder)) == 80


def test_closing_the_preview_index_stops_pagefind_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's index is closed when the preview stops: a Pagefind run under
    way is stopped (not waited for, not left running into build/) and its
    unfinished output removed."""
    from generator.build import search

    site, kept = tmp_path / "site", tmp_path / "kept"
    many_pages(site)
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def slow_popen(command: list[str], **kwargs: Any) -> subprocess.Popen[str]:
        Path(command[command.index("--output-path") + 1]).mkdir(parents=True)  # half written
        started.append(real_popen(["sleep", "60"], **kwargs))
        return started[-1]

    monkeypatch.setattr(search.subprocess, "Popen", slow_popen)
    said: list[str] = []
    index = search.BackgroundIndex(site, said.append, kept)
    index.request()
    deadline = time.monotonic() + 10
    while not started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started, "Pagefind was started"
    index.close()
    # Its minute was not waited out: it was ended by a signal (a negative code).
    assert all(p.poll() is not None and p.returncode < 0 for p in started), "it was killed"
    assert not list((kept / "indexes").glob("*.new")), "its unfinished output is removed"
    assert not said, said
    assert not (site / "pagefind").exists(), "the site's index is left as it was"


def test_the_preview_index_waits_its_grace_for_the_reload(tmp_path: Path) -> None:
    """A run asked for waits ``grace`` seconds before it copies a page (the browser's
    reload of the saved page is served first), then runs; a preview closed during
    the grace ran nothing into build/ and left the site's index as it was."""
    from generator.build import search

    site, kept = tmp_path / "site", tmp_path / "kept"
    many_pages(site)
    waiting = search.BackgroundIndex(site, print, kept, grace=60)
    waiting.request()
    assert not waiting.wait(timeout=1), "a run began within its grace"
    waiting.close()
    assert waiting.runs == 0 and not kept.exists() and not (site / "pagefind").exists()
    brief = search.BackgroundIndex(site, print, kept, grace=0.2)
    brief.request()
    assert brief.wait(timeout=120)
    brief.close()
    assert brief.runs == 1 and brief.last is not None and (site / "pagefind").is_dir()


def test_a_ctrl_c_that_stops_pagefind_is_not_reported_as_a_failed_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C reaches Pagefind with the preview (or the build) it runs for. The
    build stops as interrupted; the preview, stopping too, printed "search index
    not updated: the site search could not be indexed: " with nothing after."""
    from generator.build import search

    site, kept = tmp_path / "site", tmp_path / "kept"
    many_pages(site)
    real_popen = subprocess.Popen

    def interrupted(command: list[str], **kwargs: Any) -> subprocess.Popen[str]:
        return real_popen(["sh", "-c", "kill -INT $$"], **kwargs)

    monkeypatch.setattr(search.subprocess, "Popen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        search.index_site(site, kept)
    said: list[str] = []
    index = search.BackgroundIndex(site, said.append, kept)
    index.request()
    assert index.wait(timeout=60)
    index.close()
    assert index.runs == 1 and not said, said
    assert not (site / "pagefind").exists() and not list(kept.rglob("*.new"))


def test_no_preview_index_run_starts_while_the_site_is_rebuilt(tmp_path: Path) -> None:
    """A full rebuild empties the site folder first: a run started then read no page,
    and the preview printed "Pagefind was not able to build an index"."""
    from generator.build import search

    site, kept = tmp_path / "site", tmp_path / "kept"
    many_pages(site)
    said: list[str] = []
    index = search.BackgroundIndex(site, said.append, kept)
    with index.rebuilding():
        index.request()
        assert not index.wait(timeout=1) and index.runs == 0, "a run began during the rebuild"
    assert index.wait(timeout=120)
    index.close()
    assert index.runs == 1 and not said, said


def test_copies_made_on_two_cores_are_those_one_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build copies every other page for search in a child process
    (search_copy.PAGES_BESIDE pages and more): the same copies, name records and digests."""
    from generator.build import search_copy

    started: list[object] = []
    real = search_copy.beside
    monkeypatch.setattr(search_copy, "beside", lambda *job: started.append(job) or real(*job))
    made = []
    for folder, split_from in (("one", 10_000), ("two", 2)):
        monkeypatch.setattr(search_copy, "PAGES_BESIDE", split_from)
        site, into = tmp_path / folder / "site", tmp_path / folder / "copies"
        many_pages(site)
        copies = searchable_copy(site, into, part_bytes=4_000)
        files = {
            p.relative_to(into).as_posix(): p.read_bytes()
            for p in sorted(into.rglob("*"))
            if p.is_file() and p.name != search_copy.MANIFEST
        }
        made.append((copies, files))
    assert made[0] == made[1] and len(made[0][0].parts) > 1
    assert len(started) == 1
