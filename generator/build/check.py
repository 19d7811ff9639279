"""Everything `check` verifies, in one call: the content, then the map specs."""

from __future__ import annotations

from generator.content.factbase import FactBase, load
from generator.content.problems import Problems
from generator.content.project import Project
from generator.maps.spec import MapSpec, check_maps


def check_project(project: Project) -> tuple[FactBase, Problems]:
    """Load and verify the project; the fact base is usable only without problems."""
    fb, problems, _specs = check_with_maps(project)
    return fb, problems


def check_with_maps(project: Project) -> tuple[FactBase, Problems, list[MapSpec]]:
    """The same, with the map specs as checked, so a build draws them without parsing again.

    Map specs cite claims and regions, so they are checked only once the
    content itself is sound; otherwise one typo would be reported twice.
    """
    fb, problems = load(project)
    specs = [] if problems else check_maps(fb, problems)
    return fb, problems, specs
