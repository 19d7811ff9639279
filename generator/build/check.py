"""Everything `check` verifies, in one call: the content, then the map specs."""

from __future__ import annotations

from generator.content.factbase import FactBase, load
from generator.content.problems import Problems
from generator.content.project import Project


def check_project(project: Project) -> tuple[FactBase, Problems]:
    """Load and verify the project; the fact base is usable only without problems.

    Map specs cite claims and regions, so they are checked only once the
    content itself is sound; otherwise one typo would be reported twice.
    """
    from generator.maps.spec import check_maps

    fb, problems = load(project)
    if not problems:
        check_maps(fb, problems)
    return fb, problems
