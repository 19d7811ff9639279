"""Content text → safe HTML, and safe text for Markdown headings.

Content comes from pull requests by people we do not know. Text fields are
rendered with markdown-it-py with raw HTML off, no images and only ``http(s)``
links, so a ``<script>`` in a claim comes out as text; :func:`safe_markdown`
is that one setup, used for facts and for the editors' guide alike.

Headings must stay Markdown (the table of contents and search are built from
them), so heading text is entity-encoded: Python-Markdown passes entities
through untouched, and no Markdown, HTML, attribute-list (``{: …}``) or Jinja
syntax survives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from generator.content.markup import MARKUP as REFERENCE_RE

_SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)
_HEADING_UNSAFE = re.compile(r"[^A-Za-z0-9 \u00a0-\uffff]")


#: A glossary term's link, and the pattern that finds one in rendered HTML
#: (so a page can keep the link on a term's first use only).
TERM_LINK = '<a class="wcw-term" href="{}" title="{}">{}</a>'
TERM_LINK_RE = re.compile(r'<a class="wcw-term" href="[^"]*" title="[^"]*">([^<]*)</a>')


class Reference(NamedTuple):
    """An entry named in prose with ``{KIND:ID}`` markup: what readers see, and where it links."""

    name: str
    href: str


REFERENCE_LINK = '<a class="wcw-ref" href="{}">{}</a>'


class Term(NamedTuple):
    """A glossary term's definition, and the link to its entry in the glossary."""

    definition: str
    href: str


def safe_markdown(*, enable: Iterable[str] = (), disable: Iterable[str] = ()) -> MarkdownIt:
    """A CommonMark parser safe for text from strangers, plus the rules a use needs.

    Raw HTML is off, images are off (they would load from elsewhere), only
    ``http(s)`` links are made and they carry ``rel="noopener nofollow"``.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["html_block", "html_inline", "image", *disable])
    if enable:
        md.enable(list(enable))
    md.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))  # type: ignore[method-assign]
    md.add_render_rule("link_open", _link_open)
    return md


class TextRenderer:
    """Renders content text; links glossary terms to their definitions.

    A term becomes a link to its glossary entry with the definition as its
    title: the title shows on hover, and the link works where hover does not
    (touch, keyboard, screen readers) without any script on the page.
    """

    def __init__(
        self,
        glossary: Mapping[str, Term] | None = None,
        references: Mapping[str, Reference] | None = None,
    ):
        self.glossary = dict(glossary or {})
        self.references: Mapping[str, Reference] = references or {}  # looked up, never changed
        # What this renderer has rendered: texts repeat across pages, cards and
        # the feed. Kept on the instance, so it goes with the renderer; a cache
        # on the class would keep every build's renderer, its references and
        # its texts alive for the life of the process.
        self._blocks: dict[str, Markup] = {}
        self._lines: dict[str, Markup] = {}
        # Blocks that would change how Python-Markdown reads our HTML: code
        # with blank lines, headings and rules inside a claim.
        self.md = safe_markdown(disable=["code", "fence", "heading", "lheading", "hr"])
        # After text_join, so each markup token stands in one text token; before the
        # glossary, so a term inside a reference's name is not linked twice.
        self.md.core.ruler.push("references", self._link_references)
        if self.glossary:
            terms = sorted(self.glossary, key=len, reverse=True)
            self._terms = re.compile(r"\b(" + "|".join(map(re.escape, terms)) + r")\b")
            self.md.core.ruler.push("glossary_terms", self._link_terms)

    def _link_references(self, state: StateCore) -> None:
        """Replace ``{KIND:ID}`` in text (never in code) by the entry's name and link."""
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            out: list[Token] = []
            for tok in block.children:
                if tok.type != "text" or "{" not in tok.content:
                    out.append(tok)
                    continue
                pos = 0
                for m in REFERENCE_RE.finditer(tok.content):
                    ref = self.references.get(f"{m.group(1)}:{m.group(2)}")
                    if ref is None:
                        continue  # check reports it; never reached on a built site
                    if m.start() > pos:
                        out.append(_text(tok.content[pos : m.start()]))
                    raw = Token("html_inline", "", 0)
                    raw.content = str(Markup(REFERENCE_LINK).format(ref.href, ref.name))
                    out.append(raw)
                    pos = m.end()
                if pos < len(tok.content):
                    out.append(_text(tok.content[pos:]))
            block.children = out

    def _link_terms(self, state: StateCore) -> None:
        """Split text tokens around glossary terms (never inside links)."""
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            out: list[Token] = []
            in_link = 0
            for tok in block.children:
                in_link += tok.type == "link_open"
                in_link -= tok.type == "link_close"
                if tok.type != "text" or in_link or not self._terms.search(tok.content):
                    out.append(tok)
                    continue
                pos = 0
                for m in self._terms.finditer(tok.content):
                    if m.start() > pos:
                        out.append(_text(tok.content[pos : m.start()]))
                    term = self.glossary[m.group()]
                    html = Markup(TERM_LINK).format(term.href, term.definition, m.group())
                    raw = Token("html_inline", "", 0)
                    raw.content = str(html)
                    out.append(raw)
                    pos = m.end()
                if pos < len(tok.content):
                    out.append(_text(tok.content[pos:]))
            block.children = out

    def markdown(self, text: str) -> Markup:
        """Render a content text field to HTML; never passes raw HTML through."""
        html = self._blocks.get(text)
        if html is None:
            html = self._blocks[text] = self.render_block(text)
        return html

    def inline(self, text: str) -> Markup:
        """Render a one-line field (emphasis and links only, no paragraph)."""
        html = self._lines.get(text)
        if html is None:
            html = self._lines[text] = self.render_line(text)
        return html

    def render_block(self, text: str) -> Markup:
        """:meth:`markdown` without keeping the result."""
        # One block of HTML for Python-Markdown: no blank lines inside it.
        return Markup(re.sub(r"\n\s*\n", "\n", self.md.render(text).strip()))

    def render_line(self, text: str) -> Markup:
        """:meth:`inline` without keeping the result."""
        return Markup(self.md.renderInline(text))


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


@cache
def _plain() -> TextRenderer:
    """The renderer without glossary or references; it keeps nothing it renders."""
    return TextRenderer()


def _link_open(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
    """External links open as ordinary links but tell crawlers they are citations."""
    tokens[idx].attrSet("rel", "noopener nofollow")
    rendered: str = self.renderToken(tokens, idx, options, env)
    return rendered


def markdown(text: str) -> Markup:
    """Render text without glossary links (see :class:`TextRenderer`)."""
    return _plain().render_block(text)


def inline(text: str) -> Markup:
    return _plain().render_line(text)


def heading(text: str) -> str:
    """Text safe inside a Markdown heading or a table cell: every symbol as an entity."""
    return _HEADING_UNSAFE.sub(lambda m: f"&#{ord(m.group())};", text.replace("\n", " "))
