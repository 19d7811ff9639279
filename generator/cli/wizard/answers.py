"""One answer checked as soon as it is typed: against the model and the loaded content.

Each check says what is wrong in the words ``check`` would use, and offers
what the editor probably meant (taken with Enter on the next try): the real
id nearest a typo, the region 'UA-65 Kherson' for 'kherson', the closest
passage of the article for a misquote. The model's own validation decides
types, patterns and dates, so the wizard can never accept what ``check`` refuses.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError, create_model

from generator.cli.wizard.drafts import Draft
from generator.cli.wizard.fields import VERBATIM, Kind, Spec
from generator.content.dates import PartialDate
from generator.content.factbase import FactBase
from generator.content.problems import Problems
from generator.content.schema_errors import translate
from generator.content.yamlfile import Document

YES = ("y", "yes", "true", "1")
NO = ("n", "no", "false", "0")


@dataclass
class Verdict:
    """What became of one answer."""

    value: Any = None
    error: str = ""
    #: What the editor probably meant, taken with Enter on the next try.
    suggestion: str = ""
    #: Said when the answer is read as something else ('kherson' → UA-65 Kherson).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class Context:
    """What an answer is checked against: the content as loaded, and the answers so far."""

    fb: FactBase
    draft: Draft

    @property
    def kind(self) -> Kind:
        return self.draft.kind

    @property
    def citation(self) -> dict[str, Any]:
        return self.draft.citation


# ---- names of the entries a field may name -----------------------------------------

#: For each kind of entry: the table in the fact base, its label, and its other names.
Named = tuple[str, list[str]]


def _named(fb: FactBase, what: str) -> dict[str, Named]:
    tables: dict[str, Callable[[], dict[str, Named]]] = {
        "actor": lambda: {k: (a.name, [a.name, *a.aliases]) for k, a in fb.actors.items()},
        "region": lambda: {
            k: (f"{k} {r.name}", [r.name, *r.aliases]) for k, r in fb.regions.items()
        },
        "source": lambda: {k: (s.headline or s.outlet, []) for k, s in fb.sources.items()},
        "claim": lambda: {k: (c.summary, []) for k, c in fb.claims.items()},
        "event": lambda: {k: (e.title, []) for k, e in fb.events.items()},
        "deadline": lambda: {k: (d.title, []) for k, d in fb.deadlines.items()},
        "proposal": lambda: {k: (p.name, [p.name]) for k, p in fb.proposals.items()},
    }
    return tables[what]() if what in tables else {}


def label(what: str, ident: str, named: dict[str, Named]) -> str:
    """How an entry is shown in a suggestion: 'UA-65 Kherson', 'vladimir-putin (Vladimir Putin)'."""
    if ident not in named:
        return ident
    text = named[ident][0]
    if what == "region":
        return text
    short = text if len(text) <= 60 else text[:59] + "…"
    return f"{ident} ({short})"


def _near(raw: str, named: dict[str, Named]) -> list[str]:
    """Ids an unknown answer may have meant: near its spelling, or one of its words."""
    lowered = raw.lower()
    by_name = {n.lower(): k for k, (_, names) in named.items() for n in names}
    found = difflib.get_close_matches(raw, list(named), n=3, cutoff=0.6)
    found += [
        by_name[n] for n in difflib.get_close_matches(lowered, list(by_name), n=3, cutoff=0.6)
    ]
    words = set(lowered.replace("-", " ").split())
    found += [
        k
        for k, (_, names) in named.items()
        if words and any(words <= set(n.lower().replace("-", " ").split()) for n in names)
    ]
    return list(dict.fromkeys(found))[:3]


def resolve(what: str, raw: str, fb: FactBase) -> Verdict:
    """The id an answer names: as typed, in another case, or by a name or alias."""
    named = _named(fb, what)
    if raw in named:
        return Verdict(raw)
    lowered = raw.lower()
    exact = {k for k, (_, names) in named.items() if lowered in (k.lower(), *map(str.lower, names))}
    if len(exact) == 1:
        ident = exact.pop()
        return Verdict(ident, notes=[f"'{raw}' is {label(what, ident, named)}"])
    near = _near(raw, named) or sorted(exact)
    if near:
        shown = ", ".join(label(what, k, named) for k in near)
        return Verdict(error=f"unknown {what} '{raw}'; did you mean {shown}?", suggestion=near[0])
    return Verdict(error=f"unknown {what} '{raw}'; there are {len(named)}: type '?' to list them")


def completions(spec: Spec, ctx: Context) -> list[str]:
    """What Tab may complete an answer to: the allowed values, or the real ids."""
    if spec.choices:
        return list(spec.values)
    if spec.refers_to:
        return sorted(_named(ctx.fb, spec.refers_to))
    if spec.name == "file" and ctx.kind.name == "source":
        return sorted(p.name for p in ctx.fb.project.seeds.glob("*.txt"))
    return []


def listing(what: str, fb: FactBase) -> list[str]:
    """Every entry a reference field may name, one line each."""
    named = _named(fb, what)
    return [label(what, k, named) for k in sorted(named)]


# ---- the model's own validation -----------------------------------------------------


@cache
def _one_field(model: type[BaseModel], name: str) -> type[BaseModel]:
    info = model.model_fields[name]
    one: type[BaseModel] = create_model(  # type: ignore[call-overload]
        f"{model.__name__}_{name}", **{name: (info.annotation, info)}
    )
    return one


def _model_error(spec: Spec, value: Any) -> str:
    """What the model says of the value, as ``check`` would say it; '' if it is valid."""
    one = _one_field(spec.model, spec.name)
    try:
        one.model_validate({spec.name: value})
    except ValidationError as exc:
        problems = Problems()
        translate(exc, one, Document(Path("answer"), "answer"), problems)
        return next((p.message for p in problems), str(exc))
    return ""


# ---- one answer ---------------------------------------------------------------------


def _choice(spec: Spec, raw: str) -> Verdict:
    """An enum value, typed as it is, in another case, or by its number in the list."""
    values = spec.values
    if raw.isdigit() and 1 <= int(raw) <= len(values):
        return Verdict(values[int(raw) - 1])
    folded = {v.lower(): v for v in values}
    if raw.lower() in folded:
        return Verdict(folded[raw.lower()])
    near = difflib.get_close_matches(raw.lower(), values, n=1, cutoff=0.6)
    error = _model_error(spec, [raw] if spec.is_list else raw)
    return Verdict(error=error, suggestion=near[0] if near else "")


def _item(spec: Spec, raw: str, ctx: Context) -> Verdict:
    if spec.choices:
        return _choice(spec, raw)
    if spec.refers_to:
        return resolve(spec.refers_to, raw, ctx.fb)
    return Verdict(raw)


def split(spec: Spec, raw: str | list[str]) -> list[str]:
    """The items of a list answer: one typed line split as the field needs, or flags' values."""
    sep = spec.separator
    parts = raw.split(sep) if isinstance(raw, str) else [
        piece for value in raw for piece in (value.split(sep) if sep == "," else [value])
    ]  # fmt: skip
    return [p.strip() for p in parts if p.strip()]


def _items(spec: Spec, raw: str | list[str], ctx: Context) -> Verdict:
    items = split(spec, raw)
    values, notes = [], []
    for i, item in enumerate(items):
        verdict = _item(spec, item, ctx)
        if not verdict.ok:
            if verdict.suggestion:
                fixed = items[:i] + [verdict.suggestion] + items[i + 1 :]
                verdict.suggestion = f"{spec.separator} ".join(fixed)
            return verdict
        values.append(verdict.value)
        notes += verdict.notes
    return Verdict(list(dict.fromkeys(values)), notes=notes)


def _boolean(raw: str) -> Verdict:
    if raw.lower() in YES:
        return Verdict(True)
    if raw.lower() in NO:
        return Verdict(False)
    return Verdict(error=f"'{raw}' is not yes or no; type y or n")


def check(spec: Spec, raw: Any, ctx: Context) -> Verdict:
    """The value of one answer (None for an optional field left empty), or what is wrong."""
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    empty = raw is None or (not raw.strip() if isinstance(raw, str) else not raw)
    if empty:
        if spec.required:
            return Verdict(error=f"{spec.label} is required: {spec.description}")
        return Verdict(None)
    if spec.is_bool:
        return _boolean(str(raw).strip())
    if spec.is_list:
        verdict = _items(spec, raw, ctx)
    else:
        text = raw.strip() if isinstance(raw, str) else str(raw)
        verdict = _item(spec, text, ctx)
    if not verdict.ok:
        return verdict
    error = _model_error(spec, verdict.value)
    if error and spec.is_date:
        verdict.suggestion = _padded(str(verdict.value))
    if not error:
        error = _content_error(spec, verdict, ctx)
    if error:
        return Verdict(error=error, suggestion=verdict.suggestion, notes=verdict.notes)
    return verdict


def _padded(text: str) -> str:
    """'2025-8-6' as the date it means, '2025-08-06', if it is one."""
    parts = text.strip().split("-")
    if not all(p.isdigit() for p in parts) or len(parts) > 3 or len(parts[0]) != 4:
        return ""
    padded = "-".join([parts[0], *(p.zfill(2) for p in parts[1:])])
    try:
        PartialDate.parse(padded)
    except ValueError:
        return ""
    return padded if padded != text else ""


def _table(fb: FactBase, collection: str) -> dict[str, Any]:
    table = getattr(fb, collection, {})
    return table if isinstance(table, dict) else {}


def _content_error(spec: Spec, verdict: Verdict, ctx: Context) -> str:
    """What the loaded content says against a value the model accepts."""
    value = verdict.value
    if spec.name == "id" and spec.model is ctx.kind.model:
        existing = _table(ctx.fb, ctx.kind.collection).get(value)
        if existing is not None:
            return (
                f"there is already a {ctx.kind.name} '{value}' ({existing.position()}); "
                "choose another id"
            )
    if spec.name in VERBATIM:
        return _verbatim_error(spec, value, ctx, verdict)
    if spec.name == "file" and ctx.kind.name == "source":
        return _seed_error(value, ctx, verdict)
    return ""


def _verbatim_error(spec: Spec, passage: str, ctx: Context, verdict: Verdict) -> str:
    source = ctx.citation.get("source")
    text = ctx.fb.texts.get(source) if source else None
    if text is None or text.contains(passage):
        return ""
    closest = text.closest(passage)
    where = f'; the closest passage is:\n    "{closest}"' if closest else ""
    return (
        f"{spec.name} not found verbatim in source '{source}' (copy it word for word, whole "
        f"words; quotes and dashes may differ){where}"
    )


def undescribed_seeds(ctx: Context) -> list[str]:
    """Seed files no source describes yet: the likely files of a new source."""
    described = {s.file for s in ctx.fb.sources.values()}
    seeds = ctx.fb.project.seeds
    return sorted(p.name for p in seeds.glob("*.txt") if p.name not in described)


def _seed_error(name: str, ctx: Context, verdict: Verdict) -> str:
    seeds = ctx.fb.project.seeds
    if (seeds / name).is_file() and "/" not in name:
        users = [s.id for s in ctx.fb.sources.values() if s.file == name]
        if users:
            verdict.notes.append(
                f"{name} is already described by {', '.join(users)}; fine if it holds "
                "several articles (add a 'section:' by hand)"
            )
        return ""
    free = undescribed_seeds(ctx)
    names = sorted(p.name for p in seeds.glob("*.txt"))
    stem = name.removesuffix(".txt")
    near = [n for n in names if stem and n.startswith(stem)] or difflib.get_close_matches(
        name, names, n=1
    )
    verdict.suggestion = near[0] if near else (free[0] if free else "")
    listed = f"; files no source describes yet: {', '.join(free[:5])}" if free else ""
    return f"no file '{name}' in seeds/; save the article there first{listed}"


def enum_lines(spec: Spec) -> Iterable[str]:
    """The allowed values, numbered, each with its meaning."""
    width = max(len(v) for v in spec.values)
    for i, (value, meaning) in enumerate(spec.choices, 1):
        yield f"{i:>4}  {value:<{width}}  {meaning}".rstrip()
