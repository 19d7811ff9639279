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


@dataclass(frozen=True, order=True)
class Problem:
    position: Position
    message: str

    def format(self, github: bool = False) -> str:
        """Plain ``FILE:LINE:COL: error: MESSAGE``, or a GitHub Actions annotation.

        GitHub reads ``::error file=…`` lines from a step's output and pins them to
        the pull request's diff, which is where a contributor will look.
        """
        if github:
            # Workflow commands need %, CR and LF escaped in the message and
            # also ',' and ':' in properties.
            msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            f = self.position.file.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
            return (
                f"::error file={f},line={self.position.line},"
                f"col={self.position.column},title=content error::{msg}"
            )
        return f"{self.position}: error: {self.message}"


class ContentError(Exception):
    """Raised when content has problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


@dataclass
class Problems:
    """An ordered, de-duplicated collection of problems."""

    items: list[Problem] = field(default_factory=list)

    def add(self, position: Position, message: str) -> None:
        """Record a problem; its message is kept to one printable line (see :func:`one_line`)."""
        problem = Problem(position, one_line(message))
        if problem not in self.items:
            self.items.append(problem)

    def extend(self, other: Problems) -> None:
        for p in other.items:
            self.add(p.position, p.message)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items))

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)


def display_path(path: Path, root: Path) -> str:
    """The path as an editor knows it: relative to the repository, with '/'."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # other drive on Windows
        return path.as_posix()
    return Path(rel).as_posix()
