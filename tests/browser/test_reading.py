"""Reading as a reader: dates on every page, the front page's numbers, the
footer, the feed link, print, at a phone's and a desktop's width, light and dark.

The expected values are worked out here from the fact base and the map
specs, not read back from the generator's own views: a key number the
generator miscounts fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from ruamel.yaml import YAML

from generator.content.factbase import load
from generator.content.project import Project

from .support import AS_OF, REPO, goto, html_pages, page_scheme
from .test_pages import SITE_URL

SIZES = [(390, 844), (1280, 900)]
SCHEMES = ["light", "dark"]
#: The editors' guide states no facts: it carries "Updated" only.
NO_FACTS = {"contributing/"}


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


@pytest.fixture(scope="module")
def fb():  # type: ignore[no-untyped-def]
    facts, problems = load(Project.at(REPO / "content"))
    assert not problems
    return facts


@pytest.fixture(scope="module")
def newest_source(fb) -> str:  # type: ignore[no-untyped-def]
    """Every page of today's content shows some fact from the newest article."""
    return max((s.published for s in fb.sources.values()), key=lambda d: d.sort_key).human()


def _reader_pages(site: Path) -> list[str]:
    """The site's pages; not the embeddable maps (embed/), which are a figure for other
    sites' pages, marked noindex, with no theme, title or head of their own to date."""
    return [p for p in html_pages(site) if p != "404.html" and not p.startswith("embed/")]


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_says_when_its_facts_stand_under_its_title(
    open_page, site: Path, newest_source: str, width: int, height: int, scheme: str
) -> None:
    page, log = open_page(width=width, height=height, scheme=scheme)
    updated = f"Updated {_day(dt.date.fromisoformat(AS_OF))}"
    problems = []
    for path in _reader_pages(site):
        goto(page, path, wait="domcontentloaded")
        assert page_scheme(page) == ("slate" if scheme == "dark" else "default")
        line = page.locator("h1 + .wcw-dateline-box .wcw-dateline")
        if line.count() != 1 or not line.is_visible():
            problems.append(f"/{path}: no dateline right under the title")
            continue
        text = " ".join(line.inner_text().split())
        if updated not in text:
            problems.append(f"/{path}: {text!r} lacks {updated!r}")
        facts = f"Facts as of {newest_source}"
        if path not in NO_FACTS and facts not in text:
            problems.append(f"/{path}: {text!r} lacks {facts!r}")
        if not page.locator("h1 + .wcw-dateline-box .wcw-standfirst").is_visible():
            problems.append(f"/{path}: no standfirst under the title")
    assert not problems, "\n".join(problems)
    assert not log.page_errors, log.page_errors


def test_the_share_description_and_json_ld_carry_the_same_dates(
    site: Path, newest_source: str
) -> None:
    problems = []
    for path in _reader_pages(site):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        og = re.search(r'<meta property="og:description" content="([^"]*)"', html)
        sentence = f"Updated {_day(dt.date.fromisoformat(AS_OF))}."
        if path not in NO_FACTS:
            sentence = f"Facts as of {newest_source}. {sentence}"
        if not og or not og.group(1).endswith(sentence):
            problems.append(f"/{path}: og:description {og and og.group(1)!r} lacks {sentence!r}")
        ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        if not ld:
            problems.append(f"/{path}: no JSON-LD")
            continue
        data = json.loads(ld.group(1))
        if data.get("dateModified") != AS_OF or not data["description"].endswith(sentence):
            problems.append(f"/{path}: JSON-LD dates {data.get('dateModified')!r}")
    assert not problems, "\n".join(problems)


def test_every_page_head_links_the_atom_feed(site: Path) -> None:
    problems = []
    for path in [p for p in html_pages(site) if not p.startswith("embed/")]:
        file = site / (path if path.endswith(".html") else path + "index.html")
        head = file.read_text(encoding="utf-8").split("</head>", 1)[0]
        m = re.search(
            r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', head
        )
        if not m:
            problems.append(f"/{path}: no <link rel=alternate> for the feed")
        elif not (site / m.group(1).lstrip("/") if m.group(1).startswith("/")
                  else file.parent / m.group(1)).resolve().samefile(site / "feed.xml"):  # fmt: skip
            problems.append(f"/{path}: the feed link {m.group(1)} is not feed.xml")
    assert not problems, "\n".join(problems)


FOOTER = ["Corrections", "Data", "Licence", "Feed"]


@pytest.mark.parametrize("width,height", SIZES)
def test_the_footer_links_corrections_data_licence_and_feed(
    open_page, site: Path, width: int, height: int
) -> None:
    page, log = open_page(width=width, height=height)
    for path in ["", "regions/kherson/", "who-claims-what/", "corrections/"]:
        goto(page, path, wait="domcontentloaded")
        links = page.locator("footer .wcw-footer-links a")
        assert links.all_inner_texts() == FOOTER, path
        for link in links.all():
            assert link.is_visible(), f"/{path}: {link.inner_text()} hidden"
            target = urljoin(page.url, link.get_attribute("href"))
            response = page.request.get(target)
            assert response.ok, f"/{path}: {link.inner_text()} → {target}: {response.status}"
    assert not log.problems(), log.problems()


def _expected_key_numbers(fb) -> list[str]:  # type: ignore[no-untyped-def]
    spec = YAML(typ="safe").load((REPO / "maps" / "russia-claims.yml").read_text("utf-8"))
    claimed = {
        code
        for a in spec["assignments"]
        if a["category"] != spec["default"]
        for code in a["regions"]
    }
    hatched = {code for o in spec.get("overlays", []) for code in o["regions"]} & claimed
    as_of = dt.date.fromisoformat(AS_OF)
    passed = [d for d in fb.deadlines.values() if d.date.latest() < as_of]
    return [
        f"{len(claimed)} of {len(fb.regions)} regions claimed by Russia",
        f"{len(hatched)} not fully controlled by Russia",
        f"{len(fb.proposals)} peace proposals",
        f"{len(passed)} deadline{'s' if len(passed) != 1 else ''} passed",
        f"{len(fb.sources)} source articles",
    ]


@pytest.mark.parametrize("width,height", SIZES)
def test_the_home_key_numbers_are_counted_from_the_facts(
    open_page, fb, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    page, log = open_page(width=width, height=height)
    goto(page, "")
    strip = page.locator("ul.wcw-key-numbers > li")
    shown = [" ".join(t.split()) for t in strip.all_inner_texts()]
    assert shown == _expected_key_numbers(fb)
    # The main map starts within the first screen, also on a phone.
    top = page.locator(".wcw-front-map svg").first.bounding_box()
    assert top is not None and top["y"] < height, top
    assert not log.problems(), log.problems()


def test_the_home_page_knows_what_it_does_not_know(open_page, fb) -> None:  # type: ignore[no-untyped-def]
    page, _ = open_page()
    goto(page, "")
    know = page.locator(".wcw-known section").nth(0)
    dont = page.locator(".wcw-known section").nth(1)
    confirmed = sum(
        1 for r in [*fb.claims.values(), *fb.events.values()] if r.status.value == "confirmed"
    )
    assert f"{confirmed} claims and events are confirmed" in know.inner_text()
    reported = sum(
        1 for r in [*fb.claims.values(), *fb.events.values()] if r.status.value == "reported"
    )
    assert f"{reported} claims and events rest on a report" in dont.inner_text()
    # A deadline that passed with no outcome in the sources is an open question.
    as_of = dt.date.fromisoformat(AS_OF)
    open_deadlines = [
        d.title
        for d in fb.deadlines.values()
        if d.date.latest() < as_of and d.resolution.value == "unknown"
    ]
    assert open_deadlines  # today's content has one: the test must not pass on nothing
    for title in open_deadlines:
        assert f"{title}: passed; outcome not reported" in dont.inner_text()


# who-claims-what lists lines; its cards in full stand on the group pages.
PRINTED = ["regions/kherson/", "who-claims-what/territory-russia/", ""]


@pytest.mark.parametrize("path", PRINTED)
def test_print_shows_the_evidence_the_address_and_no_controls(open_page, path: str) -> None:
    page, log = open_page(width=1280)
    goto(page, path)
    evidence = page.locator("details.wcw-evidence blockquote").first
    assert not evidence.is_visible()  # on screen, behind its "Evidence" summary
    page.emulate_media(media="print")
    assert evidence.is_visible(), "print drops the evidence"
    hidden = page.locator(
        ".md-header, .md-tabs, .md-sidebar--primary, #wcw-palette, details.wcw-map__data > summary"
    )
    shown = [hidden.nth(i).evaluate("e => e.outerHTML.slice(0, 80)")
             for i in range(hidden.count()) if hidden.nth(i).is_visible()]  # fmt: skip
    assert not shown, shown
    address = page.locator(".wcw-dateline .wcw-print-only")
    assert address.is_visible()
    assert address.inner_text().strip(" ·") == SITE_URL + path
    assert "Updated" in page.locator(".wcw-dateline").inner_text()
    figure = page.locator("figure.wcw-map svg, figure svg").first
    if figure.count():
        content = page.locator(".md-content__inner").bounding_box()
        box = figure.bounding_box()
        assert box and content and box["width"] >= 0.9 * content["width"] - 40, (box, content)
    assert not log.problems(), log.problems()
