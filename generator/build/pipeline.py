"""Build the site atomically: check, generate, MkDocs, post-process, swap.

CI publishes whatever ``site/`` holds, so a half-built site must never be
there. MkDocs builds into a fresh folder beside ``site/``; only when every
step succeeded is that folder swapped with ``site/`` in one atomic
``renameat2(RENAME_EXCHANGE)``. A failure, or a SIGKILL at any moment,
leaves the previous site as it was. A lock file makes a second concurrent
build wait its turn.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import fcntl
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.site.generate import GenerateResult, as_of_date, generate
from generator.content.problems import Problems
from generator.content.project import Project

LOCK_TIMEOUT_S = 600


class BuildError(Exception):
    def __init__(self, message: str, problems: Problems | None = None):
        super().__init__(message)
        self.problems = problems


@dataclass
class BuildResult:
    site_dir: Path
    generated: GenerateResult
    as_of: dt.date
    as_of_from: str
    seconds: float
    up_to_date: bool = False

    def summary(self) -> str:
        g = self.generated
        what = "Site is up to date" if self.up_to_date else "Built"
        return (
            f"{what}: {self.site_dir} in {self.seconds:.1f} s: {g.total} generated files "
            f"({len(g.written)} changed), deadlines as of {self.as_of} ({self.as_of_from})."
            + (" Nothing changed since the last build; --force rebuilds anyway." if self.up_to_date else "")
            + f"\nOpen {self.site_dir / 'index.html'} or run 'make serve' for a live preview."
        )


@contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """One build at a time per project; a second one waits, then gives up clearly."""
    project.build_dir.mkdir(parents=True, exist_ok=True)
    with open(project.build_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another build of this project is running; waiting for it…", file=sys.stderr)
            deadline = time.monotonic() + LOCK_TIMEOUT_S
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise BuildError(
                            f"another build held {project.build_dir / '.lock'} for over "
                            f"{LOCK_TIMEOUT_S} s; is one stuck?"
                        ) from None
                    time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def swap_into_place(new: Path, target: Path) -> None:
    """Make ``new`` the site at ``target``; the old site is removed afterwards."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # ``new`` now holds the old site
        return
    # Fallback (no renameat2): two renames; a crash between them leaves the
    # old site at ``<target>.old``, never a mixture.
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old)


def _clean_leftovers(parent: Path, name: str) -> None:
    """Remove temporary folders of builds that were killed."""
    for leftover in parent.glob(f".{name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def mkdocs_build(project: Project, site_dir: Path) -> None:
    """Run MkDocs (strict) on the generated docs; raise BuildError with its warnings."""
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = project.config_file
    counter = _WarningCounter()
    log = logging.getLogger("mkdocs")
    log.addHandler(counter)
    try:
        config = load_config(
            str(config_file), docs_dir=str(project.docs), site_dir=str(site_dir), strict=True
        )
        mk_build(config)
    except (MkDocsException, SystemExit) as exc:
        details = "\n".join(f"  {m}" for m in counter.messages) or f"  {exc}"
        raise BuildError(f"MkDocs could not build the site:\n{details}") from None
    finally:
        log.removeHandler(counter)


def build(
    project: Project,
    site_dir: Path | None = None,
    as_of: str | dt.date | None = None,
    force: bool = False,
) -> BuildResult:
    """The whole build; the site at ``site_dir`` changes only if every step succeeds."""
    from generator.build.check import check_with_maps
    from generator.build.uptodate import Stamp, inputs_digest

    started = time.perf_counter()
    target = (site_dir or project.root / "site").resolve()
    date, date_from = as_of_date(as_of)
    # Everything MkDocs stamps (sitemap, gzip headers) follows the as-of date.
    os.environ.setdefault(
        "SOURCE_DATE_EPOCH",
        str(int(dt.datetime.combine(date, dt.time(), dt.UTC).timestamp())),
    )
    with build_lock(project):
        fb, problems, specs = check_with_maps(project)
        if problems:
            raise BuildError("content has problems", problems)
        generated = generate(project, fb, date, site_url=project.site_url(), specs=specs)
        stamp = Stamp(project.build_dir)
        inputs = inputs_digest(generated.digest, project.config_file, target)
        if not force and stamp.matches(inputs, target):
            seconds = time.perf_counter() - started
            return BuildResult(target, generated, date, date_from, seconds, up_to_date=True)
        stamp.forget()
        _publish(project, target)
        stamp.record(inputs, target)
    return BuildResult(target, generated, date, date_from, time.perf_counter() - started)


def _publish(project: Project, target: Path) -> None:
    """MkDocs into a staging folder, post-process, then swap it into place."""
    from generator.build.postbuild import postprocess

    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(target.parent, target.name)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        mkdocs_build(project, staging)
        postprocess(staging, urlsplit(project.site_url()).path or "/")
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise



