"""Helpers for the publishing and editors' tests (guide, `new`, open data, feeds).

Their projects are the small fixture with one small map of its own instead
of the site's map specs: those cite claims of the real content, which the
fixture does not have, and the maps are not what these tests are about.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.content.factbase import FactBase, load
from generator.content.project import Project

from .conftest import FIXTURES, make_project

PUBLISHING = FIXTURES / "publishing"
AS_OF = dt.date(2025, 8, 10)
SITE_URL = "https://who-claims-what.github.io/"


def isolated_project(dest: Path, content_files: dict[str, Path | str] | None = None) -> Path:
    """make_project with its one small map (it cites ``putin-claims-four-regions``,
    so the content must have it). Returns the content dir."""
    return make_project(dest, content_files)


def loaded(content: Path) -> tuple[Project, FactBase]:
    project = Project.at(content)
    fb, problems = load(project)
    assert not problems, "\n".join(p.format() for p in problems)
    return project, fb


def rich_project(dest: Path) -> tuple[Project, FactBase]:
    """The mini fixture plus facts with added/updated dates, a summit and a month deadline."""
    content = isolated_project(
        dest,
        {"base.yml": FIXTURES / "mini" / "base.yml", "extra.yml": PUBLISHING / "extra.yml"},
    )
    return loaded(content)
