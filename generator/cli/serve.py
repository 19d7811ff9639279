"""Live preview for editors: generate, then `mkdocs serve` with regeneration.

A mistake while editing must not kill the preview: the problems are printed
(file, line, what to do) and the last good pages stay up until the file is
fixed and saved again.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from generator.content.problems import Problems
from generator.content.project import Project

log = logging.getLogger("mkdocs.who_claims_what")


def _generate(project: Project, as_of: str | None = None) -> Problems:
    from generator.build.check import check_project
    from generator.site.generate import as_of_date, generate

    fb, problems = check_project(project)
    if not problems:
        generate(project, fb, as_of_date(as_of)[0], site_url=project.site_url())
    return problems


def regenerate(config: Any) -> None:
    """Called by the MkDocs hook before every rebuild while serving."""
    docs = Path(config.docs_dir)
    project = Project.at(docs.parent.parent / "content")
    problems = _generate(project)
    for problem in problems:
        log.error(problem.format())
    if problems:
        log.error("content has problems: showing the last good version until they are fixed")


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000, as_of: str | None = None) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve

    problems = _generate(project, as_of)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    if problems and not (project.docs / "index.md").exists():
        print("fix the problems above, then run serve again", file=sys.stderr)
        return 1
    mkdocs_serve(
        config_file=str(project.config_file),
        docs_dir=str(project.docs),
        dev_addr=f"{host}:{port}",
        livereload=True,
        strict=False,
        watch=[str(project.content), str(project.maps), str(project.seeds)],
    )
    return 0
