"""Put a finished site in place in one step, so a reader never sees half of one.

MkDocs builds into a staging folder beside the site; only when every step
succeeded is it swapped with the site in one atomic
``renameat2(RENAME_EXCHANGE)``. A SIGKILL at any moment leaves the previous
site or the new one, whole.

``WCW_KILL_AT`` names a point of the swap at which the process kills itself
(SIGKILL): the integrity tests use it to land exactly between two steps.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import signal
import tempfile
from pathlib import Path

from generator.content.files import link_or_copy, place_atomic

_RENAME_EXCHANGE = 2


def kill_point(name: str) -> None:
    """Die here, as a power cut would, if the integrity tests ask for it."""
    if os.environ.get("WCW_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


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
    return bool(rc == 0)


def _old(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def staging_folder(target: Path) -> Path:
    """A fresh folder beside ``target``, after removing those of builds that were killed.

    The caller holds the site folder's lock, so no other build is using them.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    if not target.exists() and _old(target).is_dir():
        os.rename(_old(target), target)  # a fallback swap killed between its renames
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))


def share_into(site: Path, staging: Path, skip: set[str]) -> None:
    """Start ``staging`` as the site in place, file by file hard links to it.

    An edit's build rewrites a few pages of a site of thousands of files
    (at 10,000 claims 1,177 files, 89 MB: in the build a copy took 1.0-1.1 s,
    the links take 0.1-0.5 s). A link shares the site's bytes, so whatever writes into
    ``staging`` must first give the file an inode of its own (:func:`own`);
    MkDocs' dirty build does so (:mod:`generator.build.mkdocs_run`), and the
    post-build steps replace files, never rewrite them. Where links cannot be
    made (another file system), files are copied. ``skip``: names at the top
    of the site left out (the search index, made anew).
    """
    shutil.copytree(
        site, staging, symlinks=True, dirs_exist_ok=True, copy_function=link_or_copy,
        ignore=lambda folder, _: skip if Path(folder) == site else set(),
    )  # fmt: skip


def own(path: Path) -> None:
    """Give a file shared with the site in place (:func:`share_into`) an inode of its own.

    A writer that opens an existing file and rewrites it (MkDocs does) would
    otherwise change the site readers see, before the swap and whether or not
    the build succeeds. The bytes and the times are kept, so MkDocs' dirty
    check sees the file as it was.
    """
    try:
        if path.stat().st_nlink < 2:
            return
    except FileNotFoundError:
        return
    place_atomic(path, path, share=False)


def swap_into_place(new: Path, target: Path, old_into: Path | None = None) -> None:
    """Make ``new`` the site at ``target``; the old site is removed afterwards.

    ``old_into``: a folder on the same file system to move the old site into
    instead, for :func:`remove_old` to remove later. An edit's build at
    10,000 claims spent 0.05 s removing the 1,700 names of the site before
    it; the next build removes them while it waits for its check. Elsewhere
    (another file system) the old site is removed at once.
    """
    kill_point("before-swap")
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        kill_point("after-exchange")
        if old_into is None:
            shutil.rmtree(new)  # ``new`` now holds the old site
        else:
            set_aside(new, old_into)
        return
    # Fallback (no renameat2): two renames. A crash between them leaves the
    # old site whole at ``.<target>.old``; the next build puts it back first.
    old = _old(target)
    shutil.rmtree(old, ignore_errors=True)
    os.rename(target, old)
    kill_point("between-renames")
    os.rename(new, target)
    shutil.rmtree(old)


def set_aside(folder: Path, into: Path) -> None:
    """Move ``folder`` into ``into`` for :func:`remove_old` to remove later; remove it
    now where it cannot be moved there (another file system)."""
    try:
        into.mkdir(parents=True, exist_ok=True)
        os.rename(folder, into / folder.name.lstrip("."))  # a staging folder's name is hidden
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def remove_old(into: Path) -> None:
    """Remove the old sites :func:`swap_into_place` moved into ``into``."""
    for old in into.iterdir() if into.is_dir() else ():
        shutil.rmtree(old, ignore_errors=True)
