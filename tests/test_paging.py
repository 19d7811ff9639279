"""Entity pages stay bounded at scale, and every entry stays reachable (issue 19).

The real content with its claims replicated (new ids, same text and
evidence) stands in for a desk's year of work: a region page, the people
page and the sources page must list a bounded number, say how many there
are, and the region's own pages must hold every entry exactly once.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.build.check import check_with_maps
from generator.build.generate import generate
from generator.content import urls
from generator.content.factbase import FactBase, load
from generator.content.project import Project
from generator.site import front, paging, slots
from generator.site.cardstore import CardShards
from generator.site.dating import overtaken
from generator.site.pages import Page, pages

from .conftest import REPO

COPIES = 6  # about 1,000 claims


def scaled(root: Path) -> Project:
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    claims = root / "content" / "claims"
    originals = [
        c for p in sorted(claims.glob("*.yml")) for c in yaml.safe_load(p.read_text())["claims"]
    ]
    for i in range(1, COPIES):
        twins = [
            {**{k: v for k, v in c.items() if k != "previous_ids"}, "id": f"{c['id']}-r{i}"}
            for c in originals
        ]
        (claims / f"zz-{i}.yml").write_text(yaml.safe_dump({"claims": twins}), encoding="utf-8")
    return Project.at(root / "content")


@pytest.fixture(scope="module")
def site_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[FactBase, list[Page]]:
    fb, problems = load(scaled(tmp_path_factory.mktemp("scaled")))
    assert not problems, problems
    assert len(fb.claims) > 800
    return fb, pages(fb, dt.date(2025, 8, 10))


def test_a_region_page_lists_its_newest_entries_and_pages_of_all(site_pages) -> None:
    fb, result = site_pages
    by_url = {p.url: p for p in result}
    donetsk = by_url["regions/donetsk/"]
    entries = donetsk.view["entries"]
    total = donetsk.view["total"]
    assert total > paging.REGION_PER_PAGE and len(entries) == paging.REGION_PER_PAGE
    links = donetsk.context["links"]
    assert len(links) == -(-total // paging.REGION_PER_PAGE)
    held = [e for link in links for e in by_url[link.page].view["entries"]]
    assert len(held) == total and len({(type(e), e.id) for e in held}) == total
    # The newest entries are the ones the region's own page shows.
    assert [e.id for e in held[-paging.REGION_PER_PAGE :]] == [e.id for e in entries]
    # JSON-LD names only what the page shows.
    assert len(donetsk.claims) <= paging.REGION_PER_PAGE


def test_people_and_sources_say_how_many_they_leave_out(site_pages) -> None:
    fb, result = site_pages
    by_url = {p.url: p for p in result}
    said = [c for _, members in by_url["people/"].view["groups"] for _, c in members]
    capped = [c for c in said if c.more]
    assert capped and all(len(c.shown) == paging.PERSON_SHOWN for c in capped)
    newest = capped[0].shown
    assert [c.date.sort_key for c in newest] == sorted(
        (c.date.sort_key for c in newest), reverse=True
    )
    citing = by_url["sources/"].view["citing"]
    assert any(c.more for c in citing.values())
    assert all(len(c.shown) <= paging.SOURCE_SHOWN for c in citing.values())


def test_the_front_page_lists_a_few_open_questions_of_each_kind_and_counts_the_rest(
    site_pages,
) -> None:
    """At 10,000 claims the front page's "What we don't know" listed all 139 (12,000 px
    on a phone); at any size it lists a few of each kind and says how many more."""
    fb, result = site_pages
    known = next(p for p in result if p.url == "").view["known"]
    disputed = sum(
        1 for r in [*fb.claims.values(), *fb.events.values()] if r.status.value == "disputed"
    )
    assert disputed > front.OPEN_SHOWN
    assert sum(1 for k in known["dont"] if k.text.endswith("(disputed)")) == front.OPEN_SHOWN
    assert len(known["dont"]) <= 4 * front.OPEN_SHOWN
    tallies = {t.kind: t.count for t in known["dont_more"]}
    assert tallies["disputed claims and events"] == disputed - front.OPEN_SHOWN
    records = [*fb.claims.values(), *fb.events.values()]
    every = sum(1 for r in records if r.status.value in ("disputed", "denied")) + sum(
        1 for r in records if overtaken(fb, r, dt.date(2025, 8, 10))
    )
    passed = [d for d in fb.deadlines.values() if d.state(dt.date(2025, 8, 10)).key == "passed"]
    every += sum(1 for d in passed if d.resolution.value == "unknown")
    assert len(known["dont"]) + sum(tallies.values()) == every  # each listed or counted


def test_todays_open_questions_are_all_listed() -> None:
    fb, problems = load(Project.at(REPO / "content"))
    assert not problems
    known = front.what_we_know(fb, dt.date(2026, 12, 1))  # the summit and a visit now past
    assert len(known["dont"]) == 5 and known["dont_more"] == []


def test_todays_content_fits_on_the_region_pages() -> None:
    fb, problems = load(Project.at(REPO / "content"))
    assert not problems
    regions = [p for p in pages(fb, dt.date(2025, 8, 10)) if p.template == "region.md.j2"]
    assert regions and all(not p.context["links"] for p in regions)


def test_a_scaled_project_builds_with_every_page_bounded(tmp_path: Path) -> None:
    """The engine accepts the region pages (strict: none left out of the nav
    config), the cards are filled in, and no page approaches 1 MB."""
    from .conftest import run_cli

    project = scaled(tmp_path / "p")
    site = tmp_path / "site"
    done = run_cli("build", "--content", project.content, "--site-dir", site, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    largest = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    assert largest.stat().st_size < 400_000, largest
    first = (site / "regions" / "donetsk" / "1" / "index.html").read_text(encoding="utf-8")
    assert first.count('<article class="wcw-fact') == paging.REGION_PER_PAGE
    # The row of pages above the cards and the one below are two landmarks: named apart.
    labels = re.findall(r'<nav [^>]*aria-label="([^"]*)"', first)
    assert len([n for n in labels if n.startswith("Pages of Donetsk")]) == 2
    assert len(labels) == len(set(labels)), labels
    # Counts past 999 are written as a newsroom writes them: "1,341 verified passages".
    method = (site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"backed by \d{1,3}(,\d{3})+ verified passages", method)


def test_the_summit_lists_the_newest_of_each_kind_then_counts_the_rest(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Seven lists on one page: at 10,000 claims forty lines each made the summit
    48,000 px tall on a phone. Each list shows ten cards and ten lines at most, and
    says how many more there are and where they are."""
    project = scaled(tmp_path_factory.mktemp("summit"))
    fb, problems, specs = check_with_maps(project)
    assert not problems, problems
    generate(project, fb, dt.date(2025, 8, 10), specs=specs)
    page = (project.docs / "summit" / "index.md").read_text(encoding="utf-8")
    html = slots.fill(page, CardShards(project.cards), "summit/")
    sections = re.split(r"\n##+ ", html)[1:]
    lists = [s for s in sections if "wcw-item--card" in s]
    assert len(lists) >= 5
    for section in lists:
        title = section.split("\n", 1)[0]
        cards = section.count('<details class="wcw-item wcw-item--card"')
        lines = len(re.findall(r'<li class="wcw-item[ "]', section))
        assert cards <= 10 and lines <= 10, (title, cards, lines)
    more = re.findall(r"And ([\d,]+) older claims?, on the", html)
    assert more, "no list says how many more claims there are"


@pytest.mark.parametrize(
    ("count", "current", "row"),
    [
        (1, None, [1]),
        (7, 4, [1, 2, 3, 4, 5, 6, 7]),  # today's sites, and any of up to 7 pages: all of them
        (48, None, [1, 2, None, 47, 48]),
        (48, 20, [1, 2, None, 19, 20, 21, None, 47, 48]),
        (48, 1, [1, 2, None, 47, 48]),
        (48, 4, [1, 2, 3, 4, 5, None, 47, 48]),  # "…" never stands for one page: 3 is shown
        (48, 45, [1, 2, None, 44, 45, 46, 47, 48]),
        (8, None, [1, 2, None, 7, 8]),
    ],
)
def test_a_row_of_page_links_stays_short(count: int, current: int | None, row: list) -> None:
    assert paging.pager(count, current) == row


def test_from_any_page_its_neighbours_are_a_tap_away() -> None:
    """A row that leaves numbers out still reaches every page: each page links the
    one before and the one after, and the row is never longer than nine places."""
    for count in (8, 48, 200):
        for current in range(1, count + 1):
            row = paging.pager(count, current)
            assert len(row) <= 9
            assert {current - 1, current, current + 1} & set(range(1, count + 1)) <= set(row)


def test_a_region_with_48_pages_of_entries_shows_a_row_that_fits_a_phone() -> None:
    from generator.site.templating import environment

    links = [urls.region_entries("donetsk", n) for n in range(1, 49)]
    region = type("Region", (), {"name": "Donetsk"})()
    template = environment().from_string(
        '{% import "_macros.j2" as m with context %}{{ m.region_pages_nav(region, links, 20) }}'
    )
    html = template.render(region=region, links=links)
    numbers = re.findall(r"<a [^>]*>(\d+)</a>", html)
    assert numbers == ["1", "2", "19", "20", "21", "47", "48"]
    assert html.count("</a> … <a ") == 2 and "·" not in html.replace("</a> · <a ", "")
    assert re.search(r'aria-current="page">20<', html)
