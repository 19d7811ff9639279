"""``python -m generator new claim|event|deadline|source``: add one entry, safely.

In a terminal the command asks for every field of the entry, optional ones
included, each with its help line from the model, and checks each answer as
it is typed (see :mod:`generator.cli.wizard`). Without a terminal it takes
the fields as flags. Either way the entry is appended at the end of the right
list in the chosen file, and the same checks as ``check`` run on the result:
if the entry brings a new problem, the file is put back exactly as it was
and the problems are reported at the lines of the draft, which keeps the
answers for ``--resume``. Typed work is never thrown away.

The rest of the file is never rewritten: ruamel.yaml (round-trip mode) reads
the file to find where the list ends and renders the new entry in the file's
own indentation, and the entry's lines are spliced in there, so comments,
blank lines, quoting and order elsewhere stay byte for byte as they were.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from generator.cli.wizard import answers, session
from generator.cli.wizard.drafts import Draft, Placement
from generator.cli.wizard.entry import build_entry
from generator.cli.wizard.fields import KINDS, SKIPPED, Kind, Spec, citation_specs, specs
from generator.cli.wizard.target import schema_modeline
from generator.cli.yamlsplice import NewError, render_entry, splice
from generator.content import urls
from generator.content.factbase import load
from generator.content.files import write_atomic
from generator.content.problems import Problem, Problems
from generator.content.project import Project

__all__ = ["KINDS", "SKIPPED", "add_parser", "build_entry", "specs", "splice"]

#: Where ``make serve`` (``python -m generator serve``) shows the site.
PREVIEW = "http://127.0.0.1:8000/"


# ---- command line ------------------------------------------------------------------


def add_parser(sub: Any) -> None:
    """Add ``new KIND`` to the CLI's subcommands."""
    parser = sub.add_parser(
        "new",
        help="add a claim, event, deadline or source (asks for each field, checks each answer)",
        description="Add one entry at the end of the file you choose, keeping the file's "
        "comments and order, then check everything; if the check finds a new problem the "
        "file is left as it was and your answers are kept in a draft (--resume). In a "
        "terminal every field is asked for and checked as you type; otherwise pass them as "
        "flags.",
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
        p.add_argument(
            "--resume", nargs="?", const="latest", metavar="DRAFT",
            help=f"go on from a draft in build/drafts/ (default: the latest {kind.name} draft)",
        )  # fmt: skip
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
        help_text = (help_text + "; " if help_text else "") + "one of: " + ", ".join(spec.values)
    if spec.required:
        help_text = "(required) " + help_text
    if spec.is_bool:
        group.add_argument(spec.flag, dest=spec.dest, action="store_true", default=None,
                           help=help_text)  # fmt: skip
    elif spec.is_list:
        how = "comma-separated, or repeat the flag" if spec.separator == "," else (
            "repeat the flag for each"
        )  # fmt: skip
        group.add_argument(spec.flag, dest=spec.dest, action="append", metavar="VALUE",
                           help=f"{help_text} ({how})".strip())  # fmt: skip
    else:
        group.add_argument(spec.flag, dest=spec.dest, metavar="VALUE", help=help_text)


# ---- the draft: resumed, or started from the flags -----------------------------------


def _from_flags(draft: Draft, args: argparse.Namespace) -> None:
    kind = draft.kind
    pairs = [(s, draft.values) for s in specs(kind)] + (
        [(s, draft.citation) for s in citation_specs()] if kind.cited else []
    )
    for spec, where in pairs:
        raw = getattr(args, spec.dest, None)
        if raw is not None:
            where[spec.name] = answers.split(spec, raw) if spec.is_list else raw


def _draft(project: Project, kind: Kind, args: argparse.Namespace, interactive: bool) -> Draft:
    """The draft to work on: the one asked for, the latest if the editor wants it, or a new one."""
    if args.resume:
        path = Draft.latest(project, kind) if args.resume == "latest" else Path(args.resume)
        if path is not None and not path.is_absolute() and not path.exists():
            path = project.root / path  # as the messages name it: from the project's folder
        if path is None:
            raise NewError(
                f"no draft of {session.a(kind.name)} in "
                f"{project.display(project.build_dir)}/drafts/"
            )
        draft = Draft.load(path)
        if draft.kind is not kind:
            raise NewError(
                f"{path} is a draft of {session.a(draft.kind.name)}: use 'new {draft.kind.name}'"
            )
        session.say(f"Resuming {project.display(path)} ({draft.answered()} answers).")
    else:
        draft = Draft.new(project, kind)
        latest = Draft.latest(project, kind)
        if interactive and latest is not None:
            old = Draft.load(latest)
            if session.confirm(
                f"{session.a(kind.name).capitalize()} draft exists ({project.display(latest)}, "
                f"{old.answered()} answers). Resume it?"
            ):
                draft = old
    _from_flags(draft, args)
    return draft


# ---- the command ----------------------------------------------------------------------


def _problem_keys(problems: Problems) -> set[tuple[str, str]]:
    return {(p.position.file, p.message) for p in problems}


def _check(project: Project) -> Problems:
    from generator.build.check import check_project

    return check_project(project)[1]


def _where_it_appears(kind: Kind, ident: str, project: Project) -> list[str]:
    link = urls.CANONICAL[kind.name](ident)
    lines = [f"  preview: {urls.absolute(PREVIEW, link)}  (start it with: make serve)"]
    site = project.site_url()
    if site:
        lines.append(f"  site:    {urls.absolute(site, link)}  (once published)")
    return lines


def _resume(project: Project, draft: Draft, content: str | None) -> str:
    """The command that goes on from the draft, as the editor can paste it."""
    where = f" --content {content}" if content else ""
    return (
        f"python -m generator new {draft.kind.name}{where} --resume {project.display(draft.path)}"
    )


def _finish(project: Project, draft: Draft, target: Path, resume: str) -> int:
    """Splice the entry in, check, and keep it or put the file back; the draft keeps the work."""
    kind = draft.kind
    original = target.read_text(encoding="utf-8") if target.exists() else None
    entry = draft.entry()
    header = schema_modeline(target, project, kind) + "\n" if original is None else ""
    try:
        text, start = splice(original, kind.collection, entry, header)
    except YAMLError as exc:
        raise NewError(
            f"{project.display(target)} cannot be read as YAML ({exc.__class__.__name__}); "
            "run 'python -m generator check' and fix it first"
        ) from None
    before = _problem_keys(_check(project))
    write_atomic(target, text.encode("utf-8"))
    problems = _check(project)
    new = [p for p in problems.errors if (p.position.file, p.message) not in before]
    shown = project.display(target)
    if new:
        if original is None:
            target.unlink()
        else:
            write_atomic(target, original.encode("utf-8"))
        _report(project, draft, new, (shown, text, start, original), resume)
        return 1
    draft.discard()
    end = start + render_entry(kind.collection, entry).count("\n") - 1
    ident = str(draft.values["id"])
    print(f"added {kind.name} '{ident}' to {shown}, lines {start}–{end}; check passed.")
    print("It will appear at:")
    print("\n".join(_where_it_appears(kind, ident, project)))
    if problems:
        print(
            f"note: the content already had {len(problems)} other problem"
            f"{'s' if len(problems) != 1 else ''}; run 'python -m generator check' to see them.",
            file=sys.stderr,
        )
    return 0


def _report(
    project: Project, draft: Draft, new: list[Problem],
    splice: tuple[str, str, int, str | None], resume: str,
) -> None:  # fmt: skip
    shown, text, start, original = splice
    draft.target = shown
    draft.save(project)
    draft_text, draft_start = draft.text(project)
    old_lines = original.count("\n") if original else 0
    placement = Placement(
        shown, text, start, text.count("\n") - old_lines,
        project.display(draft.path), draft_text, draft_start,
    )  # fmt: skip
    for problem in sorted(placement.relocate(p) for p in new):
        print(problem.format(), file=sys.stderr)
    count = f"{len(new)} problem{'s' if len(new) != 1 else ''}"
    print(
        f"The new {draft.kind.name} was not kept: {count} above; {shown} is as it was.\n"
        f"Your answers are kept in {project.display(draft.path)}: correct them there, or run\n"
        f"  {resume}",
        file=sys.stderr,
    )


def _keep_draft(project: Project, draft: Draft, why: str, content: str | None) -> None:
    draft.save(project)
    print(
        f"\n{why}: your answers are kept in {project.display(draft.path)}.\n"
        f"Go on with: {_resume(project, draft, content)}",
        file=sys.stderr,
    )


def cmd_new(args: argparse.Namespace) -> int:
    from generator.build.generate import as_of_date

    kind = KINDS[args.new_kind]
    project = Project.at(args.content)
    interactive = not args.no_input and session.is_terminal()
    draft: Draft | None = None
    try:
        draft = _draft(project, kind, args, interactive)
        fb, _ = load(project)
        work = session.Session(project, answers.Context(fb, draft),
                               draft, interactive)  # fmt: skip
        missing = work.fill()
        if missing:
            raise NewError(
                f"missing {', '.join(missing)} (run it in a terminal to be asked for each)"
            )
        if "added" in kind.model.model_fields and not draft.values.get("added"):
            draft.values["added"] = as_of_date(args.as_of)[0].isoformat()
        target = work.choose_file(getattr(args, "target", None))
        draft.target = project.display(target)
        return _finish(project, draft, target, _resume(project, draft, args.content))
    except NewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if draft is not None:
            _keep_draft(project, draft, "Interrupted", args.content)
        return 130
    except EOFError:
        if draft is not None:
            _keep_draft(project, draft, "No more input", args.content)
        return 1
