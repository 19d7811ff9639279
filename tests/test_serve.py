"""Live preview: edit a claim while the server runs, and the page changes."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import REPO, run_alone, wait_for
from .test_site import copy_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


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

    def wait(self, text: str, start: int = 0, timeout: float = 60) -> str:
        """Everything printed since ``start``, once it holds ``text``."""
        wait_for(lambda: text in self.since(start), timeout, repr(text))
        return self.since(start)


def start_preview(
    content: Path, as_of: str = "2025-07-01", tmp: Path | None = None
) -> tuple[subprocess.Popen[str], str]:
    """``serve`` started on ``content`` at a free port: the process and its URL.
    ``tmp``: its temporary folders go there."""
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1754784000", **({"TMPDIR": str(tmp)} if tmp else {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(content), "--port", str(port),
         "--as-of", as_of],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    return proc, f"http://127.0.0.1:{port}/"


@contextmanager
def running_preview(
    content: Path, as_of: str = "2025-07-01", start_timeout: float = 120
) -> Iterator[tuple[str, Output]]:
    """``serve`` on ``content`` at a free port: (base URL, its output), stopped afterwards.

    ``--as-of`` differs from SOURCE_DATE_EPOCH (10 August 2025): every rebuild must keep it.
    ``start_timeout`` is for bench/preview.py, whose large projects take minutes to serve.
    """
    proc, url = start_preview(content, as_of)
    output = Output(proc)
    try:
        wait_for(
            lambda: proc.poll() is not None or bool(fetch(url)),
            start_timeout,
            "the server to start",
        )
        assert proc.poll() is None, output.since(0)
        yield url, output
        assert proc.poll() is None, output.since(0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def first_claims_file(content: Path) -> Path:
    return sorted((content / "claims").glob("*.yml"))[0]


def edit_summary(path: Path, marker: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    summary: ", f"    summary: {marker} ", 1), encoding="utf-8")


def index_state(base: str) -> str:
    """The served index's entries, its first part's and those of the parts it lists:
    an edit changes the entry of the part that indexes the edited page."""
    listed = fetch(base + "pagefind/wcw-parts.json")
    if not listed:
        return ""
    parts = ["", *json.loads(listed)["parts"]]
    return "".join(fetch(f"{base}pagefind/{part}pagefind-entry.json") for part in parts)


def test_editing_a_claim_updates_the_served_page(tmp_path: Path) -> None:
    content = copy_project(tmp_path / "p")
    as_of = "Statuses are computed for 1 July 2025"
    with running_preview(content) as (base, output):
        url, deadlines = base + "who-claims-what/", base + "deadlines/"
        # The first claim file's first claim is an analyst's: its card is on that group's page.
        card_page = base + "who-claims-what/commentary-analysts/"
        assert f"Serving on {base}" in output.since(0)
        assert "wcw-matrix" in fetch(url)
        assert as_of in fetch(deadlines)
        # The search index is written beside the pages, after them (in the background).
        wait_for(lambda: bool(index_state(base)), 60, "the search index")
        indexed = index_state(base)
        path = first_claims_file(content)
        good = path.read_text(encoding="utf-8")
        seen = len(output.lines)
        edit_summary(path, "LIVE-EDIT-7Q")
        wait_for(lambda: "LIVE-EDIT-7Q" in fetch(card_page), 60, "the edit to show")
        assert as_of in fetch(deadlines), "the rebuild lost --as-of"
        wait_for(lambda: index_state(base) != indexed, 60, "the search index to follow the edit")
        # One save, one rebuild, and the line says what changed and how long it took.
        time.sleep(2)
        rebuilt = re.findall(r"^rebuilt \((.*)\) in \d+\.\d\d s: ", output.since(seen), re.M)
        assert rebuilt == [f"content/claims/{path.name} changed"], output.since(seen)

        # A mistake keeps the last good page up instead of killing the preview:
        # wait until the rebuild has reported it, then look at the page.
        seen = len(output.lines)
        break_file(path)
        reported = output.wait("showing the last good version", seen)
        where = rf"content/claims/{re.escape(path.name)}:\d+:\d+: error: "
        assert len(re.findall(where, reported)) == 1, reported
        assert "Traceback" not in reported
        page = fetch(card_page)
        assert "LIVE-EDIT-7Q" in page and 'id="wcw-preview-problems"' in page
        assert path.name in page

        # The fix: the terminal says so once, and the pages lose the overlay.
        seen = len(output.lines)
        path.write_text(good, encoding="utf-8")
        fixed = output.wait("pages rendered", seen)
        assert len(re.findall(rf"^fixed: {where}", fixed, re.M)) == 1, fixed
        assert 'id="wcw-preview-problems"' not in fetch(url)


def break_file(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "  - id: [\n", encoding="utf-8")


def descendants(pid: int) -> set[int]:
    """The processes ``pid`` started, and theirs (Linux)."""
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in map(int, children.read_text().split()):
            found |= {child} | descendants(child)
    return found


def test_sigterm_stops_the_preview_as_ctrl_c_does(tmp_path: Path) -> None:
    """A service manager's or a container's stop ends the preview cleanly: it says
    so and exits 0 (without the handler SIGTERM killed it, -15, and left its
    search indexing running into build/), its rebuilds' process stops with it,
    and its temporary folders (the site, the cards it was filled from) go."""
    content = copy_project(tmp_path / "p")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc, url = start_preview(content, tmp=tmp)
    output = Output(proc)
    try:
        wait_for(lambda: proc.poll() is not None or bool(fetch(url)), 120, "the server to start")
        started = descendants(proc.pid)
        assert started, "the rebuilds run in a process of their own"
        made = [p.name for p in tmp.iterdir()]
        assert sum(name.startswith("wcw-preview-") for name in made) == 2, made
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, output.since(0)
        output.wait("preview stopped")
        wait_for(
            lambda: not any(Path(f"/proc/{p}").exists() for p in started), 10, "its children to end"
        )
        assert list(tmp.iterdir()) == []
    finally:
        if proc.poll() is None:
            proc.kill()


def test_starting_on_a_broken_file_names_each_problem_once(tmp_path: Path) -> None:
    content = copy_project(tmp_path / "p")
    path = first_claims_file(content)
    where = rf"content/claims/{re.escape(path.name)}:\d+:\d+: error: "
    # Never generated: nothing to show, so serve stops and says why.
    break_file(path)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "--content", str(content),
         "--port", str(free_port())],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    printed = result.stdout + result.stderr
    assert result.returncode == 1, printed
    assert len(re.findall(where, printed)) == 1, printed
    assert "fix the problems above, then run serve again" in printed
    assert "Traceback" not in printed
    # Generated before: serve opens on the last good docs, the problem named once.
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: [\n", ""), "utf-8")
    generated = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--content", str(content)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert generated.returncode == 0, generated.stdout + generated.stderr
    break_file(path)
    with running_preview(content) as (base, output):
        page = fetch(base + "who-claims-what/")
        assert "wcw-matrix" in page and path.name in page
        time.sleep(2)
        assert len(re.findall(where, output.since(0))) == 1, output.since(0)


def test_a_second_build_in_the_same_process_uses_the_new_facts(tmp_path: Path) -> None:
    """The preview regenerates in one long-lived process: nothing rendered from
    the first build's facts (macros, shared fragments) may leak into the next."""
    import datetime as dt

    from generator.build.preview import Preview
    from generator.content.project import Project

    content = copy_project(tmp_path / "p")
    project = Project.at(content)
    preview = Preview(project, dt.date(2025, 8, 10), tmp_path / "site", "http://127.0.0.1:1/")
    assert preview.start().ok
    page = tmp_path / "site" / "summit" / "index.html"  # cards in full
    label = "Toutiao&#39;s English copy of Reuters&#39; relay of Bloomberg (8 Aug 2025)"
    assert f">{label}</a>" in page.read_text(encoding="utf-8")
    manifest = project.root / "seeds" / "sources.yml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            '(8 Aug 2025)"\n    relays', '(8 Aug)"\n    relays'
        ),
        encoding="utf-8",
    )
    rebuild = preview.rebuild()
    assert rebuild.ok and rebuild.changed == [str(manifest)]
    html = page.read_text(encoding="utf-8")
    renamed = label.replace("(8 Aug 2025)", "(8 Aug)")
    assert f">{renamed}</a>" in html and f">{label}</a>" not in html


def test_an_edited_text_reaches_its_card_without_mkdocs(tmp_path: Path) -> None:
    """A claim's text is on its card and in the open data, which MkDocs copies as it
    is: the preview copies the data, fills the card in, and leaves MkDocs alone.
    A second edit, to a card in the same shard of the store, serves the first
    card as kept: from the store the first rebuild wrote, not from an older read."""
    import datetime as dt

    from generator.build.preview import Preview
    from generator.content.files import shard_of
    from generator.content.project import Project

    project = Project.at(copy_project(tmp_path / "p"))
    site = tmp_path / "site"
    preview = Preview(project, dt.date(2025, 8, 10), site, "http://127.0.0.1:1/")
    assert preview.start().ok
    sitemap = (site / "sitemap.xml").stat().st_mtime_ns  # MkDocs writes it on every run
    path = first_claims_file(project.content)
    blocks = re.findall(r"  - id: (\S+)\n((?:(?!  - id: ).*\n)*)", path.read_text("utf-8"))
    with_text = [ident for ident, block in blocks if "    text: >-\n" in block]
    first = with_text[0]
    second = next(i for i in with_text[1:] if shard_of(f"claim:{i}") == shard_of(f"claim:{first}"))

    def mark(ident: str, marker: str) -> None:
        text = path.read_text(encoding="utf-8")
        at = text.index("    text: >-\n", text.index(f"  - id: {ident}\n")) + len("    text: >-\n")
        path.write_text(text[:at] + f"      {marker}\n" + text[at:], encoding="utf-8")

    mark(first, "TEXT-EDIT-4K")
    rebuild = preview.rebuild()
    assert rebuild.ok and rebuild.pages == 0
    assert (site / "sitemap.xml").stat().st_mtime_ns == sitemap
    shown = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "TEXT-EDIT-4K" in shown, "the edit reached no page"
    assert "TEXT-EDIT-4K" in (site / "data" / "facts.json").read_text(encoding="utf-8")
    mark(second, "TEXT-EDIT-5M")
    assert preview.rebuild().ok
    shown = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "TEXT-EDIT-4K" in shown and "TEXT-EDIT-5M" in shown
    cards = (project.cards / f"{shard_of(f'claim:{first}'):02d}.json").read_text("utf-8")
    assert "TEXT-EDIT-4K" in cards and "TEXT-EDIT-5M" in cards


def test_the_terminal_names_each_problem_once_and_says_when_it_is_fixed(tmp_path: Path) -> None:
    from generator.build.preview import Rebuild, Reporter, ShownProblem

    a = ShownProblem("content/claims/a.yml:3:5", "error", "unknown actor 'kremlinn'")
    b = ShownProblem("content/claims/b.yml:9:1", "error", "YAML syntax error")
    reporter = Reporter(tmp_path)
    changed = [str(tmp_path / "content" / "claims" / "a.yml")]
    first = reporter.lines(Rebuild([], 1.0, problems=[a]), first=True)
    assert first[0] == "content/claims/a.yml:3:5: error: unknown actor 'kremlinn'"
    assert first[-1].startswith("built in 1.00 s: 1 problem; showing the last good version")
    again = reporter.lines(Rebuild(changed, 0.2, problems=[a, b]))
    assert again[:-1] == ["content/claims/b.yml:9:1: error: YAML syntax error"]
    assert again[-1].startswith("rebuilt (content/claims/a.yml changed) in 0.20 s: 2 problems")
    fixed = reporter.lines(Rebuild(changed, 0.3, pages=3, warnings=["a broken link"]))
    assert fixed == [
        f"fixed: {a.line()}",
        f"fixed: {b.line()}",
        "MkDocs: a broken link",
        "rebuilt (content/claims/a.yml changed) in 0.30 s: 3 pages rendered",
    ]


def test_a_preview_whose_rebuild_process_died_starts_it_again(tmp_path: Path) -> None:
    """Killed (out of memory, say), the rebuilds' process is made again at the next
    save, which then builds the site whole; the terminal says what happened."""
    run_alone(
        __name__, "_rebuilds_killed", str(copy_project(tmp_path / "p")), str(tmp_path / "site")
    )


def _rebuilds_killed(content: str, site: str) -> None:
    import datetime as dt
    import tempfile

    from generator.build.rebuilds import RebuildProcess
    from generator.content.project import Project

    # The system's temporary folder, for this process and the ones it forks.
    scratch = Path(site).parent / "tmp"
    scratch.mkdir()
    tempfile.tempdir = str(scratch)
    said: list[str] = []
    preview = RebuildProcess(
        Project.at(Path(content)),
        dt.date(2025, 8, 10),
        Path(site),
        "http://127.0.0.1:1/",
        said.append,
    )
    try:
        assert preview.start().ok
        pid = preview._preview.pid
        assert pid is not None and pid != os.getpid()
        os.kill(pid, signal.SIGKILL)
        edit_summary(first_claims_file(Path(content)), "Afterwards")
        again = preview.rebuild()
        assert again.ok and again.built and preview.ready, again
        # The first claim file's first claim is an analyst's: its card is on that group's page.
        card_page = Path(site) / "who-claims-what" / "commentary-analysts" / "index.html"
        assert "Afterwards" in card_page.read_text(encoding="utf-8")
        assert said == [
            "the preview's rebuild process was stopped by SIGKILL (the system may have run out "
            "of memory); the site is unchanged; the preview starts its rebuilds again, in its own "
            "process"
        ], said
    finally:
        preview.close()
    left = [p.name for p in scratch.iterdir()]
    assert left == [], f"the killed rebuilds' process left its files: {left}"


def test_a_saves_rebuild_leaves_the_collection_for_after_its_answer(tmp_path: Path) -> None:
    """No cycle collection runs while a save is rebuilt: the collector stays off
    until idle(), which the rebuilds' process runs once the browser has been
    told (generator.build.worker, Resident). The first build, a full one, runs
    with it on; a preview whose caller runs no idle() leaves it as it found it."""
    import datetime as dt
    import gc

    from generator.build import preview as preview_module
    from generator.build.preview import Preview
    from generator.content.project import Project

    project = Project.at(copy_project(tmp_path / "p"))
    site, url = tmp_path / "site", "http://127.0.0.1:1/"
    preview = Preview(project, dt.date(2025, 8, 10), site, url, idle_after=True)
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        assert preview.start().ok
        assert gc.isenabled(), "a full build runs with the collector on"
        path = first_claims_file(project.content)
        text = path.read_text(encoding="utf-8")
        at = text.index("    text: >-\n") + len("    text: >-\n")
        path.write_text(text[:at] + "      COLLECTED-LATER\n" + text[at:], encoding="utf-8")
        collections.clear()
        rebuild = preview.rebuild()
        assert rebuild.ok and rebuild.changed
        assert collections == [] and not gc.isenabled(), "a collection ran during the rebuild"
        preview.idle()
        assert gc.isenabled() and 2 in collections, "idle() collects what the rebuild made"
        own = Preview(project, dt.date(2025, 8, 10), site, url)
        assert own.rebuild().ok and gc.isenabled(), "without idle_after, nothing is left"

        def broken(*args: object) -> None:
            raise RuntimeError("a bug in the check")

        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(preview_module, "check_with_maps", broken)
            with pytest.raises(RuntimeError):
                own.rebuild()
        assert gc.isenabled(), "a rebuild that failed leaves the collector as it found it"
        own.close()
    finally:
        gc.callbacks.remove(seen)
        gc.enable()
        preview.close()
