"""Shared fixtures: the repository, and small throwaway projects to break.

A test never edits the real content: it copies what it needs into a
temporary project (content/, seeds/, maps/ side by side) and runs the real
command line or library on that copy.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C reaches what the tests start, however the run itself was started.

    A run started in the background of a shell without job control
    (``.ci/run &``, ``nohup``) inherits SIGINT ignored, and so would every
    build the tests start: the test of Ctrl-C then failed, with
    nothing wrong in what it tests. Python's own handler is put back here;
    a program the tests start gets the default back when it starts (a
    handled signal is reset at exec, an ignored one stays ignored).
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def make_project(
    dest: Path, content_files: dict[str, Path | str] | None = None, real_maps: bool = False
) -> Path:
    """A project at ``dest`` with the real seeds and regions; returns its content dir.

    ``content_files`` maps a file name under content/ to a fixture path or
    YAML text; by default the small valid fixture in tests/fixtures/mini. The
    site's map specs cite claims of the real content, so a small project gets
    one small map of its own (tests/fixtures/mini/map.yml, which cites
    putin-claims-four-regions) unless ``real_maps`` is set.
    """
    shutil.copytree(REPO / "seeds", dest / "seeds")
    shutil.copytree(
        REPO / "maps", dest / "maps",
        ignore=shutil.ignore_patterns("__pycache__", *(() if real_maps else ("*.yml",))),
    )  # fmt: skip
    if not real_maps:
        shutil.copy(FIXTURES / "mini" / "map.yml", dest / "maps" / "mini-claims.yml")
    content = dest / "content"
    content.mkdir(parents=True)
    shutil.copy(REPO / "content" / "regions.yml", content / "regions.yml")
    files = (
        content_files if content_files is not None else {"base.yml": FIXTURES / "mini" / "base.yml"}
    )
    for name, source in files.items():
        target = content / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copy(source, target)
        else:
            target.write_text(source, encoding="utf-8")
    return content


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """Content dir of a small valid project in a temporary folder."""
    return make_project(tmp_path / "project")


def run_cli(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m generator`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``predicate`` until it is true; fail after ``timeout`` s (a hang, not a measurement)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def run_alone(module: str, function: str, *args: str) -> None:
    """``module.function(*args)``, in a fresh interpreter: a process of its own.

    The build forks its workers and side jobs only from a process where no
    other thread runs and that is small (:mod:`generator.build.worker`); late
    in a test run this one is neither (the browser tests' server thread, and
    hundreds of megabytes), and every job would run in line. The function may
    also set module constants for itself, which then change nothing else. It
    fails with that interpreter's words.
    """
    code = "import importlib, sys; getattr(importlib.import_module(sys.argv[1]), sys.argv[2])(*sys.argv[3:])"
    done = subprocess.run(
        [sys.executable, "-c", code, module, function, *args],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, f"{module}.{function} failed alone:\n{done.stdout}{done.stderr}"


def recording_beside(ran_in: list[int]) -> Any:
    """:func:`generator.build.worker.beside`, noting in ``ran_in`` the process each
    job it started ran in, once its result is asked for."""
    from generator.build.worker import beside

    class Recorded:
        def __init__(self, fn: Any, *args: Any) -> None:
            self.job = beside(lambda *a: (os.getpid(), fn(*a)), *args)

        def result(self) -> Any:
            pid, value = self.job.result()
            ran_in.append(pid)
            return value

    return Recorded
