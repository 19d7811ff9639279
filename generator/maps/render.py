"""The maps of one build: drawn, or fetched from the cache, and placed in pages.

Each map's SVG and PNG are cached under ``build/cache/maps`` keyed by a hash
of everything they show: the geometry, the spec, the claims they cite (ids,
regions, summary, date, status), region names, the stylesheet and
:data:`CODE_VERSION`. An edit that touches none of these redraws nothing.
Links differ per page (they are relative), so the cached SVG holds
placeholders that :class:`MapSet` fills per page; captions, legends and the
data table are cheap and rendered per call (:mod:`generator.maps.figure`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.content import urls
from generator.content.factbase import UA_CODES, FactBase
from generator.content.files import write_atomic
from generator.content.problems import Problems
from generator.content.project import Project
from generator.maps.figure import Figures, Href, Row, link
from generator.maps.geometry import Geometry, attribution, geometry_hash, load_geometry
from generator.maps.palette import CSS_PATH, css_palette, light_css
from generator.maps.png import draw_locator_png, draw_multiples_png, draw_png
from generator.maps.spec import MapKind, MapSpec, load_specs
from generator.maps.svg import draw_locator, draw_svg, fill
from generator.maps.wording import Context

#: The name of the small multiples' shared image (beside each map's own).
MULTIPLES_IMAGE = "positions-compared"
#: Bump when the drawing code changes what it outputs; invalidates cached maps.
CODE_VERSION = "4"


@dataclass
class MapStat:
    id: str
    draw_seconds: float
    cached: bool
    svg: bytes  # the figure's SVG as a page holds it (a sample region link filled in)
    png_bytes: int

    @property
    def svg_bytes(self) -> int:
        return len(self.svg)

    @property
    def svg_gzip_bytes(self) -> int:
        """Measured when asked for: every build compressing every map was for nobody."""
        return len(gzip.compress(self.svg, compresslevel=6, mtime=0))


def map_key(spec: MapSpec, fb: FactBase, geo_hash: str, css_hash: str) -> str:
    """Hash of everything a map shows; the cache entry's name."""
    claims = {}
    for claim_id in spec.cited_claims():
        c = fb.claims[claim_id]
        claims[claim_id] = [list(c.regions), c.summary, str(c.date), c.circa, c.status.value]
    material = {
        "code": CODE_VERSION,
        "geometry": geo_hash,
        "css": css_hash,
        "spec": spec.model_dump(mode="json"),
        "regions": {code: fb.regions[code].name for code in UA_CODES},
        "claims": claims,
    }
    blob = json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:24]


@dataclass
class Preview:
    """A map's preview image still to draw: everything drawing it needs."""

    spec: MapSpec
    path: Path
    geo: Geometry
    ctx: Context
    palette: dict[str, str]

    def draw(self) -> bytes:
        png = draw_png(self.spec, self.geo, self.ctx, self.palette)
        write_atomic(self.path, png)
        return png


class MapSet:
    """The maps of one build, ready to place in pages (see :func:`render_maps`)."""

    def __init__(
        self, fb: FactBase, project: Project, specs: list[MapSpec], svgs: dict[str, str],
        pngs: dict[str, bytes], stats: list[MapStat], geo_hash: str,
        pending: dict[str, Preview] | None = None, site_url: str = "",
    ) -> None:  # fmt: skip
        self.fb = fb
        self.project = project
        #: The build's parsed map specs, by id, main map first: reuse them, don't parse again.
        self.specs = {s.id: s for s in specs}
        self._svgs = svgs
        self._pngs = pngs
        self._pending = pending or {}
        self.stats = stats
        self._geo_hash = geo_hash
        self._geometry: Geometry | None = None
        #: The boundaries' credit, as every map and the methodology page show it.
        self.attribution = attribution(project)
        self._figures = Figures(fb, self.attribution, site_url, project.cache / "maps-templates")
        self._made: dict[tuple[Any, ...], Markup] = {}
        self._palette = css_palette()
        main = next((s for s in specs if s.kind is MapKind.main), None)
        self.main_id = main.id if main else ""
        self.og_image = urls.map_image(main.id).page if main else ""
        #: The proposals page's share image: the small multiples side by side.
        self.multiples_image = urls.map_image(MULTIPLES_IMAGE).page
        self._css_hash = hashlib.sha256(CSS_PATH.read_bytes()).hexdigest()

    def digest(self) -> str:
        """What the maps a page shows are made from, besides the facts and the
        generator's code: the specs, the boundaries, the map styles and the credit."""
        specs = {i: s.model_dump(mode="json") for i, s in self.specs.items()}
        material = [CODE_VERSION, self._geo_hash, self._css_hash, self.attribution, specs]
        blob = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def locator_image(self, code: str) -> str:
        """A region page's share image: its locator map (drawn for regions with a page)."""
        return urls.locator_image(code).page

    # -- files -------------------------------------------------------------
    @property
    def previews_pending(self) -> bool:
        return bool(self._pending)

    def draw_previews(self) -> dict[str, bytes]:
        """Draw the preview images left by ``render_maps(defer_previews=True)``.

        Returns plain bytes, so it can run in a helper process; the build
        hands them back with :meth:`add_previews`.
        """
        return {map_id: preview.draw() for map_id, preview in self._pending.items()}

    def add_previews(self, pngs: dict[str, bytes]) -> None:
        self._pngs.update(pngs)
        self._pending = {k: v for k, v in self._pending.items() if k not in pngs}
        for stat in self.stats:
            stat.png_bytes = len(self._pngs.get(stat.id, b""))

    def png_files(self) -> dict[str, bytes]:
        if self._pending:
            raise RuntimeError(f"preview images not drawn yet: {', '.join(self._pending)}")
        files = {urls.map_image(map_id).page: data for map_id, data in sorted(self._pngs.items())}
        files.update(self._share_pngs())
        return files

    def _share_pngs(self) -> dict[str, bytes]:
        """The locator images of the regions with a page, and the multiples' image,
        drawn once and cached like the maps (keyed by what they show)."""
        ctx = self._figures.ctx
        multiples = [s for s in self.specs.values() if s.kind is MapKind.multiple]
        wanted: dict[str, tuple[list[Any], Callable[[Geometry, Context, dict[str, str]], bytes]]]
        wanted = {}
        for code in sorted(self._figures.touched):
            wanted[self.locator_image(code)] = (
                ["locator", code, ctx.name(code)],
                partial(draw_locator_png, code),
            )
        if multiples:
            material = [map_key(s, self.fb, self._geo_hash, self._css_hash) for s in multiples]
            wanted[self.multiples_image] = (
                ["multiples", material],
                partial(draw_multiples_png, multiples),
            )
        cache = self.project.cache / "maps"
        out = {}
        for path, (what, draw) in wanted.items():
            blob = json.dumps([CODE_VERSION, self._geo_hash, self._css_hash, what])
            key = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]
            name = f"share.{Path(path).stem}"
            cached = cache / f"{name}.{key}.png"
            try:
                out[path] = cached.read_bytes()
            except OSError:
                out[path] = draw(self._geo(), ctx, self._palette)
                write_atomic(cached, out[path])
                for stale in cache.glob(f"{name}.*.png"):
                    if stale != cached:
                        stale.unlink(missing_ok=True)
        return out

    # -- figures -----------------------------------------------------------
    def svg(self, map_id: str, href: Href, prefix: str = "") -> Markup:
        """The bare SVG of a map, links and ids filled in."""
        region = lambda code: link(href, self._figures.region(code))  # noqa: E731
        return fill(self._svgs[map_id], f"{prefix}wcw-map-{map_id}", region)

    def figure(self, map_id: str, href: Href, prefix: str = "") -> Markup:
        """The whole figure: title, SVG, legend, caption, data table, attribution,
        and the links to download, embed and cite the map.

        ``prefix`` keeps ids unique when one map appears twice on a page.
        """
        key = ("figure", map_id, prefix, href)
        return self._memo(key, lambda: self._figure(map_id, href, prefix))

    def _figure(
        self, map_id: str, href: Href, prefix: str, alone: bool = True, files: bool = True
    ) -> Markup:
        if map_id not in self.specs:
            raise KeyError(f"no map '{map_id}' in maps/ (maps: {', '.join(self.specs)})")
        svg = self.svg(map_id, href, prefix)
        return self._figures.figure(self.specs[map_id], svg, href, prefix, alone, files)

    def embed_page(self, map_id: str, href: Href) -> str:
        """The map's standalone page (``embed/<id>/``); its stylesheet is :func:`embed_css`."""
        figure = self._figure(map_id, href, "", alone=True, files=False)
        return self._figures.embed_page(self.specs[map_id], figure, href)

    def standalone_svg(self, map_id: str, href: Href) -> str:
        """The map as an SVG file of its own: namespaced, its light-scheme style inside."""
        svg = str(self.svg(map_id, href))
        opening = '<svg xmlns="http://www.w3.org/2000/svg" class="wcw-map__svg wcw-map--{}"'
        svg = svg.replace('<svg class="wcw-map__svg"', opening.format(self.specs[map_id].kind), 1)
        start = svg.index(">") + 1
        style = f"<style><![CDATA[{light_css()}]]></style>"
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg[:start] + style + svg[start:]

    def rows(self, map_id: str, href: Href) -> list[Row]:
        """The map's data table, one row per region (see :meth:`Figures.rows`)."""
        return self._figures.rows(self.specs[map_id], href)

    def multiples(self, href: Href, prefix: str = "") -> Markup:
        """Every 'multiple' map side by side, with one shared caption note and source."""
        return self._memo(("multiples", "", prefix, href), lambda: self._multiples(href, prefix))

    def _multiples(self, href: Href, prefix: str) -> Markup:
        specs = [s for s in self.specs.values() if s.kind is MapKind.multiple]
        figures = [self._figure(s.id, href, prefix, alone=False) for s in specs]
        return self._figures.multiples(specs, figures, prefix)

    def _memo(self, key: tuple[Any, ...], make: Callable[[], Markup]) -> Markup:
        try:
            return self._made[key]
        except KeyError:
            self._made[key] = made = make()
            return made
        except TypeError:  # an unhashable href
            return make()

    def locator(self, code: str, href: Href, prefix: str = "") -> Markup:
        """A region page's small map, the region highlighted."""
        svg = draw_locator(code, self._geo(), self._figures.ctx, self._palette)
        filled = fill(svg, f"{prefix}wcw-locator-{code}", lambda _code: "")
        return self._figures.locator(code, filled, href)

    def _geo(self) -> Geometry:
        if self._geometry is None:
            self._geometry = load_geometry(self.project, self._geo_hash)
        return self._geometry


def render_maps(
    fb: FactBase, project: Project, specs: list[MapSpec] | None = None,
    defer_previews: bool = False, site_url: str = "",
) -> MapSet:  # fmt: skip
    """Draw (or fetch from the cache) every map; the fact base must be checked.

    ``specs`` are the ones :func:`generator.maps.spec.check_maps` parsed and
    checked; without them they are parsed here. With ``defer_previews``,
    preview images missing from the cache are left to
    :meth:`MapSet.draw_previews`: a cold build draws them on a second core
    while it renders the pages, which need only the SVGs.
    """
    if specs is None:
        problems = Problems()
        specs = load_specs(project, problems)
        problems.raise_if_any()
    geo_hash = geometry_hash(project)
    css_text = CSS_PATH.read_bytes()
    css_hash = hashlib.sha256(css_text).hexdigest()
    palette = css_palette(css=css_text.decode("utf-8"))
    cache = project.cache / "maps"
    ctx = Context(fb)
    geo: Geometry | None = None
    drawn: dict[str, str] = {}
    pngs: dict[str, bytes] = {}
    pending: dict[str, Preview] = {}
    stats: list[MapStat] = []
    for spec in specs:
        started = time.perf_counter()
        key = map_key(spec, fb, geo_hash, css_hash)
        svg_path = cache / f"{spec.id}.{key}.svg"
        png_path = cache / f"{spec.id}.{key}.png"
        try:
            svg = svg_path.read_text(encoding="utf-8")
            pngs[spec.id] = png_path.read_bytes()
            cached = True
        except OSError:
            if geo is None:
                geo = load_geometry(project, geo_hash)
            svg = draw_svg(spec, geo, ctx, palette)
            preview = Preview(spec, png_path, geo, ctx, palette)
            if defer_previews:
                pending[spec.id] = preview
            else:
                pngs[spec.id] = preview.draw()
            write_atomic(svg_path, svg.encode("utf-8"))
            for stale in cache.glob(f"{spec.id}.*"):
                if stale.name.split(".")[1] != key and stale.suffix in (".svg", ".png"):
                    stale.unlink(missing_ok=True)
            cached = False
        drawn[spec.id] = svg
        sample = fill(
            svg, f"wcw-map-{spec.id}", lambda _code: f"../{urls.region_page('Region name')}"
        )
        raw = str(sample).encode("utf-8")
        seconds = time.perf_counter() - started
        stats.append(MapStat(spec.id, seconds, cached, raw, len(pngs.get(spec.id, b""))))
    return MapSet(fb, project, specs, drawn, pngs, stats, geo_hash, pending, site_url)
