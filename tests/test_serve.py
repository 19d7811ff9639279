"""Live preview: edit a claim while the server runs, and the page changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import REPO
from .test_site import copy_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_editing_a_claim_updates_the_served_page(tmp_path: Path) -> None:
    content = copy_project(tmp_path / "p")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(content), "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1754784000"},
    )
    url = f"http://127.0.0.1:{port}/who-claims-what/"
    try:
        wait_for(lambda: "wcw-matrix" in fetch(url), 120, "the server to start")
        path = sorted((content / "claims").glob("*.yml"))[0]
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("    summary: ", "    summary: LIVE-EDIT-7Q ", 1), encoding="utf-8")
        wait_for(lambda: "LIVE-EDIT-7Q" in fetch(url), 60, "the edit to show")
        # a mistake keeps the last good page up instead of killing the preview
        path.write_text(path.read_text(encoding="utf-8") + "  - id: [\n", encoding="utf-8")
        time.sleep(3)
        assert "LIVE-EDIT-7Q" in fetch(url)
        assert proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_second_build_in_the_same_process_uses_the_new_facts(tmp_path: Path) -> None:
    """The preview regenerates in one long-lived process: nothing rendered from
    the first build's facts (macros, shared fragments) may leak into the next."""
    from generator.content.project import Project
    from generator.cli.serve import _generate

    content = copy_project(tmp_path / "p")
    project = Project.at(content)
    assert not _generate(project, "2025-08-10")
    page = project.docs / "who-claims-what.md"
    assert ">Toutiao</a>" in page.read_text(encoding="utf-8")
    manifest = project.root / "seeds" / "sources.yml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("outlet: Toutiao", "outlet: Toutiao Relay"),
        encoding="utf-8",
    )
    assert not _generate(project, "2025-08-10")
    html = page.read_text(encoding="utf-8")
    assert ">Toutiao Relay</a>" in html and ">Toutiao</a>" not in html
