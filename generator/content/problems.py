"""Problems found in content, reported as ``FILE:LINE:COL: error: MESSAGE``.

Every stage (loading, schema validation, cross-references, quote checks,
map specs) reports into one :class:`Problems` collection, so an editor sees
*all* mistakes of a run at once instead of fixing them one build at a time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

# Line breaks, other control characters, and characters that are invisible or
# reorder text (zero-width, bidirectional controls). Messages quote what the
# editor wrote and what the sources say; any of these would split a problem
# over several lines or hide part of it.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def one_line(message: str) -> str:
    """The message with every unprintable character shown as an escape such as '\\n'."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)


@dataclass(frozen=True, order=True)
class Position:
    """A place in a content file. Lines and columns are 1-based, as editors count."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Severity(StrEnum):
    """An error blocks the build; a warning is shown and lets it go on."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    position: Position
    message: str
    severity: Severity = Severity.error

    def format(self, github: bool = False) -> str:
        """Plain ``FILE:LINE:COL: SEVERITY: MESSAGE``, or a GitHub Actions annotation.

        GitHub reads ``::error file=…`` lines from a step's output and pins them to
        the pull request's diff, which is where a contributor will look.
        """
        if github:
            # Workflow commands need %, CR and LF escaped in the message and
            # also ',' and ':' in properties.
            msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            f = self.position.file.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
            return (
                f"::{self.severity} file={f},line={self.position.line},"
                f"col={self.position.column},title=content {self.severity}::{msg}"
            )
        return f"{self.position}: {self.severity}: {self.message}"


class ContentError(Exception):
    """Raised when content has problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


@dataclass
class Problems:
    """An ordered, de-duplicated collection of problems.

    Truth, length and :meth:`raise_if_any` count errors only, so every
    ``if problems:`` blocks on errors and lets warnings through; iteration
    gives errors and warnings alike, in file order, for printing.
    """

    items: list[Problem] = field(default_factory=list)
    #: The same problems as a set: a large bad file has hundreds of thousands,
    #: and a scan of the list per problem made collecting them quadratic.
    _seen: set[Problem] = field(default_factory=set, repr=False)
    _errors: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        items, self.items = self.items, []
        for problem in items:
            self._keep(problem)

    def _keep(self, problem: Problem) -> None:
        if problem not in self._seen:
            self._seen.add(problem)
            self.items.append(problem)
            self._errors += problem.severity is Severity.error

    def add(self, position: Position, message: str, severity: Severity = Severity.error) -> None:
        """Record a problem; its message is kept to one printable line (see :func:`one_line`)."""
        self._keep(Problem(position, one_line(message), severity))

    def warn(self, position: Position, message: str) -> None:
        """Record something an editor should look at that does not block the build."""
        self.add(position, message, Severity.warning)

    def extend(self, other: Problems) -> None:
        for problem in other.items:
            self._keep(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.warning]

    def __bool__(self) -> bool:
        return self._errors > 0

    def __len__(self) -> int:
        return self._errors

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items))

    def raise_if_any(self) -> None:
        if self._errors:
            raise ContentError(self.errors)


def display_path(path: Path, root: Path) -> str:
    """The path as an editor knows it: relative to the repository, with '/'."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # other drive on Windows
        return path.as_posix()
    return Path(rel).as_posix()
