"""JSON Schemas generated from the model and the content, for editors' autocompletion.

Content files start with a ``yaml-language-server`` modeline pointing here,
so VS Code's YAML extension completes field names and flags mistakes while
the editor types. Every field that names another entry (the model marks it
with :data:`~generator.content.model.REFERS_TO`) lists the real ids of the
content as an ``enum``, so the editor picks ``vladimir-putin`` from a list
instead of typing it; ``python -m generator schema`` regenerates them after
entries are added, and a test keeps the committed files current.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.content.factbase import FactBase, load
from generator.content.files import write_if_changed
from generator.content.model import REFERS_TO, ContentFile, SourcesFile, schema_of
from generator.content.project import Project
from generator.maps.spec import MapSpec

DRAFT = "https://json-schema.org/draft/2020-12/schema"

SCHEMAS: dict[str, type[BaseModel]] = {
    "content.schema.json": ContentFile,
    "sources.schema.json": SourcesFile,
    "map.schema.json": MapSpec,
}

#: For each kind of reference, the ids an editor may write, each with what it names.
KnownIds = Mapping[str, list[tuple[str, str]]]


def known_ids(fb: FactBase) -> dict[str, list[tuple[str, str]]]:
    """The ids of every kind that fields refer to, sorted, with a name for each."""
    tables: dict[str, Iterable[tuple[str, str]]] = {
        "actor": ((a.id, a.name) for a in fb.actors.values()),
        "source": ((s.id, s.outlet) for s in fb.sources.values()),
        "region": ((r.code, r.name) for r in fb.regions.values()),
        "claim": ((c.id, c.summary) for c in fb.claims.values()),
        "event": ((e.id, e.title) for e in fb.events.values()),
        "deadline": ((d.id, d.title) for d in fb.deadlines.values()),
        "proposal": ((p.id, p.name) for p in fb.proposals.values()),
    }
    return {kind: sorted(pairs) for kind, pairs in tables.items()}


def _with_ids(node: Any, known: KnownIds) -> Any:
    """The schema with an ``enum`` of real ids wherever a field refers to an entry.

    Region codes also get their names in the description ("UA-65 Kherson"):
    a code alone does not tell Rivne (UA-56) from Kherson (UA-65).
    """
    if isinstance(node, list):
        return [_with_ids(item, known) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _with_ids(value, known) for key, value in node.items()}
    pairs = known.get(out.get(REFERS_TO, ""), [])
    if pairs:  # an empty enum would refuse every value
        out["enum"] = [ident for ident, _ in pairs]
        if out[REFERS_TO] == "region":
            names = ", ".join(f"{code} {name}" for code, name in pairs)
            out["description"] = f"{out.get('description', 'region code')}; one of: {names}"
    return out


def render_schemas(known: KnownIds) -> dict[str, str]:
    """Each schema file's text: the model's schema, its draft, and the real ids."""
    rendered = {}
    for name, model in SCHEMAS.items():
        schema = {"$schema": DRAFT, **_with_ids(schema_of(model), known)}
        rendered[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return rendered


def project_schemas(project: Project) -> dict[str, str]:
    """The schemas for the project's content as it stands.

    Ids come from every record that loads; a content problem elsewhere does not
    stop an editor from getting completion for the rest.
    """
    fb, _problems = load(project)
    return render_schemas(known_ids(fb))


def write_schemas(project: Project, out: Path | None = None) -> list[Path]:
    """Write the schemas into ``out`` (default: the project's schema/); files that changed."""
    folder = out or project.root / "schema"
    written = []
    for name, text in project_schemas(project).items():
        path = folder / name
        if write_if_changed(path, text.encode("utf-8")):
            written.append(path)
    return written
