"""The boundaries as the maps draw them: projected once, kept beside the GeoJSON.

``maps/ukraine-admin1.geojson`` (EPSG:4326) is projected with geopandas to
EPSG:5568 (UCS-2000 / Gauss-Kruger CM 33E, Ukraine's own national grid,
central meridian through the middle of the country), scaled to a viewBox 1000
units wide and rounded to whole units (1 unit ≈ 1.3 km, finer than the
boundaries' 1 km simplification). Rounding absolute positions before writing
relative path steps means neighbours share their border exactly.

The projection is kept beside the GeoJSON (``ukraine-admin1.projected.json``,
written by ``python -m generator project-boundaries``, checked by the tests)
and used while its recorded hash of the GeoJSON and the projection parameters
holds; otherwise the build projects again with geopandas and caches the
result. So a build, even from a clean checkout, imports geopandas (≈0.9 s)
only when the boundaries change.

The boundaries' credit line lives with them too, in ``maps/LICENSE-boundaries.md``:
:func:`attribution` is the one place every stage reads it from.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.factbase import UA_CODES
from generator.content.files import write_atomic
from generator.content.problems import Position, Problems
from generator.content.project import Project

#: Bump when the projection or rounding changes; invalidates cached geometry.
GEOMETRY_VERSION = "2"

GEOJSON_NAME = "ukraine-admin1.geojson"
PROJECTED_NAME = "ukraine-admin1.projected.json"
LICENCE_NAME = "LICENSE-boundaries.md"
#: The line of the licence note that credits the boundaries wherever a map is shown.
ATTRIBUTION_PREFIX = "Boundaries:"
CRS = "EPSG:5568"  # UCS-2000 / Gauss-Kruger CM 33E
WIDTH, PAD = 1000, 10
LOCATOR_WIDTH, LOCATOR_PAD = 300, 9
#: Locators are small: a coarser, still gap-free, simplification (metres).
LOCATOR_SIMPLIFY_M = 5000

_NUMBER = re.compile(r"-?\d+")


def _attribution(project: Project) -> str | None:
    try:
        lines = (project.maps / LICENCE_NAME).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        if line.startswith(ATTRIBUTION_PREFIX):
            return line.removeprefix(ATTRIBUTION_PREFIX).strip() or None
    return None


def attribution(project: Project) -> str:
    """The boundaries' credit, from the 'Boundaries:' line of maps/LICENSE-boundaries.md.

    The licence note is the source of truth for where the boundaries come
    from; figures, the methodology page and the open data all quote it, so a
    new boundary source is credited everywhere by editing that one line.
    Raises ``ValueError`` when the line is missing: :func:`check_attribution`
    reports that to the editor first.
    """
    found = _attribution(project)
    if found is None:
        raise ValueError(f"{project.maps / LICENCE_NAME}: no '{ATTRIBUTION_PREFIX}' line")
    return found


def check_attribution(project: Project, problems: Problems) -> None:
    """Every map credits its boundaries: the licence note must say how."""
    if _attribution(project) is None:
        problems.add(
            Position(project.display(project.maps / LICENCE_NAME)),
            f"no '{ATTRIBUTION_PREFIX} …' line (or the file is missing): every map credits its "
            f"boundaries with it; add a line such as '{ATTRIBUTION_PREFIX} Natural Earth 1:10m "
            "admin-1 (public domain)' naming the boundaries' source and licence",
        )


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

    @property
    def centroid_x(self) -> float:
        """The x of the area centroid of the unit's outer rings (shoelace formula)."""
        area = moment = 0.0
        for poly in self.polys:
            ring = poly[0]
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
                cross = x0 * y1 - x1 * y0
                area += cross
                moment += (x0 + x1) * cross
        return moment / (3 * area) if area else float(self.label[0])


@dataclass
class Geometry:
    width: int
    height: int
    loc_width: int
    loc_height: int
    units: dict[str, Unit]

    def west_to_east(self) -> list[str]:
        """Unit codes by their centroid, west first: the order a reader's Tab key
        walks a map, as the eye reads it, not the ISO codes' order."""
        return sorted(self.units, key=lambda code: (self.units[code].centroid_x, code))


def _ring_points(
    coords: Any, minx: float, maxy: float, scale: float, pad: float
) -> list[list[int]]:
    import numpy as np

    arr = np.asarray(coords)[:-1]
    xs = np.rint((arr[:, 0] - minx) * scale + pad).astype(int).tolist()
    ys = np.rint((maxy - arr[:, 1]) * scale + pad).astype(int).tolist()
    points: list[list[int]] = []
    for x, y in zip(xs, ys, strict=True):
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
            body: list[str] = []
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


def compute_geometry(source: Path) -> dict[str, Any]:
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
    for code, geom, small in zip(codes, projected, simplified, strict=True):
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
    data = (project.maps / GEOJSON_NAME).read_bytes() + json.dumps(params).encode()
    return hashlib.sha256(data).hexdigest()


def _geometry_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()


def project_boundaries(project: Project) -> Path:
    """Project the boundaries with geopandas into ``maps/``, beside the GeoJSON.

    The projection changes only when the boundaries or the projection
    parameters do, so it is kept with the project like the GeoJSON itself,
    and every build (and every clean checkout) draws from it without
    importing geopandas. ``tests/test_maps.py`` checks that it is current.
    """
    data = {**compute_geometry(project.maps / GEOJSON_NAME), "source": geometry_hash(project)}
    path = project.maps / PROJECTED_NAME
    write_atomic(path, _geometry_json(data) + b"\n")
    return path


def read_geometry(path: Path, geo_hash: str) -> dict[str, Any] | None:
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
    data = read_geometry(project.maps / PROJECTED_NAME, geo_hash) or read_geometry(cached, geo_hash)
    if data is None:
        data = {**compute_geometry(project.maps / GEOJSON_NAME), "source": geo_hash}
        write_atomic(cached, _geometry_json(data))
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
