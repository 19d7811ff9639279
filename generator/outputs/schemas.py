"""JSON Schemas generated from the model, for editors' autocompletion.

Content files start with a ``yaml-language-server`` modeline pointing here,
so VS Code's YAML extension completes field names and flags mistakes while
the editor types; ``tests/test_schema.py`` keeps the committed files current.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.maps.spec import MapSpec
from generator.content.model import ContentFile, SourcesFile, schema_of
from generator.content.project import REPO_ROOT

SCHEMAS = {
    "content.schema.json": ContentFile,
    "sources.schema.json": SourcesFile,
    "map.schema.json": MapSpec,
}


def render_schemas() -> dict[str, str]:
    return {
        name: json.dumps(schema_of(model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for name, model in SCHEMAS.items()
    }


def write_schemas(out: Path | None = None) -> list[Path]:
    folder = out or REPO_ROOT / "schema"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
