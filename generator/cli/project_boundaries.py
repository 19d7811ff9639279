"""``project-boundaries``: re-project maps/*.geojson after it changed (needs geopandas)."""

from __future__ import annotations

import argparse
from typing import Any

from generator.cli.common import add_command
from generator.content.project import Project


def run(args: argparse.Namespace) -> int:
    from generator.maps.geometry import project_boundaries

    print(f"wrote {project_boundaries(Project.at(args.content))}")
    return 0


def add_parser(sub: Any) -> None:
    add_command(
        sub, "project-boundaries", run,
        "after changing maps/*.geojson: re-project the boundaries with geopandas",
    )  # fmt: skip
