"""The site stage: validated facts → the Markdown pages and the site's assets.

It renders and returns bytes; it writes nothing. The build stage
(:mod:`generator.build.generate`) draws the maps first and hands them in,
with the boundaries' attribution, then adds the published files and writes
the docs folder that any engine reading ``mkdocs.yml`` builds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from generator.content import markup, urls
from generator.content.factbase import FactBase
from generator.content.model import Claim, Event, Status
from generator.content.rules import future
from generator.content.rules.examples import examples
from generator.site.jsonld import JsonLd, front_matter
from generator.site.pages import Page, pages
from generator.site.templating import environment, glossary_terms, href, resolve_links
from generator.site.textformat import TERM_LINK_RE, Reference, renderer_for

ASSETS = Path(__file__).parents[1] / "assets"


def cited_sources(fb: FactBase, record: Any) -> list[tuple[Any, list[Any]]]:
    """A record's citations grouped by source, in the order first cited."""
    groups: dict[str, list[Any]] = {}
    for cite in record.sources:
        groups.setdefault(cite.source, []).append(cite)
    return [(fb.sources[source_id], cites) for source_id, cites in groups.items()]


def references(fb: FactBase, with_pages: set[str]) -> dict[str, Reference]:
    """Every entry prose may name with ``{KIND:ID}``: its reader-facing name and link."""
    found: dict[str, Reference] = {}
    for kind, table in markup.tables(fb).items():
        for ident, record in table.items():
            link = (
                urls.region(record, with_pages) if kind == "region" else urls.CANONICAL[kind](ident)
            )
            found[f"{kind}:{ident}"] = Reference(markup.reader_name(kind, record), href(link))
    return found


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


class Cards:
    """Each claim and event rendered once per build, then placed on every page that lists it.

    A claim appears on the matrix page, its regions' pages, the summit or
    proposals page; rendering it once keeps the build linear in the facts.
    """

    def __init__(self) -> None:
        self._cards: dict[tuple[type, str], Markup] = {}

    def add(self, env: Environment, shared: dict[str, Any], record: Claim | Event) -> None:
        template, name = ("_events.j2", "e") if isinstance(record, Event) else ("_claims.j2", "c")
        html = env.get_template(template).render(**shared, **{name: record})
        self._cards[(type(record), record.id)] = Markup(html.strip())

    def __call__(self, record: Claim | Event) -> Markup:
        return self._cards[(type(record), record.id)]


class SiteRenderer:
    """One build's rendering of the pages: a fresh Jinja environment, the facts, the maps.

    Everything a template sees belongs to this object, so a second build in
    the same process (the live preview) starts from nothing the first one set.
    ``maps`` is the maps stage's result (its figures and ``og_image``), drawn
    before the pages by the build stage.
    """

    def __init__(
        self,
        fb: FactBase,
        as_of: dt.date,
        maps: Any,
        map_attribution: str,
        site_url: str = "",
        bytecode_dir: Path | None = None,
    ) -> None:
        self.fb = fb
        self.page_list = pages(fb, as_of)
        touched = {p.view["region"].code for p in self.page_list if p.template == "region.md.j2"}
        text = renderer_for(glossary_terms(fb.glossary), references(fb, touched))
        self.env = environment(text.markdown, text.inline, bytecode_dir=bytecode_dir)
        # Templates import the macros "with context": they see these globals.
        self.env.globals.update(
            fb=fb,
            href=href,
            touched_regions=touched,
            cited_sources=partial(cited_sources, fb),
            plain=partial(markup.plain, fb=fb),
            status_examples=examples(fb),
            past_unrecorded=lambda e: future.past_unrecorded(
                e, [fb.sources[c.source] for c in e.sources], as_of
            ),
        )
        self.env.globals["fragments"] = Fragments.render(self.env, fb)
        self.shared: dict[str, Any] = {
            "maps": maps,
            "as_of": as_of,
            "as_of_human": f"{as_of.day} {as_of:%B %Y}",
            "site_url": site_url,
            "map_attribution": map_attribution,
            "jsonld": JsonLd(fb, as_of, site_url),
        }
        cards = self.shared["card"] = Cards()
        records: list[Claim | Event] = [*fb.claims.values(), *fb.events.values()]
        for record in records:
            cards.add(self.env, self.shared, record)

    def render_page(self, page: Page) -> str:
        """One page's Markdown, its JSON-LD in the front matter, links resolved for its depth."""
        template = self.env.get_template(page.template)
        text = template.render(page=page, **self.shared, **page.view)
        data = self.shared["jsonld"].page(page)
        # The JSON-LD rides in front matter; the theme override prints it in <head>.
        image = self.shared["maps"].og_image
        meta = f"\njsonld: {front_matter(data)}\n" + (f"image: {image}\n" if image else "")
        text = text.replace("\n---\n", meta + "---\n", 1)
        return resolve_links(first_use_only(text), page.url)

    def files(self) -> dict[str, bytes]:
        """Docs-relative path → bytes of every page and of the site's own assets."""
        outputs = {p.path: self.render_page(p).encode("utf-8") for p in self.page_list}
        for asset in sorted(ASSETS.rglob("*")):
            if asset.is_file():
                outputs[f"assets/{asset.relative_to(ASSETS).as_posix()}"] = asset.read_bytes()
        return outputs


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
