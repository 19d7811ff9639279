"""What ``new`` asks for, read from the model so a field added there is asked for too.

Help lines are the model's ``Field`` descriptions; enum choices come with the
meaning their class's docstring gives each value; a field naming another entry
is known by the model's ``x-refers-to`` mark.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.content.model import REFERS_TO, Citation, Claim, Deadline, Event, Source

#: Fields whose values are ids, codes or fixed words: a flag may list several,
#: separated by commas, and the file shows them as ``[a, b]``.
SHORT_LISTS = {"regions", "topics", "actors", "proposed_by"}
#: Never offered: filled in by the command, or edited by hand when needed.
#: ``corrections`` record later changes to a published entry: a new one has none.
SKIPPED = {"sources", "section", "updated", "previous_ids", "corrections"}
#: Offered as flags, never asked: the command fills them in.
FILLED_IN = {"added"}


@dataclass(frozen=True)
class Kind:
    """One kind of entry the command can add."""

    name: str
    model: type[BaseModel]
    collection: str
    #: The order fields are written in (the order editors read them in).
    order: tuple[str, ...]
    cited: bool = True
    help: str = ""


KINDS: dict[str, Kind] = {
    "claim": Kind(
        "claim", Claim, "claims",
        ("id", "actor", "stance", "summary", "text", "date", "circa", "date_basis", "status",
         "topics", "regions", "proposal", "proposal_role", "event", "responds_to",
         "conflicts_with", "general_knowledge", "note", "added"),
        help="who claims, demands, offers or denies what (the file is suggested from its "
        "topics; you choose)",
    ),
    "event": Kind(
        "event", Event, "events",
        ("id", "title", "kind", "date", "circa", "date_basis", "location", "text", "status",
         "actors", "regions", "conflicts_with", "general_knowledge", "note", "added"),
        help="something that happened: a call, meeting, summit, measure… "
        "(default file: content/events.yml)",
    ),
    "deadline": Kind(
        "deadline", Deadline, "deadlines",
        ("id", "title", "date", "circa", "date_basis", "set_by", "targets", "threat",
         "resolution", "outcome", "superseded_by", "status", "added"),
        help="a deadline or ultimatum (default file: content/deadlines.yml)",
    ),
    "source": Kind(
        "source", Source, "sources",
        ("id", "file", "outlet", "headline", "url", "language", "language_note", "published",
         "published_circa", "published_basis", "attribution", "contributors", "summary"),
        cited=False,
        help="a source article already saved as a text file in seeds/ "
        "(always added to seeds/sources.yml)",
    ),
}  # fmt: skip

CITATION_FIELDS = ("source", "evidence", "quote", "via", "via_anonymous")
#: Fields checked word for word against the cited source's article.
VERBATIM = {"evidence", "quote"}


@dataclass(frozen=True)
class Spec:
    """How one field is asked for, checked and written."""

    name: str
    model: type[BaseModel]
    required: bool
    description: str
    is_list: bool = False
    is_bool: bool = False
    is_date: bool = False
    #: Allowed values, with the meaning the enum's docstring gives each.
    choices: tuple[tuple[str, str], ...] = ()
    #: The kind of entry the field names ('actor', 'region', …), if it names one.
    refers_to: str = ""
    #: Where argparse keeps the value (citation fields are kept apart from the entry's).
    dest: str = ""

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    @property
    def separator(self) -> str:
        """How one typed line lists several values: ids with commas, sentences with ';'."""
        return "," if self.name in SHORT_LISTS or self.choices or self.refers_to else ";"


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """The item type of ``X``, ``X | None``, ``list[X]`` or ``Annotated[...]``; is it a
    list; and the metadata the ``Annotated`` layers carry."""
    is_list, metadata = False, []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata.extend(extra)
        elif origin is list:
            is_list = True
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation, is_list, metadata


def _refers_to(info: FieldInfo, metadata: list[Any]) -> str:
    for extra in [info.json_schema_extra] + [
        m.json_schema_extra for m in metadata if isinstance(m, FieldInfo)
    ]:
        if isinstance(extra, dict) and extra.get(REFERS_TO):
            return str(extra[REFERS_TO])
    return ""


def meanings(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    """Each value of ``enum`` with its meaning, as its docstring words it.

    Docstrings say ``value: meaning;`` or ``value (meaning)``; a value the
    docstring does not explain is listed with no meaning.
    """
    doc = " ".join((enum.__doc__ or "").split())
    pairs = []
    for member in enum:
        value = str(member.value)
        found = re.search(
            rf"(?<![\w-]){re.escape(value)}(?:: ([^;]*?)(?:;|\.(?:\s|$)|$)| \(([^)]*)\))", doc
        )
        meaning = (found.group(1) or found.group(2) or "") if found else ""
        pairs.append((value, meaning.strip()))
    return tuple(pairs)


@cache
def spec_of(model: type[BaseModel], name: str, dest_prefix: str = "") -> Spec:
    info = model.model_fields[name]
    item, is_list, metadata = _unwrap(info.annotation)
    is_enum = isinstance(item, type) and issubclass(item, Enum)
    return Spec(
        name=name,
        model=model,
        required=info.is_required(),
        description=info.description or "",
        is_list=is_list,
        is_bool=item is bool,
        is_date=getattr(item, "__name__", "") == "PartialDate",
        choices=meanings(item) if is_enum else (),
        refers_to=_refers_to(info, metadata),
        dest=dest_prefix + name,
    )


def specs(kind: Kind) -> list[Spec]:
    """Every field the command offers for ``kind``, in writing order."""
    names = list(kind.order) + [
        n for n in kind.model.model_fields if n not in kind.order and n not in SKIPPED
    ]
    return [spec_of(kind.model, n) for n in names if n not in SKIPPED]


def citation_specs() -> list[Spec]:
    return [spec_of(Citation, n, dest_prefix="cite_") for n in CITATION_FIELDS]


def asked(kind: Kind) -> list[Spec]:
    """The fields a terminal session asks for, in order: the entry's, then its source's."""
    own = [s for s in specs(kind) if s.name not in FILLED_IN]
    return own + (citation_specs() if kind.cited else [])
