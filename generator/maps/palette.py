"""The maps' colours, read from the stylesheet the site ships (``generator/assets/maps.css``).

The SVG's fallback fills and the preview images use the light scheme's
colours; reading them from the stylesheet keeps one definition of each.
"""

from __future__ import annotations

import re
from pathlib import Path

CSS_PATH = Path(__file__).parents[1] / "assets" / "maps.css"


def css_palette(scheme: str = "default", css: str | None = None) -> dict[str, str]:
    """The ``--wcw-map-*`` colours of one colour scheme in maps.css, by name."""
    text = css if css is not None else CSS_PATH.read_text(encoding="utf-8")
    start = text.index(f'[data-md-color-scheme="{scheme}"]')
    block = text[start : text.index("}", start)]
    return dict(re.findall(r"--wcw-map-([a-z-]+):\s*(#[0-9a-fA-F]{6})", block))


def light_css() -> str:
    """The maps' stylesheet, comments left out: light colours on ``:root``, for a
    standalone SVG or an embedded map."""
    text = re.sub(r"/\*.*?\*/\s*", "", CSS_PATH.read_text(encoding="utf-8"), flags=re.S)
    return text.replace("]]>", "")


#: The few theme colours the maps' stylesheet borrows, for pages without the theme.
_BASE = {
    "default": {"bg": "#ffffff", "fg": "#1f1f1f", "muted": "#595959", "link": "#1a47a3"},
    "slate": {"bg": "#1e2029", "fg": "#e2e4e9", "muted": "#b4b8c4", "link": "#8fb4ff"},
}


def _base_vars(scheme: str) -> str:
    c = _BASE[scheme]
    return (
        f"--md-default-bg-color: {c['bg']}; --md-default-fg-color: {c['fg']}; "
        f"--md-default-fg-color--lightest: {c['muted']}; --md-typeset-a-color: {c['link']}; "
        f"--wcw-muted: {c['muted']};"
    )


def embed_css() -> str:
    """The embedded maps' stylesheet: the maps' rules and a minimal page in both
    schemes (the page sets ``data-md-color-scheme`` from the reader's system)."""
    return (
        light_css()
        + f"\n:root {{ {_base_vars('default')} }}\n"
        + '[data-md-color-scheme="slate"] { '
        + _base_vars("slate")
        + " color-scheme: dark; }\n"
        + "body { margin: 0; padding: .5rem .75rem; font: 16px/1.5 system-ui, sans-serif; "
        "color: var(--md-default-fg-color); background: var(--md-default-bg-color); }\n"
        + ".md-typeset a { color: var(--md-typeset-a-color); }\n"
    )
