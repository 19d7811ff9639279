"""``serve``: live preview for editors: generate, then `mkdocs serve` with regeneration.

A mistake while editing must not kill the preview: the problems are printed
(file, line, what to do) and the last good pages stay up until the file is
fixed and saved again. Every rebuild regenerates with the settings the
preview started with: they travel in the MkDocs configuration (``extra``),
which MkDocs loads anew for each rebuild, to the hook in
:mod:`generator.mkdocs_hooks`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from generator.cli.common import add_as_of, add_command
from generator.content.problems import Problems
from generator.content.project import Project

log = logging.getLogger("mkdocs.who_claims_what")

#: The key under the configuration's ``extra`` that carries the preview's settings.
PREVIEW_KEY = "who_claims_what_preview"


def _generate(project: Project, as_of: str | None = None) -> Problems:
    from generator.build.check import check_project
    from generator.build.generate import as_of_date, generate

    fb, problems = check_project(project)
    if not problems:
        generate(project, fb, as_of_date(as_of)[0], site_url=project.site_url())
    return problems


def regenerate(settings: dict[str, Any]) -> None:
    """Called by the MkDocs hook before every rebuild while serving."""
    problems = _generate(Project.at(settings["content"]), settings.get("as_of"))
    for problem in problems:
        log.error(problem.format())
    if problems:
        log.error("content has problems: showing the last good version until they are fixed")


def serve(
    project: Project, host: str = "127.0.0.1", port: int = 8000, as_of: str | None = None
) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.config import load_config

    problems = _generate(project, as_of)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    if problems and not (project.docs / "index.md").exists():
        print("fix the problems above, then run serve again", file=sys.stderr)
        return 1
    config_file = str(project.config_file)
    extra = dict(load_config(config_file=config_file, docs_dir=str(project.docs)).extra)
    extra[PREVIEW_KEY] = {"content": str(project.content), "as_of": as_of}
    mkdocs_serve(
        config_file=config_file,
        docs_dir=str(project.docs),
        dev_addr=f"{host}:{port}",
        livereload=True,
        strict=False,
        watch=[str(project.content), str(project.maps), str(project.seeds)],
        extra=extra,
    )
    return 0


def run(args: argparse.Namespace) -> int:
    return serve(Project.at(args.content), host=args.host, port=args.port, as_of=args.as_of)


def add_parser(sub: Any) -> None:
    p = add_command(sub, "serve", run, "generate, then serve with live reload while you edit")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    add_as_of(p)
