"""Kept cards are the cards a fresh generation renders, after every kind of edit.

A build renders again only the cards whose inputs changed
(:mod:`generator.site.keptcards`); a card served from the build before when
something it shows had changed would put stale facts before readers. So the
real content is edited one way after another, and each time generated twice:
with the cards kept from the generation before (saved and loaded, as a build
does) and afresh. The docs and the card store must be the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build.check import check_with_maps
from generator.build.generate import KEPT_ROWS, generate
from generator.build.postbuild import load_cards
from generator.content.beside import Beside, InLine
from generator.content.project import Project
from generator.site import generate as site_generate
from generator.site import slots as site_slots
from generator.site.cardstore import write_store
from generator.site.keptcards import KeptCards

from .conftest import recording_beside, run_alone
from .test_site import copy_project

AS_OF = dt.date(2025, 8, 20)

#: A claim another answers (``responds_to``), its file, and one the site names nowhere.
ANSWERED = "us-earlier-pushed-unconditional-ceasefire"
CLAIMS = "claims/negotiations.yml"
UNNAMED = "barker-ukrainians-remain-steadfast"


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _claim_block(root: Path, ident: str) -> tuple[Path, str, re.Match[str]]:
    path = next(p for p in (root / "claims").glob("*.yml") if f"- id: {ident}\n" in p.read_text())
    text = path.read_text(encoding="utf-8")
    found = re.search(rf"  - id: {ident}\n.*?(?=\n  - id: |\Z)", text, re.DOTALL)
    assert found
    return path, text, found


def remove_claim(root: Path) -> None:
    path, text, found = _claim_block(root, UNNAMED)
    path.write_text(text[: found.start()] + text[found.end() + 1 :], encoding="utf-8")


def add_claim(root: Path) -> None:
    path, text, found = _claim_block(root, "barker-ukrainians-would-reject")
    copy = found.group().replace("- id: barker-ukrainians-would-reject", "- id: barker-again", 1)
    path.write_text(text + "\n" + copy + "\n", encoding="utf-8")


#: (what an editor changed, the edit, how many cards it renders again: None for all,
#: whether it renders the pages again).
EDITS: list[tuple[str, Callable[[Path], None], int | None, bool]] = [
    (
        "the text of a claim another answers",
        replace(
            CLAIMS, "Before the August 2025 deal, the US", "Before the deal of August 2025, the US"
        ),
        1,
        False,
    ),
    (
        "the summary of a claim another answers",
        replace(CLAIMS, "summary: The US had earlier pushed", "summary: The US had first pushed"),
        None,
        True,
    ),
    (
        "the group, so the page, of a claim another answers",
        replace(
            CLAIMS,
            "topics: [ceasefire, negotiations]",
            "topics: [ceasefire, negotiations, territory]",
        ),
        None,
        True,
    ),
    (
        "a claim's status",
        replace(CLAIMS, "    status: confirmed\n", "    status: reported\n"),
        1,
        True,
    ),
    (
        "an actor's name",
        replace("actors.yml", "name: Vladimir Putin", "name: Vladimir V. Putin"),
        None,
        True,
    ),
    ("a source's label", replace("../seeds/sources.yml", "label: ", "label: Edited "), None, True),
    (
        "a region's name",
        replace("regions.yml", "name: Kherson", "name: Kherson Oblast"),
        None,
        True,
    ),
    (
        "a glossary definition",
        replace("glossary.yml", "the Western military alliance", "the Western alliance"),
        None,
        True,
    ),
    (
        "a claim's text naming an event",
        replace(
            CLAIMS,
            "to make space for negotiations.\n    text: >-\n",
            "to make space for negotiations.\n    text: >-\n      After {event:crimea-annexation-2014}:\n",
        ),
        1,
        False,
    ),
    (
        "a claim's text using a glossary term (a page links a term on its first use only)",
        replace(
            CLAIMS, "on ending the war (Bloomberg).", "on ending the war (Bloomberg), NATO said."
        ),
        1,
        True,
    ),
    (
        "an event's text",
        replace("events.yml", "Russia annexed the Crimean peninsula", "Russia annexed Crimea"),
        1,
        False,
    ),
    (
        "an event's title",
        replace("events.yml", "title: Russia annexes Crimea", "title: Russia annexes the Crimea"),
        None,
        True,
    ),
    (
        "a map's title",
        replace("../maps/us-offer-2025-04.yml", "title: US offer", "title: The US offer"),
        0,
        True,
    ),
    ("a claim removed", remove_claim, None, True),
    ("a claim added", add_claim, None, True),
]


def generated(
    project: Project, as_of: dt.date, kept: KeptCards | None, beside: Beside = InLine
) -> dict[str, str]:
    """The docs and the card store, by digest; ``kept`` counts the cards it rendered."""
    fb, problems, specs = check_with_maps(project)
    assert not problems, [str(p) for p in problems]
    generate(project, fb, as_of, site_url=project.site_url(), specs=specs, kept=kept, beside=beside)
    files = sorted(p for d in (project.cards, project.docs) for p in d.rglob("*") if p.is_file())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def cards_in(project: Project) -> int:
    return sum(1 for key in load_cards(project.cards) if not key.startswith("html:"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project.at(copy_project(tmp_path_factory.mktemp("kept")))


def test_kept_cards_are_the_cards_a_fresh_generation_renders(project: Project) -> None:
    kept_file = project.cache / "kept-test"
    kept = KeptCards()
    generated(project, AS_OF, kept)
    assert kept.rendered == cards_in(project) > 150  # every claim and event, the first time
    kept.save(kept_file)
    steps = [(what, edit, again, pages, AS_OF) for what, edit, again, pages in EDITS]
    later = AS_OF + dt.timedelta(days=30)
    steps.append(("the as-of date", lambda _root: None, None, True, later))
    for what, edit, again, pages, as_of in steps:
        edit(project.content)
        kept = KeptCards.load(kept_file)
        with_kept = generated(project, as_of, kept)
        assert kept.rendered == (cards_in(project) if again is None else again), what
        assert kept.pages_rendered == pages, what
        shards = {shard: shard.stat().st_ino for shard in kept_file.glob("[0-9]*.marshal")}
        kept.save(kept_file)
        written = sum(shard.stat().st_ino != inode for shard, inode in shards.items())
        if again is not None:  # only the shards of the cards rendered are written again
            assert (0 < written <= again) if again else written == 0, what
        assert with_kept == generated(project, as_of, None), f"stale cards after {what}"


def test_an_edit_digests_again_only_the_records_of_the_file_it_changed(
    project: Project,
) -> None:
    """A record is made from its file alone: the records of the other files are
    served their digests as the generation before made them, and a record
    whose digest is the same its part of the open data."""
    kept_file = project.cache / "kept-digests"
    kept = KeptCards()
    generated(project, AS_OF, kept)
    assert kept.dumped == cards_in(project)
    kept.save(kept_file)
    with (project.content / CLAIMS).open("a", encoding="utf-8") as claims:
        claims.write("# An editor's comment: the file changed, none of its records.\n")
    rows = {shard: shard.stat().st_ino for shard in (project.cache / KEPT_ROWS).iterdir()}
    kept = KeptCards.load(kept_file)
    generated(project, AS_OF, kept)
    fb, _, _ = check_with_maps(project)
    in_file = [c for c in fb.claims.values() if c.position().file.endswith(CLAIMS)]
    assert kept.dumped == len(in_file) < cards_in(project) / 4
    # No record changed: each one's part of the open data is served as kept, none written.
    assert len(rows) > 10
    assert {shard: shard.stat().st_ino for shard in rows} == rows


def test_a_kept_card_is_read_from_the_store_and_only_where_an_edit_needs_it(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept cards hold what each card was made from; its HTML is the card store's,
    read a shard at a time: an edit to one card reads the one shard it writes again."""
    kept_file = project.cache / "kept-from-store"
    kept = KeptCards()
    generated(project, AS_OF, kept)
    kept.save(kept_file)
    kept_bytes = sum(p.stat().st_size for p in kept_file.glob("[0-9]*.marshal"))
    store_bytes = sum(p.stat().st_size for p in project.cards.iterdir())
    assert kept_bytes < store_bytes / 10  # no card's HTML is kept twice
    read: list[bytes] = []
    load = site_slots.load
    monkeypatch.setattr(site_slots, "load", lambda data: read.append(data) or load(data))
    replace(CLAIMS, "    text: >-\n", "    text: >-\n      Shard test.\n")(project.content)
    kept = KeptCards.load(kept_file)
    with_kept = generated(project, AS_OF, kept)
    assert kept.rendered == 1 and len(read) == 1
    monkeypatch.undo()
    assert with_kept == generated(project, AS_OF, None)


def test_cards_kept_beside_another_store_are_rendered_again(project: Project) -> None:
    """A build stopped between the store and the kept cards, or another build of
    the same project, leaves a store the kept cards were not made with: none is
    served from it."""
    kept_file = project.cache / "kept-other-store"
    kept = KeptCards()
    first = generated(project, AS_OF, kept)
    kept.save(kept_file)
    write_store(project.cards, {"claim:another-store": "<p>another build's card</p>"})
    kept = KeptCards.load(kept_file)
    assert generated(project, AS_OF, kept) == first
    assert kept.rendered == cards_in(project)


def test_unchanged_content_renders_no_card_and_a_damaged_file_is_ignored(
    project: Project,
) -> None:
    kept = KeptCards()
    first = generated(project, AS_OF, kept)
    rendered = kept.rendered
    assert generated(project, AS_OF, kept) == first
    assert kept.rendered == rendered  # none rendered the second time
    damaged = project.cache / "damaged"
    kept.save(damaged)
    (damaged / "07.marshal").write_bytes(b"\x00not marshal")  # one shard damaged: none used
    fresh = KeptCards.load(damaged)
    assert generated(project, AS_OF, fresh) == first
    assert fresh.rendered == cards_in(project)


def test_cards_and_pages_rendered_on_the_other_core_are_the_same(tmp_path: Path) -> None:
    """A cold build renders every other card and page in a child process
    (build.worker.beside), beside the open data: the docs and the store are
    those of a generation in line, kept cards or not."""
    run_alone(__name__, "_on_the_other_core", str(tmp_path))


def _on_the_other_core(folder: str) -> None:
    tmp_path = Path(folder)
    site_generate._RENDER_BESIDE_FROM = 2  # the real site's ~80 pages; a process of its own
    ran_in: list[int] = []
    Spied = recording_beside(ran_in)
    project = Project.at(copy_project(tmp_path))
    in_line = generated(project, AS_OF, None)
    assert generated(project, AS_OF, None, Spied) == in_line
    assert len(ran_in) == 3 and os.getpid() not in ran_in  # open data, cards, pages
    kept = KeptCards()
    generated(project, AS_OF, kept)
    # One card to render: in line, and the pages kept.
    replace(CLAIMS, "Before the August 2025 deal, the US", "Before the deal, the US")(
        project.content
    )
    ran_in.clear()
    assert generated(project, AS_OF, kept, Spied) == generated(project, AS_OF, None)
    assert len(ran_in) == 1  # the open data only
