"""The yardstick of issue 19: a bare mkdocs-material build of 11 plain pages.

Every timing of the benchmark is a ratio to this build, timed in the same run
just before each measured one, so that load on the shared machine weighs on
both sides alike. The site takes our mkdocs.yml minus what is ours: no hooks,
no theme overrides (custom_dir), no stylesheets or scripts, no nav, no
favicon; the theme settings, Markdown extensions and validation stay, the
fonts stay off, and the search plugin is Material's, as the site had it when
the goals were set (a fixed yardstick, whatever search the site moves to).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PAGES = 11
#: Keys of mkdocs.yml that name our own code, assets or pages.
OURS = ("hooks", "nav", "not_in_nav", "extra_css", "extra_javascript", "watch", "docs_dir")
OURS_IN_THEME = ("custom_dir", "favicon")


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV; the bare site keeps none of them."""


_Lenient.add_multi_constructor("!", lambda loader, suffix, node: None)


def bare_config(config: Path = REPO / "mkdocs.yml") -> dict[str, Any]:
    """Our MkDocs configuration with our code and assets taken out."""
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Lenient)
    bare = {k: v for k, v in data.items() if k not in OURS}
    theme = {k: v for k, v in data["theme"].items() if k not in OURS_IN_THEME}
    bare.update(site_name="Bare", site_dir="site", theme={**theme, "font": False})
    bare["plugins"] = ["search"]
    return bare


def write_bare_site(root: Path) -> list[str]:
    """The bare site's project at ``root``; returns the command that builds it."""
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for i in range(PAGES):
        name = "index.md" if i == 0 else f"page-{i}.md"
        text = f"# Page {i}\n\n" + "Some text for a page of a bare site.\n" * 20
        (docs / name).write_text(text, encoding="utf-8")
    config = yaml.safe_dump(bare_config(), allow_unicode=True, sort_keys=False)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(root / "mkdocs.yml")]
