"""Skip MkDocs when nothing it reads has changed since the last good build.

MkDocs rebuilds every page every time. When the generated docs, the MkDocs
configuration, the theme overrides and hooks it names, the generator's own
code, the tool versions and SOURCE_DATE_EPOCH are all exactly as they were
for the site that is in place — and that site has not been touched since — building it
again would produce the same bytes. Like make, we say so and stop.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from generator.build import stamps
from generator.content.files import write_atomic

PACKAGE = Path(__file__).resolve().parents[1]


def _hash_files(digest: hashlib._Hash, root: Path, pattern: str = "*") -> None:
    for path in sorted(root.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())


@dataclass(frozen=True)
class Found:
    """What the build found before it made anything: the engine's inputs but the
    docs (:func:`_engine`), and the site in place (:func:`site_signature`).

    Neither depends on the check or the generator, so the build's own process
    works them out while its check's worker runs (0.1 s of an edit's build at
    10,000 claims); the site cannot change meanwhile, as the build holds its lock.
    """

    engine: bytes
    site: str


def found(config_file: Path, site: Path, epoch: int) -> Found:
    return Found(_engine(config_file, site, epoch), site_signature(site))


def inputs_digest(docs_digest: str, before: Found) -> str:
    """Everything that decides the built site's bytes, as one hash."""
    return hashlib.sha256(docs_digest.encode() + before.engine).hexdigest()


def engine_digest(names: Iterable[str], before: Found) -> str:
    """Everything but the docs' bytes: what must be as it was for an incremental build.

    With these unchanged, a page's HTML depends on its own Markdown only (the
    navigation is written in mkdocs.yml), so the engine need render only the
    pages whose Markdown changed. The docs' file names count (``names``, as
    :func:`docs_names` lists them): a page added or removed changes what the
    engine writes beside it (the sitemap, a stale page).
    """
    return hashlib.sha256("\n".join(sorted(names)).encode() + before.engine).hexdigest()


def docs_names(docs: Path) -> list[str]:
    """The docs' files, relative (the generator knows those it just wrote without this)."""
    return list(stamps.files(docs))


def _engine(config_file: Path, site: Path, epoch: int) -> bytes:
    digest = hashlib.sha256()
    digest.update(config_file.read_bytes())
    _hash_files(digest, PACKAGE, "*.py")
    _hash_files(digest, PACKAGE / "theme")
    for path in named_by_config(config_file):
        digest.update(str(path).encode() + b"\0")
        if path.is_dir():
            _hash_files(digest, path)
        elif path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(b"missing")
    for dist in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=missing".encode())
    digest.update(str(epoch).encode())
    digest.update(str(site).encode())
    return digest.digest()


class _AnyTag(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as ``!ENV``: read here as nothing."""


_AnyTag.add_multi_constructor("!", lambda loader, suffix, node: None)


def named_by_config(config_file: Path) -> list[Path]:
    """The theme overrides (``theme.custom_dir``) and hooks that ``config_file``
    names outside this package, whose own are hashed already.

    A project's mkdocs.yml may keep its own: MkDocs reads them, so a change
    to one must build again. A path given by a tag (``!ENV``) is not known
    here; ``--force`` builds then.
    """
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_AnyTag)
    except (OSError, yaml.YAMLError):  # MkDocs reports it
        return []
    data = data if isinstance(data, dict) else {}
    theme = data.get("theme")
    hooks = data.get("hooks")
    named: list[Any] = [theme.get("custom_dir") if isinstance(theme, dict) else None]
    named += hooks if isinstance(hooks, list) else []
    paths = [(config_file.parent / name).resolve() for name in named if isinstance(name, str)]
    return [path for path in paths if not path.is_relative_to(PACKAGE)]


def site_signature(site: Path) -> str:
    """Names, sizes and modification times of every file of the site in place."""
    if not site.is_dir():
        return "missing"
    digest = hashlib.sha256()
    for rel, (size, mtime) in stamps.files(site).items():
        digest.update(f"{rel}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


class Stamp:
    """What the last successful build was made from, kept in the build folder."""

    def __init__(self, build_dir: Path):
        self.path = build_dir / "site-stamp.json"

    def _recorded(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def matches(self, inputs: str, before: Found) -> bool:
        recorded = self._recorded()
        return recorded.get("inputs") == inputs and recorded.get("site") == before.site

    def same_engine(self, engine: str, before: Found) -> bool:
        """Whether only the docs' bytes changed since the site in place was built."""
        recorded = self._recorded()
        return recorded.get("engine") == engine and recorded.get("site") == before.site

    def built(self, site: Path) -> bool:
        """Whether ``site`` is, file for file, the site the last build put there."""
        recorded = self._recorded().get("site")
        return recorded is not None and recorded == site_signature(site)

    def record(self, inputs: str, site: Path, engine: str = "") -> None:
        data = {"inputs": inputs, "engine": engine, "site": site_signature(site)}
        write_atomic(self.path, json.dumps(data).encode("utf-8"))

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)
