"""Content files kept as read, so that a save re-reads only the file it changed.

The preview holds one :class:`ReadCache` for its life; a build loads the
last build's from ``build/cache/`` and saves it again.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from generator.content import yamlfile
from generator.content.files import read_kept, read_kept_shards, write_kept, write_kept_shards
from generator.content.verdicts import Verdicts
from generator.content.yamlfile import Document

__all__ = ["ReadCache", "Recorder", "marshalled", "unmarshalled"]


class ReadCache:
    """Content files as last read, by a digest of their bytes, for a process that reads the
    same files again and again (the preview), or for the next build (:meth:`load`,
    :meth:`save`): either reads only the files a save changed.

    At 10,000 claims the YAML walk is 0.8–1.4 s of an edit's rebuild, and an
    editor's save changes one file of 80. Nothing changes a
    :class:`~generator.content.yamlfile.Document` once it is read, so one
    serves every rebuild until its file changes. Only files read without a
    problem are kept: a file with one is read again, and its messages are
    made afresh.
    """

    def __init__(self, verdicts: Verdicts | None = None) -> None:
        self._files: dict[Path, tuple[bytes, Document]] = {}
        self._served: set[Path] = set()  # kept or read in this run: what save() writes
        self._read: set[Path] = set()  # read afresh since the cache was loaded
        self._loaded: set[Path] = set()  # as the folder held them
        #: The checks of what was read that passed (:mod:`generator.content.verdicts`).
        self.verdicts = verdicts or Verdicts()
        self._verdicts_kept: list[bytes] = []

    def get(self, path: Path, raw: bytes) -> Document | None:
        kept = self._files.get(path)
        if kept is None or kept[0] != _digest(raw):
            return None
        self._served.add(path)
        return kept[1]

    def holds(self, path: Path) -> bool:
        """Whether a reading of ``path`` is kept, of its bytes now or not."""
        return path in self._files

    def keep(self, path: Path, raw: bytes, doc: Document) -> None:
        self._files[path] = (_digest(raw), doc)
        self._served.add(path)
        self._read.add(path)

    @classmethod
    def load(cls, folder: Path) -> ReadCache:
        """The files a build kept in ``folder``; none if it is missing, damaged, or
        written by another version of this reader or of Python.

        The folder holds marshal data, written by :meth:`save` under ``build/``
        (:func:`~generator.content.files.write_kept_shards`): plain values
        only, five times as quick to load as the YAML is to read, and unlike
        pickle it names no code to run.
        """
        files = read_kept_shards(folder, _KEPT_VERSION)
        passed = read_kept(folder / _VERDICTS, _KEPT_VERSION)
        if files is None or not isinstance(passed, list):
            return cls()
        cache = cls(Verdicts(passed))
        cache._verdicts_kept = passed
        try:
            for name, (digest, *fields) in files.items():
                cache._files[Path(name)] = (digest, _document(Path(name), fields))
        except (ValueError, TypeError):  # an entry of another shape
            return cls()
        cache._loaded = set(cache._files)
        return cache

    def save(self, folder: Path) -> None:
        """Keep the files served in this run in ``folder`` (see :meth:`load`): only the
        entries read afresh, and those no longer served, are written again."""
        gone = self._loaded - self._served
        changed: set[str] | None = {str(path) for path in self._read | gone}
        if not self._loaded:
            changed = None  # nothing was kept (or could be used): every shard is written
        files = {}
        for path in sorted(self._served):
            digest, doc = self._files[path]
            files[str(path)] = (digest, *_fields(doc))
        write_kept_shards(folder, _KEPT_VERSION, files, changed)
        passed = self.verdicts.kept()
        if changed is None or passed != self._verdicts_kept:
            write_kept(folder / _VERDICTS, _KEPT_VERSION, passed)
        self._verdicts_kept = passed
        self._loaded, self._read = set(self._served), set()


class Recorder:
    """What :func:`~generator.content.yamlfile.read_yaml` would have a cache keep of
    one file, recorded for a cache in another process (the file's bytes, if it
    was read without a problem)."""

    def __init__(self) -> None:
        self.raw: bytes | None = None

    def get(self, path: Path, raw: bytes) -> Document | None:
        return None

    def keep(self, path: Path, raw: bytes, doc: Document) -> None:
        self.raw = raw


def marshalled(doc: Document) -> bytes:
    """``doc`` as marshal data, to travel between processes (see :func:`unmarshalled`):
    its values are plain, and marshal carries them faster than pickle."""
    return marshal.dumps(_fields(doc))


def unmarshalled(path: Path, data: bytes) -> Document:
    return _document(path, marshal.loads(data))


def _fields(doc: Document) -> tuple[Any, ...]:
    """A Document but its path, as plain values (sets sorted, so that the same
    file gives the same bytes); its positions as marshal data of their own
    (see :class:`_Kept`)."""
    positions = doc.positions if isinstance(doc, _Kept) else None
    if positions is None:
        positions = marshal.dumps((doc.values, doc.keys))
    return (
        doc.display, doc.data, doc.text, positions,
        sorted(doc.refused, key=repr), sorted(doc.blanked),
    )  # fmt: skip


def _document(path: Path, fields: Sequence[Any]) -> Document:
    display, data, text, positions, refused, blanked = fields
    if not isinstance(positions, bytes):
        raise TypeError("positions are marshal data")
    return _Kept(path, display, data, text, positions, set(refused), set(blanked))


class _Kept(Document):
    """A Document as kept, whose positions are read when first asked for.

    Only a problem asks where a value stands, and a build without one asks
    nothing: of the 29 MB kept at 10,000 claims, the positions are 12 MB and
    0.12 s of the 0.19 s the load takes. Everything else is as read.
    """

    def __init__(
        self, path: Path, display: str, data: Any, text: str, positions: bytes,
        refused: set[Any], blanked: set[str],
    ) -> None:  # fmt: skip
        # values and keys are left unset: __getattr__ reads them from `positions`.
        self.path, self.display, self.data, self.text = path, display, data, text
        self.refused, self.blanked = refused, blanked
        self.positions: bytes | None = positions  # None once read (then it is a Document)

    def __getattr__(self, name: str) -> Any:
        if name in ("values", "keys") and self.positions is not None:
            self.values, self.keys = marshal.loads(self.positions)
            self.positions = None
            return getattr(self, name)
        raise AttributeError(name)


#: The verdicts' file in the kept folder, beside the files' shards.
_VERDICTS = "verdicts.marshal"


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


def _reader_version() -> str:
    """What a kept Document depends on besides its file: this reader's code, PyYAML's
    and Python's versions (marshal's format is Python's own)."""
    code = hashlib.blake2b(Path(yamlfile.__file__).read_bytes(), digest_size=12).hexdigest()
    python = ".".join(map(str, sys.version_info[:3]))
    kept = f"marshal-{marshal.version} verdicts-1 positions-2"
    return f"{code} pyyaml-{yaml.__version__} python-{python} {kept}"


_KEPT_VERSION = _reader_version()
