"""The maps: specs checked against the facts, SVG and PNG drawn, cached, accessible.

The maps are drawn from the repository's real specs (maps/*.yml) over a small
fixture fact base holding just the claims they cite, so these tests do not
move when the real content does; ``test_real_content_passes`` checks the
real content separately. One cold render (module-scoped) feeds most tests.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from generator.content.factbase import UA_CODES, load
from generator.content.problems import Problems
from generator.content.project import Project
from generator.maps.key import Meaning
from generator.maps.palette import css_palette
from generator.maps.render import MapSet, render_maps
from generator.maps.spec import check_maps

from .conftest import REPO, run_cli

MAIN = "russia-claims"
MULTIPLES = [
    "us-offer-2025-04",
    "kremlin-demand-2025-08",
    "us-russia-deal-2025-08",
    "ukraine-position",
]
CLAIMED = ["UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"]

# Every claim the specs cite, with regions as in the real content and one
# verbatim evidence passage each, so `check` passes on the fixture.
FIXTURE = r"""
actors:
  - id: vladimir-putin
    name: Vladimir Putin
    kind: person
    party: russia
    role: President of Russia
    sources:
      - source: bloomberg-truce
        evidence: a planned summit meeting between Presidents Donald Trump and Vladimir Putin
  - id: bloomberg
    name: Bloomberg
    kind: outlet
    party: media
    role: News agency
    sources:
      - source: lock-in-report
        evidence: according to Bloomberg News – citing people familiar with the matter
  - id: us-government
    name: US government
    kind: institution
    party: united-states
    role: The Trump administration
    sources:
      - source: witkoff-putin-april
        evidence: Washington had presented Kiev with what US President Donald Trump described as a “final offer” to end the conflict
  - id: volodymyr-zelenskyy
    name: Volodymyr Zelenskyy
    kind: person
    party: ukraine
    role: President of Ukraine
    sources:
      - source: bloomberg-truce
        evidence: Ukrainian President Volodymyr Zelenskyy
  - id: ukrainian-authorities
    name: Ukrainian authorities
    kind: institution
    party: ukraine
    role: Ukraine's government
    sources:
      - source: lock-in-report
        evidence: Ukrainian authorities have also not made any statements regarding the report.
claims:
  - id: putin-claims-four-regions
    actor: vladimir-putin
    stance: claims
    summary: Putin claims Luhansk, Donetsk, Zaporizhzhia and Kherson.
    text: Putin claims four regions.
    status: reported
    regions: [UA-09, UA-14, UA-23, UA-65]
    date: 2022-09
    sources:
      - source: lock-in-report
        evidence: Putin claims four Ukrainian regions – Luhansk, Donetsk, Zaporizhzhia and Kherson – as well as the Crimean peninsula in the Black Sea
  - id: russia-annexed-crimea-2014
    actor: vladimir-putin
    stance: claims
    summary: Russia annexed Crimea in 2014.
    text: Russia annexed Crimea in 2014.
    status: reported
    regions: [UA-43, UA-40]
    date: 2014
    sources:
      - source: lock-in-report
        evidence: the Crimean peninsula in the Black Sea, which he annexed in 2014
  - id: four-regions-not-fully-controlled
    actor: bloomberg
    stance: states
    summary: Russian forces do not fully control the four regions Putin claims.
    text: Russian forces do not fully control the four regions.
    status: confirmed
    regions: [UA-09, UA-14, UA-23, UA-65]
    date: 2025-08-08
    sources:
      - source: bloomberg-truce
        evidence: even as his forces have never fully controlled those territories
  - id: putin-demands-donbas-and-crimea
    actor: vladimir-putin
    stance: demands
    summary: Putin demands the Donbas and Crimea.
    text: Putin demands the Donbas and Crimea.
    status: reported
    regions: [UA-09, UA-14, UA-43, UA-40]
    date: 2025-08-08
    sources:
      - source: bloomberg-truce
        evidence: Putin is demanding that Ukraine cede its entire eastern Donbas area to Russia as well as Crimea
  - id: deal-halts-offensive-kherson-zaporizhzhia
    actor: bloomberg
    stance: reports
    summary: Russia would halt its offensive in Kherson and Zaporizhzhia.
    text: Russia would halt its offensive along the current lines.
    status: reported
    regions: [UA-65, UA-23]
    date: 2025-08-08
    sources:
      - source: bloomberg-truce
        evidence: Russia would halt its offensive in the Kherson and Zaporizhzhia regions of Ukraine along the current battlelines
  - id: us-offer-crimea-de-jure
    actor: us-government
    stance: offers
    summary: The US would recognise Crimea as Russian de jure.
    text: The US offer.
    status: reported
    regions: [UA-43, UA-40]
    date: 2025-04
    circa: true
    sources:
      - source: witkoff-putin-april
        evidence: Under the proposal, the US is said to be prepared to grant “de jure” recognition of Crimea as part of Russia
  - id: us-offer-de-facto-four-regions
    actor: us-government
    stance: offers
    summary: The US would acknowledge de facto Russian control of four regions.
    text: The US offer.
    status: reported
    regions: [UA-09, UA-14, UA-65, UA-23]
    date: 2025-04
    circa: true
    sources:
      - source: witkoff-putin-april
        evidence: unofficially acknowledge Moscow’s “de facto” control over the Lugansk and Donetsk People’s Republics, as well as the regions of Kherson and Zaporozhye
  - id: us-earlier-proposal-return-areas
    actor: us-government
    stance: offers
    summary: Areas of Zaporizhzhia and Kherson would be returned to Ukraine.
    text: Earlier proposals.
    status: reported
    regions: [UA-23, UA-65]
    date: 2025-04
    circa: true
    sources:
      - source: bloomberg-truce
        evidence: As part of those earlier proposals, control over areas of Zaporizhzhia and Kherson would be returned to Ukraine.
  - id: ukraine-will-not-recognise-occupation
    actor: ukrainian-authorities
    stance: rejects
    summary: Ukraine will never recognise Russia's occupation or annexation.
    text: Ukraine's position.
    status: confirmed
    regions: [UA-43, UA-40, UA-14, UA-09, UA-23, UA-65]
    date: 2025-08-08
    circa: true
    sources:
      - source: bloomberg-truce
        evidence: Ukraine cannot constitutionally cede territory and it has said it won't recognize Russian occupation and annexation of its land.
  - id: zelenskyy-never-recognise-crimea
    actor: volodymyr-zelenskyy
    stance: rejects
    summary: Zelenskyy said Kyiv would never recognise Crimea as Russian.
    text: Zelenskyy's declaration.
    status: reported
    regions: [UA-43, UA-40]
    date: 2025-04
    circa: true
    sources:
      - source: witkoff-putin-april
        evidence: Vladimir Zelensky’s subsequent declaration that Kiev would never recognize Crimea as Russian
"""

# A claim no map cites: editing it must not redraw anything.
UNCITED = """
claims:
  - id: trump-calls-it-final-offer
    actor: us-government
    stance: states
    summary: Trump called it a final offer.
    text: A final offer.
    status: reported
    date: 2025-04
    sources:
      - source: witkoff-putin-april
        evidence: what US President Donald Trump described as a “final offer” to end the conflict
"""


def make_map_project(root: Path) -> Path:
    """A project with the real seeds, boundaries, map specs and regions; returns content/."""
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(
        REPO / "maps", root / "maps", ignore=shutil.ignore_patterns("__pycache__", "*.py")
    )
    content = root / "content"
    content.mkdir()
    shutil.copy(REPO / "content" / "regions.yml", content / "regions.yml")
    (content / "facts.yml").write_text(FIXTURE, encoding="utf-8")
    (content / "uncited.yml").write_text(UNCITED, encoding="utf-8")
    return content


def href(target: str = "", anchor: str | None = None) -> str:
    """Links as a page at the site root would write them."""
    return target + (f"#{anchor}" if anchor else "")


def loaded(content: Path):
    fb, problems = load(Project.at(content))
    assert not problems, "\n".join(p.format() for p in problems)
    return fb


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project.at(make_map_project(tmp_path_factory.mktemp("maps-a")))


@pytest.fixture(scope="module")
def maps(project: Project) -> MapSet:
    return render_maps(loaded(project.content), project)


def units(svg: str) -> dict[str, str]:
    """data-iso → data-status of every element carrying data-iso."""
    found = re.findall(r'data-iso="([^"]+)" data-status="([^"]+)"', svg)
    assert len(found) == len(re.findall(r"data-iso=", svg))
    return dict(found) if len(dict(found)) == len(found) else {"duplicates": str(found)}


# ---- specs ------------------------------------------------------------------------


def test_specs_pass_on_the_fixture(project: Project) -> None:
    problems = Problems()
    check_maps(loaded(project.content), problems)
    assert not problems, "\n".join(p.format() for p in problems)


def test_real_content_passes() -> None:
    result = run_cli("check")
    assert result.returncode == 0, result.stderr


BAD_SPEC = """\
id: bad
title: Bad map
kind: multiple
question: What is wrong?
description: Everything.
categories:
  - id: claimed
    label: Claimed
    key: russian
  - id: other
    label: Other
    key: unchanged
default: other
assignments:
  - category: claimd
    regions: [UA-23]
    claims: [putin-claims-four-regions]
  - category: claimed
    regions: [UA-14, UA-99]
    claims: [putin-claims-four-region]
  - category: claimed
    regions: [UA-43]
    claims: [putin-claims-four-regions]
"""


def test_spec_errors_point_at_file_line_and_column(tmp_path: Path) -> None:
    content = make_map_project(tmp_path)
    (content.parent / "maps" / "bad.yml").write_text(BAD_SPEC, encoding="utf-8")
    result = run_cli("check", "--content", content)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    expected = {
        "unknown category": "maps/bad.yml:15:15: error: unknown category 'claimd'; did you mean 'claimed'?",
        "unknown region": "maps/bad.yml:19:22: error: unknown region 'UA-99'",
        "unknown claim": "maps/bad.yml:20:14: error: unknown claim 'putin-claims-four-region'; "
        "did you mean 'putin-claims-four-regions'?",
        "claim not about region": "maps/bad.yml:23:14: error: claim 'putin-claims-four-regions' "
        "does not name UA-43 (Crimea)",
    }
    for what, start in expected.items():
        assert any(line.startswith(start) for line in errors), f"{what}: {start!r} not in {errors}"
    assert len(errors) == 4, errors


def test_schema_errors_in_a_spec_are_positioned(tmp_path: Path) -> None:
    content = make_map_project(tmp_path)
    text = BAD_SPEC.replace("    key: unchanged\n", "    key: nothing\n    colour: red\n")
    (content.parent / "maps" / "bad.yml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--content", content)
    assert result.returncode == 1
    assert "maps/bad.yml:12:10: error: 'nothing' is not an allowed key" in result.stderr
    assert "maps/bad.yml:13:5: error: unknown field 'colour' in category" in result.stderr


# ---- SVG ----------------------------------------------------------------------------


@pytest.mark.parametrize("map_id", [MAIN, *MULTIPLES])
def test_each_map_has_27_distinct_units(maps: MapSet, map_id: str) -> None:
    svg = str(maps.svg(map_id, href))
    found = units(svg)
    assert sorted(found) == sorted(UA_CODES)
    assert svg.count("<a href=") == 27
    assert len(re.findall(r'<path[^>]*class="wcw-map__overlay"', svg)) >= 1


def test_locators_have_27_units_and_one_highlighted(maps: MapSet) -> None:
    for code in UA_CODES:
        svg = str(maps.locator(code, href))
        found = units(svg)
        assert sorted(found) == sorted(UA_CODES)
        assert [c for c, s in found.items() if s == "selected"] == [code]
        assert svg.startswith('<figure class="wcw-locator">')


def test_main_map_tells_claimed_regions_apart(maps: MapSet) -> None:
    found = units(str(maps.svg(MAIN, href)))
    for code in CLAIMED:
        assert found[code] != found["UA-46"], code
    assert found["UA-43"] == found["UA-40"] == "annexed"
    assert {found[c] for c in ("UA-14", "UA-09", "UA-23", "UA-65")} == {"claimed"}
    assert sum(1 for s in found.values() if s == "not-claimed") == 21


def test_svg_is_well_formed_and_every_unit_is_named(maps: MapSet) -> None:
    ns = {"s": "http://www.w3.org/2000/svg"}
    for map_id in [MAIN, *MULTIPLES]:
        svg = str(maps.svg(map_id, href)).replace(
            "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
        )
        root = ET.fromstring(svg)
        assert root.get("role") == "group"
        assert root.get("aria-labelledby") and root.get("aria-describedby")
        links = root.findall(".//s:a", ns)
        assert len(links) == 27
        for a in links:
            title = a.find("s:title", ns)
            assert a.get("aria-label") and title is not None and title.text == a.get("aria-label")


def test_tooltips_give_name_status_and_date(maps: MapSet) -> None:
    svg = str(maps.svg(MAIN, href))
    assert "<title>Zaporizhzhia — claimed by Russia since September 2022." in svg
    assert "<title>Crimea — annexed by Russia in 2014</title>" in svg
    assert "Not fully controlled by Russia (as of 8 August 2025)" in svg
    assert "<title>Lviv — not claimed by Russia</title>" in svg


def test_description_says_what_the_map_shows(maps: MapSet) -> None:
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", str(maps.svg(MAIN, href))).group(1)
    assert desc.startswith("Russia claims 6 of Ukraine&#39;s 27 first-level units")
    assert "Crimea and Sevastopol: annexed by Russia in 2014." in desc
    assert (
        "Donetsk, Luhansk, Zaporizhzhia and Kherson: claimed by Russia since September 2022."
        in desc
    )
    assert "The other 21: not claimed by Russia." in desc


def test_labels_name_the_disputed_regions_and_kyiv(maps: MapSet) -> None:
    labels = re.search(r'<g class="wcw-map__labels".*?</g>', str(maps.svg(MAIN, href))).group()
    for name in ("Crimea", "Sevastopol", "Donetsk", "Luhansk", "Zaporizhzhia", "Kherson", "Kyiv"):
        assert f">{name}</text>" in labels


def test_svg_sizes(maps: MapSet) -> None:
    for stat in maps.stats:
        assert stat.svg_bytes <= 80 * 1024, stat
        assert stat.svg_gzip_bytes <= 25 * 1024, stat
    for map_id in [MAIN, *MULTIPLES]:
        raw = str(maps.svg(map_id, href)).encode()
        assert len(raw) <= 80 * 1024
        assert len(gzip.compress(raw)) <= 25 * 1024


# ---- the figure ------------------------------------------------------------------------


def test_figure_is_one_raw_html_block(maps: MapSet) -> None:
    for html in (maps.figure(MAIN, href), maps.multiples(href), maps.locator("UA-65", href)):
        text = str(html)
        assert re.match(r"<(figure|div)\b", text)
        assert "\n\n" not in text and not re.search(r"\n\s*\n", text)
        assert "<@" not in text


def test_figure_passes_through_markdown_untouched(maps: MapSet) -> None:
    markdown = pytest.importorskip("markdown")
    for html in (str(maps.figure(MAIN, href)), str(maps.multiples(href))):
        out = markdown.markdown(
            f"# Page\n\nText.\n\n{html}\n\nMore text.\n",
            extensions=["attr_list", "md_in_html", "tables", "toc", "pymdownx.details"],
        )
        assert html in out


def test_figure_says_claims_not_control_and_credits_boundaries(
    maps: MapSet, project: Project
) -> None:
    html = str(maps.figure(MAIN, href))
    assert "Claims, not military control." in html
    assert "Russia does not fully control the four regions it claims" in html
    attribution = next(
        line.removeprefix("Boundaries:").strip()
        for line in (project.maps / "LICENSE-boundaries.md")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.startswith("Boundaries:")
    )
    assert attribution in html
    legend = re.search(r'<ul class="wcw-map__legend".*?</ul>', html).group()
    assert "Annexed by Russia in 2014" in legend and "wcw-swatch--hatch" in legend


def test_data_table_lists_every_unit_with_its_claims(maps: MapSet) -> None:
    html = str(maps.figure(MAIN, href))
    table = re.search(r'<details class="wcw-map__data">.*?</details>', html).group()
    rows = re.findall(r'<tr data-iso="(UA-\d\d)">(.*?)</tr>', table)
    assert sorted(c for c, _ in rows) == sorted(UA_CODES)
    row = dict(rows)["UA-23"]
    assert 'href="who-claims-what/#claim-putin-claims-four-regions"' in row
    assert 'href="who-claims-what/#claim-four-regions-not-fully-controlled"' in row
    assert '<time datetime="2022-09">September 2022</time>' in row
    assert "No claim cited" in dict(rows)["UA-46"]


def test_region_links_go_to_pages_that_exist(maps: MapSet) -> None:
    svg = str(maps.svg(MAIN, href))
    assert '<a href="regions/zaporizhzhia/"' in svg  # claims name it: it has a page
    assert '<a href="regions/#region-UA-46"' in svg  # none do: its row on the regions page


def test_ids_do_not_collide(maps: MapSet) -> None:
    page = "\n".join(
        [
            str(maps.figure(MAIN, href)),
            str(maps.figure(MAIN, href, prefix="again-")),
            str(maps.multiples(href)),
            str(maps.locator("UA-65", href)),
            str(maps.locator("UA-65", href, prefix="again-")),
        ]
    )
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', page):
        assert all(r in ids for r in ref.split())
    for ref in re.findall(r"url\(#([^)]+)\)", page):
        assert ref in ids


# ---- PNG, determinism, cache ------------------------------------------------------------


def test_pngs_are_open_graph_sized(maps: MapSet) -> None:
    files = maps.png_files()
    with_pages = [c for c in UA_CODES if maps.fb.claims_about(c) or maps.fb.events_about(c)]
    assert set(files) == {f"assets/maps/{m}.png" for m in [MAIN, *MULTIPLES]} | {
        f"assets/maps/locator-{code}.png" for code in with_pages
    } | {"assets/maps/positions-compared.png"}
    assert maps.og_image == f"assets/maps/{MAIN}.png"
    assert maps.locator_image("UA-65") == "assets/maps/locator-UA-65.png"
    assert maps.multiples_image == "assets/maps/positions-compared.png"
    for data in files.values():
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (1200, 630)
        assert b"tIME" not in data and b"Software" not in data


def test_drawing_is_deterministic(maps: MapSet, tmp_path: Path) -> None:
    project = Project.at(make_map_project(tmp_path))
    again = render_maps(loaded(project.content), project)
    assert not any(s.cached for s in again.stats)
    assert again.png_files() == maps.png_files()
    for map_id in [MAIN, *MULTIPLES]:
        assert str(again.figure(map_id, href)) == str(maps.figure(map_id, href))
    assert str(again.locator("UA-30", href)) == str(maps.locator("UA-30", href))


def test_the_maps_templates_are_compiled_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's figures come from templates compiled by a build before, as the pages'
    do; a changed template is compiled again (Jinja compares its source)."""
    from jinja2 import Environment

    project = Project.at(make_map_project(tmp_path))
    str(render_maps(loaded(project.content), project).figure(MAIN, href))
    compiled: list[str | None] = []
    compile_source = Environment.compile

    def counted(self: Environment, source: Any, name: str | None = None, *args: Any) -> Any:
        compiled.append(name)
        return compile_source(self, source, name, *args)

    monkeypatch.setattr(Environment, "compile", counted)
    again = str(render_maps(loaded(project.content), project).figure(MAIN, href))
    assert compiled == [] and 'class="wcw-map' in again


RENDER = """
import json, sys
from generator.content.factbase import load
from generator.maps.render import render_maps
from generator.content.project import Project
project = Project.at(sys.argv[1])
fb, problems = load(project)
maps = render_maps(fb, project)
maps.locator("UA-65", lambda t, a=None: t)
print(json.dumps({
    "cached": [s.cached for s in maps.stats],
    "heavy": sorted(m for m in ("geopandas", "matplotlib", "shapely", "pyproj", "pandas", "PIL")
                    if m in sys.modules),
}))
"""


def render_in_subprocess(content: Path) -> dict:
    """Draw (or fetch) every map in a fresh interpreter: what it drew, what it imported."""
    result = subprocess.run(
        [sys.executable, "-c", RENDER, str(content)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_warm_cache_redraws_nothing_and_imports_no_geo_stack(
    maps: MapSet, project: Project
) -> None:
    assert not any(s.cached for s in maps.stats)
    report = render_in_subprocess(project.content)
    assert all(report["cached"]) and len(report["cached"]) == 5
    assert report["heavy"] == []


def test_the_projection_kept_with_the_boundaries_is_current() -> None:
    """maps/ukraine-admin1.projected.json is what geopandas makes of the GeoJSON now."""
    from generator.maps import geometry

    project = Project.at(REPO / "content")
    kept = json.loads((REPO / "maps" / geometry.PROJECTED_NAME).read_text(encoding="utf-8"))
    hint = "run 'python -m generator project-boundaries' and commit the result"
    assert kept.pop("source") == geometry.geometry_hash(project), hint
    assert kept == geometry.compute_geometry(REPO / "maps" / geometry.GEOJSON_NAME), hint


def test_a_clean_checkout_draws_every_map_without_the_geo_stack(tmp_path: Path) -> None:
    report = render_in_subprocess(make_map_project(tmp_path))
    assert report == {"cached": [False] * 5, "heavy": ["PIL"]}  # Pillow draws the PNGs


def test_changed_boundaries_are_projected_again(tmp_path: Path, maps: MapSet) -> None:
    """A stale projection is never drawn from: geopandas projects the new GeoJSON."""
    from generator.maps import geometry

    content = make_map_project(tmp_path)
    project = Project.at(content)
    geojson = project.maps / geometry.GEOJSON_NAME
    data = json.loads(geojson.read_text(encoding="utf-8"))
    kyiv = next(f for f in data["features"] if f["properties"]["iso"] == "UA-30")
    kyiv["properties"]["ne_name"] = "Kiev (edited)"  # same shapes, different file
    geojson.write_text(json.dumps(data), encoding="utf-8")
    assert (
        geometry.read_geometry(
            project.maps / geometry.PROJECTED_NAME, geometry.geometry_hash(project)
        )
        is None
    )
    geo = geometry.load_geometry(project)
    assert list(project.cache.glob("maps/geometry-*.json")), "the new projection is cached"
    assert geo.units["UA-30"].d == geometry.load_geometry(maps.project).units["UA-30"].d


def test_only_maps_whose_inputs_change_are_redrawn(
    maps: MapSet, tmp_path: Path, project: Project
) -> None:
    shutil.copytree(project.root, tmp_path / "p")
    content = tmp_path / "p" / "content"
    uncited = content / "uncited.yml"
    uncited.write_text(uncited.read_text().replace("a final offer.", "its final offer."))
    copy = Project.at(content)
    stats = {s.id: s.cached for s in render_maps(loaded(content), copy).stats}
    assert all(stats.values()), stats

    facts = content / "facts.yml"
    facts.write_text(
        facts.read_text().replace(
            "Areas of Zaporizhzhia and Kherson would be returned to Ukraine.",
            "Some areas of Zaporizhzhia and Kherson would be returned to Ukraine.",
        )
    )
    stats = {s.id: s.cached for s in render_maps(loaded(content), copy).stats}
    assert stats == {m: m != "us-offer-2025-04" for m in [MAIN, *MULTIPLES]}


# ---- colours ----------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_palette_contrast(scheme: str) -> None:
    colours = css_palette(scheme)
    tokens = [m.value for m in Meaning]
    assert set(tokens) <= set(colours)
    for token in tokens:
        fill = colours[token]
        # Borders between neighbours and the hatch stand out from every fill…
        assert contrast(fill, colours["border"]) >= 3, (scheme, token)
        assert contrast(fill, colours["hatch"]) >= 3, (scheme, token)
        # …and the country's outline from the page, by its border or its fill.
        page = colours["page"]
        assert max(contrast(colours["border"], page), contrast(fill, page)) >= 3, (scheme, token)
    assert contrast(colours["label"], colours["halo"]) >= 7
    assert contrast(colours["locator-on"], colours["locator-off"]) >= 3
    off, page = colours["locator-off"], colours["page"]
    assert max(contrast(colours["border"], page), contrast(off, page)) >= 3


def test_every_palette_token_has_a_fill_and_a_swatch_class() -> None:
    css = (REPO / "generator" / "assets" / "maps.css").read_text(encoding="utf-8")
    for token in Meaning:
        assert f".wcw-f-{token.value} {{ fill: var(--wcw-map-{token.value}); }}" in css
        assert f".wcw-s-{token.value} {{ background-color: var(--wcw-map-{token.value}); }}" in css


def test_text_with_blank_lines_stays_on_one_line(maps: MapSet) -> None:
    """A figure is one raw HTML block: a blank line from a YAML text would end it."""
    from generator.maps.geometry import load_geometry
    from generator.maps.svg import draw_svg
    from generator.maps.wording import Context

    spec = maps.specs[MAIN].model_copy(
        update={"description": "Russia claims {count}.\n\nSee below."}
    )
    geo = load_geometry(maps.project)
    svg = draw_svg(spec, geo, Context(maps.fb), css_palette())
    assert "\n" not in svg
    assert "Russia claims 6. See below." in svg


def test_spec_text_is_escaped_in_every_part_of_the_figure(maps: MapSet, tmp_path: Path) -> None:
    """Titles, labels, phrases and notes are text: the templates escape them, once."""
    project = Project.at(make_map_project(tmp_path))
    main = maps.specs[MAIN]
    marked = "Tom & <b>Jerry</b> \"q\" 'a'"
    spec = main.model_copy(
        update={
            "title": marked,
            "question": marked,
            "categories": [c.model_copy(update={"label": marked}) for c in main.categories],
            "overlays": [
                o.model_copy(update={"label": marked, "note": marked}) for o in main.overlays
            ],
        }
    )
    html = str(render_maps(maps.fb, project, [spec]).figure(MAIN, href))
    escaped = "Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; &#34;q&#34; &#39;a&#39;"
    assert "<b>" not in html and "&amp;amp;" not in html
    assert f'<span class="wcw-map__title">{escaped}</span>' in html
    assert f'<span class="wcw-map__question">{escaped}</span>' in html
    assert f"<summary>Data table: {escaped}</summary>" in html
    assert f"<caption>{escaped}: each of Ukraine" in html
    legend = re.search(r'<ul class="wcw-map__legend".*?</ul>', html).group()
    assert f"<span>{escaped} " in legend and f"<span>Hatched: {escaped} " in legend
    assert f"holds the ground. {escaped}</p>" in html
