"""Writing files so that a reader of the path sees the old bytes or the new, never half.

Every stage writes through here: generated docs, map caches, the editors'
files the wizard appends to, the build stamp. A crash or a full disk midway
leaves the previous file as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename; the parent folder is created if needed.

    The temporary name carries the process id, so two processes writing the
    same file never share a temporary file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically, and only if the bytes differ; True if written.

    Unchanged files keep their modification time, so watchers (the live
    preview, MkDocs) see only what an edit really changed.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


def link_or_copy(src: str | Path, dst: str | Path) -> None:
    """``dst`` becomes another name of ``src`` (a hard link), or a copy where links
    cannot be made (another file system). Only for files that are replaced, never
    rewritten in place: a link shares the bytes."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def place_atomic(src: Path, dst: Path) -> None:
    """Replace ``dst`` with the bytes of ``src`` in one rename, through :func:`link_or_copy`."""
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        link_or_copy(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
