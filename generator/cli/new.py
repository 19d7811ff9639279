"""``python -m generator new claim|event|deadline|source``: add one entry, safely.

The command asks for the required fields (when run in a terminal) or takes
them as flags, appends a well-formatted entry at the end of the right list in
the right file, and then runs the same checks as ``check``. If the entry
brings any new problem, the file is put back exactly as it was and the
problems are printed; nothing half-done is left behind.

The rest of the file is never rewritten: ruamel.yaml (round-trip mode) reads
the file to find where the list ends and renders the new entry in the file's
own indentation, and the entry's lines are spliced in there, so comments,
blank lines, quoting and order elsewhere stay byte for byte as they were.
"""

from __future__ import annotations

import argparse
import os
import sys
import types
import typing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)

from generator.cli.yamlsplice import NewError, render_entry, splice
from generator.content.dates import PartialDate
from generator.content.files import write_atomic
from generator.content.model import Citation, Claim, Deadline, Event, Source
from generator.content.problems import Problems
from generator.content.project import Project

#: Fields whose values are ids, codes or fixed words: a flag may list several,
#: separated by commas, and the file shows them as ``[a, b]``.
SHORT_LISTS = {"regions", "topics", "actors", "proposed_by"}
#: Fields of running text, written as folded blocks (``>-``) when long.
PROSE = {"text", "threat", "outcome", "date_basis", "summary", "language_note",
         "published_basis"}  # fmt: skip
#: Never offered: filled in by the command, or edited by hand when needed.
SKIPPED = {"sources", "section", "updated", "previous_ids"}
FOLD_WIDTH = 88
#: Help for fields the model leaves undescribed.
HELP = {
    "regions": "codes of the regions it is about, e.g. UA-23 (see content/regions.yml)",
    "text": "the fact in full; Markdown, raw HTML is not rendered",
    "threat": "what was threatened if the deadline was missed",
    "actors": "ids of the actors taking part (see content/actors.yml)",
    "topics": "what it is about",
    "title": "one line, as the timeline shows it",
    "location": "where, e.g. 'Moscow, Russia'",
    "proposal": "id of the proposal it belongs to",
    "event": "id of the event where it was said",
    "set_by": "id of the actor who set the deadline",
    "superseded_by": "id of the deadline that replaced this one",
    "outlet": "who published the article, as the site names it",
    "published": "when the article appeared: YYYY-MM-DD, YYYY-MM or YYYY",
    "published_circa": "the publication date is approximate",
    "contributors": "the article's authors",
    "name": "as the site writes it",
    "role": "who they are, in a line",
    "country": "the country they belong to, if any",
    "aliases": "other spellings found in the sources",
}


@dataclass(frozen=True)
class Kind:
    """One kind of entry the command can add."""

    name: str
    model: type[BaseModel]
    collection: str
    #: The order fields are written in (the order editors read them in).
    order: tuple[str, ...]
    #: Optional fields worth asking for in a terminal (Enter skips them).
    recommended: tuple[str, ...] = ()
    cited: bool = True
    help: str = ""


KINDS: dict[str, Kind] = {
    "claim": Kind(
        "claim", Claim, "claims",
        ("id", "actor", "stance", "summary", "text", "date", "circa", "date_basis", "status",
         "topics", "regions", "proposal", "event", "responds_to", "added"),
        recommended=("topics", "regions"),
        help="who claims, demands, offers or denies what (default file: "
        "content/claims/<first topic>.yml)",
    ),
    "event": Kind(
        "event", Event, "events",
        ("id", "title", "kind", "date", "circa", "date_basis", "location", "text", "status",
         "actors", "regions", "added"),
        recommended=("actors", "regions", "location"),
        help="something that happened: a call, meeting, summit, measure… "
        "(default file: content/events.yml)",
    ),
    "deadline": Kind(
        "deadline", Deadline, "deadlines",
        ("id", "title", "date", "circa", "date_basis", "set_by", "targets", "threat",
         "resolution", "outcome", "superseded_by", "status", "added"),
        recommended=("resolution",),
        help="a deadline or ultimatum (default file: content/deadlines.yml)",
    ),
    "source": Kind(
        "source", Source, "sources",
        ("id", "file", "outlet", "headline", "url", "language", "language_note", "published",
         "published_circa", "published_basis", "attribution", "contributors", "summary"),
        recommended=("headline", "url"),
        cited=False,
        help="a source article already saved as a text file in seeds/ "
        "(always added to seeds/sources.yml)",
    ),
}  # fmt: skip

CITATION_FIELDS = ("source", "evidence", "quote", "via")


# ---- the fields of a kind, read from the model ------------------------------------


@dataclass(frozen=True)
class Spec:
    """How one field is asked for and written."""

    name: str
    required: bool
    description: str
    is_list: bool = False
    is_bool: bool = False
    choices: tuple[str, ...] = ()
    #: Where argparse keeps the value (citation fields are kept apart from the entry's).
    dest: str = ""

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The item type of ``X``, ``X | None``, ``list[X]`` or ``Annotated[...]``; is it a list."""
    is_list = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is list:
            is_list = True
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation, is_list


def _spec(model: type[BaseModel], name: str, dest_prefix: str = "") -> Spec:
    info = model.model_fields[name]
    item, is_list = _unwrap(info.annotation)
    is_enum = isinstance(item, type) and issubclass(item, Enum)
    return Spec(
        name=name,
        required=info.is_required(),
        description=info.description or HELP.get(name, ""),
        is_list=is_list,
        is_bool=item is bool,
        choices=tuple(m.value for m in item) if is_enum else (),
        dest=dest_prefix + name,
    )


def specs(kind: Kind) -> list[Spec]:
    """Every field the command offers for ``kind``, in writing order."""
    names = list(kind.order) + [
        n for n in kind.model.model_fields if n not in kind.order and n not in SKIPPED
    ]
    return [_spec(kind.model, n) for n in names if n not in SKIPPED]


def citation_specs() -> list[Spec]:
    return [_spec(Citation, n, dest_prefix="cite_") for n in CITATION_FIELDS]


# ---- command line ------------------------------------------------------------------


def add_parser(sub: Any) -> None:
    """Add ``new KIND`` to the CLI's subcommands."""
    parser = sub.add_parser(
        "new",
        help="add a claim, event, deadline or source (asks for what it needs)",
        description="Add one entry at the end of the right file, keeping the file's comments "
        "and order, then check everything; if the check finds a new problem the file is "
        "restored. In a terminal, missing required fields are asked for; otherwise pass "
        "them as flags.",
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind in KINDS.values():
        p = kinds.add_parser(kind.name, help=kind.help, description=kind.help)
        p.set_defaults(func=cmd_new, new_kind=kind.name)
        p.add_argument("--content", metavar="DIR", help="content folder (default: content/)")
        if kind.name != "source":
            p.add_argument(
                "--file", dest="target", metavar="FILE",
                help="the YAML file to add to (a path inside content/; created if missing)",
            )  # fmt: skip
        p.add_argument(
            "--as-of", metavar="YYYY-MM-DD",
            help="date written into 'added' (default: SOURCE_DATE_EPOCH, WCW_AS_OF or today)",
        )  # fmt: skip
        p.add_argument(
            "--no-input", action="store_true", help="never ask; fail if a required field is missing"
        )
        fields = p.add_argument_group("fields")
        for spec in specs(kind):
            _add_option(fields, spec)
        if kind.cited:
            cite = p.add_argument_group("the source backing it (add more by editing the file)")
            for spec in citation_specs():
                _add_option(cite, spec)


def _add_option(group: Any, spec: Spec) -> None:
    help_text = spec.description
    if spec.choices:
        help_text = (help_text + "; " if help_text else "") + "one of: " + ", ".join(spec.choices)
    if spec.required:
        help_text = "(required) " + help_text
    if spec.is_bool:
        group.add_argument(spec.flag, dest=spec.dest, action="store_true", default=None,
                           help=help_text)  # fmt: skip
    elif spec.is_list:
        how = (
            "comma-separated, or repeat the flag"
            if spec.name in SHORT_LISTS
            else "repeat the flag for each"
        )
        group.add_argument(spec.flag, dest=spec.dest, action="append", metavar="VALUE",
                           help=f"{help_text} ({how})".strip())  # fmt: skip
    else:
        group.add_argument(spec.flag, dest=spec.dest, metavar="VALUE", help=help_text)


def _list_value(spec: Spec, raw: list[str] | str) -> list[str]:
    """Flags give a list (one per use), a prompt gives one line; split as the field needs."""
    short = spec.name in SHORT_LISTS
    if isinstance(raw, str):
        parts = raw.split("," if short else ";")
    else:
        parts = [part for value in raw for part in (value.split(",") if short else [value])]
    return [p.strip() for p in parts if p.strip()]


def _ask(spec: Spec) -> Any:
    """Ask for one field in the terminal; Enter leaves an optional one out."""
    hint = spec.description
    if spec.choices:
        hint = "one of: " + ", ".join(spec.choices)
    if spec.is_list:
        hint += ("; " if hint else "") + (
            "separate several with commas"
            if spec.name in SHORT_LISTS
            else "separate several with ';'"
        )
    optional = "" if spec.required else ", Enter to skip"
    while True:
        answer = input(f"{spec.name.replace('_', ' ')} ({hint}{optional}): ").strip()
        if answer or not spec.required:
            break
        print(f"  {spec.name} is required.", file=sys.stderr)
    if not answer:
        return None
    if spec.is_bool:
        return answer.lower() in ("y", "yes", "true", "1")
    if spec.is_list:
        return _list_value(spec, answer)
    return answer


# ---- the entry ----------------------------------------------------------------------


def _date_value(text: str) -> Any:
    """A date as the file should show it: unquoted, at its own precision."""
    date = PartialDate.parse(text)
    if date.precision == "day":
        return date.earliest()
    if date.precision == "year":
        return date.year
    return str(date)


def _fold_positions(text: str, width: int) -> list[int] | None:
    """Where a folded block may break the text (single spaces only), or None if it cannot."""
    if "\n" in text or "  " in text or text != text.strip():
        return None
    positions, start, last_space = [], 0, -1
    for i, ch in enumerate(text):
        if ch == " ":
            last_space = i
        if i - start >= width and last_space > start:
            positions.append(last_space)
            start = last_space + 1
    return positions


def _scalar(name: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    if name in ("date", "published", "added", "updated"):
        try:
            return _date_value(value)
        except ValueError:
            return value  # the check reports it, at this line
    if name in ("evidence", "quote", "wording"):
        return DoubleQuotedScalarString(value)
    if "\n" in value:
        return LiteralScalarString(value)
    if name in PROSE and len(value) > FOLD_WIDTH - 10:
        positions = _fold_positions(value, FOLD_WIDTH - 6)
        if positions is not None:
            folded = FoldedScalarString(value)
            folded.fold_pos = positions
            return folded
    return value


def build_entry(kind: Kind, values: dict[str, Any], citation: dict[str, Any]) -> CommentedMap:
    """The new entry, fields in the kind's order, ready for ruamel.yaml to write."""
    entry = CommentedMap()
    for spec in specs(kind):
        value = values.get(spec.name)
        if value is None or value == []:
            continue
        if spec.is_list:
            seq = CommentedSeq([_scalar(spec.name, v) for v in value])
            if spec.name in SHORT_LISTS:
                seq.fa.set_flow_style()
            entry[spec.name] = seq
        else:
            entry[spec.name] = _scalar(spec.name, value)
    if kind.cited:
        cite = CommentedMap(
            (k, _scalar(k, citation[k])) for k in CITATION_FIELDS if citation.get(k)
        )
        entry["sources"] = CommentedSeq([cite])
    return entry


# ---- where it goes ----------------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def default_target(kind: Kind, project: Project, values: dict[str, Any]) -> Path:
    if kind.name == "source":
        return project.manifest
    folder = project.content / kind.collection
    if folder.is_dir():
        topics = values.get("topics") or []
        for topic in topics:
            if (folder / f"{topic}.yml").exists():
                return folder / f"{topic}.yml"
        return folder / f"{topics[0] if topics else 'other'}.yml"
    single = project.content / f"{kind.collection}.yml"
    if single.exists():
        return single
    holders = [
        p for p in project.content_files() if f"\n{kind.collection}:" in "\n" + p.read_text("utf-8")
    ]
    return holders[-1] if holders else single


def resolve_target(raw: str | None, kind: Kind, project: Project, values: dict[str, Any]) -> Path:
    if not raw:
        return default_target(kind, project, values)
    given = Path(raw)
    candidates = [given] if given.is_absolute() else [Path.cwd() / given, project.content / given]
    for candidate in candidates:
        if _inside(candidate, project.content):
            if candidate.suffix not in (".yml", ".yaml"):
                raise NewError(f"{raw}: a content file's name ends in .yml")
            return candidate
    raise NewError(
        f"{raw} is not inside {project.display(project.content)}/; the site only reads files there"
    )


def _schema_modeline(target: Path, project: Project, kind: Kind) -> str:
    name = "sources.schema.json" if kind.name == "source" else "content.schema.json"
    rel = os.path.relpath(project.root / "schema" / name, target.parent)
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}\n"


# ---- the command ----------------------------------------------------------------------


def _problem_keys(problems: Problems) -> set[tuple[str, str]]:
    return {(p.position.file, p.message) for p in problems}


def _check(project: Project) -> Problems:
    from generator.build.check import check_project

    return check_project(project)[1]


def collect(
    kind: Kind, args: argparse.Namespace, interactive: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The field values from flags, asking in the terminal for what is missing."""
    values: dict[str, Any] = {}
    for spec in specs(kind):
        raw = getattr(args, spec.dest, None)
        values[spec.name] = _list_value(spec, raw) if spec.is_list and raw else raw
    citation: dict[str, Any] = {}
    if kind.cited:
        for spec in citation_specs():
            citation[spec.name] = getattr(args, spec.dest, None)
    all_specs = [(s, values) for s in specs(kind)] + (
        [(s, citation) for s in citation_specs()] if kind.cited else []
    )
    missing = [s for s, where in all_specs if s.required and not where.get(s.name)]
    if missing and not interactive:
        flags = ", ".join(s.flag for s in missing)
        raise NewError(f"missing {flags} (run it in a terminal to be asked for each)")
    if interactive:
        asked = {s.name for s in missing}
        for spec, where in all_specs:
            if spec.name in asked or (
                spec.name in kind.recommended and where is values and not values.get(spec.name)
            ):
                where[spec.name] = _ask(spec)
    return values, citation


def cmd_new(args: argparse.Namespace) -> int:
    from generator.build.generate import as_of_date

    kind = KINDS[args.new_kind]
    project = Project.at(args.content)
    interactive = not args.no_input and sys.stdin.isatty()
    try:
        values, citation = collect(kind, args, interactive)
        if "added" in kind.model.model_fields and not values.get("added"):
            values["added"] = as_of_date(args.as_of)[0].isoformat()
        target = resolve_target(getattr(args, "target", None), kind, project, values)
        original = target.read_text(encoding="utf-8") if target.exists() else None
        entry = build_entry(kind, values, citation)
        header = _schema_modeline(target, project, kind) + "\n" if original is None else ""
        try:
            text, start = splice(original, kind.collection, entry, header)
        except YAMLError as exc:
            raise NewError(
                f"{project.display(target)} cannot be read as YAML ({exc.__class__.__name__}); "
                "run 'python -m generator check' and fix it first"
            ) from None
    except NewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    before = _problem_keys(_check(project))
    write_atomic(target, text.encode("utf-8"))
    problems = _check(project)
    new = [p for p in problems if (p.position.file, p.message) not in before]
    shown = project.display(target)
    if new:
        if original is None:
            target.unlink()
        else:
            write_atomic(target, original.encode("utf-8"))
        for problem in new:
            print(problem.format(), file=sys.stderr)
        print(
            f"The new {kind.name} was not kept: {len(new)} problem{'s' if len(new) != 1 else ''} "
            f"above; {shown} is as it was.",
            file=sys.stderr,
        )
        return 1
    end = start + render_entry(kind.collection, entry).count("\n") - 1
    print(f"added {kind.name} '{values['id']}' to {shown}, lines {start}–{end}; check passed.")
    if problems:
        print(
            f"note: the content already had {len(problems)} other problem"
            f"{'s' if len(problems) != 1 else ''}; run 'python -m generator check' to see them.",
            file=sys.stderr,
        )
    return 0
