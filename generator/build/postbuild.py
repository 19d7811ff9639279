"""Checks and fixes applied to the built HTML, whichever engine built it.

MkDocs validates Markdown links, but our facts are HTML blocks whose links
it never sees; so every internal link and anchor in the final HTML is
resolved here, and a dead one fails the build before anything is published.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.build import stamps
from generator.build.errors import BuildError
from generator.build.worker import PAGES_BESIDE, beside
from generator.content.beside import in_halves
from generator.content.files import write_atomic
from generator.site import slots
from generator.site.cardstore import MANIFEST, CardShards, place_store

# A start tag, and its id/name and href attributes. Text cannot hold a raw
# '<' (it is escaped), so scanning tags this way finds exactly what an HTML
# parser would, several times faster — this runs on every page of every build.
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)(\s[^>]*)?>")
_LINK_ATTR = re.compile(r"""\s([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


def _parse(path: Path) -> _Page:
    page = _Page()
    for tag in _START_TAG.finditer(path.read_text(encoding="utf-8")):
        attrs = tag.group(2)
        if not attrs or ("id" not in attrs and "name" not in attrs and "href" not in attrs):
            continue
        for m in _LINK_ATTR.finditer(attrs):
            name, value = m.group(1).lower(), unescape(m.group(2) or m.group(3) or m.group(4) or "")
            if name in ("id", "name") and value:
                page.ids.add(value)
            elif name in ("href", "xlink:href") and tag.group(1).lower() == "a" and value:
                page.links.append(value)
    return page


def _parse_each(rels: list[str], site: Path) -> dict[str, _Page]:
    return {rel: _parse(site / rel) for rel in rels}


def _tree(site: Path) -> tuple[set[str], set[str]]:
    """Every file and every folder of the site, relative: the link check asks of
    these sets, not of the disk, for each of the 126,000 links at 10,000 claims."""
    files: set[str] = set()
    folders = {""}
    for folder, dirs, names in os.walk(site):
        rel = Path(folder).relative_to(site).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        folders.update(prefix + d for d in dirs)
        files.update(prefix + n for n in names)
    return files, folders


#: The file under ``build/`` where the build keeps what it read of each page.
LINKS_READ = "links-read.marshal"


class _Parsed:
    """The pages' ids, links and dead links, kept between builds in ``kept`` (see
    :mod:`generator.build.stamps`): a page that has not changed is not read
    again, nor its links checked again while the :func:`_world` is the same."""

    VERSION = "2"
    WORLD = " world"  # the key of the world's digest: no page's path starts with a space

    def __init__(self, kept_file: Path | None) -> None:
        self.kept_file = kept_file
        self.before = stamps.load(kept_file, self.VERSION) if kept_file is not None else {}
        self.after: dict[str, Any] = {}
        self.unchanged: set[str] = set()
        self.world = ""

    def pages(self, site: Path, rels: list[str]) -> dict[str, _Page]:
        """Each page's ids and links, in order: kept where its stamp is the same,
        read otherwise; of many to read (a full build), every other one is read
        on the other core."""
        now = {rel: stamps.stamp(site / rel) for rel in rels}
        found: dict[str, _Page] = {}
        unread = []
        for rel in rels:
            made = self.before.get(rel)
            if made and made[0] == now[rel]:
                found[rel] = _Page(set(made[1]), made[2])
                self.unchanged.add(rel)
            else:
                unread.append(rel)
        found.update(in_halves(beside, _parse_each, unread, site, at_least=PAGES_BESIDE))
        pages = {rel: found[rel] for rel in rels}
        for rel, page in pages.items():
            self.after[rel] = [now[rel], sorted(page.ids), page.links, []]
        return pages

    def found_before(self, rel: str) -> list[str] | None:
        """The page's dead links as the last check found them, if that still holds."""
        if rel in self.unchanged and self.before.get(self.WORLD) == self.world:
            return list(self.before[rel][3])
        return None

    def found(self, rel: str, broken: list[str]) -> None:
        self.after[rel][3] = broken

    def keep(self) -> None:
        if self.kept_file is not None:
            stamps.save(self.kept_file, self.VERSION, {**self.after, self.WORLD: self.world})


def broken_links(site: Path, base_path: str = "/", kept: Path | None = None) -> list[str]:
    """Internal links whose page or anchor does not exist, as 'page: href'.

    ``base_path`` is the path of ``site_url``: MkDocs writes root-absolute
    links with it on pages such as 404.html, which are served from anywhere.
    ``kept``: where to keep what was read of each page for the next build,
    and what was found wrong with it: while the site's files and every page's
    ids are those of the last check, only the pages that changed are checked
    again (an edit at 10,000 claims: the links of 2 pages, not of 500).
    """
    files, folders = _tree(site)
    parsed = _Parsed(kept)
    pages = parsed.pages(site, sorted(rel for rel in files if rel.endswith(".html")))
    parsed.world = _world(base_path, files, pages)
    resolved: dict[tuple[str, str], tuple[str, str | None]] = {}
    broken = []
    for rel, page in pages.items():
        found = parsed.found_before(rel)
        if found is None:
            found = _broken_on(rel, page, pages, (base_path, files, folders), resolved)
        parsed.found(rel, found)
        broken += found
    parsed.keep()
    return broken


def _world(base_path: str, files: set[str], pages: Mapping[str, _Page]) -> str:
    """What every page's links are checked against: the files and each page's ids."""
    digest = hashlib.sha256(base_path.encode("utf-8"))
    for rel in sorted(files):
        digest.update(f"\0{rel}\0".encode())
        if rel in pages:
            digest.update("\1".join(sorted(pages[rel].ids)).encode("utf-8"))
    return digest.hexdigest()


def _broken_on(
    rel: str,
    page: _Page,
    pages: Mapping[str, _Page],
    tree: tuple[str, set[str], set[str]],
    resolved: dict[tuple[str, str], tuple[str, str | None]],
) -> list[str]:
    """The dead links of one page. ``tree``: the base path, files and folders;
    ``resolved`` is shared by the pages of one check."""
    base = posixpath.dirname(rel)
    broken = []
    for href in page.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
            continue
        path = unquote(parts.path)
        if not path:
            target, problem = rel, None
        else:
            where = (base, path)
            if where not in resolved:
                resolved[where] = _resolve(base, path, *tree)
            target, problem = resolved[where]
        if problem:
            broken.append(f"{rel}: {href} ({problem})")
            continue
        anchor = unquote(parts.fragment)
        if anchor and target in pages and anchor not in pages[target].ids:
            broken.append(f"{rel}: {href} (no such anchor)")
    return broken


def _resolve(
    base: str, path: str, base_path: str, files: set[str], folders: set[str]
) -> tuple[str, str | None]:
    """The file a link's path names from a page in folder ``base``, and what is wrong, if any."""
    if path.startswith("/"):
        if not path.startswith(base_path):
            return "", f"outside the site's base path {base_path}"
        path = path[len(base_path) :]
        target = posixpath.normpath(path) if path else "."
    else:
        target = posixpath.normpath(posixpath.join(base, path))
    if target == ".":
        target = ""
    if not target or path.endswith("/") or (path and target in folders):
        target = posixpath.join(target, "index.html") if target else "index.html"
    if target.startswith("../"):
        return target, "leaves the site"
    if target not in files:
        return target, "no such page"
    return target, None


# --- Fixes to the theme's HTML -------------------------------------------
#
# Material for MkDocs (and Zensical, which shares its templates) writes a few
# things that fail the Nu HTML checker or axe-core. Each fix below is one
# small function from a page's HTML to the fixed HTML; it changes only the
# tags it names and is a no-op where the pattern is absent, so it holds for
# any engine's output and for pages the theme did not write.

# One start tag, attributes quoted or not; a ">" inside quotes does not end it.
_ATTR = r"""\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""


def _start_tags(name: str) -> re.Pattern[str]:
    return re.compile(rf"<{name}(?:{_ATTR})*\s*/?>", re.IGNORECASE)


def _attr(tag: str, name: str) -> str | None:
    """The value of attribute ``name`` in one start tag, or None."""
    m = re.search(
        rf"""\s{name}(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?(?=[\s/>])""",
        tag,
        re.IGNORECASE,
    )
    if m is None:
        return None
    return next((g for g in m.groups() if g is not None), "")


def _drop_attr(tag: str, name: str) -> str:
    return re.sub(
        rf"""\s{name}(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?(?=[\s/>])""",
        "",
        tag,
        flags=re.IGNORECASE,
    )


def _add_attr(tag: str, name: str, value: str) -> str:
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end].rstrip()} {name}="{value}"{tag[end:]}'


def _rewrite(html: str, name: str, fix: Callable[[str], str]) -> str:
    return _start_tags(name).sub(lambda m: fix(m.group(0)), html)


def drop_checkbox_autocomplete(html: str) -> str:
    """Nu checker: ``autocomplete`` is not allowed on checkboxes (nor radio buttons).

    Material puts ``autocomplete="off"`` on its drawer and search toggles so
    Firefox does not restore them on reload; the drawer and search then open
    closed as on any first visit, which is the same thing for readers.
    """

    def fix(tag: str) -> str:
        if (_attr(tag, "type") or "").lower() in ("checkbox", "radio") and _attr(
            tag, "autocomplete"
        ) is not None:
            return _drop_attr(tag, "autocomplete")
        return tag

    return _rewrite(html, "input", fix)


_ANY_START_TAG = re.compile(rf"<[a-zA-Z][\w-]*(?:{_ATTR})*\s*/?>")


def _rewrite_tags_with(html: str, word: str, fix: Callable[[str], str]) -> str:
    """Apply ``fix`` to every start tag that contains ``word``.

    A page has thousands of tags and few with the word: each tag is found
    from the word back to its ``<``. Should that ever miss (a ``<`` inside a
    quoted value), the page falls back to trying every tag.
    """
    lowered = html.lower()
    parts, done = [], 0
    at = lowered.find(word)
    while at != -1:
        start = html.rfind("<", done, at)
        tag = _ANY_START_TAG.match(html, start) if start != -1 else None
        if tag is None or tag.end() <= at:
            return _ANY_START_TAG.sub(
                lambda m: fix(m.group(0)) if word in m.group(0).lower() else m.group(0), html
            )
        parts += [html[done:start], fix(tag.group(0))]
        done = tag.end()
        at = lowered.find(word, done)
    return "".join(parts) + html[done:] if parts else html


def drop_empty_tabindex(html: str) -> str:
    """Nu checker: ``tabindex=""`` is not an integer (Material's section labels)."""

    def fix(tag: str) -> str:
        return _drop_attr(tag, "tabindex") if _attr(tag, "tabindex") == "" else tag

    return _rewrite_tags_with(html, "tabindex", fix)


def _has_id(html: str, value: str) -> bool:
    """Whether any tag has ``id=value``: a page has a few labels and thousands of ids, so
    each label's target is looked up as the theme writes it before any slower search."""
    if f' id="{value}"' in html:
        return True
    v = re.escape(value)
    return re.search(rf"""\sid\s*=\s*(?:"{v}"|'{v}'|{v}(?=[\s>]))""", html) is not None


def unlink_orphan_labels(html: str) -> str:
    """Nu checker: a label's ``for`` must name a control on the page.

    Material's table-of-contents title is ``<label for="__toc">``, but the
    ``__toc`` toggle is written only for pages in the navigation; on the
    region pages (not in the nav) the label names nothing. Without ``for``
    it is a plain title.
    """

    def fix(tag: str) -> str:
        target = _attr(tag, "for")
        return _drop_attr(tag, "for") if target is not None and not _has_id(html, target) else tag

    return _rewrite(html, "label", fix)


def unhide_control_labels(html: str) -> str:
    """Nu checker: ``aria-hidden`` is not allowed on a label tied to a control.

    Zensical marks the drawer's overlay ``<label for="__drawer"
    aria-hidden="true">``; Material writes the same label without it. The
    label is empty, so there is nothing for assistive technology to read.
    """

    def fix(tag: str) -> str:
        if _attr(tag, "for") and _attr(tag, "aria-hidden") is not None:
            return _drop_attr(tag, "aria-hidden")
        return tag

    return _rewrite(html, "label", fix)


def name_search_dialog(html: str) -> str:
    """axe aria-dialog-name: Material's search overlay is a dialog without a name."""

    def fix(tag: str) -> str:
        if (
            (_attr(tag, "role") or "").lower() == "dialog"
            and _attr(tag, "data-md-component") == "search"
            and _attr(tag, "aria-label") is None
            and _attr(tag, "aria-labelledby") is None
        ):
            return _add_attr(tag, "aria-label", "Search")
        return tag

    return _rewrite(html, "div", fix)


#: Applied in this order to every HTML file of the site.
HTML_FIXES: tuple[Callable[[str], str], ...] = (
    drop_checkbox_autocomplete,
    drop_empty_tabindex,
    unlink_orphan_labels,
    unhide_control_labels,
    name_search_dialog,
)


@dataclass(frozen=True)
class Since:
    """An incremental build's news: pages older than ``time`` were filled and fixed by
    the build before, and keep what they hold unless they show a card in ``cards``."""

    time: float
    cards: frozenset[str]

    def unchanged_as_kept(self, stamp: list[int], kept: list[Any]) -> bool:
        """:meth:`unchanged`, told by what :func:`fix_html` kept of the page, if the
        page (of ``stamp``) is still the one it kept: its stamp and the keys of its cards."""
        if stamp != kept[0] or stamp[1] / 1e9 >= self.time:
            return False
        return not self.cards.intersection(kept[1])

    def unchanged(self, path: Path, html: str) -> bool:
        if path.stat().st_mtime >= self.time:
            return False
        return not (self.cards and slots.keys(html) & self.cards)


def changed(before: Mapping[str, str], after: Mapping[str, str]) -> frozenset[str]:
    """The keys of the cards in ``after`` that are new or differ from ``before``."""
    if isinstance(before, CardShards) and isinstance(after, CardShards):
        return after.changed_from(before)  # the shards that differ, by their lines
    return frozenset(k for k, v in after.items() if before.get(k) != v)


def changed_since(copy: Path, cards: Mapping[str, str]) -> frozenset[str]:
    """The cards that differ from those of the store copied to ``copy`` when pages were
    last filled (:func:`keep_filled`); all of them, if there is no such copy."""
    try:
        before = load_cards(copy)
    except BuildError:
        return frozenset(cards)
    return changed(before, cards)


def keep_filled(store: Path, copy: Path) -> None:
    """Copy the card store the pages were just filled from to ``copy``, for
    :func:`changed_since` (hard links: the store's shards are replaced, never rewritten)."""
    try:
        place_store(store, copy)
    except ValueError as exc:
        raise _damaged(store, exc) from None


def forget_filled(copy: Path) -> None:
    """The pages are about to be filled anew: until that is done, no copy says what they hold."""
    (copy / MANIFEST).unlink(missing_ok=True)


#: In ``build/``: the cards each page of the site shows, by the page's stamp (see fix_html).
CARDS_SHOWN = "cards-shown.marshal"

_SHOWN_VERSION = "1"


def fix_html(
    site: Path,
    cards: Mapping[str, str] | None = None,
    since: Since | None = None,
    shown: Path | None = None,
) -> list[str]:
    """Fill the cards into their slots and apply HTML_FIXES, page by page; the pages
    changed, relative to ``site``. ``cards``: the card store (none: slots left as they are).
    ``since``: an incremental build's news (none: every page).

    ``shown``: a file that keeps the keys of the cards each page shows, by the
    page's stamp (:mod:`~generator.build.stamps`). An edit's post-step then
    reads only the pages the engine wrote and those showing a changed card,
    not all 89 MB of pages at 10,000 claims.
    """
    before_shown = stamps.load(shown, _SHOWN_VERSION) if shown is not None else {}
    pages = list(stamps.files(site, ".html").items())
    at_least = PAGES_BESIDE if since is None else len(pages) + 1  # an edit's: in line
    fixed = in_halves(
        beside, _fix_pages, pages, site, cards, since, before_shown, at_least=at_least
    )
    rels = [rel for rel, _stamp in pages]
    if shown is not None:
        stamps.save(shown, _SHOWN_VERSION, {rel: fixed[rel][1] for rel in rels})
    return [rel for rel in rels if fixed[rel][0]]


def _fix_pages(
    pages: list[tuple[str, list[int]]],
    site: Path,
    cards: Mapping[str, str] | None,
    since: Since | None,
    before_shown: Mapping[str, Any],
) -> dict[str, tuple[bool, Any]]:
    """:func:`fix_html` for ``pages`` (each page's path and its stamp as listed): by
    page, whether it changed and what it shows."""
    done: dict[str, tuple[bool, Any]] = {}
    for rel, listed in pages:
        path = site / rel
        kept = before_shown.get(rel)
        if since is not None and kept and since.unchanged_as_kept(listed, kept):
            done[rel] = (False, kept)
            continue
        before = path.read_text(encoding="utf-8")
        if since is not None and since.unchanged(path, before):
            done[rel] = (False, [stamps.stamp(path), sorted(slots.keys(before))])
            continue
        after = before
        if cards is not None and slots.has_slots(after):
            after = slots.fill(after, cards, slots.page_url(rel))
        for fix in HTML_FIXES:
            after = fix(after)
        if after != before:
            write_atomic(path, after.encode("utf-8"))
        done[rel] = (after != before, [stamps.stamp(path), sorted(slots.keys(after))])
    return done


def load_cards(path: Path) -> CardShards:
    """The card store the generator wrote; a site with slots and no store cannot be finished."""
    if not path.is_dir():
        raise BuildError(
            f"{path} is missing: run 'python -m generator generate' before building, "
            "so the pages' cards can be filled in"
        )
    try:
        return CardShards(path)
    except ValueError as exc:
        raise _damaged(path, exc) from None


def _damaged(store: Path, exc: ValueError) -> BuildError:
    return BuildError(f"{store} is damaged ({exc}): run 'python -m generator generate'")


def postprocess(
    site: Path,
    base_path: str = "/",
    cards: Mapping[str, str] | None = None,
    since: Since | None = None,
    kept: Path | None = None,
    shown: Path | None = None,
) -> list[str]:
    """Fill in the cards and apply the accessibility fixes (the pages changed), then fail
    on dead internal links (``kept``: see :func:`broken_links`; ``shown``: see
    :func:`fix_html`).

    The fixes touch neither links nor ids, so the order does not change what
    the check finds; fixing first leaves another engine's site fixed even when
    its links must be reported. The links checked are the filled pages' links.
    """
    fixed = fix_html(site, cards, since, shown)
    check_links(site, base_path, kept)
    return fixed


def check_links(site: Path, base_path: str = "/", kept: Path | None = None) -> None:
    """Raise BuildError naming the dead internal links (:func:`broken_links`), if any."""
    broken = broken_links(site, base_path, kept)
    if broken:
        listed = "\n".join(f"  {b}" for b in broken[:50])
        more = f"\n  … and {len(broken) - 50} more" if len(broken) > 50 else ""
        raise BuildError(f"{len(broken)} broken internal links or anchors:\n{listed}{more}")
