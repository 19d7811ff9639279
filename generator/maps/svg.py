"""The maps as inline SVG: one linked, titled path per region, hatches and labels.

An SVG is drawn once per map and cached as text, but its links are relative
to the page it lands on and its ids must be unique on that page; so the text
holds placeholders (``<@ID>``, ``<@H:UA-xx>``) that :func:`fill` replaces per
page. Escaped text never contains '<', so no content can forge one.

Colours are CSS custom properties (``generator/assets/maps.css``) per Material
colour scheme; each path also carries its light colour as a presentation
attribute, which the stylesheet overrides, so the map is still readable if
the stylesheet is missing.

Accessibility: the ``<svg>`` is a named group (not ``role="img"``, which would
hide its links) with a ``<title>`` and a generated plain-language ``<desc>``.
Each unit is a link named by ``aria-label`` and a ``<title>`` tooltip, in
west-to-east order (the Tab key's order); the figure puts a skip link before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import MappingProxyType

from markupsafe import Markup, escape

from generator.content.factbase import UA_CODES
from generator.maps.geometry import Geometry
from generator.maps.labels import Anchor, Label, labels
from generator.maps.spec import MapKind, MapSpec
from generator.maps.wording import Context, describe, patterned, unit_title

HATCH_SPACING = MappingProxyType({MapKind.main: 9, MapKind.multiple: 15})
#: A highlighted region smaller than this (locator units) gets a ring round it.
LOCATOR_RING_BELOW = 20

ID = "<@ID>"
_HREF = re.compile(r"<@H:(UA-\d\d)>")


def _text(value: object) -> Markup:
    """Escaped, on one line: figures are raw HTML blocks in Markdown, where a blank
    line inside would end the block."""
    return escape(" ".join(str(value).split()))


def fill(svg: str, element_id: str, link: Callable[[str], str]) -> Markup:
    """The cached SVG made ready for a page: ids made unique, each region's link filled in."""
    linked = _HREF.sub(lambda m: str(escape(link(m.group(1)))), svg)
    return Markup(linked.replace(ID, element_id))


def _label(label: Label) -> str:
    name = _text(label.name)
    if label.anchor is Anchor.above:  # tiny: the name sits just above the city
        return f'<text x="{label.x}" y="{label.y - 4}">{name}</text>'
    if label.anchor is Anchor.before:
        return (
            f'<text class="wcw-map__label--end" x="{label.x}" y="{label.y}" dy=".35em">'
            f"{name}</text>"
        )
    return f'<text x="{label.x}" y="{label.y}" dy=".35em">{name}</text>'


def draw_svg(spec: MapSpec, geo: Geometry, ctx: Context, palette: dict[str, str]) -> str:
    """The map as SVG, with ``<@ID>`` and ``<@H:UA-xx>`` placeholders for the page."""
    title = _text(f"{spec.title}: map of Ukraine's {len(UA_CODES)} first-level units")
    desc = _text(describe(spec, ctx))
    s = HATCH_SPACING[spec.kind]
    parts = [
        f'<svg class="wcw-map__svg" viewBox="0 0 {geo.width} {geo.height}" role="group" '
        f'aria-labelledby="{ID}-t" aria-describedby="{ID}-d">'
        f'<title id="{ID}-t">{title}</title><desc id="{ID}-d">{desc}</desc>'
    ]
    hatched = patterned(spec)
    if hatched:
        parts.append(
            f'<defs><pattern id="{ID}-h" patternUnits="userSpaceOnUse" width="{s}" height="{s}" '
            f'patternTransform="rotate(45)"><path class="wcw-map__hatch" '
            f'stroke="{palette["hatch"]}" d="M{s / 2:g} 0V{s}"/></pattern></defs>'
        )
    parts.append('<g class="wcw-map__units">')
    for code in geo.west_to_east():
        category = spec.category_of(code)
        token = category.key.value
        name = _text(unit_title(spec, code, ctx))
        parts.append(
            f'<a href="<@H:{code}>" aria-label="{name}"><title>{name}</title>'
            f'<path data-iso="{code}" data-status="{category.id}" data-key="{token}" '
            f'class="wcw-f-{token}" '
            f'fill="{palette[token]}" d="{geo.units[code].d}"/></a>'
        )
    parts.append("</g>")
    for _legend, codes in hatched:
        d = "".join(geo.units[c].d for c in codes)
        parts.append(
            f'<path class="wcw-map__overlay" fill="url(#{ID}-h)" aria-hidden="true" d="{d}"/>'
        )
    parts.append('<g class="wcw-map__labels" aria-hidden="true">')
    parts += [_label(label) for label in labels(spec, geo, ctx)]
    parts.append("</g></svg>")
    return "".join(parts)


def draw_locator(code: str, geo: Geometry, ctx: Context, palette: dict[str, str]) -> str:
    """A small map with one region highlighted, with an ``<@ID>`` placeholder."""
    name = ctx.name(code)
    title = _text(f"{name} highlighted on a map of Ukraine's {len(UA_CODES)} first-level units")
    parts = [
        f'<svg viewBox="0 0 {geo.loc_width} {geo.loc_height}" role="img" '
        f'aria-labelledby="{ID}-t"><title id="{ID}-t">{title}</title>'
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
