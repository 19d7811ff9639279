"""Where region names sit on a map: the regions it marks, and the capital.

The SVG and the preview image place the same names at the same points; only
how each draws text differs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from generator.maps.geometry import WIDTH, Geometry, Unit
from generator.maps.spec import MapSpec
from generator.maps.wording import Context, non_default

#: Always labelled, for orientation: the capital.
CAPITAL = "UA-30"
#: Tiny, on Crimea's tip: its name sits out at sea, ending left of it.
SEVASTOPOL = "UA-40"
#: Label nudges (viewBox units) where neighbouring names would touch at the
#: largest label size the stylesheet uses (40 units: the multiples on phones).
LABEL_NUDGE = MappingProxyType({"UA-65": (-40, 14), "UA-23": (14, -12), "UA-14": (0, 6)})
#: Largest label font size in maps.css (viewBox units); labels are kept inside.
LABEL_MAX_SIZE = 40


class Anchor(Enum):
    """How a name stands to its point."""

    above = "above"  # centred, just above (the capital, a tiny city)
    before = "before"  # ending at the point (left of the region), vertically centred
    centred = "centred"


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    x: int
    y: int
    anchor: Anchor


def label_point(code: str, unit: Unit, name: str, width: int = WIDTH) -> tuple[int, int]:
    """A centred label's position: nudged off its neighbours, kept inside the map."""
    dx, dy = LABEL_NUDGE.get(code, (0, 0))
    x, y = unit.label[0] + dx, unit.label[1] + dy
    # Bold glyphs average ~0.62 em, and the halo adds a stroke on each side.
    half = math.ceil(len(name) * 0.34 * LABEL_MAX_SIZE) + 6
    return max(half + 2, min(width - half - 2, x)), y


def labels(spec: MapSpec, geo: Geometry, ctx: Context) -> list[Label]:
    """The names a map shows: the regions it marks, then the capital if not among them."""
    codes = list(dict.fromkeys(non_default(spec)))
    if CAPITAL not in codes:
        codes.append(CAPITAL)
    out = []
    for code in codes:
        unit, name = geo.units[code], ctx.name(code)
        minx, miny, _maxx, _maxy = unit.bbox
        if code == CAPITAL:
            out.append(Label(code, name, unit.label[0], miny, Anchor.above))
        elif code == SEVASTOPOL:
            out.append(Label(code, name, minx - 5, unit.label[1], Anchor.before))
        else:
            out.append(Label(code, name, *label_point(code, unit, name), Anchor.centred))
    return out
