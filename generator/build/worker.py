"""Run the build's Python-heavy steps each in a child process, so that its memory
is gone before the next step starts.

CPython rarely hands a large heap back to the system: after the check, the
pages and MkDocs at 100,000 claims the build process still held 1.3 GB with
only 65,000 objects alive, most of it arenas one small object keeps mapped.
Pagefind, which runs next as its own process, needs 2.4 GB beside that; the
two together were the build's peak, 3.99 GB against a budget of 4 GB. In
one child the check and the generator, in another MkDocs and the post-step:
each exits, and every page it held goes with it.

A child dies with its parent (``PR_SET_PDEATHSIG``), so a build killed
half-way leaves no orphan writing into the build folder; its result and its
exceptions come back through a pipe.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from generator.build.errors import BuildError

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1

#: How long an interrupted child is given to remove its staging folder.
_CLEAN_UP_S = 10


class WorkerError(Exception):
    """An exception of the child that could not travel back as itself."""


def in_worker(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, run in a forked child; its return value, or its exception raised here.

    Where the system cannot fork (Windows), or other threads run here, it runs
    here instead.
    """
    return Worker(fn, *args).result()


def _can_fork() -> bool:
    """Whether this process may fork a child: the system can, and no other thread
    runs here (a lock one held would stay held in the child forever)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Worker(Generic[T]):
    """``fn(*args)`` started in a forked child, while this process goes on with other
    work: the build has two cores, and an edit's open data (0.5 s at 10,000
    claims) need not wait for its pages. :meth:`result` waits for the child.

    A process with other threads (the preview's server, its search indexer) is
    not forked: a lock one of them held would stay held in the child forever.
    There, and where the system cannot fork, ``fn`` runs in :meth:`result`.
    """

    def __init__(self, fn: Callable[..., T], *args: Any, fork: bool = True) -> None:
        self._fn, self._args = fn, args
        self._child: multiprocessing.process.BaseProcess | None = None
        if not fork or not _can_fork():
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        # Ctrl-C held off while the fork runs its handlers (logging's among them):
        # arriving inside one, it was printed as an ignored exception with its
        # traceback. It is delivered once the fork is done, in both processes.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        # Not a daemon: a daemon may start no child of its own, and the check's
        # worker starts the open data's. It cannot outlive us anyway: it is
        # joined or killed in result(), and dies with us (_die_with).
        child = context.Process(target=_run, args=(send, os.getpid(), held, fn, args))
        try:
            child.start()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            send.close()
            self._receive.close()
            raise
        send.close()
        self._child = child
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a held Ctrl-C arrives here
        except BaseException as exc:
            self._stop(child, exc)
            self._receive.close()
            raise

    def result(self) -> T:
        """The child's return value, or its exception raised here."""
        child = self._child
        if child is None:
            return _here(self._fn, *self._args)
        receive = self._receive
        try:
            try:
                ok, value = receive.recv()
            except EOFError:  # the child died without a word: killed, or out of memory
                child.join()
                raise BuildError(_died(child.exitcode)) from None
            child.join()
        except BaseException as exc:  # Ctrl-C, or the error above: the child must not outlive us
            self._stop(child, exc)
            raise
        finally:
            receive.close()
        if ok:
            return value  # type: ignore[no-any-return]
        raise value

    def stop(self, exc: BaseException) -> None:
        """Give up on the job, for ``exc`` raised here meanwhile (see :meth:`_stop`);
        its result is not to be asked for after."""
        if self._child is not None:
            self._stop(self._child, exc)
            self._receive.close()

    @staticmethod
    def _stop(child: multiprocessing.process.BaseProcess, exc: BaseException) -> None:
        """The child must not outlive us; on Ctrl-C, which reached it too, it is
        given time to remove what it was writing."""
        if isinstance(exc, KeyboardInterrupt):
            child.join(timeout=_CLEAN_UP_S)
        if child.is_alive():
            child.kill()
            child.join()


class ResidentGone(BuildError):
    """A :class:`Resident`'s child is gone (killed, or out of memory): its message says how."""


class Resident(Generic[T]):
    """An object made by ``factory(*args)`` in a forked child that stays, and whose
    methods :meth:`call` runs there, one call at a time.

    For the live preview: its server and file watcher run threads, and a
    process with threads forks no side job (see :class:`Worker`), so its
    rebuilds, made in one process of their own forked before any thread
    starts, get the second core as ``build``'s do. The child ignores Ctrl-C
    (the first process decides), leaves on :meth:`close`, and dies with its
    parent. Where no fork is possible, the object is made and called here.

    After each answer is on its way, the object's ``idle()`` runs, if it has
    one: work a call leaves for after its caller has what it asked for.
    """

    def __init__(self, factory: Callable[..., T], *args: Any, name: str = "the child") -> None:
        self._name = name  # for the message when it is gone
        self._here: T | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        self._busy = False
        if not _can_fork():
            self._here = factory(*args)
            return
        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe()
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # as in Worker
        child = context.Process(target=_reside, args=(theirs, os.getpid(), held, factory, args))
        try:
            child.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            theirs.close()
        self._child = child

    @property
    def pid(self) -> int | None:
        """The child's process id; None where the object lives here."""
        return self._child.pid if self._child is not None else None

    def call(self, method: str, *args: Any) -> Any:
        """``method(*args)`` on the object: its return value, or its exception raised here.
        Raises ResidentGone if the child is gone (killed, or out of memory)."""
        if self._child is None:
            try:
                return getattr(self._here, method)(*args)
            finally:
                _after_answer(self._here)
        self._busy = True
        try:
            self._conn.send((method, args))
            ok, value = self._conn.recv()
        except (EOFError, OSError):  # a duplex pipe's end may also say: reset, or broken
            self._child.join()
            raise ResidentGone(_died(self._child.exitcode, self._name)) from None
        self._busy = False
        if ok:
            return value
        raise value

    def close(self) -> None:
        """Let the object's ``close`` run where it lives, and the child leave; a child
        interrupted mid-call is stopped (SIGTERM: its ``finally`` blocks run)."""
        child = self._child
        if child is None:
            close = getattr(self._here, "close", None)
            if close is not None:
                close()
            return
        with contextlib.suppress(OSError):
            if self._busy:
                child.terminate()
            else:
                self._conn.send(None)
        child.join(timeout=_CLEAN_UP_S)
        if child.is_alive():
            child.kill()
            child.join()
        self._conn.close()


def _reside(
    conn: Connection,
    parent: int,
    mask: set[signal.Signals],
    factory: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the first process's to act on
    signal.signal(signal.SIGTERM, _leave)  # close(): out through the finally blocks
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # as it was before the fork
    try:
        made: tuple[bool, Any] = (True, factory(*args))
    except Exception as exc:
        made = (False, exc)
    try:
        while (request := conn.recv()) is not None:
            method, call_args = request
            if not made[0]:
                _send(conn, made)
                continue
            try:
                outcome: tuple[bool, Any] = (True, getattr(made[1], method)(*call_args))
            except Exception as exc:  # every one goes back to the caller, which decides
                outcome = (False, exc)
                _end_side_jobs()
            _send(conn, outcome)
            _after_answer(made[1])
    except EOFError:  # the parent went without a word
        pass
    finally:
        close = getattr(made[1], "close", None) if made[0] else None
        if close is not None:
            close()
        conn.close()


def _after_answer(made: Any) -> None:
    """The resident object's ``idle()``, if it has one (see :class:`Resident`)."""
    idle = getattr(made, "idle", None)
    if idle is not None:
        idle()


def _leave(signum: int, frame: object) -> None:
    raise SystemExit(1)


def _here(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` run in this process, which goes on after it: a job may leave the
    cycle collector off for a child that exits once it is done (the check's step
    does), and run here instead, it would stay off for the rest of the process."""
    was_on = gc.isenabled()
    try:
        return fn(*args)
    finally:
        if was_on:
            gc.enable()


#: A side job forks only a process that holds less than this. The child shares
#: the parent's memory, but the objects it reads get their pages copied (their
#: reference counts change): at 100,000 claims another 1.5 GB beside the check
#: worker's 2.5 GB, over the 4 GB a build may take. There the job runs in line.
SIDE_JOB_MOST_RSS = 1 << 30


#: From how many pages a full build's page-by-page steps (filling the cards,
#: reading the links, copying for search) do half of them beside: an edit's
#: handful stay in line.
PAGES_BESIDE = 100


def beside(fn: Callable[..., T], *args: Any) -> Worker[T]:
    """``fn(*args)`` as a :class:`Worker` while this process is small enough to fork
    twice over (:data:`SIDE_JOB_MOST_RSS`); else run in line, at :meth:`Worker.result`."""
    return Worker(fn, *args, fork=resident_bytes() < SIDE_JOB_MOST_RSS)


def resident_bytes() -> int:
    """This process's resident memory now (Linux); elsewhere its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource  # not on Windows, which never forks

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def _died(exitcode: int | None, what: str = "the build's worker process") -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = " (the system may have run out of memory)" if -exitcode == signal.SIGKILL else ""
        return f"{what} was stopped by {name}{hint}; the site is unchanged"
    return f"{what} exited ({exitcode}) without a result; the site is unchanged"


def _run(
    send: Connection,
    parent: int,
    mask: set[signal.Signals],
    fn: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    _die_with(parent)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C held off during the fork
        outcome: tuple[bool, Any] = (True, fn(*args))
    except BaseException as exc:  # every one goes back to the parent, which decides
        outcome = (False, exc)
        _end_side_jobs()
    # What to do now is the parent's: another Ctrl-C would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _send(send, outcome)
    finally:
        send.close()


def _send(conn: Connection, outcome: tuple[bool, Any]) -> None:
    try:
        conn.send(outcome)
    except Exception:  # an exception (or a result) pickle cannot carry: its words can
        what = outcome[1]
        said = "".join(traceback.format_exception(what)) if isinstance(what, BaseException) else ""
        conn.send((False, WorkerError(f"{type(what).__name__}: {what}\n{said}".strip())))


def _end_side_jobs() -> None:
    """Kill and reap the side jobs a failed job left running, before its process exits.

    A side job only reads (:data:`~generator.content.beside.Beside`), so it
    is killed at once. Waited for, one that had finished was stuck sending
    its result to this process, which no longer read it; left to die with
    this process (``PR_SET_PDEATHSIG``), it stayed a moment as an orphan, which
    the Ctrl-C test found in the build's session.
    """
    for child in multiprocessing.active_children():
        child.kill()
        child.join()


def _die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; elsewhere, nothing."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
