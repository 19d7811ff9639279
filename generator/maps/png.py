"""The maps' preview images (Open Graph): 1200×630 PNGs drawn with Pillow.

Drawn from the projected geometry in the light palette, with matplotlib's
DejaVu fonts (found without importing matplotlib), so a cold build needs
neither matplotlib nor a second projection; about 0.08 s a map.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.content.factbase import UA_CODES
from generator.maps.geometry import Geometry
from generator.maps.key import HATCH_LABEL, KEY
from generator.maps.labels import Anchor, labels
from generator.maps.spec import MapSpec
from generator.maps.wording import CAVEAT, Context, legend, patterned

PNG_SIZE = (1200, 630)
#: A highlighted region smaller than this (preview pixels) gets a ring of this radius.
RING_BELOW_PX = 24

#: Pillow's text anchors for a label's anchor (above is placed apart).
_ANCHORS = MappingProxyType({Anchor.before: "rm", Anchor.centred: "mm"})
#: Drawn at this multiple of the final size, then downsampled: anti-aliasing.
PNG_SUPERSAMPLE = 2


def _font_file(name: str) -> str:
    """A DejaVu font from matplotlib's data, found without importing matplotlib."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (for its DejaVu fonts) is not installed")
    return str(Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf" / name)


class Canvas:
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
        scaled = [round(v * self.s) for v in box]
        self.draw.rectangle(scaled, fill=fill, outline=border, width=self.s)

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
        quantised = small.quantize(
            colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        out = io.BytesIO()
        quantised.save(out, format="PNG", compress_level=7)
        return out.getvalue()


def _draw_map(
    canvas: Canvas, spec: MapSpec | None, geo: Geometry, ctx: Context, palette: dict[str, str],
    box: tuple[float, float, float, float], *, highlight: str = "",
    label_px: float | None = 14.6,
) -> None:  # fmt: skip
    """A map in ``box`` (x, y, w, h), centred, north up: ``spec``'s colours, hatches and
    names (none if ``label_px`` is None: too small to read), or (no spec) the
    locator's grey with ``highlight`` in its colour."""
    page, border, ink = palette["page"], palette["border"], palette["label"]
    s = canvas.s
    box_x, box_y, box_w, box_h = box
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

    def fill_of(code: str) -> str:
        if spec is not None:
            return palette[spec.category_of(code).key.value]
        return palette["locator-on" if code == highlight else "locator-off"]

    shapes = {code: rings(code) for code in UA_CODES}
    # Units with holes first: a hole is another unit (Kyiv city in its
    # oblast), drawn over it afterwards; an uncovered hole keeps the page colour.
    for code in sorted(UA_CODES, key=lambda c: not any(len(p) > 1 for p in shapes[c])):
        for poly in shapes[code]:
            canvas.draw.polygon(poly[0], fill=fill_of(code))
            for hole in poly[1:]:
                canvas.draw.polygon(hole, fill=page)
    for _legend, codes in patterned(spec) if spec is not None else []:
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
    if highlight:  # a tiny region (Sevastopol) gets a ring round it, as on the locator
        x0, y0, x1, y1 = geo.units[highlight].bbox
        if max(x1 - x0, y1 - y0) * scale < RING_BELOW_PX:
            (cx, cy), r = px((x0 + x1) / 2, (y0 + y1) / 2), RING_BELOW_PX
            circle = [round(v * s) for v in (cx - r, cy - r, cx + r, cy + r)]
            canvas.draw.ellipse(circle, outline=palette["locator-on"], width=3 * s)
    if spec is None or label_px is None:
        return
    for label in labels(spec, geo, ctx):
        if label.anchor is Anchor.above:
            xy, anchor = px(label.x, label.y - 3), "mb"
        else:
            xy, anchor = px(label.x, label.y), _ANCHORS[label.anchor]
        halo = palette["halo"]
        canvas.text(xy, label.name, label_px, ink, anchor=anchor, style="bold", halo=halo)


def _legend_items(spec: MapSpec, palette: dict[str, str]) -> list[tuple[str, bool, str]]:
    items: list[tuple[str, bool, str]] = []
    for category, count in legend(spec):
        hatched = category.pattern is not None
        items.append((palette[category.key.value], hatched, f"{category.label} ({count})"))
    for overlay in spec.overlays:
        items.append((palette["unchanged"], True, f"{overlay.label} ({len(overlay.regions)})"))
    return items


def _swatches(
    canvas: Canvas, items: list[tuple[str, bool, str]], palette: dict[str, str],
    x0: float, y: float, *, wrap: int = 34, px: float = 18,
) -> None:  # fmt: skip
    s, border, ink = canvas.s, palette["border"], palette["label"]
    for fill, hatched, text in items:
        lines = textwrap.wrap(text, wrap)
        box = (x0, y - 7, x0 + 31 * px / 18, y - 7 + 31.5 * px / 18)
        canvas.rect(box, fill, border)
        if hatched:
            swatch, pen = canvas.mask()
            pen.rectangle([round(v * s) for v in box], fill=255)
            canvas.hatch(swatch, palette["hatch"], spacing=6)
            canvas.draw.rectangle([round(v * s) for v in box], outline=border, width=s)
        canvas.text((x0 + 46 * px / 18, y), "\n".join(lines), px, ink)
        y += 630 * (0.035 + 0.043 * len(lines)) * px / 18


_CREDIT = "Who Claims What · Boundaries: Natural Earth (public domain)"


def draw_png(spec: MapSpec, geo: Geometry, ctx: Context, palette: dict[str, str]) -> bytes:
    """A 1200×630 preview in the light palette; same input, same bytes.

    Drawn with Pillow from the projected geometry, so a cold build needs
    neither matplotlib nor a second projection; 64 colours keep it small.
    """
    ink = palette["label"]
    canvas = Canvas(palette["page"])
    # The map fills the left 62 % below the title, centred, north up.
    _draw_map(canvas, spec, geo, ctx, palette, (12.0, 113.0, 744.0, 504.0))
    canvas.text((18, 22), spec.title, 36, ink, style="bold")
    canvas.text((18, 72), spec.question, 19.4, ink)
    _swatches(canvas, _legend_items(spec, palette), palette, 786.0, 151.0)
    canvas.text((786.0, 504), textwrap.fill(CAVEAT, 46), 16, ink, style="italic", spacing=1.3)
    canvas.text((786.0, 608), _CREDIT, 12.5, ink, anchor="ld")
    return canvas.png()


def draw_locator_png(code: str, geo: Geometry, ctx: Context, palette: dict[str, str]) -> bytes:
    """A region page's share image: Ukraine with the region in the locator's colour."""
    ink = palette["label"]
    canvas = Canvas(palette["page"])
    _draw_map(canvas, None, geo, ctx, palette, (12.0, 40.0, 760.0, 550.0), highlight=code)
    canvas.text((800, 200), textwrap.fill(ctx.name(code), 16), 44, ink, style="bold")
    canvas.text((800, 330), "Who claims it, and what each\nproposal would do with it", 22, ink)
    canvas.text((800, 608), _CREDIT, 12.5, ink, anchor="ld")
    return canvas.png()


def draw_multiples_png(
    specs: list[MapSpec], geo: Geometry, ctx: Context, palette: dict[str, str]
) -> bytes:
    """The proposals page's share image: its small maps side by side, under the shared key."""
    ink = palette["label"]
    canvas = Canvas(palette["page"])
    canvas.text((18, 18), "Who would get what: the positions compared", 32, ink, style="bold")
    width = 1176 / max(1, len(specs))
    for i, spec in enumerate(specs):
        x = 12 + i * width
        canvas.text((x + 6, 82), textwrap.fill(spec.title, 24), 17, ink, style="bold")
        _draw_map(canvas, spec, geo, ctx, palette, (x, 130, width - 10, 250), label_px=None)
    items = [(palette[e.meaning.value], False, e.label) for e in KEY.values()]
    items.append((palette["unchanged"], True, f"Hatched: {HATCH_LABEL}"))
    _swatches(canvas, items[:3], palette, 24.0, 420.0, wrap=60, px=16)
    _swatches(canvas, items[3:], palette, 620.0, 420.0, wrap=60, px=16)
    canvas.text((18, 608), _CREDIT, 12.5, ink, anchor="ld")
    return canvas.png()
