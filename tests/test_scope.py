"""The per-record checks read again only the files an edit changed, and never hide a problem.

A file whose records passed the editorial rules, the verbatim look-ups and
the region guard is left out of them while its text and the world they
read are the same (:mod:`generator.content.scope`). A kept file that
outlived what its checks read would let a wrong status or a bare id onto
the site. So each test checks once, edits the content, and checks again
with what the first check kept: the report must be the one a check from
nothing gives, and hold the problem the edit made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.build.check import check_with_maps
from generator.content import references
from generator.content.project import Project
from generator.content.readcache import ReadCache
from generator.content.scope import Scope

from .test_site import copy_project

KEPT = "read-test"
ANALYSIS = "claims/analysis.yml"
SUMMIT = "claims/summit.yml"
#: A confirmed claim in ANALYSIS whose only speaker is ISW, on the record.
ISW_CLAIM = "isw-putin-uninterested-in-ending-war"


def messages(project: Project, cache: ReadCache) -> list[str]:
    _, problems, _ = check_with_maps(project, cache)
    return [f"{p.severity.value}: {p.position}: {p.message}" for p in problems]


def kept_check(project: Project) -> list[str]:
    """The check with what the last one kept, through a save and a load (as a build)."""
    cache = ReadCache.load(project.cache / KEPT)
    found = messages(project, cache)
    cache.save(project.cache / KEPT)
    return found


def edit(project: Project, name: str, old: str, new: str) -> None:
    path = project.content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project.at(copy_project(tmp_path))
    assert kept_check(project) == []  # the real content: nothing to report, all kept
    return project


@pytest.fixture
def scopes(monkeypatch: pytest.MonkeyPatch) -> list[Scope]:
    """Every scope the checks make, to see which files they left out."""
    made: list[Scope] = []
    of = Scope.of

    def spy(records: Any, world: bytes, verdicts: Any) -> Scope:
        made.append(of(records, world, verdicts))
        return made[-1]

    monkeypatch.setattr(references.Scope, "of", spy)
    return made


def fresh(project: Project) -> list[str]:
    return messages(project, ReadCache())


def test_an_edit_to_one_file_checks_that_file_alone(project: Project, scopes: list[Scope]) -> None:
    assert kept_check(project) == []
    files = scopes[-1].files_left_out
    assert files > 10  # every content file and the manifest: none checked again
    edit(project, ANALYSIS, "a Washington think tank, said", "a Washington think tank said")
    assert kept_check(project) == []
    assert scopes[-1].files_left_out == files - 1


def test_a_problem_in_a_file_an_edit_did_not_touch_is_reported_again(project: Project) -> None:
    """A file with a problem is never kept, so an edit elsewhere does not hide it."""
    edit(project, ANALYSIS, "(AP)", "(AP, per ap-boston-globe)")
    first = kept_check(project)
    assert any("the bare id 'ap-boston-globe'" in m for m in first), first
    edit(project, SUMMIT, "status: confirmed", "status: reported")
    again = kept_check(project)
    assert any("the bare id 'ap-boston-globe'" in m for m in again), again
    assert again == fresh(project)


def test_a_warning_is_given_on_every_check_until_it_is_dealt_with(project: Project) -> None:
    edit(project, "claims/territory.yml", "and Kherson, as part of Russia.",
         "and Kherson, as part of Russia, as he does Crimea.")  # fmt: skip
    first = [m for m in kept_check(project) if m.startswith("warning")]
    assert any("summary names UA-43 Crimea" in m for m in first), first
    edit(project, SUMMIT, "status: confirmed", "status: reported")
    again = kept_check(project)
    assert [m for m in again if m.startswith("warning")] == first
    assert again == fresh(project)


def test_an_actor_who_becomes_anonymous_is_checked_in_every_file(project: Project) -> None:
    """The actors are part of the world: a claim left as it was is confirmed by a
    speaker no longer on the record."""
    edit(project, "actors.yml", "    standing: analyst\n    party: analysts\n    role: \"Washington",
         "    standing: anonymous\n    party: analysts\n    role: \"Washington")  # fmt: skip
    found = kept_check(project)
    assert any(f"claim '{ISW_CLAIM}' is confirmed, but no source has a named speaker" in m
               for m in found), found  # fmt: skip
    assert found == fresh(project)


def test_an_id_that_goes_is_reported_where_unchanged_prose_names_it(project: Project) -> None:
    """The ids are part of the world: markup in one file naming a claim of another."""
    edit(project, ANALYSIS, "engaging in a peace process.\" (AP)",
         "engaging in a peace process.\" (AP; see {claim:ushakov-venue-agreed})")  # fmt: skip
    assert kept_check(project) == []
    edit(project, SUMMIT, "id: ushakov-venue-agreed", "id: ushakov-venue-settled")
    found = kept_check(project)
    assert any("{claim:ushakov-venue-agreed} names no claim" in m for m in found), found
    assert found == fresh(project)


def test_a_reference_to_a_claim_that_goes_is_reported_in_the_unchanged_file(
    project: Project, scopes: list[Scope]
) -> None:
    """The references from claims are checked on the files an edit changed: every id is
    in the world, so a claim renamed elsewhere checks every file again."""
    edit(project, ANALYSIS, "a Washington think tank, said", "a Washington think tank said")
    assert kept_check(project) == []
    assert scopes[-1].files_left_out > 10  # the references were read of one file alone
    edit(project, "claims/reporting.yml", "id: bloomberg-reports-territorial-deal",
         "id: bloomberg-reports-a-territorial-deal")  # fmt: skip
    found = kept_check(project)
    assert any(
        m.startswith(f"error: content/{ANALYSIS}:22:18: unknown claim 'bloomberg-reports-territ")
        for m in found
    ), found
    assert found == fresh(project)
