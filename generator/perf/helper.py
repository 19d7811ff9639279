"""A second core for large builds: a helper process forked once the facts are loaded.

At 10,000 claims the generator renders 10,000 cards and 8 MB of open data on
one core while the machine has more. A forked helper inherits everything the
build has loaded and set up (fact base, compiled templates, rendered
fragments), so a job is sent to it by name only, and it sends back only
strings and bytes. The main process renders its own share meanwhile.

Forking is safe where the platform forks (Linux) from a process with no other
thread: the live preview serves from a thread, so there the jobs run in
process, one after the other, as they do for small builds, where a fork would
cost more than it saves. The output is the same either way (tested).

A cold build of any size also sends the maps' preview images away: drawing
them takes as long as rendering all the pages of the real content.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

#: Facts (claims and events) from which a build is worth a helper process.
HELPER_FROM = 2_000

Submit = Callable[..., "Future[Any]"]

_jobs: dict[str, Callable[..., Any]] = {}


def _run(name: str, *args: Any) -> Any:
    return _jobs[name](*args)


def _here(name: str, *args: Any) -> Future[Any]:
    """Run a job at once, in this process, behind the same interface."""
    future: Future[Any] = Future()
    try:
        future.set_result(_run(name, *args))
    except BaseException as exc:  # re-raised by future.result(), as from the helper
        future.set_exception(exc)
    return future


def can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


@contextmanager
def helper(jobs: dict[str, Callable[..., Any]], away: Collection[str] = ()) -> Iterator[Submit]:
    """``submit(name, *args)`` runs ``jobs[name](*args)``: in a forked helper
    if ``name`` is one of ``away`` (and the platform can fork), else here and now.

    The helper is forked at the first job sent away, so it sees the build as
    it is then; arguments and results travel pickled and should be small or plain.
    """
    _jobs.clear()
    _jobs.update(jobs)
    try:
        if away and can_fork():
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:

                def submit(name: str, *args: Any) -> Future[Any]:
                    if name in away:
                        return pool.submit(_run, name, *args)
                    return _here(name, *args)

                yield submit
        else:
            yield _here
    finally:
        _jobs.clear()
