"""Issue 16's acceptance: no machine id reaches a reader, and sources read as labels.

One real build of the shipped content; every page but /contributing/ (whose
examples show ids on purpose) is read as a reader sees it: the visible text of
the HTML (not its attributes), the search index, the Atom feed, the JSON-LD
descriptions and the share-card descriptions.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build.search import indexed_pages
from generator.content.factbase import FactBase, load
from generator.content.markup import MARKUP
from generator.content.project import Project
from generator.content.rules.references import bare_ids, machine_ids
from generator.site.templating import counted

from .conftest import run_cli
from .test_site import copy_project

AS_OF = "2026-12-01"
SHARE_CARDS = {"description", "og:description", "twitter:description"}


class Reader(HTMLParser):
    """What a reader of a page sees: its text outside scripts and styles, plus the
    descriptions its share cards and JSON-LD carry."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.cards: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self._in = values.get("type") or tag
        if tag == "meta" and (values.get("name") or values.get("property")) in SHARE_CARDS:
            self.cards.append(values.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "application/ld+json":
            self.scripts.append(data)
        elif self._in is None:
            self.text.append(data)


def descriptions(node: object) -> Iterator[str]:
    """Every reader-facing string of a JSON-LD graph (names, descriptions, texts)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "name", "headline", "text") and isinstance(value, str):
                yield value
            else:
                yield from descriptions(value)
    elif isinstance(node, list):
        for item in node:
            yield from descriptions(item)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FactBase]:
    root = tmp_path_factory.mktemp("reader")
    content = copy_project(root)
    result = run_cli("build", "--content", content, "--as-of", AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    fb, problems = load(Project.at(content))
    assert not problems
    return root / "site", fb


def reader_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a reader of the site reads."""
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith("contributing/"):
            continue
        reader = Reader()
        reader.feed(page.read_text(encoding="utf-8"))
        yield rel, " ".join(reader.text)
        for card in reader.cards:
            yield f"{rel} (share card)", card
        for script in reader.scripts:
            for text in descriptions(json.loads(script)):
                yield f"{rel} (JSON-LD)", text
    # What search shows: the titles, the indexed words it quotes, and the other
    # metadata of every record (pages and names) in Pagefind's fragments.
    records = indexed_pages(site / "pagefind")
    assert records and not [r.url for r in records if r.url.startswith("/contributing/")]
    for record in records:
        shown = " ".join(v for k, v in sorted(record.meta.items()) if k != "url")
        yield f"search index: {record.url}", f"{shown} {record.content}"
    feed = ET.parse(site / "feed.xml").getroot()
    for element in feed.iter():
        if element.text and element.text.strip():
            yield "feed.xml", re.sub(r"<[^>]+>", " ", element.text)


def test_no_machine_id_reaches_a_reader(site: tuple[Path, FactBase]) -> None:
    root, fb = site
    # Region codes are ISO 3166-2 codes, printed on purpose as such in the regions
    # index and on each region's page ("ISO 3166-2 code UA-23"); every other id is ours.
    ids = {i: kind for i, kind in machine_ids(fb).items() if kind != "region"}
    assert ids
    seen = 0
    found = []
    for where, text in reader_texts(root):
        seen += 1
        found += [f"{where}: {ident}" for ident in bare_ids(text, ids)]
        found += [f"{where}: {m.group()}" for m in MARKUP.finditer(text)]
    assert seen > 100  # every page, card, index entry and feed entry was read
    assert found == []


def test_a_reference_shows_the_label_with_a_link(site: tuple[Path, FactBase]) -> None:
    root, fb = site
    label = fb.sources["toutiao-relay"].label.replace("'", "&#39;")
    link = re.compile(
        rf'<a class="wcw-ref" href="(\.\./)+sources/#src-toutiao-relay">{re.escape(label)}</a>'
    )
    pages = [p for p in root.rglob("index.html") if link.search(p.read_text(encoding="utf-8"))]
    assert pages, "no page renders {source:toutiao-relay} as its label with a link"


def test_the_sources_page_uses_labels_and_never_echoes_the_outlet(
    site: tuple[Path, FactBase],
) -> None:
    root, fb = site
    reader = Reader()
    reader.feed((root / "sources" / "index.html").read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", " ".join(reader.text))
    for source in fb.sources.values():
        assert source.label in text
    assert "Bloomberg, citing Bloomberg" not in text and "Yahoo, citing Yahoo" not in text
    assert "Toutiao, citing Reuters, citing Bloomberg, citing sources" in text
    assert "Original https://www.toutiao.com/article/1839931802607753/" in text
    html = (root / "sources" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.toutiao.com/article/1839931802607753/"' in html


def test_date_reasoning_is_inside_the_evidence_never_in_the_body(
    site: tuple[Path, FactBase],
) -> None:
    root, fb = site
    htmls = [p.read_text(encoding="utf-8") for p in root.rglob("index.html")]
    assert not [h for h in htmls if "Date worked out" in h]
    claim = fb.claims["reuters-relays-bloomberg"]
    assert claim.date_basis
    # The card in full, on its group's page (who-claims-what itself lists lines).
    html = next(
        h for h in htmls if 'id="claim-reuters-relays-bloomberg"' in h and "wcw-evidence" in h
    )
    card = html[html.index('id="claim-reuters-relays-bloomberg"') :]
    card = card[: card.index("</article>")]
    body, evidence = card.split('<details class="wcw-evidence">', 1)
    assert "How we know the date" not in body
    assert "How we know the date:" in evidence


def test_the_methodology_explains_the_rules_with_real_facts(site: tuple[Path, FactBase]) -> None:
    root, fb = site
    html = (root / "methodology" / "index.html").read_text(encoding="utf-8")
    disputed = [c for c in fb.claims.values() if c.status.value == "disputed"]
    assert disputed and all(f"#claim-{c.id}" in html for c in disputed)
    assert not any(c.status.value == "denied" for c in fb.claims.values())
    assert "No fact on the site is denied today." in html
    assert "Every fact names its file" not in html and "inference alone" not in html
    assert "Inferences and general knowledge are marked as such" in html


def test_the_matrix_shows_official_positions_and_proposals_only_their_terms(
    site: tuple[Path, FactBase],
) -> None:
    from generator.content.model import NEGOTIATING_PARTIES, Party
    from generator.site.matrix import matrix

    _root, fb = site
    cells = {
        (row.region.code, party): cell.latest
        for row in matrix(fb)
        for party, cell in zip(NEGOTIATING_PARTIES, row.cells, strict=True)
    }
    ukraine_zaporizhzhia = cells[("UA-23", Party.ukraine)]
    us_crimea = cells[("UA-43", Party.united_states)]
    assert ukraine_zaporizhzhia and ukraine_zaporizhzhia.id != "warsaw-we-stand-our-ground"
    assert us_crimea and us_crimea.id != "trump-thinks-zelenskyy-will-give-up-crimea"
    for (_code, _party), claim in cells.items():
        if claim is not None and claim.proposal is None:
            assert fb.official(claim), claim.id
    terms = fb.terms_of("us-final-offer-apr-2025")
    assert terms and "zelenskyy-never-recognise-crimea" not in {c.id for c in terms}
    assert "putin-demands-recognition-four-regions-apr-2025" not in {c.id for c in terms}


#: A count of one with a plural noun ("1 deadlines"), for the nouns the site counts.
ONE_PLURAL = re.compile(
    r"(?<![\w.,])1 (?:claims|events|deadlines|proposals|(?:verified )?passages|facts|cards"
    r"|wordings|regions|oblasts|sources|source articles|responses|pages)\b"
)


def test_a_count_of_one_takes_the_singular(site: tuple[Path, FactBase]) -> None:
    """The methodology printed "1 deadlines" (today's content has one deadline)."""
    root, _fb = site
    found = [
        f"{where}: {m.group()}"
        for where, text in reader_texts(root)
        for m in ONE_PLURAL.finditer(text)
    ]
    assert found == []
    method = (root / "methodology" / "index.html").read_text(encoding="utf-8")
    assert "1 deadline and" in method


def test_counted_agrees_with_its_count() -> None:
    assert counted(1, "deadline") == "1 deadline"
    assert counted(0, "claim") == "0 claims"
    assert counted(10_132, "verified passage") == "10,132 verified passages"
