"""Writing files so that a reader of the path sees the old bytes or the new, never half.

Every stage writes through here: generated docs, map caches, the editors'
files the wizard appends to, the build stamp. A crash or a full disk midway
leaves the previous file as it was.
"""

from __future__ import annotations

import os
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
