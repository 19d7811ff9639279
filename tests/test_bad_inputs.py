"""Bad input, case by case: ``check`` must refuse it and say exactly where.

Each case breaks one thing in a small, valid project built here (the real
seeds and regions, plus :data:`BASE`, a few records whose evidence is
verbatim from the seeds), runs ``python -m generator check`` on it and
asserts what an editor relies on:

* the exit code is 1;
* a line ``FILE:LINE:COL: error: MESSAGE`` names the right file, the exact
  line (and column where it matters) and says the key phrase;
* no other problem is reported (``problems``), so one mistake does not send
  the editor after ghosts such as references to a record that merely failed
  its schema;
* no traceback, and nothing is written into the project.

Most cases run the command in-process (fast); those about tracebacks, time
and memory (hostile YAML) run it in a subprocess with a timeout. Case ids
start with their category, so ``pytest --collect-only -q`` counts them.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator import cli

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "bad_inputs"
BASE_YML = "content/base.yml"
SOURCES_YML = "seeds/sources.yml"

#: Limits for hostile input, checked on the subprocess that reads it.
MAX_SECONDS = 5.0
MAX_RSS_MIB = 512

BASE = """\
# A small, valid fact base: every bad-input case breaks one thing in it.
actors:
  - id: donald-trump
    name: Donald Trump
    kind: person
    party: united-states
    role: President of the United States
    sources:
      - source: bloomberg-truce
        evidence: Presidents Donald Trump and Vladimir Putin
  - id: vladimir-putin
    name: Vladimir Putin
    kind: person
    party: russia
    role: President of Russia
    sources:
      - source: bloomberg-truce
        evidence: Putin is demanding that Ukraine cede its entire eastern Donbas area to Russia

claims:
  - id: putin-demands-donbas
    actor: vladimir-putin
    stance: demands
    date: 2025-08-08
    summary: Putin demands all of Donbas and Crimea
    text: Putin demands that Ukraine cede the whole of Donbas, and Crimea, to Russia.
    status: reported
    topics: [territory]
    regions:
      - UA-14
      - UA-09
      - UA-43
    sources:
      - source: bloomberg-truce
        evidence: >-
          Putin is demanding that Ukraine cede its entire eastern Donbas area to Russia as
          well as Crimea, which his forces illegally annexed in 2014.
  - id: trump-threatens-tariffs
    actor: donald-trump
    stance: threatens
    date: 2025-08-08
    summary: Trump threatens tariffs on buyers of Russian oil
    text: Trump demands a ceasefire by Friday or tariffs on countries buying Russian oil.
    status: reported
    topics: [ceasefire, tariffs]
    sources:
      - source: bloomberg-truce
        evidence: >-
          He has demanded that Putin agree to a ceasefire by Friday or the U.S. would act to
          impose tariffs on countries buying Russian oil
        quote: ceasefire by Friday

events:
  - id: alaska-summit-announced
    title: Trump announces the Alaska summit
    kind: announcement
    date: 2025-08-08
    text: Trump says he will meet Putin in Alaska.
    status: confirmed
    actors: [donald-trump, vladimir-putin]
    sources:
      - source: ap-boston-globe
        evidence: Trump says he will meet Putin next Friday in Alaska

proposals:
  - id: territorial-deal
    name: US–Russian territorial deal
    date: 2025-08-08
    proposed_by: [donald-trump]
    summary: A truce that would freeze the front and cede Donbas.
    status: reported
    sources:
      - source: bloomberg-truce
        evidence: U.S. and Russian officials are working toward an agreement on territories

deadlines:
  - id: ceasefire-deadline
    title: Ceasefire by Friday or tariffs
    date: 2025-08-08
    set_by: donald-trump
    targets: [Russia]
    threat: tariffs on countries buying Russian oil
    resolution: lapsed
    status: confirmed
    sources:
      - source: ap-boston-globe
        evidence: The deadline was Friday.
"""

#: A deadline that supersedes the base one, for the superseded_by cases.
GLOSSARY_TWICE = """\
glossary:
  - term: NATO
    definition: The North Atlantic Treaty Organization, a Western military alliance.
    sources:
      - source: bloomberg-truce
        evidence: Presidents Donald Trump and Vladimir Putin
  - term: Nato
    definition: The same alliance, spelled as some outlets do.
    sources:
      - source: bloomberg-truce
        evidence: Presidents Donald Trump and Vladimir Putin
"""

LATER_DEADLINE = """\
  - id: later-deadline
    title: Talks in Alaska instead
    date: 2025-08-15
    set_by: donald-trump
    targets: [Russia]
    threat: tariffs on countries buying Russian oil
    resolution: superseded
    superseded_by: ceasefire-deadline
    status: reported
    sources:
      - source: ap-boston-globe
        evidence: The deadline was Friday.
"""

# The baseline's one map: a project needs a main map, and this one cites the
# baseline's only claim with regions.
BASE_MAP = """\
id: base
title: What Putin demands
kind: main
question: Which regions does Putin demand?
description: Putin demands {count} of Ukraine's {total} first-level units.
categories:
  - id: demanded
    label: Demanded by Putin
    key: russian
  - id: not-demanded
    label: Not demanded
    key: unchanged
default: not-demanded
assignments:
  - category: demanded
    regions: [UA-14, UA-09]
    claims: [putin-demands-donbas]
"""

ID_LINE, NAME_LINE = "  - id: donald-trump", "    name: Donald Trump"
SOURCES = (REPO / SOURCES_YML).read_text(encoding="utf-8")
FIRST_SEED = "000_c0d1cf61ef67c8ef.txt"  # lock-in-report's article, cited nowhere in BASE


# ---- building cases -----------------------------------------------------------

Setup = Callable[[Path], None]


def line_of(needle: str, text: str = BASE) -> int:
    """The 1-based line on which ``needle`` (which must occur once) starts."""
    assert text.count(needle) == 1, f"{needle!r} must occur exactly once"
    return text[: text.index(needle)].count("\n") + 1


def edit(old: str, new: str, file: str = BASE_YML) -> Setup:
    """Replace the one occurrence of ``old`` in ``file``."""

    def apply(root: Path) -> None:
        path = root / file
        text = path.read_bytes().decode("utf-8")  # as written: no newline translation
        assert text.count(old) == 1, f"{old!r} must occur exactly once in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8", newline="")

    return apply


def after(line: str, *added: str) -> Setup:
    """Insert lines after the line ``line`` of base.yml (they start at line_of(line) + 1)."""
    return edit(line + "\n", "\n".join((line, *added)) + "\n")


def append(text: str, file: str = BASE_YML) -> Setup:
    def apply(root: Path) -> None:
        with (root / file).open("a", encoding="utf-8") as f:
            f.write(text)

    return apply


def write(name: str, content: str | bytes) -> Setup:
    """Write a file (path relative to the project root)."""

    def apply(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")

    return apply


def data(name: str) -> Setup:
    """Put tests/bad_inputs/NAME into content/ as it is, byte for byte."""
    return write(f"content/{name}", (DATA / name).read_bytes())


def data_line(name: str, needle: str) -> int:
    """The line of ``needle`` in tests/bad_inputs/NAME."""
    return line_of(needle, (DATA / name).read_bytes().decode("utf-8", "replace"))


def crlf(name: str) -> Setup:
    """Save a file with Windows line ends."""

    def apply(root: Path) -> None:
        path = root / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    return apply


def symlink(name: str, target: str) -> Setup:
    """Make NAME (relative to the project root) a symlink to TARGET, replacing any file."""

    def apply(root: Path) -> None:
        link = root / name
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(target)

    return apply


def steps(*setups: Setup) -> Setup:
    def apply(root: Path) -> None:
        for setup in setups:
            setup(root)

    return apply


@dataclass(frozen=True)
class Case:
    setup: Setup
    file: str
    line: int
    phrase: str
    column: int | None = None
    #: How many problems ``check`` must report in all (None: do not count).
    problems: int | None = 1
    #: Run in a subprocess with a timeout, measuring time and memory.
    isolated: bool = False


def case(
    category: str, name: str, setup: Setup, line: int, phrase: str, *,
    file: str = BASE_YML, column: int | None = None, problems: int | None = 1,
    isolated: bool = False,
) -> Any:  # fmt: skip
    return pytest.param(
        Case(setup, file, line, phrase, column, problems, isolated), id=f"{category}-{name}"
    )


# ---- the cases ------------------------------------------------------------------

SYNTAX = [
    case("syntax", "unclosed-double-quote",
         edit("name: Donald Trump", 'name: "Donald Trump'),
         line_of("name: Donald Trump"),
         f"unclosed quote: close the quote opened at line {line_of('name: Donald Trump')} "
         "(type \" at the end of the text)", column=11),
    case("syntax", "unclosed-single-quote",
         edit("role: President of Russia", "role: 'President of Russia"),
         line_of("role: President of Russia"),
         f"unclosed quote: close the quote opened at line {line_of('role: President of Russia')} "
         "(type ' at the end of the text)", column=11),
    case("syntax", "bad-escape-in-quotes",
         edit("summary: Putin demands all of Donbas and Crimea",
              'summary: "Putin \\q demands all of Donbas and Crimea"'),
         line_of("summary: Putin demands all"), "unknown escape character"),
    case("syntax", "unclosed-flow-sequence",
         edit("topics: [territory]", "topics: [territory"),
         line_of("topics: [territory]"), "while parsing a flow sequence", column=13),
    case("syntax", "unclosed-flow-mapping", data("unclosed_flow_mapping.yml"),
         data_line("unclosed_flow_mapping.yml", "  - {id: jd-vance"),
         "while parsing a flow mapping", file="content/unclosed_flow_mapping.yml", column=5),
    case("syntax", "indented-too-deep",
         edit("    name: Vladimir Putin", "     name: Vladimir Putin"),
         line_of("    name: Vladimir Putin"), "this line is indented more than the one above: "
         "indent this line to match the one above (4 spaces)", column=6),
    case("syntax", "indented-too-shallow",
         edit("    party: russia", "  party: russia"),
         line_of("    party: russia"), "this line is indented less than the one above: "
         "indent this line to match the one above (4 spaces)", column=3),
    case("syntax", "missing-colon",
         edit("    stance: demands", "    stance demands"),
         line_of("    stance: demands"), "a field without its colon: put ': ' after the field "
         "name (write 'stance: demands')", column=5),
    case("syntax", "colon-inside-plain-text",
         edit("role: President of Russia", "role: President: Russia"),
         line_of("role: President of Russia"), "a colon followed by a space inside text: put the "
         "text in double quotes, e.g. role: \"President: Russia\"", column=20),
    case("syntax", "list-item-without-dash", edit("      - UA-09", "      UA-09"),
         line_of("      - UA-09"), "a list item without '- ': start the item with '- ' "
         "(write '- UA-09')", column=7),
    case("syntax", "entry-without-dash", edit("  - id: vladimir-putin", "  id: vladimir-putin"),
         line_of("  - id: vladimir-putin"), "an entry of the list without '- ': start the item "
         "with '- ' (write '- id: vladimir-putin')", column=3),
    # The quote runs on into the next entries and closes at the next quotation mark:
    # the parser gives up there, the mistake is where the quote opened.
    case("syntax", "unclosed-quote-closed-by-a-later-one",
         steps(edit("name: Vladimir Putin", 'name: "Vladimir Putin'),
               edit("summary: Putin demands all of Donbas and Crimea",
                    'summary: "Putin demands all of Donbas and Crimea"')),
         line_of("name: Vladimir Putin"), "unclosed quote: close the quote opened at line "
         f"{line_of('name: Vladimir Putin')} (type \" at the end of the text)", column=11),
    case("syntax", "stray-dash",
         after("    stance: demands", "    -"),
         line_of("    stance: demands") + 1, "did not find expected key", column=5),
    case("syntax", "tab-indentation", data("tab_indented.yml"),
         data_line("tab_indented.yml", "\tname: JD Vance"), "tab character used for indentation",
         file="content/tab_indented.yml", column=1),
    case("syntax", "byte-order-mark", edit("# A small", "\ufeff# A small"),
         1, "byte-order mark", column=1),
    case("syntax", "not-utf8", data("not_utf8.yml"),
         data_line("not_utf8.yml", "    name: J"), "not UTF-8 (0xfc)",
         file="content/not_utf8.yml", column=len("    name: J") + 1),
    case("syntax", "empty-file", data("empty.yml"), 1, "file is empty",
         file="content/empty.yml"),
    case("syntax", "comments-only", data("comments_only.yml"), 1, "file is empty",
         file="content/comments_only.yml"),
    case("syntax", "top-level-list", data("top_level_list.yml"),
         data_line("top_level_list.yml", "- id:"), "expected a mapping at the top of the file",
         file="content/top_level_list.yml"),
    case("syntax", "top-level-scalar", data("top_level_scalar.yml"),
         data_line("top_level_scalar.yml", "TODO"), "found a single value",
         file="content/top_level_scalar.yml"),
    case("syntax", "two-documents", data("two_documents.yml"),
         data_line("two_documents.yml", "---"), "a second YAML document",
         file="content/two_documents.yml"),
]  # fmt: skip

KEYS = [
    case("keys", "duplicate-section", edit("\nevents:\n", "\nclaims: []\nevents:\n"),
         line_of("events:"), f"duplicate key 'claims' (first at line {line_of('claims:')})"),
    case("keys", "duplicate-in-claim", after("    stance: demands", "    stance: claims"),
         line_of("    stance: demands") + 1,
         f"duplicate key 'stance' (first at line {line_of('    stance: demands')})"),
    case("keys", "duplicate-in-citation",
         after("        quote: ceasefire by Friday", "        source: ap-boston-globe"),
         line_of("        quote: ceasefire by Friday") + 1, "duplicate key 'source'", column=9),
    case("keys", "int-key", after("    stance: demands", "    1: x"),
         line_of("    stance: demands") + 1, "YAML reads '1' as a number", column=5),
    case("keys", "bool-key", after("    stance: demands", "    yes: x"),
         line_of("    stance: demands") + 1, "YAML reads 'yes' as true/false"),
    case("keys", "null-key", after("    stance: demands", "    ~: x"),
         line_of("    stance: demands") + 1, "YAML reads '~' as nothing"),
    case("keys", "flow-list-key", after("    stance: demands", "    [a, b]: x"),
         line_of("    stance: demands") + 1, "field names must be text, not a list"),
    case("keys", "complex-list-key", after("    stance: demands", "    ? - a", "      - b", "    : x"),
         line_of("    stance: demands") + 1, "field names must be text, not a list", column=7),
    # An empty key crashed the full reading (IndexError) when the file had any
    # other problem, here a duplicate key.
    case("keys", "empty-key-beside-a-duplicate",
         after("    stance: demands", '    "": x', "    stance: claims"),
         line_of("    stance: demands") + 2, "duplicate key 'stance'", problems=2),
    case("keys", "unknown-section", edit("\nevents:\n", "\nevent:\n"),
         line_of("events:"), "unknown section 'event'; did you mean 'events'?", column=1),
    case("keys", "unknown-claim-field", edit("    stance: demands", "    stanse: demands"),
         line_of("    stance: demands"), "unknown field 'stanse' in claim; did you mean 'stance'?"),
    case("keys", "unknown-citation-field",
         edit("        quote: ceasefire by Friday", "        qoute: ceasefire by Friday"),
         line_of("        quote: ceasefire by Friday"),
         "unknown field 'qoute' in citation; did you mean 'quote'?"),
]  # fmt: skip

TYPES = [
    case("types", "text-given-number", edit("role: President of Russia", "role: 42"),
         line_of("role: President of Russia"), "'role' must be text, found a number (42)",
         column=11),
    case("types", "text-given-yes", edit("role: President of Russia", "role: yes"),
         line_of("role: President of Russia"), "YAML reads yes/no/on/off as true/false"),
    case("types", "list-given-text", edit("topics: [territory]", "topics: territory"),
         line_of("topics: [territory]"), "'topics' must be a list"),
    case("types", "citation-given-list",
         edit("      - source: bloomberg-truce\n        evidence: Putin is demanding that Ukraine "
              "cede its entire eastern Donbas area to Russia\n",
              "      - [bloomberg-truce, Putin is demanding]\n"),
         line_of("      - source: bloomberg-truce\n        evidence: Putin is demanding"),
         "entry 1 of 'sources' must be a mapping of fields"),
    case("types", "section-given-mapping", edit("\nproposals:\n", "\nglossary: {}\nproposals:\n"),
         line_of("proposals:"), "'glossary' must be a list of entries"),
    # An explicit tag the value cannot hold was an exception out of the loader
    # ("internal error", exit 2): now one positioned problem, the field not blamed again.
    case("types", "int-tag-on-a-month",
         edit("    date: 2025-08-08\n    summary: Putin", "    date: !!int 2025-08\n    summary: Putin"),
         line_of("    date: 2025-08-08\n    summary: Putin"), "'2025-08' is not a valid !!int value", column=11),
    case("types", "bool-tag-on-maybe", after("    stance: demands", "    circa: !!bool maybe"),
         line_of("    stance: demands") + 1, "'maybe' is not a valid !!bool value", column=12),
    case("types", "float-tag-on-words", edit("role: President of Russia", "role: !!float abc"),
         line_of("role: President of Russia"), "'abc' is not a valid !!float value", column=11),
    case("types", "int-tag-on-nothing", edit("role: President of Russia", "role: !!int ''"),
         line_of("role: President of Russia"), "'' is not a valid !!int value", column=11),
    case("types", "map-tag-on-a-list", edit("topics: [territory]", "topics: !!map [territory]"),
         line_of("topics: [territory]"), "YAML tag '!!map' cannot mark a list", column=13),
]  # fmt: skip

DATE = "    date: 2025-08-08\n    summary: Putin"

DATES = [
    case("dates", "february-30", edit(DATE, DATE.replace("2025-08-08", "2025-02-30")),
         line_of(DATE), "February 2025 has 28 days", column=11),
    case("dates", "month-13", edit(DATE, DATE.replace("2025-08-08", "2025-13")),
         line_of(DATE), "there is no month 13"),
    # The model accepts years 1000 to 2100 (dates.py); 1800 is a valid year.
    case("dates", "year-999", edit(DATE, DATE.replace("2025-08-08", "0999")),
         line_of(DATE), "date 0999 is out of range"),
    case("dates", "year-9999", edit(DATE, DATE.replace("2025-08-08", "9999")),
         line_of(DATE), "date 9999 is out of range"),
    case("dates", "words", edit(DATE, DATE.replace("2025-08-08", "next friday")),
         line_of(DATE), "'next friday' is not a date"),
]  # fmt: skip

ENUMS = [
    case("enums", "stance", edit("stance: demands", "stance: demand"),
         line_of("stance: demands"), "'demand' is not an allowed stance; did you mean 'demands'?",
         column=13),
    case("enums", "status", edit("    status: reported\n    topics: [territory]",
                                 "    status: confirmd\n    topics: [territory]"),
         line_of("    status: reported\n    topics: [territory]"),
         "did you mean 'confirmed'?"),
    # The actor is dropped for its bad party; the claims and event naming it must
    # not also report it as unknown (hence exactly one problem).
    case("enums", "party", edit("party: russia", "party: rusia"),
         line_of("party: russia"), "'rusia' is not an allowed party; did you mean 'russia'?"),
    # A value spanning lines is quoted with its line break escaped: one problem, one line.
    case("enums", "stance-with-line-break", edit("stance: demands", 'stance: "demands\\nx"'),
         line_of("stance: demands"), "'demands\\nx' is not an allowed stance", column=13),
    # CRLF line ends are fine, and must not shift the line numbers.
    case("enums", "stance-in-crlf-file",
         steps(edit("stance: demands", "stance: demand"), crlf(BASE_YML)),
         line_of("stance: demands"), "did you mean 'demands'?", column=13),
    case("enums", "topic-in-list", edit("topics: [territory]", "topics: [teritory]"),
         line_of("topics: [territory]"), "'teritory' is not allowed in 'topics'", column=14),
]  # fmt: skip

DEADLINE_SUPERSEDED = edit(
    "    resolution: lapsed", "    resolution: superseded\n    superseded_by: later-deadline"
)

REFS = [
    case("refs", "claim-actor", edit("actor: vladimir-putin", "actor: vladimir-putn"),
         line_of("actor: vladimir-putin"), "unknown actor 'vladimir-putn'; did you mean",
         column=12),
    case("refs", "claim-region-item", edit("      - UA-09", "      - UA-99"),
         line_of("      - UA-09"), "unknown region 'UA-99'", column=9),
    case("refs", "claim-proposal",
         after("    stance: demands", "    proposal: territorial-dael"),
         line_of("    stance: demands") + 1, "unknown proposal 'territorial-dael'", column=15),
    case("refs", "claim-event", after("    stance: demands", "    event: alaska-summit"),
         line_of("    stance: demands") + 1, "unknown event 'alaska-summit'"),
    case("refs", "claim-responds-to",
         after("    stance: demands", "    responds_to: trump-threatens"),
         line_of("    stance: demands") + 1, "unknown claim 'trump-threatens'"),
    case("refs", "event-actors-item",
         edit("actors: [donald-trump, vladimir-putin]", "actors: [donald-trump, vladimir-putim]"),
         line_of("actors: [donald-trump, vladimir-putin]"), "unknown actor 'vladimir-putim'",
         column=len("    actors: [donald-trump, ") + 1),
    case("refs", "deadline-set-by", edit("set_by: donald-trump", "set_by: trump"),
         line_of("set_by: donald-trump"), "unknown actor 'trump'"),
    case("refs", "deadline-superseded-by", DEADLINE_SUPERSEDED,
         line_of("    resolution: lapsed") + 1, "unknown deadline 'later-deadline'"),
    case("refs", "proposal-proposed-by-item",
         edit("    proposed_by: [donald-trump]",
              "    proposed_by:\n      - donald-trump\n      - jd-vance"),
         line_of("    proposed_by: [donald-trump]") + 2, "unknown actor 'jd-vance'", column=9),
    case("refs", "citation-source",
         edit("      - source: bloomberg-truce\n        evidence: Presidents",
              "      - source: bloomberg-truse\n        evidence: Presidents"),
         line_of("      - source: bloomberg-truce\n        evidence: Presidents"),
         "unknown source 'bloomberg-truse'", column=17),
    case("refs", "responds-to-cycle",
         steps(after("    stance: demands", "    responds_to: trump-threatens-tariffs"),
               after("    stance: threatens", "    responds_to: putin-demands-donbas")),
         line_of("    stance: demands") + 1,
         "claim reference cycle: putin-demands-donbas → trump-threatens-tariffs → "
         "putin-demands-donbas"),
    case("refs", "superseded-by-cycle", steps(DEADLINE_SUPERSEDED, append(LATER_DEADLINE)),
         line_of("    resolution: lapsed") + 1,
         "deadline reference cycle: ceasefire-deadline → later-deadline → ceasefire-deadline"),
    case("refs", "glossary-term-twice", append(GLOSSARY_TWICE),
         BASE.count("\n") + line_of("  - term: Nato", GLOSSARY_TWICE),
         "the glossary term 'Nato' is already defined as 'NATO'", column=11),
    case("refs", "duplicate-id-across-files", data("duplicate_claim_id.yml"),
         data_line("duplicate_claim_id.yml", "  - id: putin-demands-donbas"),
         f"duplicate claim id 'putin-demands-donbas' (first defined at "
         f"{BASE_YML}:{line_of('  - id: putin-demands-donbas')}:9)",
         file="content/duplicate_claim_id.yml"),
    # An actor whose id is malformed may be the one every reference meant.
    case("refs", "not-blamed-on-malformed-id", edit(ID_LINE, "  - id: Donald Trump"),
         line_of(ID_LINE), "'Donald Trump' in 'id' is not a valid id", column=9),
    # A file that cannot be read may define any id: references into it are not
    # reported as dangling while its own problem stands.
    case("refs", "not-blamed-on-unreadable-file",
         steps(write("content/actors2.yml", "actors:\n  - id: jd-vance\n    name: 'JD Vance\n"),
               edit("set_by: donald-trump", "set_by: jd-vance")),
         3, "unclosed quote: close the quote opened at line 3", file="content/actors2.yml",
         column=11),
]  # fmt: skip

EVIDENCE = "evidence: >-\n          Putin is demanding"

QUOTES = [
    case("quotes", "evidence-one-word-changed",
         edit("cede its entire eastern Donbas area to Russia as",
              "cede its whole eastern Donbas area to Russia as"),
         line_of(EVIDENCE), 'closest passage: "Putin is demanding that Ukraine cede its entire '
         'eastern Donbas area to Russia as well as Crimea, which his forces illegally annexed in '
         '2014."; differences: … Ukraine cede its [-entire-] {+whole+} eastern Donbas area …',
         column=19),
    case("quotes", "quote-absent",
         edit("quote: ceasefire by Friday", "quote: we will crush them"),
         line_of("quote: ceasefire by Friday"),
         "quote not found verbatim in source 'bloomberg-truce'", column=16),
    case("quotes", "evidence-from-another-article-in-the-same-file",
         edit("      - source: ap-boston-globe\n        evidence: Trump says",
              "      - source: bloomberg-truce\n        evidence: Trump says"),
         line_of("evidence: Trump says"), "evidence not found verbatim in source 'bloomberg-truce'"),
    # Word-bounded: a passage cut out of a longer word says the opposite.
    case("quotes", "evidence-inside-uninterested",
         edit("        evidence: Trump says he will meet Putin next Friday in Alaska",
              "        evidence: Putin remains uninterested in ending his war\n"
              "        quote: interested in ending his war"),
         line_of("        evidence: Trump says he will meet") + 1,
         "quote not found verbatim in source 'ap-boston-globe'", column=16),
    case("quotes", "evidence-inside-unconditional",
         edit("evidence: U.S. and Russian officials are working toward an agreement on territories",
              "evidence: conditional ceasefire"),
         line_of("evidence: U.S. and Russian officials"),
         "evidence not found verbatim in source 'bloomberg-truce'", column=19),
    case("quotes", "quote-outside-its-evidence",
         edit("quote: ceasefire by Friday", "quote: Presidents Donald Trump and Vladimir Putin"),
         line_of("quote: ceasefire by Friday"), "quote is not part of this citation's evidence",
         column=16),
    case("quotes", "source-not-in-manifest",
         edit("      - source: ap-boston-globe\n        evidence: Trump says",
              "      - source: nyt-2025\n        evidence: Trump says"),
         line_of("      - source: ap-boston-globe\n        evidence: Trump says"),
         "unknown source 'nyt-2025' (sources are listed in seeds/sources.yml)"),
]  # fmt: skip


def _big_file(root: Path) -> None:
    """50 MiB of YAML comments: refused on its size, before a byte is read."""
    (root / "content" / "big.yml").write_bytes(
        b"# padding to fifty megabytes\n" * (50 * 2**20 // 29 + 1)
    )


BLOCK_DEPTH = 1000

UNSAFE = [
    case("unsafe", "python-object-apply-os-system",
         edit("role: President of Russia",
              "role: !!python/object/apply:os.system ['touch pwned']"),
         line_of("role: President of Russia"), "YAML tag '!!python/object/apply:os.system' is not "
         "allowed", column=11, isolated=True),
    case("unsafe", "python-name",
         edit("role: President of Russia", "role: !!python/name:os.system"),
         line_of("role: President of Russia"), "YAML tag '!!python/name:os.system'", isolated=True),
    case("unsafe", "python-object-new-mapping",
         edit("  - id: vladimir-putin", "  - !!python/object/new:subprocess.Popen\n    args: [id]"),
         line_of("  - id: vladimir-putin"), "YAML tag '!!python/object/new:subprocess.Popen'",
         column=5, isolated=True),
    case("unsafe", "local-tag", edit("role: President of Russia", "role: !foo bar"),
         line_of("role: President of Russia"), "YAML tag '!foo' is not allowed", isolated=True),
    case("unsafe", "alias", steps(edit("role: President of the United States",
                                       "role: &role President of the United States"),
                                  edit("role: President of Russia", "role: *role")),
         line_of("role: President of Russia"), "alias '*role' is not allowed", column=11),
    case("unsafe", "billion-laughs", data("billion_laughs.yml"),
         data_line("billion_laughs.yml", "  - &b"), "alias '*a' is not allowed",
         file="content/billion_laughs.yml", column=len("  - &b [") + 1, problems=None, isolated=True),
    case("unsafe", "file-of-50-mib", _big_file, 1, "file is too large (50.0 MiB",
         file="content/big.yml", isolated=True),
    # Below and above the parser's own limit (libyaml 0.2.6 stops at 1,000 flow
    # levels with words of its own): refused where it stands, in our words.
    *(case("unsafe", f"flow-nesting-{n}", write("content/deep.yml",
                                                "actors: " + "[" * n + "]" * n + "\n"),
           1, "nesting deeper than 40 levels", file="content/deep.yml", isolated=True)
      for n in (100, 10_000)),
    case("unsafe", f"block-nesting-{BLOCK_DEPTH}",
         write("content/deep.yml", "".join("  " * i + f"k{i}:\n" for i in range(BLOCK_DEPTH))
               + "  " * BLOCK_DEPTH + "bottom\n"),
         41, "nesting deeper than 40 levels", file="content/deep.yml", isolated=True),
]  # fmt: skip

SEED_LINE = f"file: {FIRST_SEED}"

PATHS = [
    case("paths", "dot-dot", edit(SEED_LINE, "file: ../../etc/passwd", SOURCES_YML),
         line_of(SEED_LINE, SOURCES), "must be a plain file name inside seeds/",
         file=SOURCES_YML, column=11),
    case("paths", "absolute", edit(SEED_LINE, "file: /etc/passwd", SOURCES_YML),
         line_of(SEED_LINE, SOURCES), "must be a plain file name inside seeds/",
         file=SOURCES_YML, column=11),
    case("paths", "missing-seed", edit(SEED_LINE, SEED_LINE.replace(".txt", ".text"), SOURCES_YML),
         line_of(SEED_LINE, SOURCES), f"not found in seeds/; did you mean '{FIRST_SEED}'?",
         file=SOURCES_YML),
    case("paths", "seed-symlink-outside-repo", symlink(f"seeds/{FIRST_SEED}", "/etc/passwd"),
         line_of(SEED_LINE, SOURCES), "is a symbolic link", file=SOURCES_YML, column=11),
    case("paths", "content-symlink",
         steps(write("outside/more.yml", "actors: []\n"),
               symlink("content/more.yml", "../outside/more.yml")),
         1, "not a regular file (symlinks are not followed)", file="content/more.yml"),
    # The manifest cannot be read: citations are not also blamed for naming
    # sources nobody could look up.
    case("paths", "manifest-symlink",
         steps(write("outside/sources.yml", SOURCES), symlink(SOURCES_YML, "../outside/sources.yml")),
         1, "not a regular file", file=SOURCES_YML),
]  # fmt: skip


def inject(line: str, at: str, char: str) -> Setup:
    """Put ``char`` into ``line`` of base.yml right after the text ``at``."""
    return edit(line, line.replace(at, at + char, 1))


INVISIBLE = [
    case("invisible", "control-in-id", inject(ID_LINE, "donald", "\x07"),
         line_of(ID_LINE), "U+0007", column=len("  - id: donald") + 1),
    case("invisible", "control-in-name", inject(NAME_LINE, "Donald", "\x1b"),
         line_of(NAME_LINE), "U+001B", column=len("    name: Donald") + 1),
    case("invisible", "bidi-override-in-id", inject(ID_LINE, "donald-", "\u202e"),
         line_of(ID_LINE), "U+202E RIGHT-TO-LEFT OVERRIDE", column=len("  - id: donald-") + 1),
    case("invisible", "bidi-override-in-name", inject(NAME_LINE, "Don", "\u202e"),
         line_of(NAME_LINE), "U+202E RIGHT-TO-LEFT OVERRIDE", column=len("    name: Don") + 1),
    case("invisible", "zero-width-in-id", inject(ID_LINE, "donald", "\u200b"),
         line_of(ID_LINE), "U+200B ZERO WIDTH SPACE", column=len("  - id: donald") + 1),
    case("invisible", "zero-width-in-name", inject(NAME_LINE, "Donald ", "\u200b"),
         line_of(NAME_LINE), "U+200B ZERO WIDTH SPACE", column=len("    name: Donald ") + 1),
    # YAML breaks lines at these, most editors do not: every later line number
    # would be off by one, so they are refused where they stand.
    case("invisible", "line-separator-in-name", inject(NAME_LINE, "Donald", "\u2028"),
         line_of(NAME_LINE), "U+2028 LINE SEPARATOR", column=len("    name: Donald") + 1),
    case("invisible", "lone-carriage-return-in-name", inject(NAME_LINE, "Donald", "\r"),
         line_of(NAME_LINE), "U+000D", column=len("    name: Donald") + 1),
    # Spelt as escapes in double quotes, they are not in the file's text, only in
    # the values: the loader must still find them, and point at the escape.
    case("invisible", "escaped-zero-width-in-name",
         edit(NAME_LINE, '    name: "Donald\\u200b Trump"'),
         line_of(NAME_LINE), "escape '\\u200b' writes an invisible or control character U+200B",
         column=len('    name: "Donald') + 1),
    case("invisible", "escaped-bidi-override-in-id",
         edit(ID_LINE, '  - id: "donald-\\u202etrump"'),
         line_of(ID_LINE), "U+202E RIGHT-TO-LEFT OVERRIDE", column=len('  - id: "donald-') + 1),
    case("invisible", "escaped-nul-in-seed-file-name",
         edit(SEED_LINE, 'file: "000\\0.txt"', SOURCES_YML),
         line_of(SEED_LINE, SOURCES), "U+0000", file=SOURCES_YML, column=len('    file: "000') + 1),
]  # fmt: skip

CASES = SYNTAX + KEYS + TYPES + DATES + ENUMS + REFS + QUOTES + UNSAFE + PATHS + INVISIBLE


PROBLEM_LINE = re.compile(r"^[^:\s]+:\d+:\d+: error: \S")
SUMMARY_LINE = re.compile(r"^\d+ problems? found; nothing was built\.$")


# ---- running check --------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


def _tree(root: Path) -> set[str]:
    """Every path under ``root``, without following symlinks."""
    found: set[str] = set()
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


def _max_child_rss_mib() -> float:
    """Peak memory of the largest child process so far (Linux: KiB; macOS: bytes)."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


def run_isolated(root: Path) -> Run:
    """``python -m generator check`` in a subprocess, from inside the project."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("WCW_DEBUG", None)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--content", str(root / "content")],
        capture_output=True, text=True, encoding="utf-8", errors="replace",
        cwd=root, env=env, timeout=10,
    )  # fmt: skip
    return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)


def run_in_process(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> Run:
    monkeypatch.chdir(root)  # anything written relative to the working folder lands here
    start = time.perf_counter()
    code = cli.main(["check", "--content", str(root / "content")])
    seconds = time.perf_counter() - start
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err, seconds)


# ---- fixtures -------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid project every case starts from: real seeds and regions, plus BASE."""
    root = tmp_path_factory.mktemp("baseline")
    keep = lambda _dir, names: [n for n in names if not (n.endswith(".txt") or n == "sources.yml")]  # noqa: E731
    shutil.copytree(REPO / "seeds", root / "seeds", ignore=keep)
    (root / "content").mkdir()
    shutil.copy(REPO / "content" / "regions.yml", root / "content" / "regions.yml")
    (root / "content" / "base.yml").write_text(BASE, encoding="utf-8")
    (root / "maps").mkdir()
    for name in ("ukraine-admin1.geojson", "LICENSE-boundaries.md"):
        shutil.copy(REPO / "maps" / name, root / "maps" / name)
    (root / "maps" / "base.yml").write_text(BASE_MAP, encoding="utf-8")
    return root


@pytest.fixture
def project(baseline: Path, tmp_path: Path):
    """A fresh copy of the baseline, removed afterwards (some cases write 50 MiB)."""
    root = tmp_path / "project"
    shutil.copytree(baseline, root, symlinks=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


# ---- tests ----------------------------------------------------------------------


def test_baseline_passes_in_process(project: Path, capsys, monkeypatch) -> None:
    run = run_in_process(project, capsys, monkeypatch)
    assert run.code == 0, run.text
    assert run.out.startswith("ok: 2 content files"), run.text
    assert "2 claims, 1 events, 1 deadlines" in run.out


def test_baseline_passes_in_subprocess(project: Path) -> None:
    run = run_isolated(project)
    assert run.code == 0, run.text
    assert "every quote and evidence passage verified" in run.out


def test_every_category_has_cases() -> None:
    """The corpus stays as broad as promised: at least 45 cases, each category present."""
    categories = [p.id.split("-", 1)[0] for p in CASES]
    assert len(CASES) >= 45
    assert len({p.id for p in CASES}) == len(CASES), "case ids must be unique"
    assert set(categories) == {
        "syntax", "keys", "types", "dates", "enums", "refs", "quotes", "unsafe", "paths",
        "invisible",
    }  # fmt: skip


@pytest.mark.parametrize("bad", CASES)
def test_bad_input_is_refused_where_it_stands(
    bad: Case, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad.setup(project)
    before = _tree(project)

    run = run_isolated(project) if bad.isolated else run_in_process(project, capsys, monkeypatch)

    assert "Traceback" not in run.text and "RecursionError" not in run.text, run.text
    assert "internal error" not in run.text, run.text
    assert run.code == 1, run.text
    column = str(bad.column) if bad.column is not None else r"\d+"
    wanted = re.compile(
        rf"^{re.escape(bad.file)}:{bad.line}:{column}: error: .*{re.escape(bad.phrase)}",
        re.MULTILINE,
    )
    for line in run.err.splitlines():  # every problem on one line, then the count
        assert PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line), f"stray line {line!r}"
    assert wanted.search(run.err), (
        f"expected {bad.file}:{bad.line}:{bad.column or '*'}: error: …{bad.phrase}…\n"
        f"got:\n{run.text}"
    )
    if bad.problems is not None:
        count = f"{bad.problems} problem{'s' if bad.problems != 1 else ''} found"
        assert count in run.err, f"expected '{count}', got:\n{run.text}"
    assert _tree(project) == before, "check must not write anything"
    if bad.isolated:
        assert run.seconds < MAX_SECONDS, f"took {run.seconds:.1f} s"
        assert _max_child_rss_mib() < MAX_RSS_MIB
