"""``postbuild``: the link check, HTML fixes and search index, on a site any engine built.

``build`` runs them itself; after ``generate`` and ``zensical build`` (or
``mkdocs build``) this command gives that site the same step: a dead internal
link fails it, the accessibility fixes are applied in place, and the site
search's index (Pagefind) is written into it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.cli.common import add_command
from generator.content.project import Project


def run(args: argparse.Namespace) -> int:
    from generator.build.errors import BuildError
    from generator.build.postbuild import load_cards, postprocess
    from generator.build.search import index_site

    project = Project.at(args.content)
    site = Path(args.site_dir) if args.site_dir else project.root / "site"
    if not (site / "index.html").is_file():
        print(
            f"error: {site} holds no built site (no index.html); build it first, e.g. "
            "'zensical build', or pass --site-dir",
            file=sys.stderr,
        )
        return 1
    try:
        cards = load_cards(project.cards)
        fixed = postprocess(site, urlsplit(project.site_url()).path or "/", cards)
        search = index_site(site)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"post-build: {site}: every internal link resolves; HTML fixes applied to "
        f"{len(fixed)} pages; search index of {search.pages} pages in {search.folder.name}/"
    )
    return 0


def add_parser(sub: Any) -> None:
    p = add_command(
        sub, "postbuild", run,
        "check the links, apply the HTML fixes and index for search a site built by another "
        "engine (Zensical)",
    )  # fmt: skip
    p.add_argument("--site-dir", metavar="DIR", help="the built site (default: site/)")
