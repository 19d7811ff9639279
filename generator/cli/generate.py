"""``generate``: check, then write the pages and maps into build/docs for any engine.

The Zensical path is ``generate``, then ``zensical build``, then ``postbuild``.
"""

from __future__ import annotations

import argparse
from typing import Any

from generator.cli.common import add_as_of, add_command, checked


def run(args: argparse.Namespace) -> int:
    from generator.build.generate import as_of_date, generate

    result = checked(args)
    if result is None:
        return 1
    project, fb = result
    generated = generate(project, fb, as_of_date(args.as_of)[0], site_url=project.site_url())
    print(
        f"generated {generated.total} files into {project.docs} ({len(generated.written)} "
        f"changed, {len(generated.removed)} removed); build them with 'mkdocs build' or "
        "'zensical build', then run 'python -m generator postbuild'"
    )
    return 0


def add_parser(sub: Any) -> None:
    p = add_command(sub, "generate", run, "check, then write pages and maps into build/docs only")
    add_as_of(p)
