"""Rule: ``general_knowledge`` names fields of its own entry, so the mark lands beside them."""

from __future__ import annotations

from generator.content import model as m
from generator.content.problems import Problems
from generator.content.rules.base import Facts, records
from generator.content.schema_errors import did_you_mean
from generator.content.scope import EVERYTHING, Scope


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    for record in records(fb, scope):
        if not isinstance(record, m.Noted):
            continue
        # Readers' fields only: an editors' note is never shown (a region's note is).
        own = m.Noted.model_fields
        fields = [
            name
            for name, info in type(record).model_fields.items()
            if name not in own or info.description != own[name].description
        ]
        for i, name in enumerate(record.general_knowledge):
            if name not in fields:
                problems.add(
                    record.position("general_knowledge", i),
                    f"general_knowledge names '{name}', which is not a field of this entry"
                    f"{did_you_mean(name, fields)}",
                )
