"""Map specifications: ``maps/*.yml``, one choropleth map of Ukraine per file.

A map is declared, never drawn by hand: which categories it shows (each with
a legend label and the meaning of the shared key, :mod:`generator.maps.key`,
whose colour it takes), which regions
fall in each category and — for every such assignment — the ids of the
claims in ``content/`` that back it. ``check`` verifies each cited claim
exists *and* names every region it is cited for, so a map can only say what
the sourced facts say. Regions no assignment names fall in the map's
``default`` category. Overlays (a hatch) mark what cuts across categories,
such as "not fully controlled by Russia".

Mistakes are reported like content mistakes, as ``maps/x.yml:LINE:COL:
error: …``: the file is read by :func:`generator.content.yamlfile.read_yaml` (so
every value keeps its position), pydantic's errors go through
:func:`generator.content.schema_errors.translate`, and reference errors point at
the list item concerned.

The colours and wording shown are claims, not military control; the figure
says so in its caption whatever the spec says.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from pydantic import Field, ValidationError

from generator.content.factbase import FactBase, attach
from generator.content.model import ClaimId, Id, Line, Record, RegionCode, Text
from generator.content.problems import Position, Problems
from generator.content.project import Project
from generator.content.schema_errors import did_you_mean, translate
from generator.content.yamlfile import read_yaml
from generator.maps.geometry import check_attribution
from generator.maps.key import Meaning

#: Placeholders each text field may contain, replaced when the map is drawn.
_PLACEHOLDERS = MappingProxyType(
    {
        "phrase": frozenset({"{date}"}),
        "description": frozenset({"{count}", "{total}"}),
    }
)
_BRACES = re.compile(r"\{[^{}]*\}|[{}]")


class MapKind(StrEnum):
    """main: the site's one big map; multiple: one of the small maps compared side by side."""

    main = "main"
    multiple = "multiple"


class Pattern(StrEnum):
    """hatch: diagonal lines over the colour."""

    hatch = "hatch"


class Category(Record):
    """One legend entry: what a colour means on this map."""

    id: Id = Field(description="used in data-status and by assignments, e.g. claimed")
    label: Line = Field(description="legend text, e.g. 'Claimed by Russia since 2022'")
    key: Meaning = Field(
        description="what the colour means, from the one key all maps share "
        "(generator/maps/key.py): russian, held, refused or unchanged"
    )
    pattern: Pattern | None = Field(
        default=None, description="draw a pattern over the colour as well"
    )
    phrase: Line | None = Field(
        default=None,
        description="wording after a region's name in tooltips and the data table, e.g. "
        "'claimed by Russia since {date}'; {date} is the date of the first claim cited. "
        "Default: the label",
    )


class Assignment(Record):
    """Regions in one category, and the claims that say so."""

    category: Id = Field(description="id of one of this map's categories")
    regions: list[RegionCode] = Field(min_length=1, description="codes of the regions, e.g. UA-65")
    claims: list[ClaimId] = Field(
        min_length=1,
        description="ids of claims in content/, each naming every region listed here; "
        "the first one's date is the date shown",
    )


class Overlay(Record):
    """A pattern drawn over regions whatever their category."""

    pattern: Pattern = Field(default=Pattern.hatch, description="the pattern drawn: hatch")
    label: Line = Field(description="legend text, e.g. 'Not fully controlled by Russia'")
    phrase: Line | None = Field(
        default=None,
        description="the same in running text, e.g. 'not fully controlled by Russia'; "
        "default: the label",
    )
    note: Line | None = Field(
        default=None, description="a sentence for the caption, e.g. 'Russia does not fully …'"
    )
    regions: list[RegionCode] = Field(min_length=1, description="codes of the regions, e.g. UA-65")
    claims: list[ClaimId] = Field(
        min_length=1, description="ids of claims in content/, each naming every region listed"
    )


class MapSpec(Record):
    """One map: the contents of one maps/*.yml file."""

    id: Id = Field(description="the file's name without .yml, e.g. russia-claims")
    title: Line = Field(description="the map's title")
    kind: MapKind = Field(description="main (one per site) or multiple (a small multiple)")
    order: int = Field(default=0, description="position among the small multiples, lowest first")
    question: Line = Field(description="the question the map answers, shown with its title")
    description: Text = Field(
        description="one or two sentences opening the map's text description; "
        "{count} is the number of regions outside the default category, {total} 27"
    )
    categories: list[Category] = Field(min_length=2, description="the legend, one per colour")
    default: Id = Field(description="category of every region no assignment names")
    assignments: list[Assignment] = Field(
        min_length=1, description="which regions fall in which category, and why"
    )
    overlays: list[Overlay] = Field(
        default_factory=list, description="patterns drawn over regions whatever their category"
    )

    # ---- queries the drawing asks -----------------------------------------
    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def assignment_of(self, code: str) -> Assignment | None:
        return next((a for a in self.assignments if code in a.regions), None)

    def category_of(self, code: str) -> Category:
        found = self.assignment_of(code)
        return self.category(found.category if found else self.default)

    def overlays_of(self, code: str) -> list[Overlay]:
        return [o for o in self.overlays if code in o.regions]

    def citing(self) -> list[Assignment | Overlay]:
        """Everything on the map that cites claims: assignments, then overlays."""
        return [*self.assignments, *self.overlays]

    def cited_claims(self) -> list[str]:
        """Every claim id the map cites, in first-cited order."""
        seen: dict[str, None] = {}
        for group in self.citing():
            for claim_id in group.claims:
                seen.setdefault(claim_id, None)
        return list(seen)


def _check_placeholders(record: Record, field_name: str, problems: Problems) -> None:
    value = getattr(record, field_name)
    if value is None:
        return
    allowed = _PLACEHOLDERS[field_name]
    for m in _BRACES.finditer(value):
        if m.group() not in allowed:
            problems.add(
                record.position(field_name),
                f"'{m.group()}' in '{field_name}' is not a placeholder this field knows "
                f"(allowed: {', '.join(sorted(allowed))}); write braces only around those",
            )


def _check_spec(spec: MapSpec, path: Path, problems: Problems) -> None:
    """Rules inside one file, that need no content."""
    if spec.id != path.stem:
        problems.add(
            spec.position("id"),
            f"map id '{spec.id}' must match the file name '{path.name}' "
            f"(rename the file to {spec.id}.yml or the id to {path.stem})",
        )
    ids: dict[str, Category] = {}
    for category in spec.categories:
        if category.id in ids:
            problems.add(
                category.position("id"),
                f"duplicate category id '{category.id}' (first at "
                f"{ids[category.id].position('id')})",
            )
        ids.setdefault(category.id, category)
        _check_placeholders(category, "phrase", problems)
    _check_placeholders(spec, "description", problems)
    if spec.default in ids and "{date}" in (ids[spec.default].phrase or ""):
        problems.add(
            ids[spec.default].position("phrase"),
            f"'{{date}}' cannot be used in the default category '{spec.default}': its regions "
            "cite no claim to take a date from",
        )
    if spec.default not in ids:
        problems.add(
            spec.position("default"),
            f"unknown category '{spec.default}'{did_you_mean(spec.default, ids)} "
            f"(categories of this map: {', '.join(ids)})",
        )
    assigned: dict[str, Position] = {}
    used = {spec.default}
    for assignment in spec.assignments:
        used.add(assignment.category)
        if assignment.category not in ids:
            problems.add(
                assignment.position("category"),
                f"unknown category '{assignment.category}'"
                f"{did_you_mean(assignment.category, ids)} "
                f"(categories of this map: {', '.join(ids)})",
            )
        for i, code in enumerate(assignment.regions):
            pos = assignment.position("regions", i)
            if code in assigned:
                problems.add(
                    pos,
                    f"region {code} is already assigned at {assigned[code]}; "
                    "a region has one category per map",
                )
            assigned.setdefault(code, pos)
    for category in spec.categories:
        if category.id not in used:
            problems.add(
                category.position("id"),
                f"category '{category.id}' is not used: no assignment names it and it is "
                "not the default; remove it or assign regions to it",
            )


def _read_spec(path: Path, project: Project, problems: Problems) -> MapSpec | None:
    doc, file_problems = read_yaml(path, project.display(path))
    problems.extend(file_problems)
    if file_problems or not isinstance(doc.data, dict):
        return None
    try:
        spec = MapSpec.model_validate(doc.data)
    except ValidationError as exc:
        translate(exc, MapSpec, doc, problems)
        return None
    attach(spec, doc, ())
    return spec


def spec_files(project: Project) -> list[Path]:
    folder = project.maps
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and not p.name.startswith(".")
    )


def load_specs(project: Project, problems: Problems) -> list[MapSpec]:
    """Read and check every map spec on its own; the main map first, then by order."""
    specs: list[MapSpec] = []
    before = len(problems)
    for path in spec_files(project):
        spec = _read_spec(path, project, problems)
        if spec is None:
            continue
        _check_spec(spec, path, problems)
        specs.append(spec)
    mains = [s for s in specs if s.kind is MapKind.main]
    if not spec_files(project):
        problems.add(
            Position(project.display(project.maps) + "/"),
            "no map specs (maps/*.yml) found; the site needs one map with 'kind: main'",
        )
    if len(mains) > 1:
        for extra in mains[1:]:
            problems.add(
                extra.position("kind"),
                f"a second main map (the first is '{mains[0].id}' at "
                f"{mains[0].position('kind')}); the site has one main map, the others are "
                "'multiple'",
            )
    elif not mains and specs and len(problems) == before:
        problems.add(
            Position(project.display(spec_files(project)[0])),
            "no map has 'kind: main'; one map must be the site's main map",
        )
    return sorted(specs, key=lambda s: (s.kind is not MapKind.main, s.order, s.id))


def _check_codes(
    codes: list[str], record: Record, fb: FactBase, problems: Problems
) -> list[tuple[int, str]]:
    """Report codes that are not regions; return the good ones with their index."""
    good = []
    for i, code in enumerate(codes):
        if code in fb.regions:
            good.append((i, code))
        else:
            problems.add(
                record.position("regions", i),
                f"unknown region '{code}'{did_you_mean(code, fb.regions)} "
                "(regions are the ISO 3166-2:UA codes listed in content/regions.yml)",
            )
    return good


def _check_citations(group: Assignment | Overlay, fb: FactBase, problems: Problems) -> None:
    regions = _check_codes(group.regions, group, fb, problems)
    for i, claim_id in enumerate(group.claims):
        pos = group.position("claims", i)
        claim = fb.claims.get(claim_id)
        if claim is None:
            problems.add(pos, f"unknown claim '{claim_id}'{did_you_mean(claim_id, fb.claims)}")
            continue
        missing = [code for _, code in regions if code not in claim.regions]
        if missing:
            names = ", ".join(f"{c} ({fb.regions[c].name})" for c in missing)
            listed = ", ".join(claim.regions) or "no regions"
            that, it = ("that region", "it") if len(missing) == 1 else ("those regions", "them")
            problems.add(
                pos,
                f"claim '{claim_id}' does not name {names} in its regions (it names "
                f"{listed}); cite a claim about {that}, or add {it} to the claim if its "
                "sources say so",
            )


def check_specs(specs: list[MapSpec], fb: FactBase, problems: Problems) -> None:
    """Every region exists and every cited claim exists and names its regions."""
    for spec in specs:
        for group in spec.citing():
            _check_citations(group, fb, problems)


def check_maps(fb: FactBase, problems: Problems) -> list[MapSpec]:
    """Validate every map spec against the fact base, and the boundaries' credit line.

    Returns the specs so the rest of the build (drawing, open data) uses the
    ones checked here instead of parsing the files again; they are usable
    only if ``problems`` stayed empty.
    """
    specs = load_specs(fb.project, problems)
    check_specs(specs, fb, problems)
    check_attribution(fb.project, problems)
    return specs
