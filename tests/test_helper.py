"""The helper process of large builds: same output, errors surface, never with threads.

Each check runs in a fresh interpreter: the browser tests leave server
threads running in this one, and the helper (rightly) never forks beside them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from generator.perf.helper import can_fork, helper

from .conftest import REPO
from .test_site import copy_project


#: Prepended to a check's code: ``forked`` lists the jobs sent to a helper.
COUNT_FORKS = """
from concurrent.futures import ProcessPoolExecutor as _Pool
forked = []
_submit = _Pool.submit
_Pool.submit = lambda pool, fn, name, *a: forked.append(name) or _submit(pool, fn, name, *a)
"""


def _python(code: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", COUNT_FORKS + textwrap.dedent(code), *args],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_only_the_jobs_sent_away_run_in_the_helper() -> None:
    _python("""
        import os
        from generator.perf.helper import can_fork, helper

        def fail():
            raise ValueError("job failed")

        assert can_fork()
        jobs = {"pid": os.getpid, "fail": fail, "add": lambda a, b: a + b, "here": os.getpid}
        for away in ((), {"pid", "fail", "add"}):
            with helper(jobs, away) as submit:
                pid, failed, added = submit("pid"), submit("fail"), submit("add", 2, 3)
                assert (pid.result() != os.getpid()) is bool(away), away
                assert submit("here").result() == os.getpid()
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
        with helper({"pid": os.getpid}, away={"pid"}) as submit:
            assert submit("pid").result() == os.getpid()
    finally:
        stop.set()
        server.join()


def test_a_build_with_the_helper_is_byte_identical(tmp_path: Path) -> None:
    """No helper; only the maps' previews away (a cold build); everything away."""
    thresholds = (None, 10**9, 0)
    projects = [str(copy_project(tmp_path / str(t))) for t in thresholds]
    out = _python("""
        import json, sys
        from generator.perf import helper as h
        from generator.build.check import check_project
        from generator.site.generate import as_of_date, generate
        from generator.content.project import Project

        assert h.can_fork()
        for content, threshold in zip(sys.argv[2:], json.loads(sys.argv[1])):
            forked.clear()
            project = Project.at(content)
            fb, problems = check_project(project)
            assert not problems
            result = generate(project, fb, as_of_date("2025-08-10")[0], helper_from=threshold)
            print(result.total, result.digest, ",".join(sorted(forked)) or "-")
    """, json.dumps(thresholds), *projects)
    runs = [line.split(" ", 2) for line in out.splitlines()]
    everything = "claim cards,map previews,publishing"
    assert [r[2] for r in runs] == ["-", "map previews", everything]
    assert len({(total, digest) for total, digest, _ in runs}) == 1
    assert int(runs[0][0]) > 30
