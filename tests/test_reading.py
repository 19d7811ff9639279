"""Corrections, past items and dates, on a site built after its sources.

One build of the real content as of 2026-12-01, more than a year after its
newest source, with two corrections added to it: the Corrections page lists
them newest first, the feed carries them, and the summit the sources
reported as scheduled reads as past, its outcome unrecorded.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import run_cli
from .test_site import copy_project, text_of

LATE = "2026-12-01"
CORRECTIONS = {
    "territory.yml": (
        "  - id: putin-claims-four-regions\n",
        "    corrections:\n"
        "      - date: 2025-08-09\n"
        "        changed: The summary named Kherson twice.\n"
        "        why: A copy-editing slip; the source names each region once.\n",
    ),
}
EVENT_FIX = (
    "  - id: alaska-summit-2025-08-15\n",
    "    corrections:\n"
    "      - date: 2025-08-11\n"
    "        changed: The location is Alaska, not Anchorage.\n"
    "        why: The sources name the state only.\n",
)


def _insert(path: Path, after: str, text: str) -> None:
    body = path.read_text(encoding="utf-8")
    assert after in body
    path.write_text(body.replace(after, after + text, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def late_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("late")
    content = copy_project(root)
    for name, (after, text) in CORRECTIONS.items():
        _insert(content / "claims" / name, after, text)
    _insert(content / "events.yml", *EVENT_FIX)
    result = run_cli("build", "--content", content, "--as-of", LATE)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_the_corrections_page_lists_corrections_newest_first(late_site: Path) -> None:
    text = text_of((late_site / "corrections" / "index.html").read_text(encoding="utf-8"))
    summit = text.index("The location is Alaska, not Anchorage.")
    putin = text.index("The summary named Kherson twice.")
    assert summit < putin  # 11 August before 9 August
    assert "Why The sources name the state only." in text
    assert "No corrections so far" not in text


def test_the_feed_carries_each_correction_as_an_entry(late_site: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(late_site / "feed.xml").getroot()
    ids = [e.findtext("a:id", namespaces=ns) or "" for e in feed.findall("a:entry", ns)]
    fixes = [i for i in ids if ":correction:" in i]
    assert fixes == [
        "tag:who-claims-what.github.io,2025:correction:event:alaska-summit-2025-08-15:2025-08-11",
        "tag:who-claims-what.github.io,2025:correction:claim:putin-claims-four-regions:2025-08-09",
    ]
    entry = next(
        e
        for e in feed.findall("a:entry", ns)
        if ":correction:event:" in e.findtext("a:id", namespaces=ns)
    )
    assert (entry.findtext("a:updated", namespaces=ns) or "").startswith("2025-08-11")
    assert "Why:" in (entry.findtext("a:content", namespaces=ns) or "")


def test_a_correction_with_an_unknown_field_is_an_editors_error(tmp_path: Path) -> None:
    content = copy_project(tmp_path)
    _insert(
        content / "events.yml",
        EVENT_FIX[0],
        "    corrections:\n      - date: 2025-08-11\n        changed: x\n        reason: y\n",
    )
    result = run_cli("check", "--content", content)
    assert result.returncode != 0
    assert re.search(r"events\.yml:\d+:\d+: error: .*reason", result.stdout + result.stderr), (
        result.stdout + result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_a_summit_reported_as_scheduled_reads_as_past_once_its_day_has_gone(
    late_site: Path,
) -> None:
    for page in ("summit/index.html", "index.html", "timeline/index.html"):
        html = (late_site / page).read_text(encoding="utf-8")
        card = re.search(
            r'<article[^>]*id="event-alaska-summit-2025-08-15".*?</article>', html, re.S
        )
        assert card, page
        assert "outcome not recorded in our sources" in text_of(card.group(0)), page
        assert "wcw-state--past" in card.group(0)
    # Nothing is "coming up" any more: the visit to China was due in September 2025.
    home = text_of((late_site / "index.html").read_text(encoding="utf-8"))
    assert "Coming up" not in home
    assert "Putin due to visit China (planned): outcome not recorded in our sources" in home


def test_the_json_ld_says_when_the_facts_stand(late_site: Path) -> None:
    html = (late_site / "regions" / "kherson" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert data["dateModified"] == LATE
    assert data["temporalCoverage"] == "../2025-08-08"
    assert data["description"].endswith("Facts as of 8 August 2025. Updated 1 December 2026.")
