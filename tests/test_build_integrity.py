"""Builds are atomic, locked and reproducible.

CI publishes whatever site/ holds, so these tests break builds on purpose —
bad content, SIGKILL half-way, two builds at once — and look at site/ after.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO
from .test_site import copy_project

EPOCH = "1754784000"  # 2025-08-10T00:00:00Z


def tree_hash(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build(content: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(content), *extra],
        capture_output=True, text=True, cwd=REPO, timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})},
    )


def start_build(content: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--content", str(content)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )


def edit_a_claim(content: Path, marker: str) -> None:
    """Change one claim's summary so the next site differs from the last."""
    path = sorted((content / "claims").glob("*.yml"))[0]
    text = path.read_text(encoding="utf-8")
    text = text.replace("    summary: ", f"    summary: {marker} ", 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    content = copy_project(tmp_path / "p")
    result = build(content)
    assert result.returncode == 0, result.stderr
    return content


def test_reproducible_in_different_folders(tmp_path: Path, project: Path) -> None:
    other = copy_project(tmp_path / "elsewhere" / "q")
    assert build(other).returncode == 0
    first, second = tree_hash(project.parent / "site"), tree_hash(other.parent / "site")
    assert first.keys() == second.keys()
    differing = [k for k in first if first[k] != second[k]]
    assert not differing, differing
    kinds = {Path(k).suffix for k in first}
    assert {".html", ".xml", ".json", ".gz", ".svg", ".png"} <= kinds | {".svg"}


def test_failed_build_leaves_site_intact(project: Path) -> None:
    site = project.parent / "site"
    before = tree_hash(site)
    claims = sorted((project / "claims").glob("*.yml"))[0]
    claims.write_text(claims.read_text(encoding="utf-8") + "  - id: [broken\n", encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert tree_hash(site) == before
    assert not list(project.parent.glob(".site.tmp-*"))


def test_sigkill_leaves_old_or_new_site(project: Path) -> None:
    """Kill builds at many moments: site/ is the previous site or a complete new one."""
    site = project.parent / "site"
    previous = tree_hash(site)
    killed_midway = 0
    for i, delay in enumerate((0.1, 0.3, 0.6, 0.9, 1.2, 1.6, 2.0, 2.5, 3.0, 4.0)):
        edit_a_claim(project, f"M{i}")
        proc = start_build(project)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = tree_hash(site)
        if state == previous:
            killed_midway += 1
        else:
            # It finished before the kill; then it must equal a full build of
            # the same content (builds are reproducible), not a mixture.
            assert build(project).returncode == 0
            assert tree_hash(site) == state
            previous = state
    assert killed_midway, "every build finished before its kill; nothing was tested"
    edit_a_claim(project, "FINAL")
    assert build(project).returncode == 0
    assert tree_hash(site) != previous
    assert not list(project.parent.glob(".site.tmp-*"))


def test_concurrent_builds_do_not_corrupt(project: Path) -> None:
    site = project.parent / "site"
    edit_a_claim(project, "BOTH")
    procs = [start_build(project) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), results
    assert any("waiting" in err for _, err in results)
    once = tree_hash(site)
    assert build(project).returncode == 0
    assert tree_hash(site) == once


def test_unchanged_build_is_skipped_and_anything_else_rebuilds(project: Path) -> None:
    site = project.parent / "site"
    again = build(project)
    assert again.returncode == 0 and "up to date" in again.stdout
    before = tree_hash(site)
    forced = build(project, "--force")
    assert "Built" in forced.stdout and tree_hash(site) == before
    # a hand-edited site is rebuilt, not trusted
    (site / "index.html").write_text("tampered", encoding="utf-8")
    repaired = build(project)
    assert "Built" in repaired.stdout and tree_hash(site) == before
    # so is a changed fact, and a different as-of date
    edit_a_claim(project, "CHANGED")
    assert "Built" in build(project).stdout
    assert "up to date" in build(project).stdout
    assert "Built" in build(project, env={"SOURCE_DATE_EPOCH": "1760000000"}).stdout
