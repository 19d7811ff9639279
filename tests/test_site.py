"""The built site: every page exists and states the facts the content gives.

One real build of the shipped content (in a temporary copy, so the tests
never touch the repository's site/) feeds every test here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from generator.build.postbuild import HTML_FIXES
from generator.build.search import indexed_pages
from generator.content.factbase import load
from generator.content.model import NEGOTIATING_PARTIES, EventKind, chronological
from generator.content.project import Project
from generator.site import listings
from generator.site.jsonld import MAX_MENTIONS
from generator.site.pages import pages

from .conftest import REPO, run_cli

AS_OF = "2025-08-10"

PAGE_FILES = [
    "index.html",
    "who-claims-what/index.html",
    "regions/index.html",
    "proposals/index.html",
    "summit/index.html",
    "deadlines/index.html",
    "timeline/index.html",
    "people/index.html",
    "sources/index.html",
    "methodology/index.html",
]


def copy_project(dest: Path) -> Path:
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest / "content"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Project]:
    root = tmp_path_factory.mktemp("real")
    content = copy_project(root)
    result = run_cli("build", "--content", content, "--as-of", AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site", Project.at(content)


@pytest.fixture(scope="session")
def fb(built: tuple[Path, Project]):
    facts, problems = load(built[1])
    assert not problems
    return facts


def text_of(html: str) -> str:
    """Visible text, roughly: tags dropped, entities for quotes folded."""
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")
    return re.sub(r"\s+", " ", text)


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def main_of(html: str) -> str:
    """The page's own content: Material's content column, without the theme's chrome."""
    start = html.index('<article class="md-content__inner')
    return html[start : html.index('<footer class="md-footer"', start)]


@pytest.mark.parametrize("rel", PAGE_FILES)
def test_every_page_exists_with_content(built, rel: str) -> None:
    site, _ = built
    html = read(site, rel)
    assert "<h1" in html
    main = main_of(html)
    assert len(text_of(main)) > 400, f"{rel} looks empty"
    for placeholder in ("TODO", "Lorem", "placeholder", "None</"):
        assert placeholder not in main, f"{rel} contains {placeholder!r}"


def test_no_empty_sections(built) -> None:
    """A heading directly followed by another heading of the same or higher level is empty."""
    site, _ = built
    for rel in PAGE_FILES:
        html = read(site, rel)
        body = main_of(html)
        heads = list(re.finditer(r"<h([1-6])[^>]*>.*?</h\1>", body, re.S))
        for a, b in zip(heads, heads[1:], strict=False):
            between = body[a.end() : b.start()]
            if int(b.group(1)) <= int(a.group(1)):
                assert text_of(between).strip(), f"empty section in {rel}: {text_of(a.group())}"


def test_region_page_for_every_region_a_claim_touches(built, fb) -> None:
    site, _ = built
    for region in fb.regions.values():
        page = site / "regions" / region.slug / "index.html"
        if fb.claims_about(region.code):
            html = read(site, f"regions/{region.slug}/index.html")
            assert region.name in html
            for claim in fb.claims_about(region.code):
                assert f"claim-{claim.id}" in html
            for alias in region.aliases:
                assert alias in text_of(html)
        elif not fb.events_about(region.code):
            assert not page.exists()
    overview = read(site, "regions/index.html")
    assert overview.count('<tr id="region-UA-') == 27


def test_summit_page_states_date_and_place(built, fb) -> None:
    site, _ = built
    summits = sorted(
        (e for e in fb.events.values() if e.kind is EventKind.summit), key=lambda e: e.date.sort_key
    )
    summit = summits[-1]
    text = text_of(read(site, "summit/index.html"))
    assert summit.date.human() in text
    assert summit.location and summit.location in text
    assert "Alaska" in text


def card_pages(fb) -> dict[str, str]:
    """Claim id → the built HTML file that holds its card (its group's page)."""
    homes = listings.homes(listings.sections(fb))
    return {cid: f"{link.page}index.html" for cid, link in homes.items()}


def card_of(site: Path, fb, claim) -> str:
    html = read(site, card_pages(fb)[claim.id])
    block = html[
        html.index(
            f'<article class="wcw-fact wcw-fact--{claim.status.value}" id="claim-{claim.id}"'
        ) :
    ]
    return block[: block.index("</article>")]


def test_who_claims_what_lists_every_claim_with_sources(built, fb) -> None:
    site, _ = built
    html = read(site, "who-claims-what/index.html")
    # Every card on its group's page; every territorial position listed on the page itself.
    for claim in fb.claims.values():
        assert f'id="claim-{claim.id}"' in read(site, card_pages(fb)[claim.id])
        if listings.placement(fb, claim)[0] == "territory":
            assert f'id="claim-{claim.id}"' in html
    # the matrix: one row per region a party names, a column per party with a claim
    matrix = html[
        html.index('<table class="wcw-matrix">') : html.index(
            "</table>", html.index('<table class="wcw-matrix">')
        )
    ]
    speaking = {p for c in fb.claims.values() if c.regions for p in fb.positions_of(c)}
    assert matrix.count('<th scope="col">') == 1 + len(set(NEGOTIATING_PARTIES) & speaking)
    assert "Crimea" in matrix and "Zaporizhzhia" in matrix
    assert "No claim recorded" not in matrix


def test_statuses_are_visible_and_distinct(built, fb) -> None:
    site, _ = built
    for claim in fb.claims.values():
        block = card_of(site, fb, claim)
        assert f"wcw-badge--{claim.status.value}" in block
        assert claim.status.label in block
    html = read(site, "who-claims-what/commentary-media/index.html")
    labels = {m for m in re.findall(r'wcw-badge--(\w+)">([^<]+)<', html)}
    assert ("reported", "Reported, unverified") in labels


def test_every_fact_links_to_its_sources_with_evidence(built, fb) -> None:
    site, _ = built
    claim = next(iter(fb.claims.values()))
    block = card_of(site, fb, claim)
    for cite in claim.sources:
        assert f'href="../../sources/#src-{cite.source}"' in block
        assert '<details class="wcw-evidence">' in block
    sources = read(site, "sources/index.html")
    for source_id in fb.sources:
        assert f'id="src-{source_id}"' in sources


def test_deadlines_have_status_against_as_of(built, fb) -> None:
    site, _ = built
    import datetime as dt

    html = read(site, "deadlines/index.html")
    as_of = dt.date.fromisoformat(AS_OF)
    for deadline in fb.deadlines.values():
        assert f'id="deadline-{deadline.id}"' in html
        assert deadline.state(as_of).label in text_of(html)
    assert "10 August 2025" in text_of(html)


def test_timeline_groups_by_year_and_month(built, fb) -> None:
    site, _ = built
    html = read(site, "timeline/index.html")
    for event in fb.events.values():
        assert f'id="event-{event.id}"' in html
    years = sorted({e.date.year for e in fb.events.values()})
    for year in years:
        assert re.search(rf"<h2[^>]*>{year}", html)
    assert 2014 in years


def test_people_and_sources_pages(built, fb) -> None:
    site, _ = built
    people = read(site, "people/index.html")
    for actor in fb.actors.values():
        assert f'id="actor-{actor.id}"' in people
    sources = text_of(read(site, "sources/index.html"))
    assert "citing" in sources


def test_json_ld_claims_per_page(built, fb) -> None:
    import json

    site, _ = built
    page = "who-claims-what/commentary-media/index.html"
    html = read(site, page)
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    claims = data["mentions"]
    # The newest claims only: the head of the page stays small.
    on_page = [c for c in fb.claims.values() if card_pages(fb)[c.id] == page]
    newest = sorted(on_page, key=chronological, reverse=True)
    # A page holds at most PER_PAGE cards, fewer than JSON-LD would ever cut.
    assert len(on_page) > 5 and len(on_page) <= listings.PER_PAGE < MAX_MENTIONS
    assert [c["@id"].rsplit("#claim-", 1)[1] for c in claims] == [
        c.id for c in newest[:MAX_MENTIONS]
    ]
    assert {c["@type"] for c in claims} == {"Claim"}
    assert all(c["author"]["name"] and c["appearance"] for c in claims)


def test_open_graph_description_per_page(built) -> None:
    site, _ = built
    descriptions = set()
    for rel in PAGE_FILES:
        html = read(site, rel)
        m = re.search(r'<meta property="og:description" content="([^"]+)"', html)
        assert m, rel
        descriptions.add(m.group(1))
        assert '<meta name="description"' in html
    assert len(descriptions) == len(PAGE_FILES)


def test_no_third_party_font_or_script(built) -> None:
    site, _ = built
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        fetched = re.findall(r'<(?:script|img|iframe)[^>]+src="(https?:[^"]+)"', html)
        fetched += [
            m.group(2)
            for m in re.finditer(r'<link([^>]*)href="(https?:[^"]+)"', html)
            if not re.search(r'rel="(canonical|alternate)"', m.group(1) + m.group(0))
        ]
        assert not fetched, f"{path} loads {fetched}"


def test_page_list_matches_site(built, fb) -> None:
    import datetime as dt

    site, _ = built
    for page in pages(fb, dt.date.fromisoformat(AS_OF)):
        assert (site / page.url / "index.html").exists(), page.url


@pytest.fixture(scope="module")
def zensical_site(built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated docs built by Zensical instead of MkDocs (kept apart, copied by tests)."""
    _, project = built
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "custom_dir: generator/theme", f"custom_dir: {REPO / 'generator/theme'}"
    )
    config = config.replace(
        "- generator/mkdocs_hooks.py", f"- {REPO / 'generator/mkdocs_hooks.py'}"
    )
    config = config.replace("site_dir: site", "site_dir: zensical-site")
    (project.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run(
        [str(zensical), "build", "-f", "mkdocs.yml"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (project.root / "mkdocs.yml").unlink()
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path_factory.mktemp("zensical") / "site"
    shutil.move(project.root / "zensical-site", out)
    return out


def test_zensical_builds_the_generated_docs(built, zensical_site: Path, tmp_path: Path) -> None:
    """Readers must not be stranded when Material reaches end of life."""
    _, project = built
    out = tmp_path / "site"
    shutil.copytree(zensical_site, out)
    for rel in PAGE_FILES:
        assert (out / rel).exists(), rel
    assert "Alaska" in read(out, "summit/index.html")

    # The post-build step runs on Zensical's HTML as `build` runs it on MkDocs':
    # Zensical hides its drawer's label from assistive technology, which the
    # Nu checker refuses on a label tied to a control; the step removes it.
    drawer = re.compile(r'<label[^>]*for="__drawer"[^>]*aria-hidden[^>]*>')
    assert drawer.search(read(out, "index.html")), "Zensical's HTML changed: revisit the fix"
    (out / "404.html").write_text(
        read(out, "404.html").replace("</body>", '<a href="no-such-page/">dead</a></body>', 1),
        encoding="utf-8",
    )
    done = run_cli("postbuild", "--content", project.content, "--site-dir", out)
    assert "Traceback" not in done.stderr
    assert not drawer.search(read(out, "index.html"))
    assert all(fix(read(out, "index.html")) == read(out, "index.html") for fix in HTML_FIXES)
    # ... and its link check reports the dead link planted on a Zensical page.
    assert done.returncode == 1
    assert "404.html: no-such-page/ (no such page)" in done.stderr, done.stderr


def test_zensical_site_passes_the_post_build_link_check(
    built, zensical_site: Path, tmp_path: Path
) -> None:
    """Zensical resolves links in HTML blocks against the Markdown file, MkDocs
    leaves them as written: with each page's Markdown at its URL (``page/index.md``)
    both publish the same, working links."""
    _, project = built
    out = tmp_path / "site"
    shutil.copytree(zensical_site, out)
    done = run_cli("postbuild", "--content", project.content, "--site-dir", out)
    assert done.returncode == 0, done.stderr[:2000]
    assert "every internal link resolves" in done.stdout
    # ... and the step gives Zensical's site the same search: Pagefind's index of
    # the pages' text, with the name records that rank an alias's page first.
    assert "search index of" in done.stdout
    records = {r.url: r for r in indexed_pages(out / "pagefind")}
    assert records["/people/#actor-steve-witkoff"].meta["also"] == "Witko, Witkoff"
    assert records["/regions/zaporizhzhia/"].title == "Zaporizhzhia"
    assert "/contributing/" not in records
    assert "wcw-search-input" in read(out, "index.html")


def test_glossary_terms_link_to_their_definition_on_first_use(built, fb) -> None:
    """A term's first use on a page links to its glossary entry, with the
    definition as title; later uses are plain text; the glossary lists all."""
    site, _ = built
    entries = {g.term: g for g in fb.glossary}
    html = read(site, "who-claims-what/commentary-media/index.html")
    found = re.findall(r'<a class="wcw-term" href="([^"]*)" title="([^"]*)">([^<]*)</a>', html)
    assert len(found) > 5, "glossary terms are not linked on the matrix page"
    terms = [unescape(term) for *_, term in found]
    assert len(terms) == len(set(terms)), "a term is linked more than once on one page"
    for link, title, term in found:
        entry = entries[unescape(term)]
        assert unescape(title) == entry.definition
        assert link == f"../../methodology/#{entry.anchor}"
    glossary = read(site, "methodology/index.html")
    for entry in fb.glossary:
        dt = re.search(
            rf"""<dt id="{entry.anchor}" data-wcw-names='([^']*)'><dfn>([^<]*)</dfn></dt>"""
            r"<dd>([^<]*)",
            glossary,
        )
        assert dt, f"{entry.term} has no entry in the glossary"
        assert unescape(dt.group(2)) == entry.term and unescape(dt.group(3)) == entry.definition
        assert json.loads(unescape(dt.group(1))) == [entry.term]  # search finds it by name
    # The theme's tooltip component costs ~0.5 s of main-thread time on the
    # matrix page (Lighthouse); the link and its title need no script.
    assert '"content.tooltips"' not in html
