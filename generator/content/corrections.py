"""Corrections: what changed in a published entry, when, and why.

A publication that changes a fact says so. Each claim, event, deadline and
proposal may carry ``corrections:``, one record per change; the Corrections
page lists them newest first and the news feed carries them, so a reader who
cited the old wording learns that it changed.

This module stands apart from :mod:`generator.content.model` (which only
mixes :class:`Corrected` into its dated records), and imports nothing from it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from generator.content.dates import PartialDate

_Said = Annotated[str, Field(min_length=1, max_length=2_000)]


class Correction(BaseModel):
    """One change to a published entry, as the reader is told of it."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    date: PartialDate = Field(description="when the entry was corrected, YYYY-MM-DD")
    changed: _Said = Field(description="what changed, e.g. 'The date was 7 August, not 8 August'")
    why: _Said = Field(description="why, e.g. 'The AP caption dates the photo to Thursday'")


class Corrected(BaseModel):
    """The ``corrections:`` field of every dated entry."""

    corrections: list[Correction] = Field(
        default_factory=list,
        description="each correction made after the entry was published: date, changed, why",
    )
