"""Checks that passed are kept by what they read, and never hide a new problem.

The build and the preview keep the verdicts of the verbatim look-ups and of
the region guard (:mod:`generator.content.verdicts`), so an edit checks
again only what it changed. A kept verdict that outlived what it read would
let a misquotation or a mislabelled region onto the site; so each test
changes what a check reads, once in the content and once in the article.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.check import check_with_maps
from generator.content.project import Project
from generator.content.readcache import ReadCache

from .test_site import copy_project

CLAIMS = "claims/negotiations.yml"
#: A passage a claim cites from Bloomberg's article, and the article's file.
PASSAGE = "an unconditional ceasefire to create space for negotiations"
ARTICLE = "seeds/003_7f2e2d3d41ba78d9.txt"


def checked(project: Project, cache: ReadCache) -> list[str]:
    """The check's messages, with the verdicts kept through a save and a load (as a build)."""
    _, problems, _ = check_with_maps(project, cache)
    cache.save(project.cache / "read-test.marshal")
    return [f"{p.severity.value}: {p.message}" for p in problems]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.at(copy_project(tmp_path))


def test_an_unchanged_content_runs_no_check_again(project: Project) -> None:
    first = ReadCache()
    before = checked(project, first)
    assert first.verdicts.ran > 400  # every passage and claim, the first time
    again = ReadCache.load(project.cache / "read-test.marshal")
    assert checked(project, again) == before
    assert again.verdicts.ran == 0


def test_an_edited_passage_is_looked_up_again_and_a_misquote_is_reported(
    project: Project,
) -> None:
    checked(project, ReadCache())
    claims = project.content / CLAIMS
    text = claims.read_text(encoding="utf-8")
    assert PASSAGE in text
    claims.write_text(text.replace(PASSAGE, "a ceasefire to create space for negotiations", 1))
    again = ReadCache.load(project.cache / "read-test.marshal")
    messages = checked(project, again)
    assert any("not found verbatim in source 'bloomberg-truce'" in m for m in messages), messages
    assert 0 < again.verdicts.ran < 10  # the edited passages, not the rest


def test_an_edited_article_checks_every_passage_it_holds_again(project: Project) -> None:
    """The article is what a quote is checked against: a verdict is kept by its text."""
    assert not [m for m in checked(project, ReadCache()) if m.startswith("error")]
    article = project.root / ARTICLE
    words = article.read_text(encoding="utf-8")
    assert "unconditional ceasefire to create space" in words
    article.write_text(
        words.replace("unconditional ceasefire to create space", "truce to make room")
    )
    messages = checked(project, ReadCache.load(project.cache / "read-test.marshal"))
    assert any("not found verbatim in source 'bloomberg-truce'" in m for m in messages), messages


def test_a_claim_the_region_guard_passed_is_warned_of_when_the_region_table_changes(
    project: Project,
) -> None:
    """The guard reads a claim's words and the region table's names: renaming a region
    the claim names (so its words no longer do) must bring the warning back."""
    first = checked(project, ReadCache())
    assert not [m for m in first if "never name it" in m and "Kherson" in m]
    regions = project.content / "regions.yml"
    table = regions.read_text(encoding="utf-8")
    assert "name: Kherson\n" in table
    regions.write_text(table.replace("name: Kherson\n", "name: Khersonshchyna\n", 1))
    messages = checked(project, ReadCache.load(project.cache / "read-test.marshal"))
    assert any("UA-65 Khersonshchyna is listed in 'regions'" in m for m in messages), messages
    assert messages == checked(project, ReadCache())  # kept or not, the same report
