"""What every command shares: the --content option, problems printed, the checked facts."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from generator.content.problems import Problems
from generator.content.project import Project

if TYPE_CHECKING:
    from generator.content.factbase import FactBase


def add_command(sub: Any, name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
    """A subcommand with the --content option every command takes."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(func=func)
    p.add_argument(
        "--content", metavar="DIR", help="content folder (default: the repository's content/)"
    )
    return p


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="date deadlines are measured against")


def print_problems(problems: Problems, stream: TextIO | None = None) -> None:
    """Each problem as FILE:LINE:COL (and as a GitHub annotation in Actions), then a count."""
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


def checked(args: argparse.Namespace) -> tuple[Project, FactBase] | None:
    """The project's verified fact base, or None after printing its problems."""
    from generator.build.check import check_project

    project = Project.at(args.content)
    fb, problems = check_project(project)
    print_problems(problems)  # warnings too, when there are no errors
    if problems:
        return None
    return project, fb


#: What to do about each error of the machine (not of the content, not a bug of ours).
_ENVIRONMENT_ADVICE = {
    errno.EACCES: "you may not write there: fix the folder's permissions or choose another one",
    errno.EPERM: "you may not write there: fix the folder's permissions or choose another one",
    errno.ENOSPC: "the disk is full: free some space (or choose a folder on another disk) and "
    "build again",
    errno.EDQUOT: "your disk quota is used up: free some space and build again",
    errno.EROFS: "that file system is read-only: choose a writable folder (e.g. --site-dir) or "
    "remount it read-write",
}


def environment_error(exc: OSError) -> str | None:
    """The message for an error of the machine, naming the path; None for any other error."""
    advice = _ENVIRONMENT_ADVICE.get(exc.errno or 0)
    if advice is None:
        return None
    where = exc.filename or "a file of the project or the site"
    return (
        f"error: cannot write {where}: {exc.strerror or exc} (errno {exc.errno}); {advice}. "
        "The site in place was not changed."
    )
