"""The who-claims-what matrix: each negotiating party's latest position on each region.

Which claim stands for a party is an editorial rule (its officials speak for
it; soldiers, analysts and unnamed people do not), so it lives here, once,
and the template only lays the grid out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.content.factbase import FactBase
from generator.content.model import NEGOTIATING_PARTIES, Claim, Party, Region


def region_order(fb: FactBase) -> list[Region]:
    """Disputed regions first (most claims), then the rest by name."""
    counts: defaultdict[str, int] = defaultdict(int)
    for claim in fb.claims.values():
        for code in claim.regions:
            counts[code] += 1
    return sorted(fb.regions.values(), key=lambda r: (-counts[r.code], r.name))


@dataclass(frozen=True)
class MatrixCell:
    """A party's claims about a region: its own statements, and proposal terms
    outlets report on its behalf (see FactBase.positions_of)."""

    claims: list[Claim]
    own: list[Claim]

    @property
    def latest(self) -> Claim | None:
        """The party's latest own statement; failing that, the latest reported term."""
        chosen = self.own or self.claims
        return chosen[-1] if chosen else None


@dataclass(frozen=True)
class MatrixRow:
    region: Region
    cells: list[MatrixCell]


def _speaks_for(fb: FactBase, claim: Claim) -> bool:
    """A party's position comes from its officials, or from a proposal's terms
    an outlet reports; never from soldiers, analysts or unnamed people."""
    return fb.official(claim) or bool(
        claim.proposal and fb.party(claim) not in fb.positions_of(claim)
    )


def matrix(fb: FactBase) -> list[MatrixRow]:
    """One row per region named in a claim (FactBase.claims_about, as the regions index
    counts), one cell per negotiating party; a cell's claim is chosen by MatrixCell.latest."""
    rows = []
    for region in region_order(fb):
        about = fb.claims_about(region.code)
        if not about:
            continue
        cells = [
            MatrixCell(
                [c for c in about if party in fb.positions_of(c) and _speaks_for(fb, c)],
                [c for c in about if fb.party(c) is party and fb.official(c)],
            )
            for party in NEGOTIATING_PARTIES
        ]
        rows.append(MatrixRow(region, cells))
    return rows


@dataclass(frozen=True)
class MatrixGrid:
    """The matrix as a reader scans it: only parties and regions with something recorded.

    A party with no claim about any region is named once (``silent``) rather than
    filling a column with "No claim recorded"; a region named only by outlets or
    analysts is listed in one line (``unplaced``) with its claims, so every region
    the regions index counts as claimed appears somewhere in the matrix.
    """

    parties: list[Party]
    rows: list[MatrixRow]
    silent: list[Party]
    unplaced: list[tuple[Region, list[Claim]]]


def matrix_grid(fb: FactBase) -> MatrixGrid:
    rows = matrix(fb)
    keep = [i for i, _ in enumerate(NEGOTIATING_PARTIES) if any(r.cells[i].latest for r in rows)]
    placed = [
        MatrixRow(r.region, [r.cells[i] for i in keep])
        for r in rows
        if any(r.cells[i].latest for i in keep)
    ]
    unplaced = [
        (r.region, fb.claims_about(r.region.code))
        for r in rows
        if not any(r.cells[i].latest for i in keep)
    ]
    return MatrixGrid(
        parties=[NEGOTIATING_PARTIES[i] for i in keep],
        rows=placed,
        silent=[p for i, p in enumerate(NEGOTIATING_PARTIES) if i not in keep],
        unplaced=unplaced,
    )
