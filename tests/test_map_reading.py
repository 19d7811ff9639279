"""The maps as a reader compares, navigates and reuses them (issue 18).

* One key: the same meaning has the same fill on every map, read from the
  generated SVGs, and no fill carries two meanings; the key's colours stay
  apart for readers with deuteranopia or protanopia (simulated).
* Tab order: a map's regions are links in west-to-east order, after a skip link.
* Reuse: each map's SVG, CSV and embeddable page are published, and the
  figure links them, with an iframe snippet and a dated citation.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from generator.content import urls
from generator.content.factbase import UA_CODES
from generator.content.project import Project
from generator.maps.geometry import load_geometry
from generator.maps.key import KEY, Meaning
from generator.maps.palette import css_palette
from generator.maps.render import MapSet, render_maps
from generator.outputs.embeds import CSV_COLUMNS, embed_files

from .test_maps import MAIN, MULTIPLES, href, loaded, make_map_project

ALL = [MAIN, *MULTIPLES]
SITE = "https://example.org/wcw/"


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> MapSet:
    project = Project.at(make_map_project(tmp_path_factory.mktemp("reading")))
    return render_maps(loaded(project.content), project, site_url=SITE)


def fills(svg: str) -> list[tuple[str, str, str]]:
    """(region, meaning, fill) of every region path in a map's SVG."""
    return re.findall(r'<path data-iso="([^"]+)" data-status="[^"]+" data-key="([^"]+)" '
                      r'class="[^"]*" fill="([^"]+)"', svg)  # fmt: skip


# ---- one key -----------------------------------------------------------------------


def key_problems(svgs: dict[str, str]) -> list[str]:
    """Meanings with two fills, or fills with two meanings, across the maps."""
    by_meaning: dict[str, set[tuple[str, str]]] = {}
    by_fill: dict[str, set[str]] = {}
    for map_id, svg in svgs.items():
        found = fills(svg)
        if len(found) != len(UA_CODES):
            return [f"{map_id}: {len(found)} regions carry a meaning (data-key), not 27"]
        for _code, meaning, fill in found:
            by_meaning.setdefault(meaning, set()).add((fill.lower(), map_id))
            by_fill.setdefault(fill.lower(), set()).add(meaning)
    problems = [
        f"meaning {m!r} has fills {sorted({f for f, _ in fs})} ({sorted({i for _, i in fs})})"
        for m, fs in by_meaning.items()
        if len({f for f, _ in fs}) > 1
    ]
    problems += [f"fill {f} means {sorted(ms)}" for f, ms in by_fill.items() if len(ms) > 1]
    return problems


def test_same_meaning_same_fill_on_every_map(maps: MapSet) -> None:
    svgs = {map_id: str(maps.svg(map_id, href)) for map_id in ALL}
    assert not key_problems(svgs), key_problems(svgs)
    # Crimea is Russia's in full on the main map and in the US offer, the demand
    # and the deal: one colour on all four.
    crimea = {fill for m in ALL[:4] for code, _k, fill in fills(svgs[m]) if code == "UA-43"}
    assert len(crimea) == 1, crimea


def test_the_key_check_catches_a_colour_with_two_meanings(maps: MapSet) -> None:
    svg = str(maps.svg(MAIN, href))
    russian = css_palette()["russian"]
    broken = svg.replace('data-key="unchanged" class="wcw-f-unchanged" fill="', "X", 1)
    assert broken != svg
    broken = broken.replace("X", f'data-key="unchanged" class="wcw-f-unchanged" fill="{russian}"'
                            '" data-x="', 1)  # fmt: skip
    assert key_problems({MAIN: broken}) and "means" in " ".join(key_problems({MAIN: broken}))


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_meaning_has_its_own_colour_in_the_stylesheet(scheme: str) -> None:
    colours = css_palette(scheme)
    fills_of = [colours[m.value].lower() for m in Meaning]
    assert len(set(fills_of)) == len(fills_of), dict(zip(Meaning, fills_of, strict=True))
    assert list(KEY) == list(Meaning)


# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
CVD = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
}  # fmt: skip
#: Two key colours must stay at least this far apart (CIE76 ΔE in CIELAB) as seen
#: with each deficiency: well past "clearly different" (about 10).
MIN_DELTA_E = 20


def _linear(hex_colour: str) -> list[float]:
    c = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = (min(1.0, max(0.0, v)) for v in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def seen_with(deficiency: str, hex_colour: str) -> tuple[float, float, float]:
    m, lin = CVD[deficiency], _linear(hex_colour)
    return _lab([sum(m[i][j] * lin[j] for j in range(3)) for i in range(3)])


def delta_e(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


@pytest.mark.parametrize("deficiency", sorted(CVD))
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_key_colours_stay_apart_with_colour_blindness(scheme: str, deficiency: str) -> None:
    colours = css_palette(scheme)
    close = []
    for a, b in itertools.combinations(Meaning, 2):
        d = delta_e(
            seen_with(deficiency, colours[a.value]), seen_with(deficiency, colours[b.value])
        )
        if d < MIN_DELTA_E:
            close.append(f"{a.value}/{b.value}: ΔE {d:.1f}")
    assert not close, close


def test_the_simulation_tells_red_from_green_apart_only_with_normal_vision() -> None:
    """The check can fail: a red and a green of like lightness merge for a deuteranope."""
    red, green = "#d05a3a", "#6f8f2a"
    assert delta_e(_lab(_linear(red)), _lab(_linear(green))) > 40
    assert delta_e(seen_with("deuteranopia", red), seen_with("deuteranopia", green)) < 15


# ---- tab order and skip link -----------------------------------------------------


def test_regions_are_links_from_west_to_east(maps: MapSet) -> None:
    geo = load_geometry(maps.project)
    order = geo.west_to_east()
    assert order[0] == "UA-21" and order[-1] == "UA-09"  # Zakarpattia … Luhansk
    assert order.index("UA-46") < order.index("UA-30") < order.index("UA-63")  # Lviv, Kyiv, Kharkiv
    for map_id in ALL:
        drawn = [code for code, _k, _f in fills(str(maps.svg(map_id, href)))]
        assert drawn == order, map_id
        xs = [geo.units[c].centroid_x for c in drawn]
        assert xs == sorted(xs)


def test_a_skip_link_jumps_over_the_regions(maps: MapSet) -> None:
    for html in (str(maps.figure(MAIN, href)), str(maps.multiples(href))):
        for m in re.finditer(r'<a class="wcw-map__skip" href="#([^"]+)">Skip the map', html):
            rest = html[m.end() :]
            assert rest.index("<svg") < rest.index(f'id="{m.group(1)}"'), m.group(1)
        assert html.count("Skip the map's regions") == html.count("<svg ")


# ---- download, embed, cite -------------------------------------------------------


def test_each_figure_links_png_svg_csv_embed_and_cite(maps: MapSet) -> None:
    for map_id in ALL:
        html = str(maps.figure(map_id, href))
        for link in (
            urls.map_image(map_id), urls.map_file(map_id, "svg"), urls.map_file(map_id, "csv"),
            urls.map_embed(map_id),
        ):  # fmt: skip
            assert f'href="{link}"' in html, (map_id, link)
        assert f"&lt;iframe src=&#34;{SITE}embed/{map_id}/&#34;" in html
        citation = re.search(r'<p class="wcw-map__citation">(.*?)</p>', html).group(1)
        assert "Who Claims What" in citation and "facts as of 8 August 2025" in citation
        assert SITE in citation


def test_published_svg_csv_and_embed_pages(maps: MapSet) -> None:
    files = embed_files(maps, SITE)
    assert set(files) == {
        p for m in ALL for p in (f"maps/{m}.svg", f"maps/{m}.csv", f"embed/{m}/index.html")
    } | {"embed/embed.css"}
    assert b"--md-default-bg-color" in files["embed/embed.css"]
    for map_id in ALL:
        svg = ET.fromstring(files[f"maps/{map_id}.svg"])
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert svg.find("{http://www.w3.org/2000/svg}style") is not None
        rows = list(csv.reader(io.StringIO(files[f"maps/{map_id}.csv"].decode("utf-8"))))
        assert rows[0] == CSV_COLUMNS and sorted(r[0] for r in rows[1:]) == sorted(UA_CODES)
        page = files[f"embed/{map_id}/index.html"].decode("utf-8")
        assert page.startswith("<!doctype html>") and 'lang="en"' in page
        assert f'id="wcw-map-{map_id}"' in page and '<div class="wcw-map__tools">' not in page
        # Nothing from elsewhere: every src and stylesheet is the site's own, relative.
        assert not re.search(r'(src|href)="(https?:)?//', page.replace(
            f'<link rel="canonical" href="{SITE}', ""))  # fmt: skip
        assert "md-header" not in page  # no theme chrome
    assert (
        files["maps/russia-claims.csv"]
        .decode()
        .splitlines()[1]
        .startswith(
            "UA-43,Crimea,Annexed by Russia in 2014,2014,russia-annexed-crimea-2014,"
            f"{SITE}who-claims-what/#claim-russia-annexed-crimea-2014"
        )
    )
