"""What a map says, in words: tooltips, the SVG's description, the legend's phrases.

The same sentences serve the SVG (``<title>``, ``<desc>``), the data table
and the preview image, so a region reads the same wherever it is named.
Every map shows CLAIMS, NOT MILITARY CONTROL, whatever its spec says.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.factbase import UA_CODES, FactBase
from generator.maps.spec import Assignment, Category, MapSpec, Overlay, Pattern

CAVEAT = (
    "Claims, not military control: colours show what is claimed, demanded or proposed, "
    "as the sources report it, not who holds the ground."
)


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Context:
    """What drawing and describing need from the fact base."""

    fb: FactBase

    def name(self, code: str) -> str:
        return self.fb.regions[code].name

    def when(self, claim_id: str) -> str:
        claim = self.fb.claims[claim_id]
        return ("c. " if claim.circa else "") + claim.date.human()


def phrase(category: Category, assignment: Assignment | None, ctx: Context) -> str:
    """A region's status after its name: the category's phrase, dated by the first claim."""
    text = category.phrase or category.label
    if assignment is not None:
        text = text.replace("{date}", ctx.when(assignment.claims[0]))
    return text


def overlay_text(overlay: Overlay, ctx: Context) -> str:
    return f"{overlay.label} (as of {ctx.when(overlay.claims[0])})"


def unit_title(spec: MapSpec, code: str, ctx: Context) -> str:
    """'Zaporizhzhia — claimed by Russia since September 2022. Not fully …'"""
    assignment = spec.assignment_of(code)
    text = f"{ctx.name(code)} — {phrase(spec.category_of(code), assignment, ctx)}"
    for overlay in spec.overlays_of(code):
        text += f". {overlay_text(overlay, ctx)}"
    return text


def patterned(spec: MapSpec) -> list[tuple[str, list[str]]]:
    """(label, regions) of every hatch drawn: categories with a pattern, then overlays."""
    drawn = []
    for category in spec.categories:
        if category.pattern is Pattern.hatch:
            codes = [c for c in UA_CODES if spec.category_of(c).id == category.id]
            if codes:
                drawn.append((category.label, codes))
    drawn += [(o.label, list(o.regions)) for o in spec.overlays]
    return drawn


def non_default(spec: MapSpec) -> list[str]:
    return [code for a in spec.assignments if a.category != spec.default for code in a.regions]


def describe(spec: MapSpec, ctx: Context) -> str:
    """The map in plain language, for the SVG's <desc> and screen readers."""
    marked = non_default(spec)
    lead = (
        spec.description.replace("{count}", str(len(marked)))
        .replace("{total}", str(len(UA_CODES)))
        .strip()
    )
    sentences = [lead if lead.endswith((".", "!", "?")) else lead + "."]
    groups: dict[str, list[str]] = {}
    for assignment in spec.assignments:
        said = phrase(spec.category(assignment.category), assignment, ctx)
        groups.setdefault(said, []).extend(ctx.name(c) for c in assignment.regions)
    for said, names in groups.items():
        sentences.append(f"{join_names(names)}: {said}.")
    rest = [c for c in UA_CODES if spec.assignment_of(c) is None]
    if rest:
        said = phrase(spec.category(spec.default), None, ctx)
        sentences.append(f"The other {len(rest)}: {said}.")
    for overlay in spec.overlays:
        names = [ctx.name(c) for c in overlay.regions]
        said = overlay.phrase or overlay.label
        sentences.append(
            f"Hatched, {join_names(names)}: {said} (as of {ctx.when(overlay.claims[0])})."
        )
    return " ".join(sentences)


def legend(spec: MapSpec) -> list[tuple[Category, int]]:
    """Each category the map uses, with how many regions fall in it; unused ones left out."""
    counts = [(c, sum(1 for code in UA_CODES if spec.category_of(code).id == c.id))
              for c in spec.categories]  # fmt: skip
    return [(category, count) for category, count in counts if count]
