"""The helper process of large builds: same output, errors surface, never with threads."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from generator.checks import check_project
from generator.generate import as_of_date, generate
from generator.helper import can_fork, helper
from generator.project import Project

from .test_site import copy_project


def _fail() -> None:
    raise ValueError("job failed")


@pytest.mark.parametrize("threshold", [0, 10**9], ids=["helper", "in-process"])
def test_jobs_run_in_a_helper_for_large_builds_only(threshold: int) -> None:
    assert can_fork()  # pytest runs tests in a single thread: the helper path is real
    jobs = {"pid": os.getpid, "fail": _fail, "add": lambda a, b: a + b}
    with helper(jobs, size=5_000, threshold=threshold) as submit:
        pid, failed, added = submit("pid"), submit("fail"), submit("add", 2, 3)
        assert (pid.result() != os.getpid()) is (threshold == 0)
        with pytest.raises(ValueError, match="job failed"):
            failed.result()
        assert added.result() == 5


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
    results = []
    for name, threshold in (("here", 10**9), ("helper", 0)):
        project = Project.at(copy_project(tmp_path / name))
        fb, problems = check_project(project)
        assert not problems
        results.append(generate(project, fb, as_of_date("2025-08-10")[0], helper_from=threshold))
    here, helped = results
    assert here.total == helped.total > 30
    assert here.digest == helped.digest
