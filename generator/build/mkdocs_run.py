"""Run MkDocs (strict) on the generated docs, with the build's date and nothing else changed."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.build import stamps
from generator.build.errors import BuildError
from generator.build.swap import own
from generator.content.files import place_atomic, write_atomic
from generator.content.project import Project

#: Where, under ``build/``, the theme's compiled templates are kept (see _compiled_templates).
TEMPLATES = "engine-templates"

#: Where, under ``build/``, the theme's file list is kept (see keep_theme_files).
THEME_FILES = "engine-theme-files.marshal"

#: What MkDocs warns on every dirty build; the build chose it knowingly.
DIRTY_NOTICE = "A 'dirty' build is being performed"


def _not_the_dirty_notice(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(DIRTY_NOTICE)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def source_date_epoch(epoch: int) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set for the block only: MkDocs reads its date there.

    Everything MkDocs stamps (sitemap, gzip headers) then follows this build's
    date, and the next build in the same process sees the environment as it was.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _own_what_it_writes() -> Any:
    """A plugin: before a dirty build writes, the files it will write get inodes of their own.

    The staging folder of an edit's build starts as hard links to the site in
    place (:func:`generator.build.swap.share_into`), and MkDocs rewrites the
    files it writes in place: its pages, static files and theme templates.
    ``on_env`` is the last event before it writes any; it then writes exactly
    the files whose source is newer (``File.is_modified``) and every static
    template (``404.html``, ``sitemap.xml`` and its ``.gz``). Made here, not
    at import: MkDocs is imported only by the commands that run it.
    """
    from mkdocs.plugins import BasePlugin

    class OwnWhatItWrites(BasePlugin):
        def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
            site = Path(config.site_dir)
            for file in files:
                if file.is_modified():
                    own(Path(file.abs_dest_path))
            for name in [*config.theme.static_templates, *config.extra_templates]:
                own(site / name)
                own(site / f"{name}.gz")
            return env

    return OwnWhatItWrites()


def _compiled_templates(folder: Path) -> Any:
    """A plugin: the theme's templates compiled once and kept in ``folder``.

    MkDocs compiles Material's templates (main, base, the partials: 32 of
    them) in every build, 0.2-0.3 s, which an edit's build would otherwise
    spend on code that did not change. Jinja checks each kept template
    against its source, so a changed theme is compiled again.
    """
    from jinja2 import FileSystemBytecodeCache
    from mkdocs.plugins import BasePlugin

    class CompiledTemplates(BasePlugin):
        def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(folder))
            return env

    return CompiledTemplates()


def keep_theme_files(theme: Any, kept: Path) -> None:
    """Give the theme's Jinja environment the list of its files kept in ``kept``.

    MkDocs lists (and filters) every file of the theme in each build, to copy
    its static ones: Material ships 14,000 icons, and the listing is 0.35 s of
    an edit's build. It is the same while the theme's folders hold the same
    files: those of an installed package (Material's, MkDocs' own) by its
    version, any other (``custom_dir``) by its files' sizes and times.
    """
    fresh_env = theme.get_env

    def get_env() -> Any:
        env = fresh_env()
        list_all = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            what = (
                _theme_folders(theme.dirs),
                tuple(extensions or ()),
                getattr(filter_func, "__qualname__", None),
                tuple(sorted(theme.static_templates)),  # a set: its order varies by process
            )
            version = hashlib.sha256(repr(what).encode()).hexdigest()
            listed = stamps.load(kept, version).get("files")
            if not isinstance(listed, list):
                listed = list_all(extensions, filter_func)
                stamps.save(kept, version, {"files": listed})
            return list(listed)

        env.list_templates = list_templates
        return env

    theme.get_env = get_env


def _theme_folders(dirs: list[str]) -> tuple[tuple[str, ...], ...]:
    """What says each theme folder holds the same files as before (keep_theme_files)."""
    import material  # type: ignore[import-untyped]
    import mkdocs

    packages = {
        Path(material.__file__).parent: f"mkdocs-material {material.__version__}",
        Path(mkdocs.__file__).parent: f"mkdocs {mkdocs.__version__}",
    }
    said: list[tuple[str, ...]] = []
    for folder in map(Path, dirs):
        package = next((v for p, v in packages.items() if folder.is_relative_to(p)), None)
        said.append((str(folder), package) if package else (str(folder), *_files_of(folder)))
    return tuple(said)


def _files_of(folder: Path) -> list[str]:
    """Each file under ``folder`` with its size and time, sorted."""
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            info = path.stat()
            found.append(f"{path.relative_to(folder)}:{info.st_size}:{info.st_mtime_ns}")
    return sorted(found)


def _lunr_search(config: Any) -> bool:
    """Whether MkDocs' own search plugin is on (the site's search is Pagefind's)."""
    for name in ("search", "material/search"):
        plugin = config.plugins.get(name)
        if plugin is not None and plugin.config.get("enabled", True):
            return True
    return False


def preload_engine(project: Project) -> None:
    """Import MkDocs and what ``project``'s configuration names (its theme, plugins
    and Markdown extensions: 60 modules), as :func:`mkdocs_build` will: 0.3 s,
    which the build's own process spends while the check's worker runs, not in
    the engine's worker, forked from it later with all of it in place.

    The configuration is loaded only for its imports, and quietly: the
    engine's own run reports what is wrong with it.
    """
    import mkdocs.commands.build  # noqa: F401
    from mkdocs.config import load_config

    logging.disable(logging.CRITICAL)
    try:
        with (
            contextlib.suppress(Exception),  # the engine's run reports it
            tempfile.TemporaryDirectory(prefix="wcw-preload-") as site,
        ):
            load_config(str(project.config_file), docs_dir=str(project.docs), site_dir=site)
    finally:
        logging.disable(logging.NOTSET)


def copy_static(docs: Path, site_dir: Path, changed: Iterable[str], share: bool = False) -> bool:
    """What a dirty build would do when the docs ``changed`` are all static files the
    site already publishes: copy each one over its old copy. Whether it did
    (if not, nothing is copied and the caller runs the engine).

    ``share``: put another name of the generated file in place of a copy (a
    hard link, where the file system has them). The build's staging folder
    may: the generator replaces its files, never rewrites them, and the
    engine gives a file it writes an inode of its own (a dirty build,
    :func:`_own_what_it_writes`) or empties the folder first (a full one).
    An edit's open data is 20 MB at 10,000 claims, 0.03 s to copy. The
    preview's site folder copies: its full build after an engine change
    copied such a file onto another name of itself.

    An edit to a claim's text changes its card, which the post-step fills
    in, and the open data, which MkDocs copies as it is: no page for MkDocs
    to render, and its configuration and dirty build were 0.08 s of an
    edit's build at 10,000 claims. The caller has made sure that nothing
    else the engine reads changed (:func:`~generator.build.uptodate.engine_digest`).
    """
    changed = list(changed)
    if any(rel.endswith(".md") or not (site_dir / rel).is_file() for rel in changed):
        return False
    for rel in changed:  # replaced, not rewritten: the old copy is shared with the site in place
        if share:
            place_atomic(docs / rel, site_dir / rel)
        else:
            write_atomic(site_dir / rel, (docs / rel).read_bytes())
    return True


def mkdocs_build(project: Project, site_dir: Path, epoch: int, dirty: bool = False) -> bool:
    """Build ``project.docs`` into ``site_dir``; raise BuildError with MkDocs' warnings.

    ``dirty``: render only the pages whose Markdown is newer than their HTML in
    ``site_dir``. Declined (a full build) when MkDocs' own search plugin is on:
    its index would then hold the rendered pages only. Returns whether it was
    a dirty build.
    """
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    counter = _WarningCounter()
    log = logging.getLogger("mkdocs")
    log.addHandler(counter)
    # Dropped where it is logged, before strict mode counts it as a warning.
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_not_the_dirty_notice)
    try:
        with source_date_epoch(epoch):
            config = load_config(
                str(project.config_file),
                docs_dir=str(project.docs),
                site_dir=str(site_dir),
                strict=True,
            )
            dirty = dirty and not _lunr_search(config)
            if dirty:
                config.plugins["who-claims-what/own-what-it-writes"] = _own_what_it_writes()
            config.plugins["who-claims-what/compiled-templates"] = _compiled_templates(
                project.build_dir / TEMPLATES
            )
            keep_theme_files(config.theme, project.build_dir / THEME_FILES)
            mk_build(config, dirty=dirty)
    except (MkDocsException, SystemExit) as exc:
        details = "\n".join(f"  {m}" for m in counter.messages) or f"  {exc}"
        raise BuildError(f"MkDocs could not build the site:\n{details}") from None
    finally:
        log.removeHandler(counter)
        build_log.removeFilter(_not_the_dirty_notice)
    return dirty
