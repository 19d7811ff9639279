"""Typed work kept on disk: a draft per session, saved after every answer.

A draft is the entry as it will be written, under a few lines saying what it
is for, in build/drafts/ (git-ignored). A session that is interrupted, or
whose result fails the final check, leaves it there; ``new KIND --resume``
goes on from it, and an editor may correct it by hand first, which is why
the final check's problems are reported at the draft's lines.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from generator.cli.wizard.entry import build_entry
from generator.cli.wizard.fields import KINDS, Kind
from generator.cli.yamlsplice import NewError, render_entry
from generator.content.files import write_atomic
from generator.content.problems import Position, Problem
from generator.content.project import Project


def drafts_dir(project: Project) -> Path:
    return project.build_dir / "drafts"


def _plain(value: Any) -> Any:
    """A value read back from a draft as an answer would give it (dates as text)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
        return str(value)
    return value


@dataclass
class Draft:
    """One session's answers, and the file they are for."""

    path: Path
    kind: Kind
    values: dict[str, Any] = field(default_factory=dict)
    citation: dict[str, Any] = field(default_factory=dict)
    #: Optional fields the editor chose to leave out (not asked again on resuming).
    skipped: list[str] = field(default_factory=list)
    #: The content file chosen, as shown to editors ('content/claims/summit.yml').
    target: str = ""

    @classmethod
    def new(cls, project: Project, kind: Kind) -> Draft:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        path = drafts_dir(project) / f"{kind.name}-{stamp}.yml"
        n = 1
        while path.exists():
            n += 1
            path = drafts_dir(project) / f"{kind.name}-{stamp}-{n}.yml"
        return cls(path, kind)

    @classmethod
    def load(cls, path: Path) -> Draft:
        try:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise NewError(f"cannot read the draft {path}: {exc}") from None
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
            raise NewError(f"{at}: the draft is not valid YAML; correct it or delete it") from None
        kind = KINDS.get(str((data or {}).get("new", ""))) if isinstance(data, dict) else None
        entries = data.get(kind.collection) if kind and isinstance(data, dict) else None
        if kind is None or not isinstance(entries, list) or not isinstance(entries[0], dict):
            raise NewError(f"{path} is not a draft written by 'python -m generator new'")
        entry = dict(entries[0])
        cites = entry.pop("sources", None) or [{}]
        return cls(
            path,
            kind,
            values={k: _plain(v) for k, v in entry.items()},
            citation={k: _plain(v) for k, v in (cites[0] or {}).items()},
            skipped=[str(s) for s in data.get("skipped") or []],
            target=str(data.get("file") or ""),
        )

    @staticmethod
    def latest(project: Project, kind: Kind) -> Path | None:
        found = sorted(drafts_dir(project).glob(f"{kind.name}-*.yml"), key=lambda p: p.name)
        return found[-1] if found else None

    def answered(self) -> int:
        return sum(v is not None for v in [*self.values.values(), *self.citation.values()])

    def entry(self) -> CommentedMap:
        return build_entry(self.kind, self.values, self.citation)

    def text(self, project: Project) -> tuple[str, int]:
        """The draft's text, and the line where its entry starts."""
        rel = project.display(self.path)
        head = (
            f"# A draft of a new {self.kind.name}, kept by 'python -m generator new'; the site "
            "does not read it.\n"
            f"# Go on with: python -m generator new {self.kind.name} --resume {rel}\n"
            "# (You may correct it here first; the checks run again when you resume.)\n"
        )
        meta = CommentedMap(new=self.kind.name, file=self.target or None)
        meta["skipped"] = list(self.skipped)
        out = io.StringIO()
        YAML().dump(meta, out)
        body = head + out.getvalue() + f"{self.kind.collection}:\n"
        return body + render_entry(self.kind.collection, self.entry()), body.count("\n") + 1

    def save(self, project: Project) -> None:
        write_atomic(self.path, self.text(project)[0].encode("utf-8"))

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Placement:
    """Where the new entry stood in the spliced target file, and where it stands in the draft."""

    target: str
    spliced: str
    start: int
    #: Lines the splice added to the target (the entry, and any blank line or key).
    added: int
    draft: str
    draft_text: str
    draft_start: int

    def relocate(self, problem: Problem) -> Problem:
        """A problem of the spliced target, moved to where the editor can see and fix it.

        The target is put back as it was, so a line of the new entry is reported
        at the same line of the draft (same field, same column within it), and a
        line after the entry at its line in the restored file.
        """
        pos = problem.position
        if pos.file != self.target:
            return problem
        lines, draft_lines = self.spliced.splitlines(), self.draft_text.splitlines()
        count = len(draft_lines) - self.draft_start + 1
        if self.start <= pos.line < self.start + count:
            offset = pos.line - self.start
            here = lines[pos.line - 1]
            there = draft_lines[self.draft_start - 1 + offset]
            column = max(pos.column - _indent(here) + _indent(there), 1)
            where = Position(self.draft, self.draft_start + offset, column)
        elif pos.line >= self.start + count:
            where = Position(pos.file, pos.line - self.added, pos.column)
        elif pos.line >= self.start - (self.added - count):
            where = Position(self.draft, self.draft_start, 1)  # a line added before the entry
        else:
            return problem
        return Problem(where, problem.message, problem.severity)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
