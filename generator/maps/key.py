"""The one key every map shares: what each colour means, defined once.

A map's categories keep their own words ("Russia keeps it", "Annexed by
Russia in 2014"), but each names one :class:`Meaning` of this key, and the
colour comes from the meaning, never from the spec. So a reddish region
means "Russia's in full" on every map, and the four small maps on the
proposals page can be compared at a glance: the same region in the same
colour says the same thing.

The colours are the Okabe–Ito palette's vermillion, yellow and blue and a
neutral grey (``generator/assets/maps.css``), chosen to stay apart under
deuteranopia and protanopia (``tests/test_maps.py`` simulates both); every
colour is also named in the legend, the tooltips and the data table.
"Not fully controlled by Russia" is a hatch over the colour, not a colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Meaning(StrEnum):
    """One colour of the key; maps.css gives each a fill per colour scheme."""

    russian = "russian"
    held = "held"
    refused = "refused"
    unchanged = "unchanged"


@dataclass(frozen=True)
class KeyEntry:
    meaning: Meaning
    label: str  # the shared legend's words


#: The shared legend, in the order it is read: most to Russia first.
KEY = MappingProxyType(
    {
        entry.meaning: entry
        for entry in (
            KeyEntry(Meaning.russian, "Russia's in full: claimed, demanded, recognised or kept"),
            KeyEntry(
                Meaning.held, "Russia keeps what it holds: control acknowledged, front frozen"
            ),
            KeyEntry(Meaning.refused, "Ukrainian; Russia's claim refused"),
            KeyEntry(Meaning.unchanged, "Not claimed, or not named"),
        )
    }
)

#: The one pattern of the key, and what it means wherever it is drawn.
HATCH_LABEL = "Not fully controlled by Russia"
