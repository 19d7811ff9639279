"""The Jinja2 environment that turns page views into Markdown, made anew for each build.

Autoescaping is on for every template: values land in HTML blocks escaped,
text fields go through :mod:`generator.site.textformat`, and content is only ever
a *value* — it is never compiled as a template, so ``{{ … }}`` in a claim is
printed, not evaluated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup, escape

from generator.content import urls
from generator.content.dates import PartialDate
from generator.site import paging, textformat

if TYPE_CHECKING:
    from generator.content.model import GlossaryEntry


#: Stands for "the path from this page to the site root" in rendered HTML.
#: Content can never contain it (control characters are refused on load), so
#: a fact card can be rendered once and placed on pages at any depth.
ROOT = "\x00root\x00"


def href(target: urls.Link | str = "", anchor: str | None = None) -> str:
    """A link to a place on the site (a :class:`~generator.content.urls.Link`, or
    a directory-style page such as 'regions/kherson/' and an anchor), from any page."""
    if isinstance(target, urls.Link):
        return f"{ROOT}{target}"
    return f"{ROOT}{urls.Link(target, anchor)}"


#: The same for every build: the URL scheme (``url.claim(c.id)``, ``url.REGIONS``)
#: and the way to link into it from any page (``href(url.claim(c.id))``), so a
#: template never writes a page path or an anchor prefix itself.
TEMPLATE_GLOBALS: dict[str, Any] = {"url": urls, "href": href, "pager": paging.pager}


def glossary_terms(entries: Iterable[GlossaryEntry]) -> dict[str, textformat.Term]:
    """What text rendering needs of the glossary: each term's definition and
    the link to its entry on the methodology page."""
    return {
        g.term: textformat.Term(g.definition, href(urls.glossary_term(g.anchor))) for g in entries
    }


def resolve_links(html: str, page_url: str) -> str:
    """Replace the root marker with this page's way up: relative links keep the
    site working under any base path (GitHub project pages serve from
    /<repo>/) and from a local folder."""
    depth = page_url.count("/")
    return html.replace(ROOT, "../" * depth if depth else "./")


@lru_cache(maxsize=4096)
def show_date(date: PartialDate, circa: bool = False) -> Markup:
    """A <time> element printed to the precision known (dates are ours: no escaping needed)."""
    text = f"c. {date.human()}" if circa else date.human()
    return Markup(f'<time datetime="{date}">{text}</time>')


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</' or '<!--' can end it early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def front_matter_value(value: str) -> Markup:
    """A front-matter value, HTML-escaped, as a JSON string.

    MkDocs renders themes without autoescaping, and Material prints
    ``page.meta.title`` and ``page.meta.description`` into the page as they
    are; so what goes into front matter must already be safe HTML. JSON
    strings are valid YAML and cannot break out of the front matter.
    """
    return Markup(json.dumps(str(escape(value)), ensure_ascii=False))


def environment(
    markdown: Callable[[str], Markup] = textformat.markdown,
    inline: Callable[[str], Markup] = textformat.inline,
    bytecode_dir: Path | None = None,
) -> Environment:
    """A new environment for one build, never shared: nothing a build sets
    (filters, globals) can reach the next one in the same process.

    ``markdown`` and ``inline`` render text fields (with this build's
    glossary); compiled templates are kept in ``bytecode_dir`` between builds.
    """
    env = Environment(
        loader=PackageLoader("generator.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates are code, not content: no need to stat their files again
        # every time a page or card asks for one.
        auto_reload=False,
        bytecode_cache=FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
    )
    env.filters.update(
        md=markdown,
        inline=inline,
        heading=lambda s: Markup(textformat.heading(str(s))),
        date=show_date,
        front_matter_value=front_matter_value,
        number=lambda n: f"{n:,}",  # 10,132 claims, as a newsroom writes counts
        counted=counted,
    )
    env.globals.update(TEMPLATE_GLOBALS)
    return env


def counted(n: int, noun: str) -> str:
    """'1 deadline', '4 proposals', '10,132 claims': the noun agrees with its count."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def render(template: str, **context: Any) -> str:
    """One template rendered on its own, in an environment of its own (tests, tools)."""
    return environment().get_template(template).render(**context)
