"""Turn pydantic's validation errors into sentences an editor can act on.

Pydantic reports ``('claims', 3, 'stance')`` and "Input should be 'claims',
'demands' or …"; an editor needs the line of that value, the list of what is
allowed and, for a typo, the word they probably meant.
"""

from __future__ import annotations

import difflib
import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from .yamlfile import Document
from .problems import Problems

_ENTITY = {
    "actors": "actor",
    "regions": "region",
    "claims": "claim",
    "events": "event",
    "deadlines": "deadline",
    "proposals": "proposal",
    "framings": "framing",
    "glossary": "glossary entry",
    "sources": "source",
    "wordings": "wording",
    "briefs": "brief",
}


def did_you_mean(word: str, options: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    match = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


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


def _model_at(root: type[BaseModel], loc: tuple[Any, ...], entity: str) -> tuple[Any, str]:
    """The annotation at ``loc`` and the name of the record holding it."""
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None, entity
            entity = _ENTITY.get(str(part), entity)
            current = _unwrap(info.annotation)
        else:
            return None, entity
    return current, entity


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
    entity: str = "file",
) -> None:
    """Add one problem per pydantic error, at the line of the value concerned.

    ``root`` is the record type validated, found at ``prefix`` in the file.
    """
    root_entity = _ENTITY.get(entity, entity)
    for err in exc.errors(include_url=False):
        rel = tuple(err["loc"])
        loc = prefix + rel
        kind = err["type"]
        field = str(next((p for p in reversed(loc) if isinstance(p, str)), "value"))
        value = err.get("input")
        ctx = err.get("ctx") or {}
        if kind == "extra_forbidden":
            holder, entity = _model_at(root, rel[:-1], root_entity)
            allowed = list(holder.model_fields) if isinstance(holder, type) else []
            hint = did_you_mean(field, allowed)
            message = (
                f"unknown field '{field}' in {entity}{hint}"
                + (f" (allowed: {', '.join(allowed)})" if not hint and allowed else "")
            )
            problems.add(doc.at(loc, key=True), message)
            continue
        annotation, entity = _model_at(root, rel, root_entity)
        where = doc.at(loc)
        if kind == "missing":
            problems.add(
                doc.at(loc[:-1]), f"missing required field '{field}' in this {entity}"
            )
        elif kind == "enum" and isinstance(annotation, type) and issubclass(annotation, Enum):
            allowed = [m.value for m in annotation]
            problems.add(
                where,
                f"'{value}' is not an allowed {field}{did_you_mean(value, allowed)} "
                f"(allowed: {', '.join(allowed)})",
            )
        elif kind == "string_pattern_mismatch":
            if field in ("code", "regions") or "UA-" in str(ctx.get("pattern", "")):
                problems.add(where, f"'{value}' is not an ISO 3166-2:UA code such as UA-23")
            elif field == "language":
                problems.add(where, f"'{value}' is not a language code such as 'en' or 'zh'")
            else:
                problems.add(
                    where,
                    f"'{value}' is not a valid id for '{field}': use lower-case letters, "
                    "digits and single hyphens (e.g. putin-demands-donbas)",
                )
        elif kind in ("string_type", "int_type", "bool_type", "bool_parsing", "list_type",
                      "model_type", "model_attributes_type", "dict_type"):
            wanted = {
                "string_type": "text", "int_type": "a whole number",
                "bool_type": "true or false", "bool_parsing": "true or false",
                "list_type": "a list (one '- ' item per line)",
            }.get(kind, "a mapping of fields")  # fmt: skip
            hint = ""
            if kind == "string_type" and isinstance(value, bool):
                hint = "; YAML reads yes/no/on/off as true/false: put the text in quotes"
            elif kind == "string_type" and isinstance(value, (int, float)):
                hint = "; put it in quotes if it is meant as text"
            problems.add(where, f"'{field}' must be {wanted}, found {_describe(value)}{hint}")
        elif kind == "too_short":
            if isinstance(value, (list, dict)):
                need = ctx.get("min_length", 1)
                problems.add(where, f"'{field}' needs at least {need} entr{'y' if need == 1 else 'ies'}")
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
