"""The command line: ``python -m generator check|stats|build|serve|schema|new|project-boundaries``.

A thin layer over the library: parse arguments, call one function, print
problems as ``FILE:LINE:COL: error: MESSAGE`` (or GitHub annotations in
Actions) and choose the exit code. No content error ever reaches the user as
a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from generator.content.problems import Problems
from generator.content.project import Project

if TYPE_CHECKING:
    from generator.content.factbase import FactBase


def _print_problems(problems: Problems, stream: TextIO | None = None) -> None:
    # sys.stderr is looked up at call time, not bound as a default when the module
    # is imported: a caller that redirects it (a test, an embedding tool) gets the
    # problems where it asked for them.
    stream = stream or sys.stderr
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem.format(), file=stream)
        if github:
            # Annotations go to stdout, where the Actions runner reads workflow commands.
            print(problem.format(github=True), file=sys.stdout)
    count = len(problems)  # errors only: warnings do not stop the build
    if count:
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was built.", file=stream)


def _checked(args: argparse.Namespace) -> tuple[Project, FactBase] | None:
    """The project's verified fact base, or None after printing its problems."""
    from generator.build.check import check_project

    project = Project.at(args.content)
    fb, problems = check_project(project)
    _print_problems(problems)  # warnings too, when there are no errors
    if problems:
        return None
    return project, fb


def cmd_check(args: argparse.Namespace) -> int:
    checked = _checked(args)
    if checked is None:
        return 1
    _, fb = checked
    print(
        f"ok: {len(fb.files)} content files, {len(fb.sources)} sources, {len(fb.claims)} claims, "
        f"{len(fb.events)} events, {len(fb.deadlines)} deadlines; every quote and evidence "
        "passage verified."
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from generator.content.stats import report

    checked = _checked(args)
    if checked is None:
        return 1
    print(report(checked[1]))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.outputs.schemas import write_schemas

    written = write_schemas(Project.at(args.content), Path(args.out) if args.out else None)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("schemas are up to date")
    return 0


def cmd_project_boundaries(args: argparse.Namespace) -> int:
    from generator.maps.geometry import project_boundaries

    print(f"wrote {project_boundaries(Project.at(args.content))}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build.pipeline import BuildError, build

    project = Project.at(args.content)
    try:
        result = build(project, site_dir=Path(args.site_dir) if args.site_dir else None,
                       as_of=args.as_of, force=args.force)
    except BuildError as exc:
        if exc.problems:
            _print_problems(exc.problems)
        else:
            print(f"error: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from generator.site.generate import as_of_date, generate

    checked = _checked(args)
    if checked is None:
        return 1
    project, fb = checked
    result = generate(project, fb, as_of_date(args.as_of)[0], site_url=project.site_url())
    print(
        f"generated {result.total} files into {project.docs} ({len(result.written)} changed, "
        f"{len(result.removed)} removed); build them with 'mkdocs build' or 'zensical build'"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.cli.serve import serve

    return serve(Project.at(args.content), host=args.host, port=args.port, as_of=args.as_of)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate the facts, generate the pages and maps, and build the site.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument(
            "--content", metavar="DIR", help="content folder (default: the repository's content/)"
        )
        return p

    add("check", cmd_check, "validate all content and report every problem")
    add("stats", cmd_stats, "print coverage figures: facts per source, actor and region")
    p = add("build", cmd_build, "check, generate pages and maps, and build the site")
    p.add_argument("--site-dir", metavar="DIR", help="where to put the site (default: site/)")
    p.add_argument("--force", action="store_true",
                   help="run MkDocs even if nothing changed since the last build")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="date deadlines are measured against")
    p = add("generate", cmd_generate, "check, then write pages and maps into build/docs only")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="date deadlines are measured against")
    p = add("serve", cmd_serve, "generate, then serve with live reload while you edit")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="date deadlines are measured against")
    add("project-boundaries", cmd_project_boundaries,
        "after changing maps/*.geojson: re-project the boundaries with geopandas")
    p = add("schema", cmd_schema, "write the JSON Schemas for editors' autocompletion, "
            "with the content's ids")
    p.add_argument("--out", metavar="DIR", help="folder to write to (default: schema/)")
    from generator.cli.new import add_parser as add_new  # `new claim|event|deadline|source`

    add_new(sub)
    from generator.cli.rename import add_parser as add_rename  # `rename KIND OLD NEW`

    add_rename(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug of ours, never an editor's mistake
        if os.environ.get("WCW_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in the generator, not in your content. Run again with "
            "WCW_DEBUG=1 to see the traceback, and please report it.",
            file=sys.stderr,
        )
        return 2
