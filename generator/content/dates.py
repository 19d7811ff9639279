"""Dates known to the day, the month or only the year.

Sources often say "in March" or "in 2014". Storing such a date as a full
``datetime.date`` would invent a day, and the site would then print it; a
:class:`PartialDate` keeps the precision and never prints more than it knows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DATE_RE = re.compile(DATE_PATTERN)

# The same dates, spelt so that editors' tools refuse the impossible ones while the
# editor types (month 13, 31 April, 29 February 2025). Parsing keeps the loose
# pattern above, so that `check` can say *why* a date is impossible.
_YEAR = r"(?:1\d{3}|20\d{2}|2100)"
_LEAP_YEAR = (
    r"(?:1[0-9](?:0[48]|[2468][048]|[13579][26])"
    r"|20(?:0[048]|[2468][048]|[13579][26])|1[26]00|2000)"
)
_MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)"
)
STRICT_DATE_PATTERN = (
    rf"^(?:{_YEAR}(?:-(?:0[1-9]|1[0-2]))?|{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)$"
)


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError(
                "a date is written YYYY-MM-DD, YYYY-MM or YYYY (for example 2025-08-15)"
            )
        return _parsed(value)

    def __str__(self) -> str:
        return self.iso

    @cached_property
    def iso(self) -> str:
        """ISO 8601 at the known precision (cached: dates are printed and sorted a lot)."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """'15 August 2025', 'August 2025' or '2025'."""
        if self.day:
            return f"{self.day} {calendar.month_name[self.month or 1]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @cached_property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "pattern": STRICT_DATE_PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 2100},
            ],
            "description": "ISO 8601 date to the day, month or year: 2025-08-15, 2025-08, 2025",
        }


@lru_cache(maxsize=4096, typed=True)
def _parsed(value: str | int) -> PartialDate:
    """:meth:`PartialDate.parse` of a string or a number, kept: a fact base of
    10,000 claims and events writes a few hundred dates 10,000 times, and
    parsing them one by one was 20 ms of every build. A date is an immutable
    value, so the records that write the same date share one."""
    text = str(value).strip()
    if not _DATE_RE.match(text):
        raise ValueError(
            f"'{text}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2025-08-15)"
        )
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"impossible date {text}: there is no month {month}")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(
                f"impossible date {text}: {calendar.month_name[month]} {year} has {last} days"
            )
    if not 1000 <= year <= 2100:
        raise ValueError(f"date {text} is out of range (years 1000 to 2100)")
    return PartialDate(year, month, day)
