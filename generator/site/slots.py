"""Cards travel to the engine as slots and are filled into the built HTML.

A card is rendered once per build; at 10,000 claims the pages list tens of
thousands of them, and passing each copy through Python-Markdown inside the
engine was most of the build. So a page's Markdown holds only a slot for each
card: one HTML comment naming it, which every Markdown engine (MkDocs and
Zensical alike) passes through untouched (two comments side by side, it
turned out, Python-Markdown reorders). After the engine, :func:`fill` puts
the card's HTML after the comment, and a closing comment naming it after the
card.

A template may send any long run of its own HTML the same way, as a block
(``{% filter block %}…{% endfilter %}``): the listings' wrappers, summaries
and filter forms were three quarters of the tags Python-Markdown's HTML
parser read at 10,000 claims. A block is keyed by its content, and holds the
slots of the cards in it; :func:`fill` fills those too.

The comments stay in the published page. That makes filling repeatable: an
edit to a claim changes its card, not the Markdown of the pages listing it,
so the engine has nothing to rebuild there and a second :func:`fill`
replaces the old card in place.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath

from markupsafe import Markup

from generator.site.templating import resolve_links
from generator.site.textformat import TERM_LINK_RE

_OPEN, _CLOSE = "<!--wcw-card ", "-->"
_END = "<!--/wcw-card "
_KEY_RE = re.compile(r"<!--wcw-card ([a-z]+:[a-z0-9-]+)-->")
_VALID_KEY = re.compile(r"[a-z]+:[a-z0-9-]+")


def _end(card_key: str) -> str:
    """The comment a filled slot ends with. It names its key: a block's slot holds
    the slots of the cards in it, and must end at its own end, not theirs."""
    return f"{_END}{card_key}{_CLOSE}"


@dataclass(frozen=True)
class Slot:
    """One slot in a page, filled or not: ``html[start:end]`` is the whole of it."""

    start: int
    end: int
    key: str
    card: str | None  # what a fill put after the comment; None in an unfilled slot

    def text(self, html: str) -> str:
        return html[self.start : self.end]


def scan(html: str) -> Iterator[Slot]:
    """The outermost slots of ``html`` in order. A filled slot runs to its own
    closing comment, and never into a later slot of the same key.

    Plain ``str.find``, each search bounded by the slot it is in: a regular
    expression that must not run into the next slot tests that at every
    character (0.7 s over the 62 MB of pages at 10,000 claims), and looking for
    a later slot of the same key to the end of the page made filling a page
    of many slots quadratic (5 s of a preview rebuild).
    """
    at = 0
    while (start := html.find(_OPEN, at)) != -1:
        head = start + len(_OPEN)
        close = html.find(_CLOSE, head)
        if close == -1:
            return
        card_key, after = html[head:close], close + len(_CLOSE)
        at = after
        if not _VALID_KEY.fullmatch(card_key):
            continue
        end = html.find(_end(card_key), after)
        if end != -1 and html.find(html[start:after], after, end) == -1:
            at = end + len(_end(card_key))
            yield Slot(start, at, card_key, html[after:end])
        else:
            yield Slot(start, after, card_key, None)


def replace_slots(html: str, replace: Callable[[Slot], str]) -> str:
    """``html`` with each slot's text replaced by ``replace(slot)``."""
    out, at = [], 0
    for found in scan(html):
        out += [html[at : found.start], replace(found)]
        at = found.end
    out.append(html[at:])
    return "".join(out)


def key(kind: str, ident: str) -> str:
    """A card's key in the store: 'claim:ID' or 'event:ID'."""
    return f"{kind}:{ident}"


def block_key(html: str) -> str:
    """A block's key: its content's, so an unchanged block keeps its key and a
    changed one changes the page's Markdown (the engine renders that page again)."""
    return key("html", hashlib.sha256(html.encode("utf-8")).hexdigest()[:20])


def slot(card_key: str) -> Markup:
    """The empty slot a page's Markdown holds in place of the card."""
    return Markup(f"{_OPEN}{card_key}{_CLOSE}")


def dump(cards: Mapping[str, str]) -> bytes:
    """The card store (a shard of it: see :mod:`~generator.site.cardstore`) as the
    generator writes it, links still unresolved (see fill): JSON with a line per
    card, by key, so that :class:`CardStore` reads it a line at a time."""
    if not cards:
        return b"{}"
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = ",\n".join(encode(key) + ": " + encode(cards[key]) for key in sorted(cards))
    return ("{\n" + lines + "\n}").encode()


def load(data: bytes) -> CardStore:
    """The card store :func:`dump` wrote, read a card at a time (see :class:`CardStore`)."""
    return CardStore(data)


class CardStore(Mapping[str, str]):
    """The card store as :func:`dump` wrote it, a line per card, each card
    decoded from its line when it is first asked for.

    An edit's post-step fills the few pages whose cards changed; parsing the
    whole store to learn which (31 MB at 10,000 claims, twice: the new store
    and the one the site shows) was 0.4 s of it. Two stores compare by their
    lines (:meth:`changed_from`), without decoding a card.
    """

    def __init__(self, data: bytes) -> None:
        self._lines: dict[str, bytes] = {}
        self._cards: dict[str, str] = {}
        lines = data.strip().split(b"\n")
        if lines == [b"{}"]:
            return
        if lines[0] != b"{" or lines[-1] != b"}":
            raise ValueError("not a card store: expected a line per card between { and }")
        for line in lines[1:-1]:
            colon = line.index(b'": ')
            self._lines[line[1:colon].decode("ascii")] = line[colon + 3 :].removesuffix(b",")

    def __getitem__(self, key: str) -> str:
        card = self._cards.get(key)
        if card is None:
            card = self._cards[key] = json.loads(self._lines[key])
        return card

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def changed_from(self, before: CardStore) -> frozenset[str]:
        """The keys of the cards here that are new or differ from ``before``'s."""
        return frozenset(k for k, line in self._lines.items() if before._lines.get(k) != line)


def page_url(html_path: str) -> str:
    """The directory URL of a built page from its path in the site: 'a/b/index.html' → 'a/b/'."""
    parent = PurePosixPath(html_path).parent.as_posix()
    return "" if parent == "." else f"{parent}/"


def fill(html: str, cards: Mapping[str, str], url: str) -> str:
    """Every slot of one built page filled with its card or block (and a block's
    slots with theirs), links made relative to ``url``.

    A glossary term is linked where a reader first meets it on the page, as
    in print; a card repeats its terms' links only where the page has not
    linked them before. The text around the slots is never changed, so
    filling a page again gives what filling it once gave.

    A slot whose card is gone keeps what it held: the check that runs after
    (dead links and anchors) then reports the page, rather than a card
    silently vanishing.
    """
    seen: set[str] = set()
    return _fill(html, cards, url, partial(_keep_first, seen), seen, own_text=True)


def _fill(
    html: str,
    cards: Mapping[str, str],
    url: str,
    keep_first: Callable[[re.Match[str]], str],
    seen: set[str],
    own_text: bool,
) -> str:
    """:func:`fill`, into the slots of a block too. ``own_text``: ``html`` is the
    page's own (its terms are only counted), not a card's or block's."""
    out, at = [], 0
    for found in scan(html):
        outside = html[at : found.start]
        if own_text:
            seen.update(t.group(1) for t in TERM_LINK_RE.finditer(outside))
        else:
            outside = TERM_LINK_RE.sub(keep_first, outside)
        card = cards.get(found.key)
        body = resolve_links(card, url) if card is not None else found.card or ""
        body = _fill(body, cards, url, keep_first, seen, own_text=False)
        out += [outside, _OPEN, found.key, _CLOSE, body, _end(found.key)]
        at = found.end
    rest = html[at:]
    out.append(rest if own_text else TERM_LINK_RE.sub(keep_first, rest))
    return "".join(out)


def has_slots(html: str) -> bool:
    return _OPEN in html


def keys(html: str) -> set[str]:
    """The keys of the cards a page shows (one scan of the page, however many cards changed)."""
    return set(_KEY_RE.findall(html))


def first_use_only(html: str, cards: Mapping[str, str] | None = None) -> str:
    """Keep the glossary link on the first use of each term in ``html`` only.

    As in print, a term is explained where a reader first meets it; linking
    it on every card (96 times on the matrix page) would cost a screen
    reader's patience and bury the links that matter. A page's own text
    gets this before the engine, counting the terms of the cards in its
    slots (``cards``) where they stand; :func:`fill` carries it on into the
    cards.
    """
    seen: set[str] = set()
    keep_first = partial(_keep_first, seen)
    if not cards:
        return TERM_LINK_RE.sub(keep_first, html)
    out, at = [], 0
    for found in scan(html):
        out.append(TERM_LINK_RE.sub(keep_first, html[at : found.start]))
        out.append(found.text(html))
        seen.update(_terms(cards.get(found.key, ""), cards))
        at = found.end
    out.append(TERM_LINK_RE.sub(keep_first, html[at:]))
    return "".join(out)


def _terms(html: str, cards: Mapping[str, str]) -> Iterator[str]:
    """The glossary terms ``html`` links, those of the cards in its slots included."""
    at = 0
    for found in scan(html):
        yield from (t.group(1) for t in TERM_LINK_RE.finditer(html, at, found.start))
        yield from _terms(cards.get(found.key, ""), cards)
        at = found.end
    yield from (t.group(1) for t in TERM_LINK_RE.finditer(html, at))


def _keep_first(seen: set[str], m: re.Match[str]) -> str:
    term = m.group(1)
    if term in seen:
        return term
    seen.add(term)
    return m.group(0)
