"""One whole process, timed, with the peak memory of its whole process tree.

A build is what an editor or CI waits for, so every figure is a whole
process: interpreter start, imports, MkDocs and whatever it starts. Memory is
the larger of two readings: ``wait4``'s ru_maxrss (the peak of the process or
of any one descendant it waited for) and the peak of the tree's summed RSS,
sampled from /proc, which also sees children running side by side.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
#: Python caches compiled modules as any install does (the warm-up run writes
#: them), even where the shell sets PYTHONDONTWRITEBYTECODE: otherwise every
#: timed run would compile the generator again, a cost pip-installed MkDocs,
#: already compiled, never pays. The fixed epoch makes every build the same date.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "SOURCE_DATE_EPOCH": "1754784000",
}


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int
    stdout: str


def _children() -> dict[int, list[int]]:
    """Parent pid → child pids, for every process /proc shows now."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name, in parentheses, may hold spaces: the ppid follows the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss(root: int) -> int:
    """Summed resident bytes of ``root`` and all its descendants."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, tree_rss(self.pid))


def run(cmd: list[str], cwd: Path = REPO, interval: float = 0.1) -> Run:
    """Run ``cmd`` to the end: wall seconds, peak tree memory, stdout; stop on failure."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=err, text=True)
        sampler = _Sampler(proc.pid, interval)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stdout}\n{stderr}")
    return Run(elapsed, max(sampler.peak, usage.ru_maxrss * 1024), stdout)


def build_command(content: Path, site: Path) -> list[str]:
    """The build an editor or CI runs, as a whole process."""
    return [sys.executable, "-m", "generator", "build", "--content", str(content),
            "--site-dir", str(site)]  # fmt: skip
