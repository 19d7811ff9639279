"""The Nu HTML checker on the whole built site: no errors on any page."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import VnuReport, run_vnu, vnu_errors
from .vnu_allow import VNU_ALLOWED


@pytest.fixture(scope="module")
def report(site: Path, vnu_jar: Path) -> VnuReport:
    return run_vnu(site)  # one JVM for every page


@pytest.fixture(scope="module")
def messages(report: VnuReport) -> list[dict]:
    return report.messages


def test_every_page_was_checked(report: VnuReport, site: Path) -> None:
    # A valid page yields no message at all, so make sure each was read.
    assert sorted(p.resolve() for p in report.checked) == sorted(
        p.resolve() for p in site.rglob("*.html")
    )
    unread = [m for m in report.messages if m.get("type") == "non-document-error"]
    assert not unread, unread[:5]


def test_no_html_errors(messages: list[dict]) -> None:
    errors, _ = vnu_errors(messages, VNU_ALLOWED)
    assert not errors, f"{len(errors)} Nu checker errors:\n" + "\n".join(errors[:60])


def test_every_allowed_error_still_occurs(messages: list[dict]) -> None:
    _, used = vnu_errors(messages, VNU_ALLOWED)
    assert set(VNU_ALLOWED) <= used, f"no longer needed in vnu_allow.py: {set(VNU_ALLOWED) - used}"
