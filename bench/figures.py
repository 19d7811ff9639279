"""Issue 19's figures, its goals, and the table that puts them side by side.

Pure functions of measured numbers, so the arithmetic (ratios, growth per
10× claims, verdicts) is tested apart from the slow measuring. Sizes are
decimal: 1 kB = 1,000 bytes, 1 MB = 10^6, 1 GB = 10^9.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from site_figures import SiteFigures

KB, MB, GB = 1e3, 1e6, 1e9
#: The size at which the acceptance of issue 19 judges the figures.
GOAL_SIZE = 10_000


@dataclass
class Paired:
    """Seconds of one measured thing, each beside the bare build timed just before it."""

    seconds: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)

    def add(self, seconds: float, bare: float) -> None:
        self.seconds.append(seconds)
        self.bare.append(bare)

    def median(self) -> float:
        return statistics.median(self.seconds)

    def ratio(self) -> float:
        """Median of the pairs' ratios: a spell of load touches a pair, not the figure."""
        return statistics.median(s / b for s, b in zip(self.seconds, self.bare, strict=True))

    def cell(self) -> str:
        return f"{self.median():.2f} s = {self.ratio():.1f}×" if self.seconds else "—"


@dataclass
class Project:
    """Everything measured on one project."""

    label: str
    size: int | None  # claims asked for; None for the real site
    claims: int
    cold: Paired = field(default_factory=Paired)
    edit: Paired = field(default_factory=Paired)
    preview: Paired = field(default_factory=Paired)
    preview_note: str = ""
    edited_page: str = ""
    peak_bytes: int = 0
    site: SiteFigures = field(default_factory=lambda: SiteFigures(0, "", 0, 0, "none", 0, 0))


def size_text(n: float) -> str:
    """Bytes with three significant figures (or more), in the largest unit that fits."""
    unit, scale = next(
        ((u, k) for u, k in (("GB", GB), ("MB", MB), ("kB", KB)) if n >= k), ("B", 1)
    )
    value = n / scale
    if unit == "B":
        return f"{n:.0f} B"
    return f"{value:.{2 if value < 10 else 1 if value < 100 else 0}f} {unit}"


def growth_per_10x(claims: tuple[int, int], seconds: tuple[float, float]) -> float:
    """How much a time grows for 10× the claims, from two sizes (power law between them).

    Scaled projects hold a whole number of copies of the real content, so
    "1,000" and "10,000" are 1,043 and 10,013: the raw ratio is brought to
    exactly 10× claims; for sizes exactly 10× apart it is the plain ratio.
    """
    (c1, c2), (t1, t2) = claims, seconds
    return (t2 / t1) ** (1 / math.log10(c2 / c1))


@dataclass(frozen=True)
class Goal:
    text: str  # as the issue states it, e.g. "≤ 8×"
    limit: float
    size: int = GOAL_SIZE  # claims asked for, at which it is judged

    def verdict(self, value: float | None) -> str:
        if value is None:
            return f"not run at {self.size:,}"
        return "PASS" if value <= self.limit else "FAIL"


@dataclass(frozen=True)
class Row:
    figure: str
    cell: Callable[[Project], str]
    goals: tuple[tuple[Goal, Callable[[Project], float | None]], ...] = ()


def _page(p: Project) -> str:
    return f"{size_text(p.site.largest_bytes)} ({p.site.largest_page})"


def _searched(p: Project) -> bool:
    """A site without a search index has no search figures to judge."""
    return p.site.search_kind != "none"


ROWS = (
    Row("claims", lambda p: f"{p.claims:,}"),
    Row("bare Material build (median)", lambda p: f"{statistics.median(p.cold.bare):.2f} s"),
    Row("full cold build", lambda p: p.cold.cell(), ((Goal("≤ 8×", 8), lambda p: p.cold.ratio()),)),
    Row(
        "edit one claim's text, rebuild",
        lambda p: p.edit.cell(),
        ((Goal("≤ 3×", 3), lambda p: p.edit.ratio()),),
    ),
    Row(
        "preview save → visible",
        lambda p: p.preview.cell() if p.preview.seconds else f"skipped: {p.preview_note}",
    ),
    Row(
        "largest HTML page",
        _page,
        ((Goal("≤ 1 MB", 1 * MB), lambda p: p.site.largest_bytes),),
    ),
    Row(
        "search index, total",
        lambda p: f"{size_text(p.site.search_total)} ({p.site.search_kind})",
        ((Goal("≤ 3 MB", 3 * MB), lambda p: p.site.search_total if _searched(p) else None),),
    ),
    Row(
        "search bytes for one query",
        lambda p: size_text(p.site.search_query),
        ((Goal("≤ 300 kB", 300 * KB), lambda p: p.site.search_query if _searched(p) else None),),
    ),
    Row("site size", lambda p: f"{size_text(p.site.site_bytes)}, {p.site.site_files:,} files"),
    Row(
        "peak memory (build process tree)",
        lambda p: size_text(p.peak_bytes),
        (
            (Goal("≤ 1 GB", 1 * GB), lambda p: p.peak_bytes),
            (Goal("≤ 4 GB", 4 * GB, 100_000), lambda p: p.peak_bytes),
        ),
    ),
)


@dataclass(frozen=True)
class Verdict:
    figure: str
    goal: Goal
    value: float | None

    @property
    def text(self) -> str:
        return self.goal.verdict(self.value)


def _at(projects: list[Project], size: int) -> Project | None:
    return next((p for p in projects if p.size == size), None)


def verdicts(row: Row, projects: list[Project]) -> list[Verdict]:
    found = []
    for goal, value in row.goals:
        project = _at(projects, goal.size)
        found.append(Verdict(row.figure, goal, value(project) if project else None))
    return found


TIMED: tuple[tuple[str, Callable[[Project], Paired]], ...] = (
    ("cold", lambda p: p.cold),
    ("edit", lambda p: p.edit),
    ("preview", lambda p: p.preview),
)
GROWTH_GOAL = Goal("≤ 12×", 12)


@dataclass(frozen=True)
class Growth:
    figure: str  # one of TIMED's names
    sizes: tuple[int, int]
    value: float

    @property
    def name(self) -> str:
        return f"{self.figure}: growth per 10× claims, {self.sizes[0]:,} → {self.sizes[1]:,}"

    @property
    def goal(self) -> Goal | None:
        """Issue 19 asks near-linear growth of the builds from 1,000 to 10,000 claims."""
        judged = self.figure != "preview" and self.sizes == (1_000, GOAL_SIZE)
        return GROWTH_GOAL if judged else None


def growths(projects: list[Project]) -> list[Growth]:
    """Growth per 10× claims between consecutive scaled sizes, for each timed figure."""
    scaled = [p for p in projects if p.size]
    found = []
    for a, b in zip(scaled, scaled[1:], strict=False):
        for name, get in TIMED:
            if get(a).seconds and get(b).seconds:
                value = growth_per_10x((a.claims, b.claims), (get(a).median(), get(b).median()))
                found.append(Growth(name, (a.size or 0, b.size or 0), value))
    return found


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(projects: list[Project]) -> tuple[str, list[Verdict]]:
    """The Markdown table of every figure, goals and verdicts beside them; and the verdicts."""
    head = ["figure", *(p.label for p in projects), "goal", "verdict"]
    lines = [_line(head), "|" + " --- |" * len(head)]
    judged: list[Verdict] = []
    for row in ROWS:
        found = verdicts(row, projects)
        judged += found
        goal = "; ".join(f"{v.goal.text} at {v.goal.size:,}" for v in found) or "report"
        verdict = "; ".join(v.text for v in found)
        lines.append(_line([row.figure, *(row.cell(p) for p in projects), goal, verdict]))
    for growth in growths(projects):
        cells = [f"{growth.value:.1f}×" if p.size == growth.sizes[1] else "" for p in projects]
        tail = ["report", ""]
        if growth.goal:
            judged.append(Verdict(growth.name, growth.goal, growth.value))
            tail = [growth.goal.text, judged[-1].text]
        lines.append(_line([growth.name, *cells, *tail]))
    return "\n".join(lines), judged


def keyvals(projects: list[Project], judged: list[Verdict]) -> str:
    """One machine-readable line: figures by size, growth, and how many goals pass."""
    pairs: list[tuple[str, object]] = []
    for p in projects:
        tag = p.size or "real"
        for name, get in TIMED:
            if get(p).seconds:
                pairs.append((f"{name}_s_{tag}", f"{get(p).median():.2f}"))
                pairs.append((f"{name}_x_{tag}", f"{get(p).ratio():.2f}"))
        pairs += [
            (f"largest_page_bytes_{tag}", p.site.largest_bytes),
            (f"search_total_bytes_{tag}", p.site.search_total),
            (f"search_query_bytes_{tag}", p.site.search_query),
            (f"site_bytes_{tag}", p.site.site_bytes),
            (f"peak_bytes_{tag}", p.peak_bytes),
        ]
    pairs += [
        (f"growth_{g.figure}_{g.sizes[0]}_{g.sizes[1]}", f"{g.value:.2f}")
        for g in growths(projects)
    ]
    ran = [v for v in judged if v.value is not None]
    pairs += [("goals_passed", sum(v.text == "PASS" for v in ran)), ("goals_judged", len(ran))]
    return " ".join(f"{k}={v}" for k, v in pairs)
