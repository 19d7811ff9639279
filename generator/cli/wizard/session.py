"""The terminal conversation: every field asked in turn, each answer checked as typed.

A wrong answer is explained and asked again, with what the editor probably
meant offered as the default (Enter takes it); earlier answers are never
lost, because the draft is saved after each one. Answers given as flags, or
found in a resumed draft, are checked the same way and asked again only if wrong.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.cli.wizard import answers, target
from generator.cli.wizard.answers import Context, Verdict
from generator.cli.wizard.drafts import Draft
from generator.cli.wizard.fields import Spec, asked
from generator.cli.yamlsplice import NewError
from generator.content.project import Project

#: Typed at a prompt: list the entries a reference field may name / leave a field out.
LIST, SKIP = "?", "-"


def say(text: str = "") -> None:
    print(text, flush=True)


@dataclass
class Session:
    """One editor adding one entry: the answers so far live in the draft."""

    project: Project
    ctx: Context
    draft: Draft
    interactive: bool
    #: What Tab completes at the current prompt.
    words: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.interactive:
            _line_editing(self._complete)

    def _complete(self, text: str, state: int) -> str | None:
        matches = [w for w in self.words if w.startswith(text)]
        return matches[state] if state < len(matches) else None

    def _where(self, spec: Spec) -> dict[str, Any]:
        return self.draft.citation if spec.dest.startswith("cite_") else self.draft.values

    def _keep(self, spec: Spec, value: Any) -> None:
        where = self._where(spec)
        where[spec.name] = value
        if value is None and spec.name not in self.draft.skipped:
            self.draft.skipped.append(spec.name)
        elif value is not None and spec.name in self.draft.skipped:
            self.draft.skipped.remove(spec.name)
        if self.interactive:
            self.draft.save(self.project)

    def fill(self) -> list[str]:
        """Go through every field; the flags of required fields still missing (no terminal)."""
        missing = []
        fields = asked(self.ctx.kind)
        for n, spec in enumerate(fields, 1):
            where = self._where(spec)
            given = where.get(spec.name)
            if given is not None or spec.name in self.draft.skipped:
                verdict = answers.check(spec, given, self.ctx)
                if not self.interactive:  # read as the wizard reads it ('kherson' → UA-65);
                    where[spec.name] = verdict.value if verdict.ok else given  # else checked last
                    continue
                if verdict.ok:
                    _notes(verdict)
                    where[spec.name] = verdict.value
                    continue
                say(f"\n{spec.label}: {given!r} from the draft or flags is not right:")
                say(f"  ✗ {verdict.error}")
                self._keep(spec, self.ask(spec, n, len(fields), verdict.suggestion))
            elif self.interactive:
                self._keep(spec, self.ask(spec, n, len(fields)))
            elif spec.required:
                missing.append(spec.flag)
        return missing

    def ask(self, spec: Spec, n: int, total: int, default: str = "") -> Any:
        """Ask until the answer is right; Enter takes the default, or skips an optional field."""
        need = "required" if spec.required else "optional, Enter to skip"
        say(f"\n[{n}/{total}] {spec.label} ({need}): {spec.description}")
        for line in _hints(spec):
            say(line)
        self.words = answers.completions(spec, self.ctx)
        while True:
            raw = input(_prompt(spec, default)).strip()
            if raw == LIST and spec.refers_to:
                for line in answers.listing(spec.refers_to, self.ctx.fb):
                    say(f"    {line}")
                continue
            if raw == SKIP and not spec.required:
                return None
            if not raw and default:
                raw = default
            verdict = answers.check(spec, raw, self.ctx)
            _notes(verdict)
            if verdict.ok:
                return verdict.value
            say(f"  ✗ {verdict.error}")
            default = verdict.suggestion
            if default:
                say(f"  Press Enter to take '{default}', or type another answer.")

    def choose_file(self, given: str | None) -> Path:
        """The file to add to: as given, as the draft says, or chosen from a listed suggestion."""
        kind, fb = self.ctx.kind, self.ctx.fb
        raw = given or self.draft.target
        if raw:
            return target.resolve(raw, self.project)
        choice = target.suggest(kind, self.project, fb, self.draft.values)
        shown = self.project.display(choice.path)
        if not self.interactive or kind.name == "source":
            say(f"file: {shown} ({choice.reason}; pass --file to choose another)")
            return choice.path
        files = list(target.holdings(kind, fb).items())
        say(f"\nWhich file should the {kind.name} go to? These files hold {kind.collection}:")
        width = max([len(f) for f, _ in files] + [10])
        for i, (file, records) in enumerate(files, 1):
            say(f"{i:>4}  {file:<{width}}  {target.describe(kind, records)}")
        say(f"  Suggested: {shown}, because {choice.reason}.")
        say("  Type a number, a path (a new file is created), or Enter for the suggestion.")
        while True:
            raw = input(f"file [Enter: {shown}]: ").strip()
            if not raw:
                return choice.path
            if raw.isdigit() and 1 <= int(raw) <= len(files):
                return self.project.root / files[int(raw) - 1][0]
            try:
                return target.resolve(raw, self.project)
            except NewError as exc:
                say(f"  ✗ {exc}")


def _line_editing(complete: Callable[[str, int], str | None]) -> None:
    """Arrow keys, history and Tab completion at the prompts, where the platform has readline."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain prompts still work
        return
    readline.set_completer(complete)
    readline.set_completer_delims(" ,;")
    readline.parse_and_bind("tab: complete")


def _prompt(spec: Spec, default: str) -> str:
    if spec.is_bool:
        return f"{spec.label} [y/N]: "
    if default:
        skip = f", '{SKIP}' to skip" if not spec.required else ""
        return f"{spec.label} [Enter: {default}{skip}]: "
    return f"{spec.label}: "


def _hints(spec: Spec) -> Iterator[str]:
    if spec.choices:
        yield "  Type a value or its number:"
        yield from answers.enum_lines(spec)
    if spec.refers_to:
        names = "a code or a name" if spec.refers_to == "region" else "an id"
        names += " or a name" if spec.refers_to in ("actor", "proposal") else ""
        yield f"  {names.capitalize()}; Tab completes, '{LIST}' lists them all."
    if spec.is_list:
        yield f"  Several: separate them with '{spec.separator} '."


def _notes(verdict: Verdict) -> None:
    for note in verdict.notes:
        say(f"  → {note}")


def a(noun: str) -> str:
    """'a claim', 'an event'."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def confirm(question: str) -> bool:
    """A yes/no question whose default is yes."""
    return input(f"{question} [Y/n]: ").strip().lower() not in answers.NO


def is_terminal() -> bool:
    return sys.stdin.isatty()
