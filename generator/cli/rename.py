"""``python -m generator rename KIND OLD NEW``: one id renamed everywhere, safely.

The content must pass ``check`` first (a rename needs to know every id), and
must pass it again afterwards; otherwise every file is put back as it was.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.build.check import check_project
from generator.content.model import ContentFile, SourcesFile
from generator.content.problems import Problems
from generator.content.project import Project
from generator.content.rename import (
    KINDS,
    REGION,
    FileEdit,
    Rename,
    RenameError,
    apply,
    plan_rename,
)
from generator.maps.spec import MapSpec, spec_files


def add_parser(sub: Any) -> None:
    """Add ``rename KIND OLD NEW`` to the CLI's subcommands."""
    text = (
        "rename an id everywhere it is used (references, {kind:id} markup), keeping comments "
        "and formatting; the entry keeps its old id in previous_ids, so old links still work. "
        "For a region, OLD and NEW are aliases: region codes never change."
    )
    p = sub.add_parser("rename", help="rename an actor, source, claim, event… everywhere",
                       description=text)  # fmt: skip
    p.set_defaults(func=cmd_rename)
    p.add_argument("kind", choices=[*KINDS, REGION], metavar="KIND",
                   help=f"one of: {', '.join([*KINDS, REGION])}")  # fmt: skip
    p.add_argument("old", metavar="OLD", help="the id (or region alias) as it is now")
    p.add_argument("new", metavar="NEW", help="the id (or region alias) it should be")
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    p.add_argument(
        "--content", metavar="DIR", help="content folder (default: the repository's content/)"
    )


def project_files(project: Project) -> list[tuple[Path, type[BaseModel]]]:
    """Every YAML file a rename may touch, with the model of what it holds."""
    files: list[tuple[Path, type[BaseModel]]] = [(project.manifest, SourcesFile)]
    files += [(path, ContentFile) for path in project.content_files()]
    files += [(path, MapSpec) for path in spec_files(project)]
    return files


def _print(problems: Problems, why: str) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; {why}", file=sys.stderr)


def _restore(edits: list[FileEdit]) -> None:
    apply([FileEdit(e.path, e.after, e.before, e.changes) for e in edits])


def cmd_rename(args: argparse.Namespace) -> int:
    project = Project.at(args.content)
    fb, problems = check_project(project)
    if problems:
        _print(problems, "fix them first: a rename needs content that passes check.")
        return 1
    rename = Rename(args.kind, args.old, args.new)
    try:
        edits = plan_rename(fb, project_files(project), rename)
    except RenameError as exc:
        print(f"error: {exc}; nothing was changed.", file=sys.stderr)
        return 1
    for edit in edits:
        plural = "s" if edit.changes != 1 else ""
        print(f"{project.display(edit.path)}: {edit.changes} change{plural}")
    if args.dry_run:
        print("dry run: nothing was written.")
        return 0
    apply(edits)
    _, after = check_project(project)
    if after:
        _restore(edits)
        _print(after, "the rename was undone and every file restored. Please report this.")
        return 2
    total = sum(e.changes for e in edits)
    print(f"renamed {args.kind} '{args.old}' to '{args.new}': {total} changes in "
          f"{len(edits)} files; check passes.")  # fmt: skip
    return 0
