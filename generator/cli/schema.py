"""``schema``: the JSON Schemas editors' tools autocomplete with, listing the content's ids."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from generator.cli.common import add_command
from generator.content.project import Project


def run(args: argparse.Namespace) -> int:
    from generator.outputs.schemas import write_schemas

    written = write_schemas(Project.at(args.content), Path(args.out) if args.out else None)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("schemas are up to date")
    return 0


def add_parser(sub: Any) -> None:
    p = add_command(
        sub, "schema", run,
        "write the JSON Schemas for editors' autocompletion, with the content's ids",
    )  # fmt: skip
    p.add_argument("--out", metavar="DIR", help="folder to write to (default: schema/)")
