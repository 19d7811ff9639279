"""The "generate docs" step: maps, then pages, then published files, into docs/.

The stages run in their order here and nowhere else: the maps stage draws
every map, the site stage renders the pages with those maps, the outputs
stage adds the editors' guide, open data and feeds. This step then writes
what changed into the docs folder (so the live preview reloads only what an
edit touched), removes what is no longer produced, and hashes the lot: the
docs folder is what MkDocs or Zensical builds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content.beside import Beside, InLine, Started
from generator.content.factbase import FactBase
from generator.content.files import write_if_changed
from generator.content.project import Project
from generator.content.published import known_ids
from generator.maps.render import render_maps
from generator.maps.spec import MapSpec
from generator.outputs.opendata import open_data_files
from generator.outputs.publishing import publishing_files
from generator.site.cardstore import write_store
from generator.site.generate import Cards, SiteRenderer
from generator.site.keptcards import KeptCards, code_version

#: The claims' and events' parts of the open data, kept (see keptrows), a folder in build/cache/.
KEPT_ROWS = "open-data-kept"


@dataclass
class GenerateResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    digest: str = ""  # of every generated file: what MkDocs will read
    names: list[str] = field(default_factory=list)  # every file the docs now hold, sorted
    published: dict[str, set[str]] = field(default_factory=dict)  # the ids facts.json lists

    @property
    def total(self) -> int:
        return len(self.written) + self.unchanged


def as_of_date(explicit: str | dt.date | None = None) -> tuple[dt.date, str]:
    """The date deadline statuses are measured against, and where it came from.

    Reproducible builds need it fixed: an explicit setting wins, then
    ``SOURCE_DATE_EPOCH`` (set by CI from the commit), then ``WCW_AS_OF``;
    only an interactive build falls back to today's date, and says so.
    """
    if isinstance(explicit, dt.date):
        return explicit, "given"
    if explicit:
        return dt.date.fromisoformat(explicit), "--as-of"
    if os.environ.get("SOURCE_DATE_EPOCH"):
        stamp = int(os.environ["SOURCE_DATE_EPOCH"])
        return dt.datetime.fromtimestamp(stamp, dt.UTC).date(), "SOURCE_DATE_EPOCH"
    if os.environ.get("WCW_AS_OF"):
        return dt.date.fromisoformat(os.environ["WCW_AS_OF"]), "WCW_AS_OF"
    return dt.datetime.now(dt.UTC).date(), "today's date"


def generate(
    project: Project,
    fb: FactBase,
    as_of: dt.date,
    site_url: str = "",
    specs: list[MapSpec] | None = None,
    kept: KeptCards | None = None,
    beside: Beside = InLine,
) -> GenerateResult:
    """Render every page, map and published file into ``project.docs``; ``fb`` is checked.

    ``specs``: the map specs ``check`` parsed, drawn and published as they are.
    ``kept``: the cards of the generation before, rendered again only where
    what they are made from changed (:mod:`generator.site.keptcards`).
    ``beside``: where the open data, and half of many cards and pages, are
    made meanwhile (:mod:`generator.content.beside`).
    """
    records = [*fb.claims.values(), *fb.events.values()]
    code = code_version() if kept is not None else b""
    digests = kept.record_digests(records, Cards.key, code) if kept is not None else None
    # The open data reads only the facts: made on the other core meanwhile, its
    # records' parts kept beside the cards.
    own = {key: card for key, (_pages, card) in digests.items()} if digests else None
    rows = project.cache / KEPT_ROWS if kept is not None else None
    open_data = beside(
        _open_data_into, project.docs, fb, project, as_of, site_url, specs, rows, own, code
    )
    maps = render_maps(fb, project, specs, site_url=site_url)
    site = SiteRenderer(
        fb, as_of, maps, maps.attribution, site_url,
        # Templates compiled once and kept between builds, beside the docs.
        bytecode_dir=_folder(project.build_dir / "templates"), kept=kept, beside=beside,
        digests=digests, code=code,
    )  # fmt: skip
    outputs = site.files()
    outputs.update(maps.png_files())
    # /contributing/, the feeds and the maps' files (data/ is the open data's job's).
    outputs.update(
        publishing_files(
            project,
            fb,
            as_of,
            site_url,
            site.render_page,
            maps,
            card_links=site.to_card_pages,
            text=site.text,
            kept=project.cache if kept is not None else None,
            code=code,
        )
    )
    # The card store and the pages first: the open data's job is still at work
    # (at 10,000 claims an edit's pages waited 0.035 s for it).
    store = write_store(project.cards, site.card_store(), site.card_digests())
    result = write_docs(project.docs, outputs, open_data)
    result.published = known_ids(fb)
    if kept is not None:
        kept.stored(project.cards, store)
    # The cards are filled in after the engine: an edit to one changes the site too.
    result.digest = hashlib.sha256(result.digest.encode() + store).hexdigest()
    return result


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _open_data_into(docs: Path, *args: Any) -> dict[str, Written]:
    """:func:`open_data_files` written into ``docs`` by the job that makes them: at
    10,000 claims 20 MB that would otherwise travel back, be compared with the
    files and be hashed on the pages' core (about 0.1 s of an edit's build)."""
    return {rel: _write(docs / rel, data) for rel, data in open_data_files(*args).items()}


@dataclass(frozen=True)
class Written:
    """A docs file written elsewhere: its sha256, and whether it changed."""

    digest: bytes
    changed: bool


def _write(path: Path, data: bytes) -> Written:
    return Written(hashlib.sha256(data).digest(), write_if_changed(path, data))


def write_docs(
    docs: Path, outputs: dict[str, bytes], written: Started[Mapping[str, Written]] | None = None
) -> GenerateResult:
    """Make ``docs`` hold exactly ``outputs`` and the files a job ``written`` writes
    (asked for once ``outputs`` are written), rewriting only the files that changed."""
    result = GenerateResult()
    whole = hashlib.sha256()
    done = {rel: _write(docs / rel, data) for rel, data in outputs.items()}
    done.update(written.result() if written is not None else {})
    for rel, file in sorted(done.items()):
        if file.changed:
            result.written.append(rel)
        else:
            result.unchanged += 1
        whole.update(rel.encode() + b"\0" + file.digest)
    result.removed = _remove_stale(docs, set(done))
    result.digest = whole.hexdigest()
    result.names = sorted(done)
    return result


def _remove_stale(docs: Path, keep: set[str]) -> list[str]:
    """Delete generated files no longer produced (a region no claim names any more),
    and the folders they leave empty; the files removed, in reverse path order.
    Walked by folder: ``rglob`` and a path per file took 16 ms of an edit's
    build at 10,000 claims."""
    removed: list[str] = []
    for folder, _dirs, files in os.walk(docs, topdown=False):
        here = Path(folder)
        prefix = f"{here.relative_to(docs).as_posix()}/" if here != docs else ""
        for name in files:
            if prefix + name not in keep:
                (here / name).unlink()
                removed.append(prefix + name)
        if here != docs and not any(here.iterdir()):
            here.rmdir()
    return sorted(removed, reverse=True)
