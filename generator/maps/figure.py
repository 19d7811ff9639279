"""The HTML around a map: figure, legend, caveat, data table, source, locator.

The markup is in ``generator/maps/templates/`` (Jinja, autoescaped); this
module only gathers what they show. The maps stage owns its own small Jinja
environment, made per build, so it needs nothing from the site stage.
Links come from :mod:`generator.content.urls`, turned into page-relative
links by the ``href`` the page passes in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.content import urls
from generator.content.factbase import UA_CODES, FactBase
from generator.content.model import Status
from generator.maps.key import HATCH_LABEL, KEY
from generator.maps.spec import Category, MapKind, MapSpec
from generator.maps.wording import Context, capitalise, legend, overlay_text, phrase

#: The embed snippet's height (px) that shows a map with its legend without scrolling.
EMBED_HEIGHT = MappingProxyType({MapKind.main: 640, MapKind.multiple: 520})

#: The tap-to-show script the site loads (generator/assets/tips.js); the embed loads it too.
EMBED_SCRIPT = "assets/tips.js"
#: The site's icon (mkdocs.yml's theme.favicon), so the embed asks for no missing file.
EMBED_ICON = "assets/favicon.svg"

#: Turns a site-root-relative page and anchor into a link from the page being rendered.
Href = Callable[..., str]


def oneline(value: object) -> str:
    """Text on one line: a figure is a raw HTML block in Markdown, which a blank line ends."""
    return " ".join(str(value).split())


def environment(bytecode_dir: Path | None = None) -> Environment:
    """The maps' templates, autoescaped; a fresh environment per build, shared by nobody.
    Compiled templates are kept in ``bytecode_dir`` between builds: compiling the
    three was 12 ms of every build."""
    kept = FileSystemBytecodeCache(str(_folder(bytecode_dir))) if bytecode_dir else None
    env = Environment(
        loader=PackageLoader("generator.maps", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        bytecode_cache=kept,
    )
    env.filters["oneline"] = oneline
    return env


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def link(href: Href, target: urls.Link) -> str:
    return href(target.page, target.anchor)


@dataclass(frozen=True)
class MapFiles:
    """A map's own files and how to reuse it: what the figure's last line offers."""

    png: str
    svg: str
    csv: str
    embed: str
    iframe: str  # the HTML snippet that embeds the map elsewhere
    citation: str


@dataclass(frozen=True)
class CitedClaim:
    id: str
    href: str
    summary: str
    status: str | None  # shown beside claims not (yet) confirmed


@dataclass(frozen=True)
class Row:
    """One region's line in a map's data table."""

    code: str
    href: str
    name: str
    status: list[str]  # its category's phrase, then each overlay over it
    date: str | None  # of the first claim cited for its category, ISO
    when: str
    claims: list[CitedClaim]


class Figures:
    """Renders the HTML around the maps of one build."""

    def __init__(
        self, fb: FactBase, attribution: str, site_url: str = "", bytecode_dir: Path | None = None
    ) -> None:
        self.fb = fb
        self.ctx = Context(fb)
        self.attribution = attribution
        self.site_url = site_url
        self.env = environment(bytecode_dir)
        self.touched = fb.touched_regions()

    def region(self, code: str) -> urls.Link:
        """A region's page if claims or events name it (only those have one), else its row."""
        if code in self.touched:
            return urls.region_page(self.fb.regions[code].name)
        return urls.region_row(code)

    def facts_as_of(self, spec: MapSpec) -> str:
        """The date of the newest claim the map cites: when what it shows last changed."""
        newest = max(
            (self.fb.claims[claim_id].date for claim_id in spec.cited_claims()),
            key=lambda date: date.sort_key,
        )
        return newest.human()

    def home(self, spec: MapSpec) -> urls.Link:
        """Where the site shows the map: the main map on the home page, the others on
        the proposals page."""
        page = urls.HOME if spec.kind is MapKind.main else urls.PROPOSALS
        return urls.map_figure(spec.id, page)

    def files(self, spec: MapSpec, href: Href) -> MapFiles:
        embed = urls.absolute(self.site_url, urls.map_embed(spec.id))
        iframe = (
            f'<iframe src="{embed}" title="{spec.title} (map, Who Claims What)" width="100%" '
            f'height="{EMBED_HEIGHT[spec.kind]}" style="border:0" loading="lazy"></iframe>'
        )
        where = urls.absolute(self.site_url, self.home(spec))
        citation = (
            f"Who Claims What, “{spec.title}” (map; facts as of {self.facts_as_of(spec)}), {where}"
        )
        return MapFiles(
            png=link(href, urls.map_image(spec.id)),
            svg=link(href, urls.map_file(spec.id, "svg")),
            csv=link(href, urls.map_file(spec.id, "csv")),
            embed=link(href, urls.map_embed(spec.id)),
            iframe=iframe,
            citation=citation,
        )

    def figure(
        self, spec: MapSpec, svg: Markup, href: Href, prefix: str, alone: bool,
        files: bool = True,
    ) -> Markup:  # fmt: skip
        return Markup(
            self.env.get_template("figure.html.j2").render(
                spec=spec,
                svg=svg,
                prefix=prefix,
                alone=alone,
                files=self.files(spec, href) if files else None,
                entries=grouped_legend(spec),
                notes=notes([spec]),
                rows=self.rows(spec, href),
                total=len(UA_CODES),
                attribution=self.attribution,
            )
        )

    def embed_page(self, spec: MapSpec, figure: Markup, href: Href) -> str:
        """The map alone on a page of its own, for an iframe elsewhere: no theme, no
        request beyond the site's own script; links open in the reader's window."""
        return self.env.get_template("embed.html.j2").render(
            spec=spec,
            figure=figure,
            stylesheet=link(href, urls.MAP_EMBED_CSS),
            canonical=urls.absolute(self.site_url, urls.Link(self.home(spec).page)),
            home=link(href, urls.Link(urls.HOME)),
            page=link(href, self.home(spec)),
            script=link(href, urls.Link(EMBED_SCRIPT)),
            icon=link(href, urls.Link(EMBED_ICON)),
            facts_as_of=self.facts_as_of(spec),
        )

    def multiples(self, specs: list[MapSpec], figures: list[Markup], prefix: str) -> Markup:
        """The small maps side by side, under the one key they share (the meanings
        they use, in the key's order)."""
        used = {c.key for spec in specs for c, _count in legend(spec)}
        template = self.env.get_template("multiples.html.j2")
        return Markup(
            template.render(
                figures=figures,
                notes=notes(specs),
                attribution=self.attribution,
                prefix=prefix,
                key=[entry for meaning, entry in KEY.items() if meaning in used],
                hatch=HATCH_LABEL,
            )
        )

    def locator(self, code: str, svg: Markup, href: Href) -> Markup:
        return Markup(
            self.env.get_template("locator.html.j2").render(
                svg=svg, name=self.ctx.name(code), regions_href=link(href, urls.Link(urls.REGIONS))
            )
        )

    def rows(self, spec: MapSpec, href: Href) -> list[Row]:
        """Every region: those the map assigns first, in the spec's order, then by name."""
        ctx = self.ctx
        order = list(dict.fromkeys(c for a in spec.assignments for c in a.regions))
        order += sorted((c for c in UA_CODES if c not in order), key=ctx.name)
        rows = []
        for code in order:
            assignment = spec.assignment_of(code)
            overlays = spec.overlays_of(code)
            status = [capitalise(phrase(spec.category_of(code), assignment, ctx))]
            status += [overlay_text(overlay, ctx) for overlay in overlays]
            claim_ids = list(assignment.claims) if assignment else []
            for overlay in overlays:
                claim_ids += [c for c in overlay.claims if c not in claim_ids]
            first = self.fb.claims[assignment.claims[0]] if assignment else None
            rows.append(
                Row(
                    code=code,
                    href=link(href, self.region(code)),
                    name=ctx.name(code),
                    status=status,
                    date=str(first.date) if first else None,
                    when=ctx.when(first.id) if first else "",
                    claims=[self._cited(claim_id, href) for claim_id in claim_ids],
                )
            )
        return rows

    def _cited(self, claim_id: str, href: Href) -> CitedClaim:
        claim = self.fb.claims[claim_id]
        status = None if claim.status is Status.confirmed else claim.status.label
        return CitedClaim(claim_id, link(href, urls.claim(claim_id)), claim.summary, status)


def grouped_legend(spec: MapSpec) -> list[list[tuple[Category, int]]]:
    """The legend's lines: the categories that share a meaning of the key (so a
    colour) on one line, one swatch for them, in the spec's order."""
    lines: dict[str, list[tuple[Category, int]]] = {}
    for category, count in legend(spec):
        lines.setdefault(f"{category.key}/{bool(category.pattern)}", []).append((category, count))
    return list(lines.values())


def notes(specs: list[MapSpec]) -> list[str]:
    """The overlays' caption notes, each once, in first-seen order."""
    return list(dict.fromkeys(o.note for s in specs for o in s.overlays if o.note))
