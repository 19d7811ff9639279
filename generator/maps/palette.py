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
