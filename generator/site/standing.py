"""A region page's status box: where the region stands, map by map.

A reader opening the Kherson page wants first who claims it: Russia's claim,
what each proposal does with it, Ukraine's position, and whether Russia
holds it. Each map spec (``maps/*.yml``) already says this region by region,
every assignment backed by claims; the box reads the same specs, so it
agrees with the maps on the page and elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.content import urls

#: What a row says where no source records the region's control.
CONTROL_NOT_RECORDED = "Not recorded in our sources"


@dataclass(frozen=True)
class StandingRow:
    """One line of the box: what (a map's title), how the region fares, and the claim behind it."""

    label: str
    value: str
    link: urls.Link | None


def _main_first(specs: Sequence[Any]) -> list[Any]:
    """The main map, then the small multiples in their own order."""
    mains = [s for s in specs if s.kind.value == "main"]
    multiples = sorted((s for s in specs if s.kind.value != "main"), key=lambda s: (s.order, s.id))
    return [*mains, *multiples]


def region_standing(code: str, specs: Sequence[Any]) -> list[StandingRow]:
    """Every map's verdict on a region, main map first; then control, from its overlays."""
    rows = []
    for spec in _main_first(specs):
        found = spec.assignment_of(code)
        link = urls.claim(found.claims[0]) if found and found.claims else None
        rows.append(StandingRow(spec.title, spec.category_of(code).label, link))
    main = next((s for s in specs if s.kind.value == "main"), None)
    overlays = main.overlays_of(code) if main else []
    if main is not None:
        if overlays:
            for o in overlays:
                link = urls.claim(o.claims[0]) if o.claims else None
                rows.append(StandingRow("Control", o.label, link))
        else:
            rows.append(StandingRow("Control", CONTROL_NOT_RECORDED, None))
    return rows
