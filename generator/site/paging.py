"""Lists on entity pages that stay short however many facts the desk keeps.

A region, a person or a source may be named by thousands of claims after a
year or two. Their pages show a bounded number (:class:`Capped`) and say how
many there are; a region's entries, cards in full, are split into pages of
:data:`REGION_PER_PAGE` in time order, oldest first, so a new entry only ever
adds to the last page and an old page's URL keeps its entries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from generator.content import urls

T = TypeVar("T")

#: A region's entries per page: cards in full, about 650 px each on a phone, so a page
#: stays near 15,000 px (today's most-named region, Donetsk, has 19).
REGION_PER_PAGE = 20
#: What a person's entry on the people page lists of what they said, newest first.
PERSON_SHOWN = 25
#: What a source's entry on the sources page lists of the facts citing it.
SOURCE_SHOWN = 100


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first ``len(shown)`` of ``total`` items: what a page lists, and what it says it left."""

    shown: list[T]
    total: int

    @classmethod
    def of(cls, items: Sequence[T], limit: int) -> Capped[T]:
        return cls(list(items[:limit]), len(items))

    @property
    def more(self) -> int:
        return self.total - len(self.shown)

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[T]:
        return iter(self.shown)


def region_pages(name: str, count: int) -> list[urls.Link]:
    """The pages of all of a region's entries, beside its own page: ``regions/x/1/`` onwards.

    None while the region's own page holds every entry.
    """
    if count <= REGION_PER_PAGE:
        return []
    pages = -(-count // REGION_PER_PAGE)
    return [urls.region_entries(name, n) for n in range(1, pages + 1)]


def chunk(items: Sequence[T], number: int) -> list[T]:
    """Page ``number`` (from 1) of a region's entries, oldest first."""
    return list(items[(number - 1) * REGION_PER_PAGE : number * REGION_PER_PAGE])


#: A row of page links lists every number up to this many pages.
PAGER_ALL = 7


def pager(count: int, current: int | None = None) -> list[int | None]:
    """The page numbers a row of page links shows, ``None`` where it leaves some out.

    At 10,000 claims a region has 48 pages of entries and a group of claims
    up to 70: a link to each took six lines on a phone, above the cards and
    again below them. Past :data:`PAGER_ALL` pages the row keeps
    the first two and the last two (where the oldest and the newest are) and,
    on one of the pages, its neighbours, which serve as previous and next.
    A gap of a single page shows that page: "…" must stand for at least two.
    """
    if count <= PAGER_ALL:
        return list(range(1, count + 1))
    keep = {1, 2, count - 1, count}
    if current is not None:
        keep |= {current - 1, current, current + 1}
    shown: list[int | None] = []
    last = 0
    for number in sorted(n for n in keep if 1 <= n <= count):
        if number - last == 2:
            shown.append(number - 1)
        elif number - last > 2:
            shown.append(None)
        shown.append(number)
        last = number
    return shown
