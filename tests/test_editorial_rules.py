"""Issue 16: the editorial rules `check` enforces, each with an entry that breaks it.

Every test runs the real loader on the small project of tests/fixtures/mini
(conftest.make_project) with one change, and asserts the exact message.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.content.factbase import load
from generator.content.markup import plain
from generator.content.project import Project
from generator.site.textformat import Reference, TextRenderer
from tests.conftest import FIXTURES, make_project, recording_beside, run_alone

BASE = (FIXTURES / "mini" / "base.yml").read_text(encoding="utf-8")
SEEDS = (FIXTURES.parents[1] / "seeds" / "sources.yml").read_text(encoding="utf-8")
CLAIM_TEXT = "    text: Putin claims **four** regions.\n"
CLAIM_STATUS = "    date: 2025-08\n    status: reported\n    topics: [territory]\n"
CLAIM_CITE = (
    "      - source: lock-in-report\n"
    "        evidence: Putin claims four Ukrainian regions – Luhansk, Donetsk, Zaporizhzhia "
    "and Kherson\n"
)
EVENT_STATUS = "    location: Alaska\n    status: reported\n"
#: A claim by unnamed people, cited from Bloomberg's own report.
OFFICIALS = """\
  - id: us-officials
    name: US officials
    kind: group
    party: united-states
    role: Unnamed US officials
    sources:
      - source: bloomberg-truce
        evidence: U.S. and Russian officials are working toward an agreement on territories
"""
OFFICIALS_CLAIM = """\
  - id: officials-work-on-deal
    actor: us-officials
    stance: claims
    summary: Officials work on a deal
    text: Officials work on a deal.
    date: 2025-08-08
    status: {status}
    sources:
      - source: bloomberg-truce
        evidence: U.S. and Russian officials are working toward an agreement on territories
"""


def messages(
    tmp_path: Path, *changes: tuple[str, str], manifest: tuple[str, str] = ("", "")
) -> list[str]:
    """Every problem of the mini project with ``changes`` made to base.yml (and one
    to seeds/sources.yml), as 'line: message'."""
    text = BASE
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    content = make_project(tmp_path / "p", {"base.yml": text})
    if manifest[0]:
        sources = content.parent / "seeds" / "sources.yml"
        seeds = sources.read_text(encoding="utf-8")
        assert seeds.count(manifest[0]) == 1
        sources.write_text(seeds.replace(manifest[0], manifest[1]), encoding="utf-8")
    _fb, problems = load(Project.at(content))
    return [f"{p.position.line}: {p.message}" for p in problems]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_the_mini_project_passes(tmp_path: Path) -> None:
    assert messages(tmp_path) == []


# ---- source labels -----------------------------------------------------------------


def test_two_sources_with_one_label_are_refused_naming_both(tmp_path: Path) -> None:
    yahoo = (
        "    label: \"Yahoo explainer: 'Putin-Trump summit: what we know so far' (8 Aug 2025)\"\n"
    )
    bloomberg = (
        "Bloomberg: 'US and Russia plan truce to cement Putin's gains in Ukraine' (8 Aug 2025)"
    )
    found = messages(tmp_path, manifest=(yahoo, f'    label: "{bloomberg}"\n'))
    assert len(found) == 1
    line, message = found[0].split(": ", 1)
    assert int(line) == line_of(SEEDS, yahoo)
    assert message.startswith(
        f"sources 'bloomberg-truce' and 'yahoo-summit-explainer' have the same label '{bloomberg}' "
        "(first at seeds/sources.yml:"
    )
    assert message.endswith(
        "); readers could not tell them apart: say what makes each one different "
        "(outlet, relay, date)"
    )


# ---- references, not ids -----------------------------------------------------------


def test_a_bare_id_in_prose_is_refused_with_the_markup_to_write(tmp_path: Path) -> None:
    found = messages(
        tmp_path, (CLAIM_TEXT, "    text: Putin claims four regions, says lock-in-report.\n")
    )
    assert found == [
        f"{line_of(BASE, CLAIM_TEXT)}: the bare id 'lock-in-report' would reach readers as it "
        "is: write {source:lock-in-report} instead, which shows its name with a link"
    ]


def test_a_bare_region_code_is_refused_too(tmp_path: Path) -> None:
    found = messages(tmp_path, (CLAIM_TEXT, "    text: Putin claims UA-23.\n"))
    assert found == [
        f"{line_of(BASE, CLAIM_TEXT)}: the bare id 'UA-23' would reach readers as it is: "
        "write {region:UA-23} instead, which shows its name with a link"
    ]


def test_markup_naming_no_entry_is_refused_with_did_you_mean(tmp_path: Path) -> None:
    found = messages(tmp_path, (CLAIM_TEXT, "    text: Putin, per {source:lock-in-reprot}.\n"))
    assert found == [
        f"{line_of(BASE, CLAIM_TEXT)}: {{source:lock-in-reprot}} names no source; "
        "did you mean 'lock-in-report'?"
    ]


def test_markup_is_allowed_and_renders_the_label_with_a_link(tmp_path: Path) -> None:
    changed = (CLAIM_TEXT, "    text: Putin, per {source:lock-in-report} and {region:UA-23}.\n")
    assert messages(tmp_path, changed) == []
    fb, _ = load(Project.at(tmp_path / "p" / "content"))
    label = fb.sources["lock-in-report"].label
    assert plain("per {source:lock-in-report} in {region:UA-23}", fb) == (
        f"per {label} in Zaporizhzhia"
    )
    html = TextRenderer(references={"source:lock-in-report": Reference(label, "/s#x")}).markdown(
        "Per {source:lock-in-report}, `{source:lock-in-report}` in code."
    )
    assert html == (
        f'<p>Per <a class="wcw-ref" href="/s#x">{label}</a>, '
        "<code>{source:lock-in-report}</code> in code.</p>"
    )


# ---- status rules ------------------------------------------------------------------


def test_a_fact_resting_only_on_a_relay_cannot_be_confirmed(tmp_path: Path) -> None:
    confirmed = CLAIM_STATUS.replace("reported", "confirmed")
    found = messages(tmp_path, (CLAIM_STATUS, confirmed))
    assert found == [
        f"{line_of(BASE, CLAIM_STATUS) + 1}: claim 'putin-claims-four-regions' is confirmed, but "
        "every source relays another outlet's report or gives it to unnamed people: mark it "
        "'reported', or cite a source that reports it first-hand"
    ]


def test_a_via_naming_unnamed_people_must_say_so(tmp_path: Path) -> None:
    via = CLAIM_CITE + "        via: Bloomberg News, citing people familiar with the matter\n"
    found = messages(tmp_path, (CLAIM_CITE, via))
    assert found == [
        f"{line_of(BASE, CLAIM_CITE) + 2}: via 'Bloomberg News, citing people familiar with "
        "the matter' gives this to unnamed people: add 'via_anonymous: true' to this citation "
        "(an anonymous citation never confirms a fact on its own)"
    ]


def test_an_anonymous_citation_alone_cannot_confirm(tmp_path: Path) -> None:
    actors = "claims:\n"
    claim = OFFICIALS_CLAIM.format(status="confirmed").replace(
        "        evidence: U.S. and Russian officials are working toward an agreement on territories\n",
        "        evidence: U.S. and Russian officials are working toward an agreement on territories\n"
        "        via: citing people familiar with the matter\n        via_anonymous: true\n",
    )
    officials = OFFICIALS.replace("kind: group", "kind: group\n    standing: official")
    found = messages(tmp_path, ("claims:\n", officials + actors + claim))
    line = line_of(BASE.replace("claims:\n", officials + actors + claim), "    status: confirmed")
    assert found == [
        f"{line}: claim 'officials-work-on-deal' is confirmed, but every source relays another "
        "outlet's report or gives it to unnamed people: mark it 'reported', or cite a source "
        "that reports it first-hand"
    ]


def test_confirmed_needs_a_named_speaker(tmp_path: Path) -> None:
    extra = OFFICIALS + "claims:\n" + OFFICIALS_CLAIM.format(status="confirmed")
    found = messages(tmp_path, ("claims:\n", extra))
    line = line_of(BASE.replace("claims:\n", extra), "    status: confirmed")
    assert found == [
        f"{line}: claim 'officials-work-on-deal' is confirmed, but no source has a named "
        "speaker on the record: mark it 'reported'"
    ]
    # The same claim by an official speaker passes.
    official = OFFICIALS.replace("kind: group", "kind: group\n    standing: official")
    assert (
        messages(
            tmp_path / "b",
            ("claims:\n", official + "claims:\n" + OFFICIALS_CLAIM.format(status="confirmed")),
        )
        == []
    )


def test_denied_needs_a_denial_in_the_evidence(tmp_path: Path) -> None:
    found = messages(tmp_path, (CLAIM_STATUS, CLAIM_STATUS.replace("reported", "denied")))
    assert found == [
        f"{line_of(BASE, CLAIM_STATUS) + 1}: claim 'putin-claims-four-regions' is denied, but no "
        "evidence passage holds a denial ('denied', 'untrue', 'false'…): cite the denial, or "
        "choose another status (a refusal to comment or a dismissal is not a denial)"
    ]


def test_disputed_needs_a_conflicting_account(tmp_path: Path) -> None:
    found = messages(tmp_path, (CLAIM_STATUS, CLAIM_STATUS.replace("reported", "disputed")))
    assert found == [
        f"{line_of(BASE, CLAIM_STATUS) + 1}: claim 'putin-claims-four-regions' is disputed, but "
        "names no conflicting account: add 'conflicts_with: [ID]' naming the claim whose "
        "sources tell it otherwise"
    ]


def test_disputed_needs_two_sources(tmp_path: Path) -> None:
    twin = (
        "claims:\n  - id: putin-claims-regions-again\n    actor: vladimir-putin\n"
        "    stance: claims\n    summary: Again\n    text: Again.\n    date: 2025-08\n"
        "    status: disputed\n    conflicts_with: [putin-claims-four-regions]\n"
        "    sources:\n" + CLAIM_CITE
    )
    found = messages(tmp_path, ("claims:\n", twin))
    line = line_of(BASE.replace("claims:\n", twin), "    conflicts_with:")
    assert found == [
        f"{line}: claim 'putin-claims-regions-again' is disputed, but it and the accounts it "
        "conflicts with cite the same sources: a dispute needs two sources that conflict"
    ]


def test_an_event_after_its_sources_cannot_be_confirmed(tmp_path: Path) -> None:
    found = messages(tmp_path, (EVENT_STATUS, EVENT_STATUS.replace("reported", "confirmed")))
    assert found == [
        f"{line_of(BASE, EVENT_STATUS) + 1}: event 'alaska-summit' is confirmed, but its sources "
        "speak of it as still to come (its date is after every source's publication, or they "
        "call it due, planned or scheduled): mark it 'reported'"
    ]


# ---- attribution chains ------------------------------------------------------------


def test_a_via_naming_an_outlet_outside_the_chain_is_refused(tmp_path: Path) -> None:
    reuters = (
        "  - id: reuters\n    name: Reuters\n    kind: outlet\n    party: media\n"
        "    role: News agency\n    sources:\n      - source: toutiao-relay\n"
        "        evidence: Reuters cited Bloomberg on the 8th\n"
    )
    via = CLAIM_CITE + "        via: Reuters\n"
    found = messages(tmp_path, ("actors:\n", "actors:\n" + reuters), (CLAIM_CITE, via))
    line = line_of(BASE.replace("actors:\n", "actors:\n" + reuters), CLAIM_CITE) + 2
    assert found == [
        f"{line}: via 'Reuters' names Reuters, but source 'lock-in-report' tells it as "
        "Bloomberg News, citing people familiar with the matter: name only tellers in its "
        "attribution chain (or fix the chain in seeds/sources.yml)"
    ]


def test_general_knowledge_must_name_a_field_of_its_entry(tmp_path: Path) -> None:
    flagged = CLAIM_STATUS + "    general_knowledge: [dates]\n"
    found = messages(tmp_path, (CLAIM_STATUS, flagged))
    assert found == [
        f"{line_of(BASE, CLAIM_STATUS) + 3}: general_knowledge names 'dates', which is not a "
        "field of this entry; did you mean 'date'?"
    ]


# ---- where the rules run -----------------------------------------------------------


def test_the_build_runs_the_rules_in_a_child_and_reports_the_same(tmp_path: Path) -> None:
    """The build has the first part of the editorial rules checked on the other core
    while it checks the rest (build.worker.beside): their problems come back whole,
    positions and all, in the rules' order, beside those of the part run here."""
    run_alone(__name__, "_rules_in_a_child", str(tmp_path))


def _rules_in_a_child(folder: str) -> None:
    tmp_path = Path(folder)
    bare = "    text: Putin claims four regions, says lock-in-report.\n"
    denied = CLAIM_STATUS.replace("reported", "denied")
    base = BASE.replace(CLAIM_TEXT, bare).replace(CLAIM_STATUS, denied)
    content = make_project(tmp_path / "p", {"base.yml": base})
    ran_in: list[int] = []
    Spied = recording_beside(ran_in)
    _fb, here = load(Project.at(content))
    _fb, there = load(Project.at(content), beside=Spied)
    assert [p.format() for p in there] == [p.format() for p in here]
    found = [p.message for p in there]
    assert len(found) == 2
    assert found[0].startswith("the bare id 'lock-in-report'")  # a rule of the first part
    assert found[1].startswith("claim 'putin-claims-four-regions' is denied, but")  # the rest
    assert ran_in and os.getpid() not in ran_in
