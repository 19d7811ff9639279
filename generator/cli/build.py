"""``build``: check, generate, MkDocs, post-build checks, and swap the site into place."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.cli.common import add_as_of, add_command, print_problems
from generator.content.project import Project


def run(args: argparse.Namespace) -> int:
    from generator.build.pipeline import BuildError, build

    project = Project.at(args.content)
    site_dir = Path(args.site_dir) if args.site_dir else None
    try:
        result = build(project, site_dir=site_dir, as_of=args.as_of, force=args.force, worker=True)
    except BuildError as exc:
        if exc.problems:
            print_problems(exc.problems)
        else:
            print(f"error: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def add_parser(sub: Any) -> None:
    p = add_command(sub, "build", run, "check, generate pages and maps, and build the site")
    p.add_argument("--site-dir", metavar="DIR", help="where to put the site (default: site/)")
    p.add_argument(
        "--force", action="store_true",
        help="run MkDocs even if nothing changed since the last build",
    )  # fmt: skip
    add_as_of(p)
