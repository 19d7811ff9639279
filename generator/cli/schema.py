"""``schema``: the JSON Schemas editors' tools autocomplete with."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def run(args: argparse.Namespace) -> int:
    from generator.outputs.schemas import write_schemas

    for path in write_schemas(Path(args.out) if args.out else None):
        print(f"wrote {path}")
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("schema", help="write the JSON Schemas for editors' autocompletion")
    p.set_defaults(func=run)
    p.add_argument("--out", metavar="DIR", help="folder to write to (default: schema/)")
