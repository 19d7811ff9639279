"""Rule: prose names entries through ``{KIND:ID}`` markup, never by a bare machine id.

A markup token must name an entry that exists; a known id standing alone in
prose would reach readers as it is, so ``check`` asks for the markup instead.
"""

from __future__ import annotations

import re
from typing import Any

from generator.content import markup
from generator.content.problems import Problems
from generator.content.rules.base import Facts, records
from generator.content.schema_errors import did_you_mean
from generator.content.scope import EVERYTHING, Scope


def machine_ids(fb: Facts) -> dict[str, str]:
    """Every id a reader could mistake for a word: hyphenated ids and region codes → kind.

    One-word ids ('kremlin', 'reuters') are ordinary words in prose and are left alone.
    """
    found: dict[str, str] = {}
    for kind, table in markup.tables(fb).items():
        for ident in table:
            if "-" in ident:
                found.setdefault(ident, kind)
    return found


#: A maximal run of id characters that holds a hyphen: every id a reader could see
#: bare is one (machine_ids). Runs without one, most words of prose, are skipped by
#: the regex engine, not a Python loop; the lookbehind starts a match only where a
#: run starts, so a long run costs one pass.
_HYPHENATED = re.compile(r"(?<![\w-])\w*+-[\w-]*")


def bare_ids(text: str, ids: dict[str, str]) -> list[str]:
    """The known ids standing alone in ``text`` (not inside a path, a URL or markup);
    ``ids``: hyphenated ids, as :func:`machine_ids` gives them.

    One scan over the words and a dictionary lookup each, so the cost follows
    the text, not the number of ids (a regex alternation of 10,000 ids took
    18 s over the scaled content).
    """
    found = []
    for match in _HYPHENATED.finditer(text):
        ident = match.group()
        if ident not in ids:
            continue
        start, end = match.span()
        if start and text[start - 1] in "{:/.":
            continue
        if end < len(text) and text[end] == "}":
            continue
        found.append(ident)
    return found


def _check_text(
    record: Any, field_name: str, text: str, tables: dict[str, dict[str, Any]],
    ids: dict[str, str], problems: Problems,
) -> None:  # fmt: skip
    outside = text
    if "{" in text:  # most prose names nothing (at 10,000 claims 30,000 texts)
        for match in markup.MARKUP.finditer(text):
            kind, ident = match.groups()
            if ident not in tables[kind]:
                problems.add(
                    record.position(field_name),
                    f"{{{kind}:{ident}}} names no {kind}{did_you_mean(ident, tables[kind])}",
                )
        outside = markup.MARKUP.sub(lambda m: " " * len(m.group()), text)
    for ident in bare_ids(outside, ids):
        problems.add(
            record.position(field_name),
            f"the bare id '{ident}' would reach readers as it is: write "
            f"{{{ids[ident]}:{ident}}} instead, which shows its name with a link",
        )


def check(fb: Facts, problems: Problems, scope: Scope = EVERYTHING) -> None:
    ids, tables = machine_ids(fb), markup.tables(fb)
    for record in records(fb, scope):
        for owner, field_name, text in markup.prose(record):
            _check_text(owner, field_name, text, tables, ids, problems)
