"""Cards reach the engine as slots and are filled in after it (issue 19).

The engine (Python-Markdown inside MkDocs or Zensical) must never parse a
card: at 10,000 claims that was most of the build. What a reader gets must
not change: every card in full where it was, its links relative to the page.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.site import slots
from generator.site.cardstore import CardShards
from generator.site.templating import ROOT

from .conftest import REPO, run_cli

TERM = '<a class="wcw-term" href="{root}methodology/#term-ap" title="The AP.">AP</a>'


def card(text: str) -> str:
    return f'<article id="claim-x"><a href="{ROOT}regions/kherson/">Kherson</a> {text}</article>'


def test_fill_puts_the_card_in_its_slot_with_links_for_the_page() -> None:
    page = f"<h1>T</h1>\n{slots.slot('claim:x')}\n<p>after</p>"
    filled = slots.fill(page, {"claim:x": card("one")}, "regions/donetsk/")
    assert '<article id="claim-x"><a href="../../regions/kherson/">Kherson</a> one</article>' in (
        filled
    )
    assert filled.startswith("<h1>T</h1>\n") and filled.endswith("\n<p>after</p>")
    home = slots.fill(page, {"claim:x": card("one")}, "")
    assert 'href="./regions/kherson/"' in home


def test_filling_again_replaces_the_card_in_place() -> None:
    """A claim's edit changes its card, not the page's Markdown: the engine leaves
    the page alone and a second fill must give what a fresh fill gives."""
    page = f"<p>a</p>{slots.slot('claim:x')}<p>b</p>{slots.slot('claim:y')}<p>c</p>"
    old = {"claim:x": card("old x"), "claim:y": card("old y")}
    new = {"claim:x": card("new x"), "claim:y": card("old y")}
    once = slots.fill(slots.fill(page, old, "a/"), new, "a/")
    assert once == slots.fill(page, new, "a/")
    assert "old x" not in once and "new x" in once and once.count("old y") == 1


def test_a_slot_whose_card_is_gone_is_left_for_the_link_check() -> None:
    page = f"<p>a</p>{slots.slot('claim:gone')}"
    assert (
        slots.fill(page, {}, "") == f"<p>a</p>{slots.slot('claim:gone')}<!--/wcw-card claim:gone-->"
    )


def test_a_filled_card_never_runs_into_the_next_slot() -> None:
    """An unfilled slot before a filled one: the first has no card, the second its own."""
    page = f"{slots.slot('claim:a')}<p>x</p>{slots.slot('claim:b')}<p>B</p><!--/wcw-card claim:b--><p>y</p>"
    found = list(slots.scan(page))
    assert [(s.key, s.card) for s in found] == [("claim:a", None), ("claim:b", "<p>B</p>")]
    assert page[found[1].end :] == "<p>y</p>"
    assert [s.key for s in slots.scan("<!--wcw-card Not A Key--><p>t</p>")] == []
    assert slots.replace_slots(page, lambda s: f"[{s.key}]") == "[claim:a]<p>x</p>[claim:b]<p>y</p>"


def test_a_block_holds_card_slots_that_fill_and_refill_in_place() -> None:
    """A listing's HTML travels as one block holding its cards' slots: the fill
    fills both, the page's keys name the cards inside, and an edited card is
    replaced in place on a second fill."""
    block = f"<ul><li>{slots.slot('claim:x')}</li><li>{slots.slot('claim:y')}</li></ul>"
    key = slots.block_key(block)
    page = f"<h1>T</h1>{slots.slot(key)}<p>end</p>"
    old = {key: block, "claim:x": card("old x"), "claim:y": card("y")}
    new = {**old, "claim:x": card("new x")}
    once = slots.fill(page, old, "a/")
    assert once.count("<ul>") == 1 and "old x" in once and once.count("y</article>") == 1
    assert slots.keys(once) == {key, "claim:x", "claim:y"}
    assert [s.key for s in slots.scan(once)] == [key], "the block's slot ends at its own end"
    again = slots.fill(once, new, "a/")
    assert again == slots.fill(page, new, "a/") and "old x" not in again
    assert again.endswith("<p>end</p>")


def test_a_glossary_term_is_linked_once_across_the_page_and_its_cards() -> None:
    term = TERM.format(root=ROOT)
    cards = {"claim:x": card(term), "claim:y": card(term)}
    page = slots.first_use_only(
        f"<p>{term}</p>{slots.slot('claim:x')}{slots.slot('claim:y')}<p>{term}</p>", cards
    )
    # The page's second use follows a card that links the term: plain text.
    assert page.count('class="wcw-term"') == 1
    filled = slots.fill(page, cards, "")
    assert filled.count('class="wcw-term"') == 1  # the cards do not link it again
    # A page whose first use is in a card: the card keeps the link, the text after does not.
    later = slots.first_use_only(f"{slots.slot('claim:x')}<p>{term}</p>", cards)
    assert slots.fill(later, cards, "").count('class="wcw-term"') == 1
    assert 'class="wcw-term"' in slots.fill(later, cards, "").split("<!--/wcw-card claim:x-->")[0]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("slots")
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    done = run_cli("generate", "--content", root / "content", env={"WCW_AS_OF": "2025-08-10"})
    assert done.returncode == 0, done.stderr
    return root


def test_the_engine_sees_slots_not_cards(generated: Path) -> None:
    docs = generated / "build" / "docs"
    markdown = {p: p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    assert sum(t.count("<!--wcw-card ") for t in markdown.values()) > 150
    # Claim and event cards, the ones that grow with the content (a deadline
    # card is written where it stands: a site has a handful).
    card = re.compile(r'<article class="wcw-fact (?!wcw-fact--\w+ wcw-deadline)')
    assert card.search((REPO / "generator/site/templates/_claims.j2").read_text(encoding="utf-8"))
    with_cards = [p for p, t in markdown.items() if card.search(t)]
    assert with_cards == []
    store = CardShards(generated / "build" / "cards")
    keys = {k for t in markdown.values() for k in re.findall(r"<!--wcw-card (\S+)-->", t)}
    assert keys <= set(store), keys - set(store)


def test_editing_a_claim_rewrites_its_card_not_the_pages_that_list_it(generated: Path) -> None:
    claims = sorted((generated / "content" / "claims").glob("*.yml"))[0]
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("    text: ", "    text: Edited. ", 1), encoding="utf-8")
    store = generated / "build" / "cards"
    before = {p.name: p.read_bytes() for p in store.iterdir()}
    done = run_cli("generate", "--content", generated / "content", env={"WCW_AS_OF": "2025-08-10"})
    assert done.returncode == 0, done.stderr
    after = {p.name: p.read_bytes() for p in store.iterdir()}
    rewritten = [name for name, data in after.items() if before.get(name) != data]
    assert len(rewritten) == 2, rewritten  # the edited card's shard and the manifest
    assert any(b"Edited. " in after[name] for name in rewritten)
    changed = re.search(r"\((\d+) changed", done.stdout)
    assert changed, done.stdout
    # The open data and feed carry the text; no page's Markdown does.
    assert int(changed.group(1)) <= 6, done.stdout


def test_a_store_is_one_json_object_with_a_line_per_card_by_key() -> None:
    """What the post-step loads, and reads a line at a time: byte for byte the same
    whatever order the cards came in."""
    cards = {"claim:b": 'Second – “quoted”\n<a href="x">', "claim:a": "first", "html:0f": ""}
    data = slots.dump(cards)
    assert json.loads(data) == cards and slots.load(data) == cards
    assert data.splitlines()[1].startswith(b'"claim:a": ')  # by key, a line each
    assert len(data.splitlines()) == len(cards) + 2
    assert slots.dump(dict(reversed(cards.items()))) == data
    assert slots.load(slots.dump({})) == {}


def test_a_store_is_read_a_card_at_a_time_and_compared_by_its_lines() -> None:
    """An edit's post-step asks which cards changed, then fills only the pages that
    show them: comparing two stores must not decode 10,000 cards to find one."""
    cards = {"claim:a": "first", "claim:b": "Second – “quoted”\nline\\two", "html:0f": "<p>"}
    edited = {**cards, "claim:b": cards["claim:b"] + "!", "claim:c": "new"}
    del edited["html:0f"]
    before, after = slots.load(slots.dump(cards)), slots.load(slots.dump(edited))
    assert after.changed_from(before) == {"claim:b", "claim:c"}
    assert not after._cards and not before._cards  # found by their lines: none decoded
    assert dict(before) == cards and dict(after) == edited  # every card, as written
    with pytest.raises(ValueError, match="not a card store"):
        slots.load(json.dumps(cards).encode())  # all on one line: not what dump writes
