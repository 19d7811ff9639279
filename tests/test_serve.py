"""Live preview: edit a claim while the server runs, and the page changes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
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


class Output:
    """What the server prints, read as it comes (stderr and stdout merged)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert proc.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(proc.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.lines.append(line)

    def since(self, start: int) -> str:
        return "".join(self.lines[start:])


def test_editing_a_claim_updates_the_served_page(tmp_path: Path) -> None:
    content = copy_project(tmp_path / "p")
    port = free_port()
    # --as-of differs from SOURCE_DATE_EPOCH (10 August 2025): every rebuild must keep it.
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(content), "--port", str(port),
         "--as-of", "2025-07-01"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1754784000"},
    )  # fmt: skip
    output = Output(proc)
    url = f"http://127.0.0.1:{port}/who-claims-what/"
    deadlines = f"http://127.0.0.1:{port}/deadlines/"
    as_of = "Statuses are computed for 1 July 2025"
    try:
        wait_for(lambda: "wcw-matrix" in fetch(url), 120, "the server to start")
        assert as_of in fetch(deadlines)
        path = sorted((content / "claims").glob("*.yml"))[0]
        text = path.read_text(encoding="utf-8")
        edited = text.replace("    summary: ", "    summary: LIVE-EDIT-7Q ", 1)
        path.write_text(edited, encoding="utf-8")
        wait_for(lambda: "LIVE-EDIT-7Q" in fetch(url), 60, "the edit to show")
        assert as_of in fetch(deadlines), "the rebuild lost --as-of"
        # A mistake keeps the last good page up instead of killing the preview:
        # wait until the rebuild has reported it, then look at the page.
        seen = len(output.lines)
        path.write_text(path.read_text(encoding="utf-8") + "  - id: [\n", encoding="utf-8")
        wait_for(
            lambda: "showing the last good version" in output.since(seen),
            60,
            "the preview to report the broken file",
        )
        reported = output.since(seen)
        where = rf"content/claims/{re.escape(path.name)}:\d+:\d+: error: "
        assert re.search(where, reported), reported
        assert "Traceback" not in reported
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
    from generator.cli.serve import _generate
    from generator.content.project import Project

    content = copy_project(tmp_path / "p")
    project = Project.at(content)
    assert not _generate(project, "2025-08-10")
    page = project.docs / "who-claims-what.md"
    label = "Toutiao&#39;s English copy of Reuters&#39; relay of Bloomberg (8 Aug 2025)"
    assert f">{label}</a>" in page.read_text(encoding="utf-8")
    manifest = project.root / "seeds" / "sources.yml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            '(8 Aug 2025)"\n    relays', '(8 Aug)"\n    relays'
        ),
        encoding="utf-8",
    )
    assert not _generate(project, "2025-08-10")
    html = page.read_text(encoding="utf-8")
    renamed = label.replace("(8 Aug 2025)", "(8 Aug)")
    assert f">{renamed}</a>" in html and f">{label}</a>" not in html
