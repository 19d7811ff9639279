"""The editors' guide (content/README.md), published as the page /contributing/.

The guide is a repository file that any pull request may change, so it is
treated like content, not like a template: its Markdown is rendered with
the facts' safe setup (:func:`generator.site.textformat.safe_markdown`: raw
HTML off, only ``http(s)`` links, no images), tables on. Headings stay
Markdown, with every symbol entity-encoded, so MkDocs builds the table of
contents and search sections from them; everything between two headings becomes one HTML
block, wrapped in a ``<div>`` so Python-Markdown passes it through whole
(blank lines inside code examples included).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from generator.content import urls
from generator.content.project import REPO_ROOT, Project
from generator.site.pages import Page
from generator.site.textformat import safe_markdown

GUIDE_NAME = "README.md"
DESCRIPTION = (
    "How to add and correct facts: sources, actors, claims, events, deadlines and region "
    "names, with the checks every change passes."
)


@dataclass(frozen=True)
class Block:
    """A heading (level and text) or a run of rendered HTML between headings."""

    level: int = 0
    text: str = ""
    html: Markup = Markup("")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return safe_markdown(enable=["table"])


def guide_path(project: Project) -> Path:
    """The project's own guide, else the repository's (a test project may have none)."""
    own = project.content / GUIDE_NAME
    return own if own.is_file() else REPO_ROOT / "content" / GUIDE_NAME


def blocks(text: str) -> list[Block]:
    """Split the guide at its headings; render what lies between them safely."""
    md = _markdown()
    tokens = md.parse(text)
    out: list[Block] = []
    pending: list[Token] = []

    def flush() -> None:
        if pending:
            html = md.renderer.render(pending, md.options, {}).strip()
            if html:
                out.append(Block(html=Markup(f'<div class="wcw-guide">\n{html}\n</div>')))
            pending.clear()

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            flush()
            inline = tokens[i + 1]
            plain = "".join(
                child.content
                for child in inline.children or []
                if child.type in ("text", "code_inline")
            )
            out.append(Block(level=int(tok.tag[1]), text=plain or inline.content))
            i += 3  # heading_open, inline, heading_close
            continue
        pending.append(tok)
        i += 1
    flush()
    return out


def contributing_page(project: Project) -> Page:
    """The /contributing/ page, rendered by ``contributing.md.j2``."""
    path = guide_path(project)
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Contributing\n"
    parts = blocks(text)
    title = next((b.text for b in parts if b.level == 1), "Contributing")
    # The page title comes from front matter; a first-level heading stays the page's H1.
    return Page(
        urls.CONTRIBUTING,
        "contributing.md.j2",
        title,
        DESCRIPTION,
        {"blocks": parts},
        # Out of the reader search: its YAML examples spell every alias, and
        # would rank above the pages about the names (generator/theme/partials/content.html).
        hide=("search",),
    )
