"""Map specifications under maps/ (filled in by the maps work)."""

from __future__ import annotations

from .factbase import FactBase
from .problems import Problems


def check_maps(fb: FactBase, problems: Problems) -> None:
    """Validate every map spec against the fact base."""
