"""Builds are atomic, locked and reproducible.

CI publishes whatever site/ holds, so these tests break builds on purpose —
bad content, SIGKILL half-way, two builds at once — and look at site/ after.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator import cli

from .conftest import REPO
from .test_site import copy_project

EPOCH = "1754784000"  # 2025-08-10T00:00:00Z


def tree_hash(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build(
    content: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(content), *extra],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})},
    )


def start_build(content: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--content", str(content), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
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
    # The search index is compared too: its entry, chunks and page fragments
    # (a name record per alias included), and nothing left from writing it.
    assert {"pagefind/pagefind.js", "pagefind/pagefind-entry.json"} <= first.keys()
    assert {".pf_fragment", ".pf_index", ".pf_meta"} <= kinds
    assert not [k for k in first if ".tmp-" in k]


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


@pytest.mark.parametrize(("point", "expected"), [("before-swap", "old"), ("after-exchange", "new")])
def test_sigkill_at_each_step_of_the_swap(project: Path, point: str, expected: str) -> None:
    """The build kills itself exactly there (WCW_KILL_AT): site/ is whole, old or new."""
    site = project.parent / "site"
    old = tree_hash(site)
    edit_a_claim(project, f"KILLED-{point}")
    killed = build(project, env={"WCW_KILL_AT": point})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    state = tree_hash(site)
    assert build(project).returncode == 0  # the same content, built in full
    new = tree_hash(site)
    assert new != old
    assert state == (old if expected == "old" else new)
    assert not list(project.parent.glob(".site.tmp-*"))


def test_an_edits_build_shares_the_sites_files_and_rewrites_none_of_them(project: Path) -> None:
    """An edit's staging folder starts as hard links to the site (a copy of 89 MB
    took up to 1.6 s at 10,000 claims); every file the build writes gets an inode
    of its own first, so the site readers see stays as it was until the swap."""
    site = project.parent / "site"
    old = tree_hash(site)
    edit_a_claim(project, "SHARED")
    killed = build(project, env={"WCW_KILL_AT": "before-swap"})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert tree_hash(site) == old
    (staging,) = project.parent.glob(".site.tmp-*")
    new = tree_hash(staging)
    both = new.keys() & old.keys()  # the search index is made anew, beside
    same_inode = {
        rel for rel in both if (site / rel).stat().st_ino == (staging / rel).stat().st_ino
    }
    rewritten = {rel for rel in both if old[rel] != new[rel]}
    # MkDocs rewrote a page and copied a static file (the open data) the edit changed
    assert {"who-claims-what/commentary-analysts/index.html", "data/facts.json"} <= rewritten
    assert len(same_inode) > len(both) / 2, "the staging folder was copied, not linked"
    assert not same_inode & rewritten


#: Runs the command line with renameat2 unavailable, as on a file system without it.
NO_EXCHANGE = (
    "import sys; import generator.build.swap as swap; swap._exchange = lambda a, b: False; "
    "from generator.cli import main; sys.exit(main(sys.argv[1:]))"
)


def test_sigkill_between_the_fallback_renames_keeps_the_old_site_whole(project: Path) -> None:
    """Without renameat2 the swap is two renames; killed between them, the old site
    waits whole at .site.old, and the next build puts it back before anything else."""
    site, old_copy = project.parent / "site", project.parent / ".site.old"
    old = tree_hash(site)
    edit_a_claim(project, "FALLBACK")
    killed = subprocess.run(
        [sys.executable, "-c", NO_EXCHANGE, "build", "--content", str(project)],
        capture_output=True, text=True, cwd=REPO, timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "WCW_KILL_AT": "between-renames"},
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert tree_hash(old_copy) == old
    assert build(project).returncode == 0
    assert not old_copy.exists() and tree_hash(site) != old
    assert not list(project.parent.glob(".site.tmp-*"))


@pytest.mark.parametrize(
    "where", [".", "..", "content", "seeds", "maps", "build", "seeds/inner", "content/claims"]
)
def test_site_dir_never_replaces_the_projects_own_files(tmp_path: Path, where: str) -> None:
    """`--site-dir .` once deleted content/, seeds/ and maps/ (on a copy here, of course)."""
    root = copy_project(tmp_path / "p").parent
    before = tree_hash(root)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", "content", "--site-dir", where],
        capture_output=True, text=True, cwd=root, timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("error: --site-dir "), result.stderr
    assert "Choose" in result.stderr and "Traceback" not in result.stderr
    assert tree_hash(root) == before


def test_site_dir_not_built_by_the_generator_is_refused(project: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = build(project, "--site-dir", str(mine))
    assert refused.returncode == 1
    assert "is not empty and was not built by this generator" in refused.stderr
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    # An empty (or new) folder is fine, and the site built there is marked as ours.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(project, "--site-dir", str(empty)).returncode == 0
    assert (empty / ".who-claims-what-site").is_file() and (empty / "index.html").is_file()
    edit_a_claim(project, "AGAIN")
    assert build(project, "--site-dir", str(empty)).returncode == 0


class Lines:
    """A process's stderr, read line by line as it comes."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.text = ""
        assert proc.stderr is not None
        stream = proc.stderr
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.text += line


def test_the_site_folder_is_locked_whichever_project_builds_into_it(
    project: Path, tmp_path: Path
) -> None:
    """Another project's build holds the site folder: this one waits, it does not clean."""
    site = tmp_path / "shared-site"
    with open(tmp_path / ".shared-site.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = start_build(project, "--site-dir", str(site))
        err = Lines(proc)
        deadline = time.monotonic() + 120
        while "waiting" not in err.text and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert f"another build of the site folder {site} is running" in err.text, err.text
        time.sleep(0.5)
        assert proc.poll() is None and not site.exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    assert proc.wait(timeout=600) == 0, err.text
    assert (site / "index.html").is_file()


def test_two_projects_building_into_one_site_folder(project: Path, tmp_path: Path) -> None:
    other = copy_project(tmp_path / "q")
    edit_a_claim(other, "OTHER")
    site = tmp_path / "shared"
    procs = [start_build(content, "--site-dir", str(site)) for content in (project, other)]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert not list(tmp_path.glob(".shared.tmp-*"))


@pytest.mark.parametrize(
    ("code", "filename", "words"),
    [
        (errno.ENOSPC, None, "the disk is full"),
        (errno.EROFS, "/mnt/ro/site/index.html", "read-only"),
        (errno.EACCES, "/srv/www/.site.lock", "permissions"),
    ],
)
def test_environment_errors_are_reported_as_such(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    code: int, filename: str | None, words: str,
) -> None:  # fmt: skip
    site = project.parent / "site"
    before = tree_hash(site)
    edit_a_claim(project, "ENVIRONMENT")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), *([filename] if filename else []))

    monkeypatch.setattr("generator.build.pipeline.mkdocs_build", fail)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert cli.main(["build", "--content", str(project)]) == 1
    err = capsys.readouterr().err
    assert "internal error" not in err and "bug" not in err, err
    assert err.startswith("error: cannot write "), err
    # A full disk is reported by write(), which names no file: the site's folder is named.
    assert (filename or str(project.parent)) in err and words in err, err
    assert tree_hash(site) == before


@contextmanager
def mounted(target: Path, *mount_args: str) -> Iterator[None]:
    if os.geteuid() != 0:
        pytest.skip(
            "mounting a read-only or tiny file system needs root; "
            "test_environment_errors_are_reported_as_such covers the messages"
        )
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", *mount_args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"this machine refuses the mount: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)


def test_a_read_only_site_folder_is_reported_and_the_site_kept(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert build(project, "--site-dir", str(out / "site")).returncode == 0
    before = tree_hash(out / "site")
    edit_a_claim(project, "READ-ONLY")
    with mounted(out, "--bind", str(out)):
        subprocess.run(["mount", "-o", "remount,ro,bind", str(out)], check=True)
        result = build(project, "--site-dir", str(out / "site"))
        assert result.returncode == 1, result.stdout + result.stderr
        assert "internal error" not in result.stderr and "read-only" in result.stderr
        assert f"cannot write {out}/" in result.stderr, result.stderr
        assert tree_hash(out / "site") == before


def test_a_full_disk_is_reported_and_nothing_left_behind(project: Path, tmp_path: Path) -> None:
    tiny = tmp_path / "tiny"
    with mounted(tiny, "-t", "tmpfs", "-o", "size=2m", "tmpfs"):
        result = build(project, "--site-dir", str(tiny / "site"))
        assert result.returncode == 1, result.stdout + result.stderr
        assert "internal error" not in result.stderr and "the disk is full" in result.stderr
        assert f"cannot write {tiny}" in result.stderr, result.stderr
        assert not list(tiny.glob(".site.tmp-*")) and not (tiny / "site").exists()


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


def test_a_site_built_before_markers_existed_is_still_replaced(project: Path) -> None:
    """Sites built by earlier versions carry no marker; the build stamp knows them."""
    from generator.build.uptodate import site_signature

    site = project.parent / "site"
    (site / ".who-claims-what-site").unlink()
    # As an earlier version left it: the stamp records the site without a marker.
    stamp_file = project.parent / "build" / "site-stamp.json"
    stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
    stamp_file.write_text(json.dumps({**stamp, "site": site_signature(site)}), encoding="utf-8")
    edit_a_claim(project, "UNMARKED")
    assert build(project).returncode == 0
    assert (site / ".who-claims-what-site").is_file()
    # ... but not once someone changed it by hand: then it is not provably ours.
    (site / ".who-claims-what-site").unlink()
    (site / "index.html").write_text("hand-edited", encoding="utf-8")
    edit_a_claim(project, "UNMARKED-AGAIN")
    refused = build(project)
    assert refused.returncode == 1 and "was not built by this generator" in refused.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "hand-edited"


def test_the_facts_are_freed_before_the_engine_runs(mini_project: Path) -> None:
    """check_and_generate frees the fact base before MkDocs starts (at 100,000 claims it
    is more than a gigabyte); the collector is left as it was found, nothing frozen."""
    import datetime as dt
    import gc

    from generator.build.pipeline import check_and_generate
    from generator.content.model import Claim
    from generator.content.project import Project

    project = Project.at(mini_project)
    # Claims other tests hold (a session's fixtures) stay alive, so their ids stay theirs.
    others = [o for o in gc.get_objects() if isinstance(o, Claim)]
    held = {id(o) for o in others}
    frozen = gc.get_freeze_count()
    generated = check_and_generate(project, dt.date(2025, 8, 20))
    assert generated.written
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled(), "the collector, paused for the step, is on again"
    assert not [o for o in gc.get_objects() if isinstance(o, Claim) and id(o) not in held]


def test_a_workers_step_leaves_the_collector_off(mini_project: Path) -> None:
    """In a worker (collect=False), which exits once the step is done, the collector
    stays off after it: turned on, its first pass would walk all the step made."""
    import datetime as dt
    import gc

    from generator.build.pipeline import check_and_generate
    from generator.content.project import Project

    try:
        generated = check_and_generate(Project.at(mini_project), dt.date(2025, 8, 20), False)
        assert generated.written
        assert not gc.isenabled(), "a worker's collector stays off to its end"
    finally:
        gc.enable()
        gc.collect()


def test_the_check_leaves_no_cycles_for_the_collector(mini_project: Path) -> None:
    """check_and_generate reads and checks with the cycle collector off (each
    automatic collection walked every object made so far): that is only sound
    while the check makes no garbage that only a collection would free."""
    import gc

    from generator.build.check import check_with_maps
    from generator.content.project import Project
    from generator.content.readcache import ReadCache

    project = Project.at(mini_project)
    check_with_maps(project, ReadCache())  # what is built once per process (schemas)
    gc.collect()
    gc.disable()
    try:
        fb, problems, _ = check_with_maps(project, ReadCache())
        assert fb.claims and not problems
        del fb
        assert gc.collect() == 0
    finally:
        gc.enable()
