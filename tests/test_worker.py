"""The build's worker: its memory leaves with it, its errors come back, it dies with the build.

The command line checks and generates in one forked child, and runs MkDocs
in another (:mod:`generator.build.worker`), so that, at 100,000 claims, the
memory one step freed is not held through the next, nor beside Pagefind's
2.4 GB.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.build import worker
from generator.build.errors import BuildError
from generator.build.worker import (
    SIDE_JOB_MOST_RSS,
    Resident,
    Worker,
    WorkerError,
    beside,
    in_worker,
    resident_bytes,
)
from generator.content.problems import Position, Problems

from .conftest import REPO, run_alone, wait_for
from .test_site import copy_project


def _problems() -> Problems:
    problems = Problems()
    problems.add(Position("claims/x.yml", 3, 5), "unknown actor 'putn'; did you mean 'putin'?")
    return problems


def _raise_build_error() -> None:
    raise BuildError("content has problems", _problems())


class _Unpicklable(Exception):
    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("cannot pickle this")


def _raise_unpicklable() -> None:
    raise _Unpicklable("a bug of ours")


def test_a_workers_result_and_its_errors_come_back() -> None:
    run_alone(__name__, "_results_and_errors")


def _results_and_errors() -> None:
    assert in_worker(lambda a, b: {"sum": a + b, "pid": os.getpid()}, 2, 3)["sum"] == 5
    assert in_worker(os.getpid) != os.getpid()  # it ran elsewhere
    with pytest.raises(BuildError) as raised:
        in_worker(_raise_build_error)
    assert str(raised.value) == "content has problems"
    assert raised.value.problems is not None
    assert [str(p) for p in raised.value.problems] == [str(p) for p in _problems()]
    with pytest.raises(WorkerError, match="_Unpicklable: a bug of ours"):
        in_worker(_raise_unpicklable)


class _Kept:
    """A resident object: it counts its calls, and notes where its close() ran."""

    def __init__(self, closed: str) -> None:
        self.calls = 0
        self.closed = closed

    def where(self) -> tuple[int, int, int]:
        self.calls += 1
        return os.getpid(), threading.active_count(), self.calls

    def fail(self) -> None:
        _raise_build_error()

    def nap(self) -> None:
        Path(self.closed + ".napping").touch()
        time.sleep(60)
        Path(self.closed + ".napped").touch()  # not reached: stopped, not waited for

    def close(self) -> None:
        Path(self.closed).write_text(str(os.getpid()), encoding="utf-8")


def test_a_resident_object_is_kept_in_a_child_with_no_thread_but_its_own(tmp_path: Path) -> None:
    """The preview's rebuilds (generator.build.rebuilds): made before the server's
    threads start, the child has one thread and may fork the side jobs; what it
    holds stays between calls; its errors come back; close() runs there."""
    run_alone(__name__, "_resident", str(tmp_path / "closed"))


def _resident(closed: str) -> None:
    resident = Resident(_Kept, closed)
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as the preview's server runs
    server.start()
    try:
        pid, threads, calls = resident.call("where")
        assert pid != os.getpid() and threads == 1 and calls == 1
        assert resident.call("where") == (pid, 1, 2)  # the same object, in the same child
        with pytest.raises(BuildError) as raised:
            resident.call("fail")
        assert [str(p) for p in raised.value.problems or []] == [str(p) for p in _problems()]
        resident.close()
        assert Path(closed).read_text(encoding="utf-8") == str(pid)
        assert not Path(f"/proc/{pid}").exists(), "the child outlived close()"
    finally:
        stop.set()
        server.join()


class _Idling:
    """A resident object whose idle() notes whether its caller had the answer by then."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def work(self) -> str:
        return "done"

    def idle(self) -> None:
        answered = self.folder / "answered"
        deadline = time.monotonic() + 30
        while not answered.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        (self.folder / "idled").write_text(str(answered.exists()), encoding="utf-8")


def test_a_resident_object_idles_once_its_answer_is_sent(tmp_path: Path) -> None:
    """The preview's rebuild leaves the collection of what it made for after its
    answer (generator.build.preview, Preview.idle): the caller has the answer
    while idle() runs, not after it."""
    run_alone(__name__, "_resident_idles", str(tmp_path))


def _resident_idles(folder: str) -> None:
    resident = Resident(_Idling, folder)
    try:
        assert resident.call("work") == "done"
        Path(folder, "answered").touch()  # idle() waits for this, at most 30 s
        wait_for(Path(folder, "idled").exists, 60, "idle() to run")
        assert Path(folder, "idled").read_text(encoding="utf-8") == "True", (
            "idle() ran before the answer was sent"
        )
    finally:
        resident.close()


def test_a_resident_child_that_died_or_was_interrupted_is_said_so(tmp_path: Path) -> None:
    """Killed (out of memory), its next call says so as a BuildError, with no
    traceback; stopped in the middle of a call (Ctrl-C), its close() still runs."""
    run_alone(__name__, "_resident_gone", str(tmp_path / "closed"))


def _resident_gone(closed: str) -> None:
    resident = Resident(_Kept, closed + ".1")
    os.kill(resident.call("where")[0], signal.SIGKILL)
    with pytest.raises(BuildError, match="stopped by SIGKILL"):
        resident.call("where")
    resident.close()
    interrupted = Resident(_Kept, closed)
    pid = interrupted.call("where")[0]
    napping = threading.Thread(target=lambda: pytest.raises(BuildError, interrupted.call, "nap"))
    napping.start()
    wait_for(Path(closed + ".napping").exists, 30, "the call to start")
    interrupted.close()
    napping.join()
    assert not Path(closed + ".napped").exists(), "close() waited for the call to end"
    assert Path(closed).read_text(encoding="utf-8") == str(pid)
    assert not Path(f"/proc/{pid}").exists()


def _pids_of_a_worker_and_its_own() -> tuple[int, int]:
    return os.getpid(), Worker(os.getpid).result()


def test_a_side_job_runs_beside_us_even_inside_a_worker(tmp_path: Path) -> None:
    """The check's worker makes the open data in a worker of its own, while it renders
    the pages: a worker may start one (a daemon process may not)."""
    run_alone(__name__, "_side_job", str(tmp_path))


def _answer(folder: str) -> int:
    """A side job that says it started, then waits for the job that started it to
    answer: it can end well only if both ran at the same time."""
    Path(folder, "started").touch()
    wait_for(Path(folder, "go").exists, 30, "the job that started it to answer")
    return os.getpid()


def _side_job(folder: str) -> None:
    side = Worker(_answer, folder)
    # Run in line, at its start or at its result, the side job would never be seen
    # started here before this answer.
    wait_for(Path(folder, "started").exists, 30, "the side job to start beside us")
    Path(folder, "go").touch()
    assert side.result() != os.getpid()
    worker, its_own = in_worker(_pids_of_a_worker_and_its_own)
    assert len({os.getpid(), worker, its_own}) == 3


def test_a_failed_job_kills_and_reaps_its_side_jobs_before_it_ends(tmp_path: Path) -> None:
    """A job that fails (a Ctrl-C reached it) ends the side jobs it started, and waits
    for them: none is left in the build's session, not even for a moment as an orphan
    (one was, stuck sending its result to the job that no longer read it), and
    without waiting for their end (on its way out, a process waits for its children)."""
    run_alone(__name__, "_failed_job", str(tmp_path / "side.pid"))


def _side_job_of_a_minute(pid_file: str) -> None:
    Path(pid_file).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(30)
    Path(pid_file + ".done").touch()  # not reached: killed, not waited for


def _start_a_side_job_and_fail(pid_file: str) -> None:
    Worker(_side_job_of_a_minute, pid_file)
    while not Path(pid_file).exists():
        time.sleep(0.01)
    raise BuildError("failed, with a side job running")


def _failed_job(pid_file: str) -> None:
    with pytest.raises(BuildError, match="with a side job running"):
        in_worker(_start_a_side_job_and_fail, pid_file)
    side = int(Path(pid_file).read_text(encoding="utf-8"))
    assert not Path(f"/proc/{side}").exists(), "the side job outlived the job that started it"
    assert not Path(pid_file + ".done").exists(), "the failed job waited for its side job"


def test_no_fork_while_other_threads_run() -> None:
    """A lock another thread holds at the fork stays held in the child for ever: with
    threads about (the preview's), the job runs here, when its result is asked for."""
    run_alone(__name__, "_no_fork_with_threads")


def _no_fork_with_threads() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert Worker(os.getpid).result() == os.getpid()
        assert in_worker(os.getpid) == os.getpid()
        # A job may leave the collector off for the child that exits after it (the
        # check's does); run here, it leaves it as it found it.
        assert gc.isenabled()
        in_worker(gc.disable)
        assert gc.isenabled(), "a job run here left the collector off"
    finally:
        stop.set()
        thread.join()
    assert Worker(os.getpid).result() != os.getpid()


def test_a_killed_worker_is_a_build_error_not_a_hang() -> None:
    run_alone(__name__, "_killed")  # in line, the kill would end the test run


def _killed() -> None:
    with pytest.raises(BuildError, match="stopped by SIGKILL .*out of memory.*unchanged"):
        in_worker(lambda: os.kill(os.getpid(), signal.SIGKILL))


#: A build stand-in: its worker writes its pid, then works for a minute.
_SLOW_BUILD = """
import os, sys, time
from pathlib import Path
from generator.build.worker import in_worker
def work():
    Path(sys.argv[1]).write_text(str(os.getpid()))
    time.sleep(60)
in_worker(work)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = (
        Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}").exists() else ""
    )
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_dies_with_its_build(tmp_path: Path) -> None:
    """A build killed half-way must leave no orphan writing into its build folder."""
    pid_file = tmp_path / "worker.pid"
    build = subprocess.Popen([sys.executable, "-c", _SLOW_BUILD, str(pid_file)], cwd=REPO)
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.05)
    worker = int(pid_file.read_text())
    assert _alive(worker)
    build.kill()
    build.wait()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker), "the worker outlived the build it worked for"


#: The build command, reporting its own peak memory and its finished children's
#: when the staged site is handed back for indexing (before Pagefind starts).
#: Its own is VmHWM, its memory's high-water mark: getrusage's maxrss keeps that
#: of the process it was started from (pytest, 400 MB late in a run) across exec.
_MEASURED_BUILD = """
import re, resource, sys
from pathlib import Path
import generator.build.pipeline as pipeline
finish = pipeline.finish
def measured(*args, **kwargs):
    status = Path("/proc/self/status").read_text()
    own = int(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"MEMORY own={own} children={children}", flush=True)
    return finish(*args, **kwargs)
pipeline.finish = measured
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_the_build_commands_check_pages_and_engine_run_in_the_worker(tmp_path: Path) -> None:
    """The memory the check, the pages and MkDocs took was the worker's, not the build's."""
    content = copy_project(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED_BUILD, "build", "--content", str(content)],
        capture_output=True, text=True, cwd=REPO, timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1764547200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("MEMORY "))
    sizes = dict(part.split("=") for part in line.split()[1:])
    own, worker = int(sizes["own"]), int(sizes["children"])
    # The worker starts as a copy of the build (its imports), then grows by what it made.
    assert worker > own * 1.2, f"the build grew to {own} kB beside a worker of {worker} kB"


def _build_command(content: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--content", str(content), "--force"]


def test_ctrl_c_leaves_no_staging_folder_and_no_worker(tmp_path: Path) -> None:
    """Ctrl-C reaches the build and its worker alike; the build waits for the worker to
    remove the folder it was building into (killed at once, it left one 9 times in 12)."""
    content = copy_project(tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200"}
    subprocess.run(_build_command(content), cwd=REPO, env=env, capture_output=True, check=True)
    started = time.monotonic()  # a build with build/ kept, as those interrupted below
    subprocess.run(_build_command(content), cwd=REPO, env=env, capture_output=True, check=True)
    whole = time.monotonic() - started
    interrupted = 0
    for share in (0.3, 0.45, 0.6, 0.75, 0.9):
        build = subprocess.Popen(
            _build_command(content), cwd=REPO, env=env, start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(whole * share)
        os.killpg(build.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
        _, err = build.communicate(timeout=120)
        assert build.returncode in (0, 130), err
        interrupted += build.returncode == 130
        assert "Traceback" not in err
        assert not list(tmp_path.glob(".site.tmp-*")), f"a staging folder was left at {share:.0%}"
        assert subprocess.run(["pgrep", "-s", str(build.pid)], capture_output=True).stdout == b""
    assert interrupted >= 3, "the builds finished before their Ctrl-C; nothing was tested"


def test_a_side_job_forks_only_a_small_process() -> None:
    """Its child copies the pages of what it reads: a process already large runs it
    in line, so that 100,000 claims stay inside 4 GB."""
    run_alone(__name__, "_small_process")


def _small_process() -> None:
    assert 0 < resident_bytes() < SIDE_JOB_MOST_RSS
    assert beside(os.getpid).result() != os.getpid()
    worker.SIDE_JOB_MOST_RSS = resident_bytes() // 2  # a process of its own: nothing to restore
    assert beside(os.getpid).result() == os.getpid()
