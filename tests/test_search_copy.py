"""What Pagefind reads: each page from its searched element on, its own cards
only, and, in the folder the build keeps, made again only for changed pages."""

from __future__ import annotations

import os
from pathlib import Path

from generator.build.search import MANIFEST, NAMES_FOLDER, searchable_copy
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
    assert searchable_copy(site, into) == 1
    copy = (into / "a/index.html").read_text(encoding="utf-8")
    assert "Own text" in copy and "Words of A" in copy
    assert "Words of B" not in copy, "a card is indexed on its home page only"
    assert "Every page of the site" not in copy, "the navigation is not Pagefind's to read"
    assert not (into / "guide/index.html").exists()


def test_the_kept_copy_is_made_again_only_for_what_changed(tmp_path: Path) -> None:
    site, into = tmp_path / "site", tmp_path / "copy"
    same = write(site, "same/index.html", page("<p>Same</p>", '["Kyiv", "Kiev"]'))
    edited = write(site, "edited/index.html", page("<p>Before</p>"))
    gone = write(site, "gone/index.html", page("<p>Gone</p>"))
    searchable_copy(site, into)
    made = (into / "same/index.html").stat().st_mtime_ns
    (into / "same/index.html").write_text("kept copy", encoding="utf-8")  # a marker
    os.utime(into / "same/index.html", ns=(made, made))

    write(site, "edited/index.html", page("<p>After, longer</p>"))
    gone.unlink()
    assert searchable_copy(site, into) == 2
    assert (into / "same/index.html").read_text(encoding="utf-8") == "kept copy", (
        "an unchanged page is not copied again"
    )
    assert "After, longer" in (into / "edited/index.html").read_text(encoding="utf-8")
    assert not (into / "gone/index.html").exists()
    names = list((into / NAMES_FOLDER).glob("*.html"))
    assert len(names) == 1 and "Kiev" in names[0].read_text(encoding="utf-8"), (
        "the kept page's name record is written again from what was kept"
    )
    assert same.exists() and edited.exists()

    (into / MANIFEST).write_text("damaged", encoding="utf-8")
    searchable_copy(site, into)
    assert "Same" in (into / "same/index.html").read_text(encoding="utf-8"), (
        "without a manifest it can trust, every page is copied again"
    )
