"""Turn pydantic's validation errors into sentences an editor can act on.

Pydantic reports ``('claims', 3, 'stance')`` and "Input should be 'claims',
'demands' or …"; an editor needs the line of that value, the list of what is
allowed and, for a typo, the word they probably meant.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.content.model import PATTERN_HINTS, REGION_CODE_PATTERN
from generator.content.problems import Problems
from generator.content.rules import region_guard
from generator.content.yamlfile import Document


def closest(word: str, options: typing.Iterable[str]) -> str | None:
    """The option ``word`` is most likely a typo of, if any is close enough."""
    match = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(word: str, options: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    match = closest(word, options)
    return f"; did you mean '{match}'?" if match else ""


def noun(record: type[BaseModel]) -> str:
    """What an editor calls a record: ``GlossaryEntry`` is a 'glossary entry'.

    Named after the class, not the list holding it: ``sources`` holds sources
    in the manifest but citations in a claim.
    """
    return re.sub(r"(?<!^)(?=[A-Z])", " ", record.__name__).lower()


def _unwrap(annotation: Any) -> Any:
    """The record class inside ``list[X]``, ``X | None`` or ``Annotated[X, …]``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def record_class(annotation: Any) -> type[BaseModel]:
    """The record type of a ``list[Record]`` field."""
    found = _unwrap(annotation)
    assert isinstance(found, type) and issubclass(found, BaseModel)
    return found


def _is_record(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> tuple[Any, type[BaseModel]]:
    """The annotation at ``loc`` (None if unknown) and the innermost record holding it."""
    current: Any = root
    holder = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not _is_record(current):
            return None, holder
        holder = current
        info = current.model_fields.get(str(part))
        if info is None:
            return None, holder
        current = _unwrap(info.annotation)
    return current, holder


def _fields_at(root: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed in the record at ``loc``."""
    record, _ = _model_at(root, loc)
    return list(record.model_fields) if _is_record(record) else []


def _is_item(loc: tuple[Any, ...]) -> bool:
    """Whether ``loc`` is one item of a list rather than a field's whole value."""
    return bool(loc) and isinstance(loc[-1], int)


def _subject(loc: tuple[Any, ...], field: str) -> str:
    """'topics', or 'entry 2 of topics' when the value is one item of a list."""
    return f"entry {loc[-1] + 1} of '{field}'" if _is_item(loc) else f"'{field}'"


def _misspellings(errors: list[Any], root: type[BaseModel]) -> set[tuple[Any, ...]]:
    """The fields that unknown fields look like misspellings of, as locations.

    The misspelt field is then also reported "missing"; that is the same
    mistake, and the misspelling is the place to fix it.
    """
    found: set[tuple[Any, ...]] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            record = tuple(err["loc"][:-1])
            match = closest(str(err["loc"][-1]), _fields_at(root, record))
            if match:
                found.add(record + (match,))
    return found


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return f"text ('{shown}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    return type(value).__name__


def translate(
    exc: ValidationError,
    root: type[BaseModel],
    doc: Document,
    problems: Problems,
    prefix: tuple[str | int, ...] = (),
    regions: region_guard.Lookup | None = None,
) -> None:
    """Add one problem per pydantic error, at the line of the value concerned.

    ``root`` is the record type validated, found at ``prefix`` in the file.
    ``regions`` (every spelling of every region) turns 'Kherson' or 'ua-65'
    typed for a region code into a suggestion of the code.
    A required field that is only "missing" because the editor misspelt it is
    reported once, as the misspelling; a value the loader already refused
    (an alias) is not reported again as a wrong value.
    """
    errors = exc.errors(include_url=False)
    misspelt = _misspellings(errors, root)
    for err in errors:
        rel = tuple(err["loc"])
        loc = prefix + rel
        kind = err["type"]
        field = str(next((p for p in reversed(loc) if isinstance(p, str)), "value"))
        value = err.get("input")
        ctx = err.get("ctx") or {}
        if doc.is_refused(loc) or (kind == "missing" and rel in misspelt):
            continue
        if kind == "extra_forbidden":
            allowed = _fields_at(root, rel[:-1])
            record, _ = _model_at(root, rel[:-1])
            hint = did_you_mean(field, allowed)
            message = (
                f"unknown field '{field}' in {noun(record) if _is_record(record) else 'this entry'}"
                f"{hint}" + (f" (allowed: {', '.join(allowed)})" if not hint and allowed else "")
            )
            problems.add(doc.at(loc, key=True), message)
            continue
        annotation, holder = _model_at(root, rel)
        where = doc.at(loc)
        subject = _subject(loc, field)
        if kind == "missing":
            problems.add(
                doc.at(loc[:-1]), f"missing required field '{field}' in this {noun(holder)}"
            )
        elif kind == "enum" and isinstance(annotation, type) and issubclass(annotation, Enum):
            allowed = [m.value for m in annotation]
            what = f"allowed in '{field}'" if _is_item(loc) else f"an allowed {field}"
            problems.add(
                where,
                f"'{value}' is not {what}{did_you_mean(value, allowed)} "
                f"(allowed: {', '.join(allowed)})",
            )
        elif kind == "string_pattern_mismatch":
            hint = PATTERN_HINTS.get(
                str(ctx.get("pattern")), f"does not have the form {ctx.get('pattern')}"
            )
            if ctx.get("pattern") == REGION_CODE_PATTERN:
                hint += region_guard.suggestion(value, regions or {})
            problems.add(where, f"'{value}' in '{field}' {hint}")
        elif kind in (
            "string_type",
            "int_type",
            "bool_type",
            "bool_parsing",
            "list_type",
            "model_type",
            "model_attributes_type",
            "dict_type",
        ):
            wanted = {
                "string_type": "text", "int_type": "a whole number",
                "bool_type": "true or false", "bool_parsing": "true or false",
                "list_type": "a list (one '- ' item per line)",
            }.get(kind, "a mapping of fields (one 'name: value' per line)"
                  + (f" describing one {noun(annotation)}"
                     if _is_record(annotation) else ""))  # fmt: skip
            hint = ""
            if kind == "string_type" and isinstance(value, bool):
                hint = "; YAML reads yes/no/on/off as true/false: put the text in quotes"
            elif kind == "string_type" and isinstance(value, (int, float)):
                hint = "; put it in quotes if it is meant as text"
            problems.add(where, f"{subject} must be {wanted}, found {_describe(value)}{hint}")
        elif kind == "too_short":
            if isinstance(value, (list, dict)):
                need = ctx.get("min_length", 1)
                problems.add(
                    where, f"'{field}' needs at least {need} entr{'y' if need == 1 else 'ies'}"
                )
            else:
                problems.add(where, f"'{field}' is empty; write the text or remove the field")
        elif kind == "string_too_short":
            problems.add(where, f"'{field}' is empty; write the text or remove the field")
        elif kind == "string_too_long":
            problems.add(
                where, f"'{field}' is too long (at most {ctx.get('max_length')} characters)"
            )
        elif kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
            problems.add(where, f"{field}: {message}")
        else:  # pragma: no cover - a pydantic error type we have not phrased yet
            problems.add(where, f"{field}: {err['msg']}")
