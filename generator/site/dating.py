"""When a page's facts stand, and which items have been overtaken by time.

A reader who meets a page from a search months later must see at once how
old its facts are: "Facts as of" is the newest source date behind the page,
"Updated" the build's as-of date. An item whose moment came after its
sources were written, and has passed by the as-of date (a summit reported as
scheduled), is shown as past: our sources cannot say how it turned out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.content.dates import PartialDate
from generator.content.factbase import FactBase
from generator.content.model import Event, Source
from generator.content.rules import future

#: What a past item says in place of an outcome the sources cannot know.
OUTCOME_NOT_RECORDED = "outcome not recorded in our sources"


def human_day(day: dt.date) -> str:
    """'1 December 2026': the dateline's form, as in print."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Dateline:
    """The two dates under a page's title, in its share description and its JSON-LD."""

    facts_as_of: PartialDate | None  # None: the page shows no sourced fact
    updated: dt.date

    @property
    def facts_human(self) -> str:
        return self.facts_as_of.human() if self.facts_as_of else ""

    @property
    def updated_human(self) -> str:
        return human_day(self.updated)

    def sentence(self) -> str:
        """'Facts as of 8 August 2025. Updated 1 December 2026.'"""
        facts = f"Facts as of {self.facts_human}. " if self.facts_as_of else ""
        return f"{facts}Updated {self.updated_human}."


def _records(value: Any, seen: set[int]) -> Iterator[Any]:
    """Every record a page view holds, however deeply its view nests them."""
    if id(value) in seen or isinstance(value, str | int | float | bool | dt.date | PartialDate):
        return
    seen.add(id(value))
    if isinstance(value, BaseModel):  # a record: its sources count, its fields hold no records
        if isinstance(value, Source) or hasattr(value, "sources"):
            yield value
        return
    if hasattr(value, "sources"):
        yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _records(item, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _records(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _records(getattr(value, f.name), seen)


def source_ids(records: Iterable[Any]) -> set[str]:
    """The sources behind records: those they cite, and sources shown themselves."""
    ids: set[str] = set()
    for record in records:
        if isinstance(record, Source):
            ids.add(record.id)
        else:
            ids.update(cite.source for cite in getattr(record, "sources", []) or [])
    return ids


def newest(fb: FactBase, ids: Iterable[str]) -> PartialDate | None:
    dates = [fb.sources[i].published for i in ids if i in fb.sources]
    return max(dates, key=lambda d: d.sort_key, default=None)


def dateline(fb: FactBase, view: dict[str, Any], as_of: dt.date) -> Dateline:
    """A page's dates from the records its view shows (all sources for a page with none)."""
    ids = source_ids(_records(view, set()))
    return Dateline(newest(fb, ids or fb.sources), as_of)


def overtaken(fb: FactBase, record: Any, as_of: dt.date) -> bool:
    """True for an event its sources spoke of as still to come, whose date is past by ``as_of``.

    The rule is the editorial one (:func:`generator.content.rules.future.past_unrecorded`):
    nothing we hold says what happened.
    """
    if not isinstance(record, Event):
        return False
    return future.past_unrecorded(record, [fb.sources[c.source] for c in record.sources], as_of)
