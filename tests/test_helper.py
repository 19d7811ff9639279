"""The helper process of large builds: same output, errors surface, never with threads.

Each check runs in a fresh interpreter: the browser tests leave server
threads running in this one, and the helper (rightly) never forks beside them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from generator.helper import can_fork, helper

from .conftest import REPO
from .test_site import copy_project


def _python(code: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_jobs_run_in_a_helper_for_large_builds_only() -> None:
    _python("""
        import os
        from generator.helper import can_fork, helper

        def fail():
            raise ValueError("job failed")

        assert can_fork()
        jobs = {"pid": os.getpid, "fail": fail, "add": lambda a, b: a + b}
        for threshold in (0, 10**9):
            with helper(jobs, size=5_000, threshold=threshold) as submit:
                pid, failed, added = submit("pid"), submit("fail"), submit("add", 2, 3)
                assert (pid.result() != os.getpid()) is (threshold == 0), threshold
                try:
                    failed.result()
                except ValueError as exc:
                    assert str(exc) == "job failed"
                else:
                    raise AssertionError("the job's error was lost")
                assert added.result() == 5
    """)


def test_no_fork_while_another_thread_runs() -> None:
    """The live preview serves from a thread; forking then could deadlock the child."""
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)
    server.start()
    try:
        assert not can_fork()
        with helper({"pid": os.getpid}, size=5_000, threshold=0) as submit:
            assert submit("pid").result() == os.getpid()
    finally:
        stop.set()
        server.join()


def test_a_build_with_the_helper_is_byte_identical(tmp_path: Path) -> None:
    out = _python("""
        import sys
        from generator.checks import check_project
        from generator.generate import as_of_date, generate
        from generator.helper import can_fork
        from generator.project import Project

        assert can_fork()
        for content, threshold in zip(sys.argv[1:], (10**9, 0)):
            project = Project.at(content)
            fb, problems = check_project(project)
            assert not problems
            result = generate(project, fb, as_of_date("2025-08-10")[0], helper_from=threshold)
            print(result.total, result.digest)
    """, str(copy_project(tmp_path / "here")), str(copy_project(tmp_path / "helper")))
    here, helped = out.split("\n")[:2]
    assert here == helped and int(here.split()[0]) > 30
