"""The generation stage: validated facts → Markdown, maps and assets in docs/.

Generation is a step of its own, before and apart from MkDocs, so the same
docs folder builds with any engine that reads ``mkdocs.yml`` (MkDocs,
Zensical). Files are written only when their bytes change: the live preview
then reloads only what an edit touched, and rebuilds stay cheap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from markupsafe import Markup

from generator.perf.collector import paused
from generator.content.factbase import FactBase
from generator.perf.helper import HELPER_FROM, helper
from generator.site.jsonld import JsonLd, front_matter
from generator.content.model import Claim, Event, Status
from generator.site.pages import Page, pages
from generator.content.project import Project
from generator.outputs.publishing import publishing_files
from generator.site.templating import (
    TEMPLATE_GLOBALS, environment, glossary_terms, render, resolve_links,
)
from generator.site.textformat import TERM_LINK_RE, renderer_for

ASSETS = Path(__file__).parents[1] / "assets"


@dataclass
class GenerateResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    digest: str = ""  # of every generated file: what MkDocs will read

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


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically, and only if the content differs; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def cited_sources(fb: FactBase, record: Any) -> list[tuple[Any, list[Any]]]:
    """A record's citations grouped by source, in the order first cited."""
    groups: dict[str, list[Any]] = {}
    for cite in record.sources:
        groups.setdefault(cite.source, []).append(cite)
    return [(fb.sources[source_id], cites) for source_id, cites in groups.items()]


@dataclass(frozen=True)
class Fragments:
    """Markup that repeats on thousands of cards, rendered once per build.

    Every card links its regions and names its sources; at 10,000 claims that
    is 30,000 renderings of the same few dozen links. The markup stays in the
    macros of ``_macros.j2``; only its rendering is shared.
    """

    badge: dict[Status, Markup]
    region: dict[str, Markup]
    actor: dict[str, Markup]
    source: dict[str, Markup]

    @classmethod
    def render(cls, env: Environment, fb: FactBase) -> Fragments:
        macros: Any = env.get_template("_macros.j2").make_module()  # with this build's globals
        return cls(
            badge={status: macros.badge(status) for status in Status},
            region={code: macros.region_link(r) for code, r in fb.regions.items()},
            actor={aid: macros.actor_link(a) for aid, a in fb.actors.items()},
            source={sid: macros.source_ref(s) for sid, s in fb.sources.items()},
        )


#: Separates two cards in the output of a cards template (content can never
#: contain it: control characters are refused on load).
CARD_BREAK = Markup("\x00card\x00")


def render_cards(shared: dict[str, Any], records: list[Claim] | list[Event]) -> list[str]:
    """The cards of ``records`` (all claims or all events), in one template run.

    One run for all of them costs a third less than a run per card at
    10,000 claims; the run is split back into cards at each break.
    """
    template = "_events.j2" if records and isinstance(records[0], Event) else "_claims.j2"
    html = environment().get_template(template).render(
        **shared, records=records, card_break=CARD_BREAK
    )
    return [card.strip() for card in html.split(CARD_BREAK)[1:]]


class Cards:
    """Each claim and event rendered once per build, then placed on every page that lists it.

    A claim appears on the matrix page, its regions' pages, the summit or
    proposals page; rendering it once keeps the build linear in the facts.
    """

    def __init__(self) -> None:
        self._cards: dict[tuple[type, str], Markup] = {}

    def add(self, records: list[Claim] | list[Event], cards: list[str]) -> None:
        for record, card in zip(records, cards, strict=True):
            self._cards[(type(record), record.id)] = Markup(card)

    def __call__(self, record: Claim | Event) -> Markup:
        return self._cards[(type(record), record.id)]


def render_page(page: Page, shared: dict[str, Any]) -> str:
    text = render(page.template, page=page, **shared, **page.view)
    data = shared["jsonld"].page(page)
    # The JSON-LD rides in front matter; the theme override prints it in <head>.
    image = shared["maps"].og_image
    meta = f"\njsonld: {front_matter(data)}\n" + (f"image: {image}\n" if image else "")
    text = text.replace("\n---\n", meta + "---\n", 1)
    return resolve_links(first_use_only(text), page.url)


def first_use_only(html: str) -> str:
    """Keep the glossary link on the first use of each term on a page only.

    As in print, a term is explained where a reader first meets it; linking
    it on every card (96 times on the matrix page) would cost a screen
    reader's patience and bury the links that matter.
    """
    seen: set[str] = set()

    def keep_first(m: re.Match[str]) -> str:
        term = m.group(1)
        if term in seen:
            return term
        seen.add(term)
        return m.group(0)

    return TERM_LINK_RE.sub(keep_first, html)


@paused
def generate(
    project: Project,
    fb: FactBase,
    as_of: dt.date,
    site_url: str = "",
    maps: Any = None,
    helper_from: int | None = HELPER_FROM,
    specs: list[Any] | None = None,
) -> GenerateResult:
    """Render every page, map and asset into ``project.docs``.

    A build of ``helper_from`` facts or more renders half the claim cards and
    the published files in a helper process (:mod:`generator.perf.helper`); maps'
    preview images not yet cached are drawn there too. ``None``: no helper.
    ``specs``: the map specs ``check`` parsed, drawn and published as they are.
    """
    if maps is None:
        from generator.maps.render import render_maps

        maps = render_maps(fb, project, specs, defer_previews=helper_from is not None)
    text = renderer_for(glossary_terms(fb.glossary))
    env = environment()
    # Templates compiled once and kept between builds, beside the docs.
    compiled = project.build_dir / "templates"
    compiled.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(compiled))
    env.filters["md"] = text.markdown
    env.filters["inline"] = text.inline
    page_list = pages(fb, as_of)
    touched = {
        p.view["region"].code for p in page_list if p.template == "region.md.j2"
    }
    # Values every template and macro needs. Templates import the macros "with
    # context", so a preview that regenerates in the same process never sees
    # the last build's facts through a cached macro module.
    env.globals.update(
        TEMPLATE_GLOBALS,
        fb=fb, touched_regions=touched, cited_sources=partial(cited_sources, fb),
    )
    env.globals["fragments"] = Fragments.render(env, fb)
    shared: dict[str, Any] = {
        "maps": maps,
        "as_of": as_of,
        "as_of_human": f"{as_of.day} {as_of:%B %Y}",
        "site_url": site_url,
        "map_attribution": maps.attribution,
    }
    shared["jsonld"] = JsonLd(fb, as_of, site_url)
    claims, events = list(fb.claims.values()), list(fb.events.values())
    half = len(claims) // 2
    jobs = {
        "map previews": maps.draw_previews,
        "claim cards": lambda: render_cards(shared, claims[half:]),
        # /contributing/, data/ (open data) and the feeds: generator/publishing.py.
        "publishing": lambda: publishing_files(
            project, fb, as_of, site_url, lambda p: render_page(p, shared),
            list(maps.specs.values()),
        ),
    }
    away: set[str] = set()
    if helper_from is not None:
        if len(claims) + len(events) >= helper_from:
            away |= {"claim cards", "publishing"}
        if maps.previews_pending:
            away.add("map previews")
    outputs: dict[str, bytes] = {}
    with helper(jobs, away) as submit:
        previews = submit("map previews")
        their_cards, published = submit("claim cards"), submit("publishing")
        cards = shared["card"] = Cards()
        cards.add(claims[:half], render_cards(shared, claims[:half]))
        cards.add(events, render_cards(shared, events))
        cards.add(claims[half:], their_cards.result())
        for page in page_list:
            outputs[page.path] = render_page(page, shared).encode("utf-8")
        for asset in sorted(ASSETS.rglob("*")):
            if asset.is_file():
                outputs[f"assets/{asset.relative_to(ASSETS).as_posix()}"] = asset.read_bytes()
        maps.add_previews(previews.result())
        outputs.update(maps.png_files())
        outputs.update(published.result())

    result = GenerateResult()
    docs = project.docs
    for rel, data in sorted(outputs.items()):
        if write_if_changed(docs / rel, data):
            result.written.append(rel)
        else:
            result.unchanged += 1
    result.removed = _remove_stale(docs, set(outputs))
    whole = hashlib.sha256()
    for rel, data in sorted(outputs.items()):
        whole.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    result.digest = whole.hexdigest()
    return result


def _remove_stale(docs: Path, keep: set[str]) -> list[str]:
    """Delete generated files no longer produced (a region no claim names any more)."""
    removed = []
    for path in sorted(docs.rglob("*"), reverse=True):
        rel = path.relative_to(docs).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
            removed.append(rel)
        elif path.is_dir() and not any(path.iterdir()):
            shutil.rmtree(path)
    return removed
