"""Which file the new entry goes to: suggested from what the files hold, said out loud.

Claims are kept in files by subject (content/claims/summit.yml); the
suggestion is the file named after the claim's first topic, else the file
holding most claims on it. The editor sees every file with what it
holds, and may take the suggestion, pick another or name a new file.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cli.wizard.fields import Kind
from generator.cli.yamlsplice import NewError
from generator.content.factbase import FactBase
from generator.content.project import Project


@dataclass(frozen=True)
class Choice:
    """A file the entry may go to, and why it is suggested."""

    path: Path
    reason: str


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def holdings(kind: Kind, fb: FactBase) -> dict[str, list[Any]]:
    """The entries of ``kind`` in each file, by the file's display path."""
    table = getattr(fb, kind.collection, {})
    held: dict[str, list[Any]] = defaultdict(list)
    for record in table.values() if isinstance(table, dict) else []:
        held[record.position().file].append(record)
    return dict(sorted(held.items()))


def describe(kind: Kind, records: list[Any]) -> str:
    """What a file holds, in a few words: '12 claims, mostly summit, venue'."""
    what = f"{len(records)} {kind.collection if len(records) != 1 else kind.name}"
    topics = Counter(str(t) for r in records for t in getattr(r, "topics", []))
    if topics:
        what += ", mostly " + ", ".join(t for t, _ in topics.most_common(3))
    return what


def suggest(kind: Kind, project: Project, fb: FactBase, values: dict[str, Any]) -> Choice:
    """The file an entry most likely belongs in, with the reason to tell the editor."""
    if kind.name == "source":
        return Choice(project.manifest, "sources are always listed there")
    folder = project.content / kind.collection
    topics = [str(t) for t in values.get("topics") or []]
    if folder.is_dir():
        main = folder / f"{topics[0]}.yml" if topics else None
        if main is not None and main.exists():
            return Choice(main, f"it is named after the topic '{topics[0]}'")
        inside = {
            file: records
            for file, records in holdings(kind, fb).items()
            if _inside(project.root / file, folder)
        }
        best = _most_about(topics, inside)
        if best:
            return Choice(project.root / best, f"it holds the most {kind.collection} about "
                          f"'{topics[0]}'")  # fmt: skip
        name = topics[0] if topics else "other"
        return Choice(folder / f"{name}.yml", f"a new file for the topic '{name}'")
    single = project.content / f"{kind.collection}.yml"
    if single.exists():
        return Choice(single, f"the {kind.collection} are kept there")
    held = list(holdings(kind, fb))
    if held:
        return Choice(project.root / held[-1], f"it already holds {kind.collection}")
    return Choice(single, f"a new file for {kind.collection}")


def _most_about(topics: list[str], held: dict[str, list[Any]]) -> str | None:
    """The file holding the most entries on the first topic ('' topics: none)."""
    counts = Counter(
        {file: sum(topics[0] in map(str, r.topics) for r in rs) for file, rs in held.items()}
        if topics
        else {}
    )
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] else None


def resolve(raw: str, project: Project) -> Path:
    """The content file an editor named: a path from here, from the project, or in content/."""
    given = Path(raw)
    candidates = (
        [given]
        if given.is_absolute()
        else [Path.cwd() / given, project.root / given, project.content / given]
    )
    for candidate in candidates:
        if _inside(candidate, project.content):
            if candidate.suffix not in (".yml", ".yaml"):
                raise NewError(f"{raw}: a content file's name ends in .yml")
            return candidate
    raise NewError(
        f"{raw} is not inside {project.display(project.content)}/; the site only reads files there"
    )


def schema_modeline(target: Path, project: Project, kind: Kind) -> str:
    name = "sources.schema.json" if kind.name == "source" else "content.schema.json"
    rel = os.path.relpath(project.root / "schema" / name, target.parent)
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}\n"
