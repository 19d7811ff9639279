"""No state outlives a build: two builds in one process are two independent builds.

The live preview regenerates in one long-lived process, and tools may call
the library twice; whatever one build sets (its date, its Jinja environment)
must not reach the next.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import struct
from pathlib import Path

import pytest
from jinja2 import Environment, PackageLoader

from generator.build.check import check_project
from generator.build.generate import generate
from generator.build.pipeline import build
from generator.content.project import Project
from generator.site.textformat import TextRenderer

from .conftest import make_project


def _stamped_dates(site: Path) -> tuple[set[str], int, set[str]]:
    """The sitemap's lastmod dates, its gzip copy's mtime, the calendar's DTSTAMPs."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    gz_mtime = struct.unpack("<I", (site / "sitemap.xml.gz").read_bytes()[4:8])[0]
    ics = (site / "deadlines.ics").read_text(encoding="utf-8")
    return (
        set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)),
        gz_mtime,
        set(re.findall(r"^DTSTAMP:(\d{8})T", ics, re.M)),
    )


def test_two_builds_in_one_process_stamp_their_own_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("WCW_AS_OF", raising=False)
    project = Project.at(make_project(tmp_path / "p"))
    site = tmp_path / "p" / "site"
    for day in ("2025-08-10", "2025-09-20"):
        build(project, as_of=day)
        epoch = int(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC).timestamp())
        lastmod, gz_mtime, stamps = _stamped_dates(site)
        assert lastmod == {day}, (day, lastmod)
        assert gz_mtime == epoch, (day, gz_mtime)
        assert stamps == {day.replace("-", "")}, (day, stamps)
    # The date MkDocs reads is set for its run only.
    assert "SOURCE_DATE_EPOCH" not in os.environ


def _live_site_environments() -> list[Environment]:
    gc.collect()
    return [
        o
        for o in gc.get_objects()
        if isinstance(o, Environment)
        and isinstance(o.loader, PackageLoader)
        and o.loader.package_name == "generator.site"
    ]


def test_no_jinja_environment_outlives_its_build(tmp_path: Path) -> None:
    """A cached environment would carry one build's filters, globals and facts to the next."""
    project = Project.at(make_project(tmp_path / "p"))
    fb, problems = check_project(project)
    assert not problems
    before = len(_live_site_environments())
    for _ in range(2):
        generate(project, fb, dt.date(2025, 8, 10))
    assert len(_live_site_environments()) == before == 0


def _live_text_renderers() -> list[TextRenderer]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, TextRenderer) and o.references]


def test_no_text_renderer_outlives_its_build(tmp_path: Path) -> None:
    """A renderer kept by a cache keeps its build's references and rendered texts:
    at 100,000 claims, hundreds of megabytes the build held through Pagefind, and
    in the preview one more renderer for every edit."""
    project = Project.at(make_project(tmp_path / "p"))
    fb, problems = check_project(project)
    assert not problems
    for day in (10, 11):
        generate(project, fb, dt.date(2025, 8, day))
        assert _live_text_renderers() == []
