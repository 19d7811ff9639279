"""Writing files so that a reader of the path sees the old bytes or the new, never half.

Every stage writes through here: generated docs, map caches, the editors'
files the wizard appends to, the build stamp. A crash or a full disk midway
leaves the previous file as it was.
"""

from __future__ import annotations

import marshal
import os
import shutil
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def _temporary(path: Path) -> Path:
    """The temporary file beside ``path`` a write goes to before its rename. It carries
    the process id, so two processes writing the same file never share one."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename; the parent folder is created if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
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


def place_atomic(src: Path, dst: Path, *, share: bool = True) -> None:
    """Replace ``dst`` with the bytes of ``src`` in one rename: through
    :func:`link_or_copy`, or (``share=False``) through a copy of its own, which
    gives a file shared by hard links (``src`` is ``dst``) an inode of its own."""
    tmp = _temporary(dst)
    tmp.unlink(missing_ok=True)
    try:
        (link_or_copy if share else shutil.copy2)(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_kept(path: Path, version: str) -> Any:
    """What :func:`write_kept` left in ``path`` under ``version``; None if the file is
    missing, damaged or of another version.

    marshal data under ``build/``: plain values only, quick to load, and unlike
    pickle it names no code to run. Another Python's file fails the load or
    the version (which should name Python's when the values depend on it).
    """
    try:
        kept_version, value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if kept_version == version else None


def write_kept(path: Path, version: str, value: Any) -> None:
    """Keep ``value`` (plain values only) in ``path`` for :func:`read_kept`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, marshal.dumps((version, value)))


#: How many files a kept mapping is split into (:func:`write_kept_shards`).
SHARDS = 32


def shard_of(key: str) -> int:
    """The shard a kept key lives in: fixed by the key alone, so it never moves."""
    return zlib.crc32(key.encode("utf-8")) % SHARDS


def read_kept_shards(folder: Path, version: str) -> dict[str, Any] | None:
    """The mapping :func:`write_kept_shards` left in ``folder``; None if any shard is
    missing, damaged or of another version (then nothing kept is used)."""
    whole: dict[str, Any] = {}
    for shard in range(SHARDS):
        part = read_kept(folder / f"{shard:02d}.marshal", version)
        if not isinstance(part, dict):
            return None
        whole.update(part)
    return whole


def write_kept_shards(
    folder: Path, version: str, values: dict[str, Any], changed: Iterable[str] | None
) -> None:
    """Keep ``values`` in ``folder`` for :func:`read_kept_shards`, rewriting only the
    shards that hold a key of ``changed`` (None: every shard).

    An edit changes one entry of thousands (a card, a content file), and
    writing the whole mapping again was 0.2–0.3 s of each store at 10,000
    claims. ``changed`` must name every key added, replaced or dropped since
    the mapping was read. Each entry must say itself whether it is still good
    (a digest of what it was made from): a crash between two shards leaves
    some of one run and some of the one before, and both must be safe to use.
    """
    shards = set(range(SHARDS)) if changed is None else {shard_of(k) for k in changed}
    parts: dict[int, dict[str, Any]] = {shard: {} for shard in shards}
    for key in sorted(values):
        part = parts.get(shard_of(key))
        if part is not None:
            part[key] = values[key]
    for shard, part in sorted(parts.items()):
        write_kept(folder / f"{shard:02d}.marshal", version, part)
