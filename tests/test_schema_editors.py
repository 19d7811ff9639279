"""The JSON Schemas as an editor's tools use them: real ids, a word on every field, real dates.

(That the committed files are current, and that the real content validates
against them, is in test_cli.py.)
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.content.dates import STRICT_DATE_PATTERN, PartialDate
from generator.content.factbase import load
from generator.content.project import Project
from generator.content.yamlfile import read_yaml
from generator.outputs.schemas import DRAFT

from .conftest import REPO, run_cli

NAMES = ("content.schema.json", "sources.schema.json", "map.schema.json")


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    return {n: json.loads((REPO / "schema" / n).read_text(encoding="utf-8")) for n in NAMES}


@pytest.fixture(scope="module")
def fb():
    facts, problems = load(Project.at())
    assert not problems
    return facts


def prop(schema: dict[str, Any], record: str, field: str) -> dict[str, Any]:
    """The schema of one field's value (of a list's items, or of a union's non-null arm)."""
    node = schema["$defs"][record]["properties"][field]
    node = node.get("items", node)
    return next((arm for arm in node.get("anyOf", [node]) if arm.get("type") != "null"), node)


def test_each_schema_declares_its_draft_and_is_valid_under_it(schemas) -> None:
    for name, schema in schemas.items():
        assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema", name
        jsonschema.Draft202012Validator.check_schema(schema)


def test_reference_fields_list_the_real_ids(schemas, fb) -> None:
    content, maps = schemas["content.schema.json"], schemas["map.schema.json"]
    expected = {
        ("Claim", "actor"): fb.actors, ("Event", "actors"): fb.actors,
        ("Deadline", "set_by"): fb.actors, ("Proposal", "proposed_by"): fb.actors,
        ("Citation", "source"): fb.sources, ("Wording", "source"): fb.sources,
        ("Claim", "event"): fb.events, ("Claim", "proposal"): fb.proposals,
        ("Claim", "responds_to"): fb.claims, ("Deadline", "superseded_by"): fb.deadlines,
        ("Claim", "regions"): fb.regions, ("Event", "regions"): fb.regions,
    }  # fmt: skip
    for (record, field), table in expected.items():
        assert prop(content, record, field)["enum"] == sorted(table), (record, field)
    assert "kremlin" in prop(content, "Claim", "actor")["enum"]
    for record in ("Assignment", "Overlay"):
        assert prop(maps, record, "claims")["enum"] == sorted(fb.claims)
        assert prop(maps, record, "regions")["enum"] == sorted(fb.regions)


def test_region_codes_are_described_with_their_names(schemas) -> None:
    description = prop(schemas["content.schema.json"], "Claim", "regions")["description"]
    assert "UA-65 Kherson" in description and "UA-56 Rivne" in description
    assert len(re.findall(r"UA-\d\d [A-Z]", description)) == 27


def properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield f"{where}.{name}", value
        for key, value in node.items():
            yield from properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from properties(value, f"{where}[{i}]")


def test_every_field_has_a_description(schemas) -> None:
    found = [(f"{name}{where}", p) for name, s in schemas.items() for where, p in properties(s)]
    assert len(found) > 100
    missing = [where for where, p in found if not p.get("description")]
    assert not missing, missing
    enums = [d for s in schemas.values() for d in s["$defs"].values() if "enum" in d]
    assert enums and all(d.get("description") for d in enums)
    # Each value of an enum is explained in words, not only listed.
    stance = schemas["content.schema.json"]["$defs"]["Stance"]
    assert all(re.search(rf"\b{v}: \w+", stance["description"]) for v in stance["enum"])


@pytest.mark.parametrize(
    "text", ["2025-13", "2025-00", "2025-01-32", "2025-02-30", "2025-04-31", "2025-02-29",
             "2100-02-29", "2025-1", "25-01-01", "0999"],
)  # fmt: skip
def test_the_date_pattern_refuses_impossible_dates(text: str) -> None:
    assert not re.match(STRICT_DATE_PATTERN, text)


@pytest.mark.parametrize("text", ["2025", "2025-08", "2025-08-15", "2024-02-29", "2000-02-29"])
def test_the_date_pattern_accepts_real_dates(text: str) -> None:
    assert re.match(STRICT_DATE_PATTERN, text)


def test_the_date_pattern_agrees_with_check_on_every_day() -> None:
    years = [1000, 1600, 1899, 1900, 1999, 2000, 2023, 2024, 2025, 2096, 2100, 2101]
    for year in years:
        for month in range(14):
            for day in [None, *range(33)]:
                text = f"{year}-{month:02d}" + (f"-{day:02d}" if day is not None else "")
                try:
                    PartialDate.parse(text)
                    valid = True
                except ValueError:
                    valid = False
                assert bool(re.match(STRICT_DATE_PATTERN, text)) == valid, text


def test_editors_tools_flag_a_wrong_id_and_an_impossible_date(schemas) -> None:
    doc, problems = read_yaml(REPO / "content" / "claims" / "territory.yml", "territory.yml")
    assert not problems
    validator = jsonschema.Draft202012Validator(schemas["content.schema.json"])
    assert not list(validator.iter_errors(doc.data))
    claim = doc.data["claims"][0]
    claim["actor"] = "bloombrg"
    claim["date"] = "2025-02-30"
    bad = {tuple(e.absolute_path) for e in validator.iter_errors(doc.data)}
    assert bad == {("claims", 0, "actor"), ("claims", 0, "date")}


def test_schema_regenerates_the_ids_from_the_project_content(tmp_path: Path) -> None:
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, tmp_path / name)
    actors = tmp_path / "content" / "actors.yml"
    text = actors.read_text(encoding="utf-8").replace("  - id: kremlin\n", "  - id: the-kremlin\n")
    actors.write_text(text.replace("actor: kremlin\n", "actor: the-kremlin\n"), encoding="utf-8")
    result = run_cli("schema", "--content", tmp_path / "content")
    assert result.returncode == 0, result.stderr
    schema = json.loads((tmp_path / "schema" / "content.schema.json").read_text("utf-8"))
    ids = prop(schema, "Claim", "actor")["enum"]
    assert "the-kremlin" in ids and "kremlin" not in ids
    again = run_cli("schema", "--content", tmp_path / "content")
    assert "up to date" in again.stdout
