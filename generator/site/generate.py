"""The site stage: validated facts → the Markdown pages and the site's assets.

It renders and returns bytes; it writes nothing. The build stage
(:mod:`generator.build.generate`) draws the maps first and hands them in,
with the boundaries' attribution, then adds the published files and writes
the docs folder that any engine reading ``mkdocs.yml`` builds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from generator.content import markup, urls
from generator.content.beside import Beside, InLine, in_halves
from generator.content.factbase import FactBase
from generator.content.model import Claim, Event, Status
from generator.content.rules import future
from generator.content.rules.examples import examples
from generator.site import listings, slots
from generator.site.dating import Dateline, human_day
from generator.site.jsonld import JsonLd, front_matter
from generator.site.keptcards import (
    KeptCards,
    KeptPages,
    card_digest,
    card_terms,
    pages_digest,
    terms_digest,
    world_digest,
)
from generator.site.pages import Page, pages
from generator.site.templating import (
    environment,
    front_matter_value,
    glossary_terms,
    href,
    resolve_links,
)
from generator.site.textformat import Reference, TextRenderer

ASSETS = Path(__file__).parents[1] / "assets"


def cited_sources(fb: FactBase, record: Any) -> list[tuple[Any, list[Any]]]:
    """A record's citations grouped by source, in the order first cited."""
    groups: dict[str, list[Any]] = {}
    for cite in record.sources:
        groups.setdefault(cite.source, []).append(cite)
    return [(fb.sources[source_id], cites) for source_id, cites in groups.items()]


class References(Mapping[str, Reference]):
    """Every entry prose may name with ``{KIND:ID}``: its reader-facing name and link,
    made when a text first names it. An edit's build renders a handful of
    texts, not the 10,000 names and links of every entry (27 ms at 10,000
    claims); a cold build makes those its texts name."""

    def __init__(self, fb: FactBase, with_pages: set[str]) -> None:
        self._tables = markup.tables(fb)
        self._with_pages = with_pages
        self._made: dict[str, Reference] = {}

    def __getitem__(self, key: str) -> Reference:
        made = self._made.get(key)
        if made is None:
            kind, _, ident = key.partition(":")
            record = self._tables[kind][ident] if kind in self._tables else None
            if record is None:
                raise KeyError(key)
            link = (
                urls.region(record, self._with_pages)
                if kind == "region"
                else urls.CANONICAL[kind](ident)
            )
            made = self._made[key] = Reference(markup.reader_name(kind, record), href(link))
        return made

    def __iter__(self) -> Iterator[str]:
        return (f"{kind}:{ident}" for kind, table in self._tables.items() for ident in table)

    def __len__(self) -> int:
        return sum(len(table) for table in self._tables.values())


def text_renderer(fb: FactBase, with_pages: set[str]) -> TextRenderer:
    """The renderer for one generation's texts, with its glossary and references.

    One per generation, handed to every page and feed that shows a text, so
    each text is rendered once; it is freed with the generation.
    """
    return TextRenderer(glossary_terms(fb.glossary), References(fb, with_pages))


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


class CardHtml(MutableMapping[str, str]):
    """Every card's and block's HTML by its key, in the order they were made: the
    HTML rendered in this generation, and that of the cards served kept, read
    from the store when first asked for (:meth:`KeptCards.html`)."""

    def __init__(self, kept: KeptCards | None) -> None:
        self._kept = kept
        self._html: dict[str, str | None] = {}  # None: served, not read yet

    def serve(self, key: str) -> None:
        """``key``'s card is the one kept: its HTML is the store's."""
        assert self._kept is not None
        self._html[key] = None

    def __getitem__(self, key: str) -> str:
        html = self._html[key]
        if html is None:
            assert self._kept is not None
            html = self._html[key] = self._kept.html(key)
        return html

    def __setitem__(self, key: str, html: str) -> None:
        self._html[key] = html

    def __delitem__(self, key: str) -> None:
        del self._html[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._html)

    def __len__(self) -> int:
        return len(self._html)

    def __contains__(self, key: object) -> bool:
        return key in self._html


class Cards:
    """Each claim and event rendered once per build; pages hold a slot for it.

    A claim appears on its group's page, its regions' pages, the summit or
    proposals page; rendering it once keeps the build linear in the facts,
    and the engine sees only the slot (:mod:`generator.site.slots`).
    """

    def __init__(
        self, links: Callable[[str], str], macros: Any, kept: KeptCards | None = None
    ) -> None:
        self._links = links
        # _macros.j2 as a module, given to every card: an {% import %} in the card
        # templates is made again for each card (20 µs; 0.2 s at 10,000 claims).
        self._macros = macros
        self.kept = kept  # the cards of the generation before, served where unchanged
        self.html = CardHtml(kept)
        #: Of the cards of self.html, their HTML's digests, kept with them (html_digest).
        self.html_digests: dict[str, bytes] = {}
        #: Each card's glossary terms (card_terms), in the cards' order.
        self.terms: dict[str, tuple[str, ...]] = {}
        self.blocks_made: list[str] = []  # the keys of the blocks, as block() made them

    @staticmethod
    def key(record: Claim | Event) -> str:
        return slots.key("event" if isinstance(record, Event) else "claim", record.id)

    def add_all(
        self,
        env: Environment,
        shared: dict[str, Any],
        records: list[Claim | Event],
        world: bytes,
        own: Mapping[str, bytes],
        beside: Beside = InLine,
    ) -> None:
        """Every record's card, in order: served kept where what it is made from is
        unchanged, rendered otherwise. ``world`` is what every card is made from
        besides its record (:func:`~generator.site.keptcards.world_digest`),
        ``own`` each record's own (:meth:`~generator.site.keptcards.KeptCards.record_digests`).

        Of many cards to render (a cold build), every other one is rendered
        ``beside``, on the other core: at 10,000 claims 1.4 s of cards.
        """
        kept = self.kept
        digests = {}
        served: dict[str, tuple[bytes, tuple[str, ...]]] = {}
        pending: list[Claim | Event] = []
        keys = [self.key(record) for record in records]
        for key, record in zip(keys, records, strict=True):
            if kept is not None:
                digests[key] = digest = card_digest(world, own[key])
                found = kept.served(key, digest)
                if found is not None:
                    served[key] = found
                    continue
            pending.append(record)
        # The first here, before any fork: its templates are then compiled for both.
        rendered = self._render(pending[:1], env, shared)
        rendered.update(
            in_halves(beside, self._render, pending[1:], env, shared, at_least=_RENDER_BESIDE_FROM)
        )
        for key in keys:
            if key in served:
                self.html.serve(key)
                self.html_digests[key], self.terms[key] = served[key]
                continue
            html = self.html[key] = rendered[key]
            if kept is not None:
                self.html_digests[key], self.terms[key] = kept.made(key, digests[key], html)
            else:
                self.terms[key] = card_terms(html)

    def _render(
        self, records: list[Claim | Event], env: Environment, shared: dict[str, Any]
    ) -> dict[str, str]:
        """The cards of ``records``, by key."""
        out = {}
        for record in records:
            event = isinstance(record, Event)
            template, name = ("_events.j2", "e") if event else ("_claims.j2", "c")
            html = env.get_template(template).render(**shared, m=self._macros, **{name: record})
            out[self.key(record)] = self._links(html.strip())
        return out

    def __call__(self, record: Claim | Event) -> Markup:
        return slots.slot(self.key(record))

    def block(self, html: str) -> Markup:
        """A template's own run of HTML, stored beside the cards: its slot
        (the ``block`` filter; see :mod:`generator.site.slots`)."""
        text = self._links(str(html).strip())
        block_key = slots.block_key(text)
        self.html[block_key] = text
        self.blocks_made.append(block_key)
        return Markup(f"\n{slots.slot(block_key)}\n")


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
        kept: KeptCards | None = None,
        beside: Beside = InLine,
        digests: Mapping[str, tuple[bytes, bytes]] | None = None,
        code: bytes = b"",
    ) -> None:
        """``kept``: the cards and pages of the generation before; with it, ``digests``
        (each record's, :meth:`KeptCards.record_digests`) and ``code``
        (:func:`~generator.site.keptcards.code_version`), as the caller made them."""
        self.fb = fb
        self._beside = beside  # where half of many cards and pages are rendered
        self._as_of = as_of
        self._specs = list(getattr(maps, "specs", {}).values())
        touched = fb.touched_regions()  # the regions that have a page of their own
        self.kept = kept
        records: list[Claim | Event] = [*fb.claims.values(), *fb.events.values()]
        digests = digests or {}
        fields = {key: pages for key, (pages, _card) in digests.items()}
        self._made_from = (
            pages_digest(fb, as_of, site_url, touched, maps.digest(), fields, code)
            if kept is not None
            else b""
        )
        reusable = kept.pages(self._made_from) if kept is not None else None
        self.page_list: list[Page] | None = None
        self.homes: dict[str, urls.Link] = {}
        self._listed: set[str] = set()  # the claims who-claims-what lists itself
        if reusable is None:
            self._list_pages()
        else:  # the pages' own inputs are unchanged: so is every card's page
            self.homes = {cid: urls.Link(*link) for cid, link in reusable.homes.items()}
        self.text = text = text_renderer(fb, touched)
        self.env = environment(text.markdown, text.inline, bytecode_dir=bytecode_dir)
        # Templates import the macros "with context": they see these globals.
        self.env.globals.update(
            fb=fb,
            href=href,
            touched_regions=touched,
            cited_sources=partial(cited_sources, fb),
            item_data=partial(listings.item_data, fb),
            claim_home=self.homes,
            plain=partial(markup.plain, fb=fb),
            # Made when the methodology page is rendered: kept, it needs none (18 ms).
            status_examples=partial(examples, fb),
            past_unrecorded=lambda e: future.past_unrecorded(
                e, [fb.sources[c.source] for c in e.sources], as_of
            ),
        )
        self.env.globals["fragments"] = Fragments.render(self.env, fb)
        self.shared: dict[str, Any] = {
            "maps": maps,
            "as_of": as_of,
            "as_of_human": human_day(as_of),
            "site_url": site_url,
            "map_attribution": map_attribution,
            "jsonld": JsonLd(fb, as_of, site_url),
        }
        macros = self.env.get_template("_macros.j2").module
        cards = self.shared["card"] = self.cards = Cards(self.to_card_pages, macros, kept)
        self.env.filters["block"] = cards.block
        world = (
            world_digest(fb, as_of, site_url, self.homes, touched, code)
            if kept is not None
            else b""
        )
        own = {key: card for key, (_pages, card) in digests.items()}
        cards.add_all(self.env, self.shared, records, world, own, beside)
        if kept is not None:
            kept.turn()
        self._terms = terms_digest(cards.terms) if kept is not None else b""
        self._reused = reusable if reusable is not None and reusable.terms == self._terms else None

    def _list_pages(self) -> None:
        """Every page's view: what each page shows, and where each card lives."""
        self.page_list = pages(self.fb, self._as_of, self._specs)
        listing = next(p for p in self.page_list if p.url == urls.WHO_CLAIMS_WHAT)
        self.homes = listing.view["homes"]
        self._listed = {c.id for c in listing.claims}

    def render_page(self, page: Page) -> str:
        """One page's Markdown, its JSON-LD in the front matter, links resolved for its depth."""
        if page.dateline is None:  # a page without facts of its own (the editors' guide)
            page = dataclasses.replace(page, dateline=Dateline(None, self.shared["as_of"]))
        template = self.env.get_template(page.template)
        text = template.render(page=page, **self.shared, **page.context, **page.view)
        data = self.shared["jsonld"].page(page)
        # The JSON-LD rides in front matter; the theme override prints it in <head>.
        image, alt = share_image(self.shared["maps"], page)
        meta = f"\njsonld: {front_matter(data)}\n"
        if image:
            meta += f"image: {image}\nimage_alt: {front_matter_value(alt)}\n"
        if page.hide:
            meta += f"hide: [{', '.join(page.hide)}]\n"
        text = text.replace("\n---\n", meta + "---\n", 1)
        text = self.to_card_pages(slots.first_use_only(text, self.cards.html))
        return resolve_links(text, page.url)

    def to_card_pages(self, text: str) -> str:
        """Links to ``who-claims-what/#claim-ID`` (``url.claim``, the one scheme every
        template links by) sent to the card's own page, where the card is in full."""
        homes = self.homes

        def home(m: re.Match[str]) -> str:
            link = homes.get(m.group(1))
            return href(link) if link else m.group(0)

        return CLAIM_LINK_RE.sub(home, text)

    def card_store(self) -> Mapping[str, str]:
        """Every card's HTML by its slot's key, for the post-build step to fill in
        (:func:`~generator.site.cardstore.write_store`)."""
        return self.cards.html

    def card_digests(self) -> Mapping[str, bytes]:
        """Of the cards of :meth:`card_store`, the digests of their HTML kept with them
        (:func:`~generator.site.keptcards.html_digest`)."""
        return self.cards.html_digests

    def files(self) -> dict[str, bytes]:
        """Docs-relative path → bytes of every page and of the site's own assets.

        The pages kept from the generation before are served whole where what
        they are made from is unchanged (:mod:`generator.site.keptcards`): an
        edit to a claim's text changes its card, and no page's Markdown.
        """
        if self._reused is not None:
            outputs = dict(self._reused.files)
            self.cards.html.update(self._reused.blocks)
        else:
            outputs = self._render_pages()
        for asset in sorted(ASSETS.rglob("*")):
            if asset.is_file():
                outputs[f"assets/{asset.relative_to(ASSETS).as_posix()}"] = asset.read_bytes()
        return outputs

    def _render_pages(self) -> dict[str, bytes]:
        if self.page_list is None:  # the cards' terms changed: the pages are rendered again
            self._list_pages()
        assert self.page_list is not None
        before = set(self.cards.html)
        outputs = self._render_each(self.page_list)
        outputs[REDIRECTS] = self.redirects()
        if self.kept is not None:
            blocks = {key: self.cards.html[key] for key in self.cards.html.keys() - before}
            homes = {cid: (link.page, link.anchor) for cid, link in self.homes.items()}
            self.kept.keep_pages(
                KeptPages(self._made_from, self._terms, homes, dict(outputs), blocks)
            )
        return outputs

    def _render_each(self, page_list: list[Page]) -> dict[str, bytes]:
        """Each page's Markdown by its path, in order; of many, every other one is
        rendered beside (1.8 s of pages at 10,000 claims), with the blocks it made."""
        done = in_halves(self._beside, self._pages, page_list, at_least=_RENDER_BESIDE_FROM)
        for _, blocks in done.values():  # those made beside; here, they are in already
            self.cards.html.update(blocks)
        return {p.path: done[p.path][0] for p in page_list}

    def _pages(self, page_list: list[Page]) -> dict[str, tuple[bytes, dict[str, str]]]:
        """Each page's Markdown by its path, with the blocks rendering it added to the cards."""
        done = {}
        made = self.cards.blocks_made
        for page in page_list:
            start = len(made)
            text = self.render_page(page).encode("utf-8")
            done[page.path] = (text, {key: self.cards.html[key] for key in made[start:]})
        return done

    def redirects(self) -> bytes:
        """Claim id → its card's page, for the claims who-claims-what no longer lists.

        Links made before the listings were split point at
        ``who-claims-what/#claim-ID``; the page's script looks the id up here when
        no element has it, and goes to the card's page.
        """
        moved = {cid: link.page for cid, link in self.homes.items() if cid not in self._listed}
        return json.dumps(moved, sort_keys=True, separators=(",", ":")).encode("utf-8")


#: From how many cards or pages to render half of them beside: below it, the
#: fork costs more than the second core saves (an edit renders one card).
_RENDER_BESIDE_FROM = 200

#: A rendered link to a claim by its canonical anchor (see SiteRenderer.to_card_pages).
CLAIM_LINK_RE = re.compile(re.escape(href(urls.claim("ID"))).replace("ID", "([a-z0-9-]+)"))

#: The old-anchor redirect map, beside the script that reads it.
REDIRECTS = "assets/claim-pages.json"


def share_image(maps: Any, page: Page) -> tuple[str, str]:
    """The page's Open Graph image and its alt text: a region page its locator map,
    the proposals page its maps side by side, every other page the main map."""
    if page.template == "region.md.j2":
        name = page.view["region"].name
        return maps.locator_image(page.view["region"].code), f"{name} on a map of Ukraine"
    if page.url == urls.PROPOSALS:
        return maps.multiples_image, "The proposals' maps of Ukraine side by side, one key"
    return maps.og_image, "Map of Ukraine's regions coloured by what Russia claims"
