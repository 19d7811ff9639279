"""One build at a time per project and per site folder.

A build takes two locks, always in this order: its project's (the generated
docs and caches are shared) and its site folder's (the staging folders and
the swap beside it are shared, even between two projects). A second build
waits its turn, then gives up clearly.
"""

from __future__ import annotations

import fcntl
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from generator.build.errors import BuildError

LOCK_TIMEOUT_S = 600


def site_lock_file(site: Path) -> Path:
    """The lock of a site folder: beside it, as the folder itself is swapped away."""
    return site.parent / f".{site.name}.lock"


@contextmanager
def exclusive(lock_file: Path, what: str, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold ``lock_file`` (flock) while the block runs; ``what`` names it to the waiting user."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build of {what} is running; waiting for it…", file=sys.stderr)
            _wait(handle, lock_file, timeout_s)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait(handle: IO[str], lock_file: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise BuildError(
                    f"another build held {lock_file} for over {timeout_s:.0f} s; is one stuck?"
                ) from None
            time.sleep(0.2)
