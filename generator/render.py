"""One compiled Jinja2 environment that turns page views into Markdown.

Autoescaping is on for every template: values land in HTML blocks escaped,
text fields go through :mod:`generator.textformat`, and content is only ever
a *value* — it is never compiled as a template, so ``{{ … }}`` in a claim is
printed, not evaluated.
"""

from __future__ import annotations

import json
import posixpath
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import textformat
from .dates import PartialDate


def relative_url(from_url: str, to_url: str, anchor: str | None = None) -> str:
    """A link from one directory-style page URL to another, without a host.

    Relative links keep the site working under any base path (GitHub Pages
    serves project sites from /<repo>/) and from a local folder.
    """
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url else ""
    rel = posixpath.relpath(to_url or ".", base or ".") if to_url else posixpath.relpath(".", base or ".")
    if to_url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel in (".", "./"):
        rel = "./"
    return rel + (f"#{anchor}" if anchor else "")


def show_date(date: PartialDate, circa: bool = False) -> Markup:
    """A <time> element printed to the precision known."""
    text = date.human()
    if circa:
        text = f"c. {text}"
    return Markup('<time datetime="{}">{}</time>').format(str(date), text)


def to_json(value: Any) -> Markup:
    """JSON safe inside a <script> element (no '</' or '<!--' can end it early)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def yaml_string(value: str) -> Markup:
    """A front-matter value: JSON strings are valid YAML and cannot break out."""
    return Markup(json.dumps(value, ensure_ascii=False))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=textformat.markdown,
        inline=textformat.inline,
        heading=lambda s: Markup(textformat.heading(str(s))),
        date=show_date,
        json=to_json,
        yaml_string=yaml_string,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
