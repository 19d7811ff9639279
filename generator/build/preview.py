"""The live preview's rebuild: one save → one check, one generation, one dirty MkDocs build.

The preview drives MkDocs itself instead of running ``mkdocs serve``: the
generated docs folder is an output here, never a watched input, so a save
gives one build and one browser reload. The generator rewrites only the files
whose bytes changed (unchanged files keep their mtime), and MkDocs then builds
with ``dirty=True``, which renders only the pages whose Markdown is newer than
their HTML. The first build, and any build after mkdocs.yml or the theme
changed, is a full one. After each build the site search's index (Pagefind,
:mod:`generator.build.search`) is rebuilt in the background, so a save shows
as soon as its page is rendered and search follows a moment later.

A save with problems leaves the last good site in place; the problems travel
to the browser in the served pages (:mod:`generator.build.preview_server`),
never into ``build`` output.

``serve`` runs the rebuilds in a process of their own
(:class:`~generator.build.rebuilds.RebuildProcess`), which holds this
module's :class:`Preview`; the server, the file watcher and the search index
stay in the first.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from generator.build.check import check_with_maps, paused_collector
from generator.build.errors import BuildError
from generator.build.generate import generate
from generator.build.mkdocs_run import DIRTY_NOTICE, THEME_FILES, copy_static, keep_theme_files
from generator.build.postbuild import (
    CARDS_SHOWN,
    Since,
    changed_since,
    fix_html,
    forget_filled,
    keep_filled,
    load_cards,
)
from generator.content.beside import Beside, InLine
from generator.content.problems import Problem
from generator.content.project import Project
from generator.content.readcache import ReadCache
from generator.site.keptcards import KeptCards

#: The name the preview's folders under the system's temporary folder start with.
SCRATCH_PREFIX = "wcw-preview-cards-"

#: A snapshot of the watched trees: path → (mtime_ns, size).
Snapshot = dict[str, tuple[int, int]]


def snapshot(roots: list[Path]) -> Snapshot:
    """Every file under ``roots`` with its mtime and size, to tell what a save changed."""
    found: Snapshot = {}
    for root in roots:
        if root.is_file():
            paths = [root]
        elif root.is_dir():
            paths = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        else:
            paths = []
        for path in paths:
            stat = path.stat()
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """The paths added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def watched(project: Project) -> list[Path]:
    """What an editor saves: content, seeds, map specs, and the site's configuration."""
    return [project.content, project.seeds, project.maps, project.config_file]


@dataclass(frozen=True)
class ShownProblem:
    """One problem as the overlay shows it: where, how bad, what to do."""

    where: str
    severity: str
    message: str

    @classmethod
    def of(cls, problem: Problem) -> ShownProblem:
        return cls(str(problem.position), str(problem.severity), problem.message)

    def line(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}" if self.where else self.message


@dataclass
class Rebuild:
    """What one rebuild did, for the terminal line and the overlay."""

    changed: list[str]
    seconds: float = 0.0
    built: bool = False  # whether the site folder was built anew (its search index is not)
    pages: int = 0  # HTML pages MkDocs rendered
    warnings: list[str] = field(default_factory=list)  # MkDocs' (a broken link, say)
    problems: list[ShownProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _MkDocsLog(logging.Handler):
    """MkDocs' warnings during one build, and the pages it rendered."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.warnings: list[str] = []
        self.pages = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING and not message.startswith(DIRTY_NOTICE):
            self.warnings.append(message)
        elif message.startswith("Building page "):
            self.pages += 1


@contextmanager
def _mkdocs_log() -> Iterator[_MkDocsLog]:
    log = logging.getLogger("mkdocs")
    handler = _MkDocsLog()
    level, propagate = log.level, log.propagate
    log.addHandler(handler)
    # DEBUG for "Building page …" only; nothing of MkDocs reaches the terminal
    # except through this handler.
    build_log = logging.getLogger("mkdocs.commands.build")
    build_level = build_log.level
    build_log.setLevel(logging.DEBUG)
    log.propagate = False
    try:
        yield handler
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        log.propagate = propagate
        build_log.setLevel(build_level)


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled theme templates kept between the preview's builds (jinja checks each
    template's checksum, so an edited template compiles again)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


class Preview:
    """The preview's site folder and the one way it is rebuilt; state lives on the instance.

    ``beside`` runs the check's and the generator's side jobs, as in ``build``
    (:mod:`generator.content.beside`); only a process with no other thread may
    fork them, which is why ``serve`` gives its preview a process of its own.
    The site's search index is the caller's: a :class:`Rebuild` says when the
    site was built.
    """

    def __init__(
        self,
        project: Project,
        as_of: dt.date,
        site_dir: Path,
        serve_url: str,
        beside: Beside = InLine,
        idle_after: bool = False,
        scratch: Path | None = None,
    ) -> None:
        """``idle_after``: the caller runs :meth:`idle` once it has passed each
        rebuild's answer on (the rebuilds' process does); else a rebuild
        collects before it returns. ``scratch``: a folder for the preview's own
        files that its caller removes (one that outlives a rebuilds' process
        killed with them in it); emptied first. Without one, the preview makes
        its own under the system's temporary folder and removes it on :meth:`close`."""
        self.project = project
        self.as_of = as_of
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.problems: list[ShownProblem] = []
        self._beside = beside
        self._built_once = False
        self._read = ReadCache()  # the content files as last read
        # A copy of the card store the site's pages were filled from (see keep_filled),
        # and the cards each page shows (see fix_html): a rebuild then reads only the
        # pages MkDocs wrote and those showing an edited card (0.15 s of a save at
        # 10,000 claims, reading all 460 pages).
        self._own_scratch: tempfile.TemporaryDirectory[str] | None = None
        if scratch is None:
            self._own_scratch = tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX)
            scratch = Path(self._own_scratch.name)
        else:
            shutil.rmtree(scratch, ignore_errors=True)  # what a killed process left
            scratch.mkdir(parents=True)
        self._filled = scratch / "cards"
        self._shown = scratch / CARDS_SHOWN
        self._cards = KeptCards()  # the cards as last rendered
        # What MkDocs would compute again on every build though the theme did not change.
        self._bytecode = _MemoryBytecode()
        self._engine_inputs = self._engine_snapshot()
        self._inputs = snapshot(self.watched())
        self._collect = False  # a rebuild turned the cycle collector off: see idle()
        self._idle_after = idle_after

    def watched(self) -> list[Path]:
        return watched(self.project)

    def _engine_snapshot(self) -> Snapshot:
        from generator.site.generate import ASSETS

        theme = Path(__file__).parents[1] / "theme"
        return snapshot([self.project.config_file, theme, ASSETS])

    def start(self) -> Rebuild:
        """The first build. On broken content, the docs of the last good generation (if
        any) are built, so the preview opens on them with the problems on top."""
        result = self.rebuild()
        if not result.ok and (self.project.docs / "index.md").exists():
            with suppress(BuildError):
                result.pages, result.warnings = self.build_site()
                result.built = True
        return result

    def rebuild(self) -> Rebuild:
        """Check, generate what changed, and let MkDocs render what changed; time it all.

        The cycle collector is off from the check on. With ``idle_after`` it
        stays off until :meth:`idle`, which the rebuilds' process runs once the
        answer is sent: back on, the first allocation started a collection of
        everything the rebuild made (0.1-0.15 s of a save at 10,000 claims)
        before the browser was told to reload. A full MkDocs build (the first,
        or after the theme changed) runs with the collector on.
        """
        self.idle()  # a collection the last rebuild left, if no one ran it
        self._collect = gc.isenabled()
        try:
            return self._rebuild()
        finally:
            if not self._idle_after:
                self.idle()

    def _rebuild(self) -> Rebuild:
        started = time.perf_counter()
        after = snapshot(self.watched())
        result = Rebuild(changed_files(self._inputs, after))
        self._inputs = after
        with paused_collector(resume=False):
            fb, problems, specs = check_with_maps(self.project, self._read, self._beside)
            changed = None
            if not problems:
                generated = generate(
                    self.project, fb, self.as_of, site_url=self.project.site_url(),
                    specs=specs, kept=self._cards, beside=self._beside,
                )  # fmt: skip
                changed = None if generated.removed else generated.written
            del fb, specs
        if problems:
            result.problems = [ShownProblem.of(p) for p in problems]
        else:
            try:
                result.pages, result.warnings = self.build_site(changed)
                result.built = True
            except BuildError as exc:
                result.problems = [ShownProblem("", "error", str(exc))]
        self.problems = result.problems
        result.seconds = time.perf_counter() - started
        return result

    def idle(self) -> None:
        """After a rebuild's answer: the cycle collector on again, and the collection
        of the cycles the rebuild made (its Jinja environments')."""
        if self._collect:
            self._collect = False
            gc.enable()
            gc.collect()

    def build_site(self, changed: list[str] | None = None) -> tuple[int, list[str]]:
        """MkDocs on the generated docs, dirty after the first build: the pages it
        rendered, and its warnings. ``changed``: the docs the generator wrote, if
        it removed none; static files only, they are copied and MkDocs is not
        run (:func:`~generator.build.mkdocs_run.copy_static`)."""
        from mkdocs.commands.build import build as mk_build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        engine = self._engine_snapshot()
        dirty = self._built_once and engine == self._engine_inputs
        if not dirty:
            self.idle()  # a full build runs with the cycle collector on (see rebuild)
        with _mkdocs_log() as log:
            try:
                # The cards, as `build` fills them: the pages MkDocs renders, and the
                # pages it leaves alone that show an edited card (a card's edit leaves
                # the Markdown of the pages listing it as it was).
                cards = load_cards(self.project.cards)
                edited = changed_since(self._filled, cards)
                # Until every page is done no copy says what they hold: on a failure, refill all.
                forget_filled(self._filled)
                started = time.time() - 1  # file times come from a coarser clock
                if not (dirty and changed is not None and copy_static(
                    self.project.docs, self.site_dir, changed
                )):  # fmt: skip
                    config = load_config(
                        str(self.project.config_file),
                        docs_dir=str(self.project.docs),
                        site_dir=str(self.site_dir),
                        strict=False,
                    )
                    config.site_url = self.serve_url
                    self._keep_theme(config.theme)
                    mk_build(config, serve_url=self.serve_url, dirty=dirty)
                fix_html(
                    self.site_dir, cards, Since(started, edited) if dirty else None, self._shown
                )
                keep_filled(self.project.cards, self._filled)
            except (MkDocsException, SystemExit) as exc:
                details = "\n".join(log.warnings) or str(exc)
                raise BuildError(f"MkDocs could not build the site: {details}") from None
        self._built_once = True
        self._engine_inputs = engine
        return log.pages, log.warnings

    def close(self) -> None:
        """Remove the copy of the card store the site was filled from, if the folder
        is the preview's own."""
        if self._own_scratch is not None:
            self._own_scratch.cleanup()

    def _keep_theme(self, theme: Any) -> None:
        """Give the build's theme the compiled templates of the builds before, and the
        theme's file list (:func:`~generator.build.mkdocs_run.keep_theme_files`)."""
        keep_theme_files(theme, self.project.build_dir / THEME_FILES)
        with_files = theme.get_env

        def get_env() -> jinja2.Environment:
            env: jinja2.Environment = with_files()
            env.bytecode_cache = self._bytecode
            return env

        theme.get_env = get_env


class Reporter:
    """The terminal's account of the preview: each problem once, and when it is fixed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._shown: list[ShownProblem] = []

    def lines(self, rebuild: Rebuild, first: bool = False) -> list[str]:
        out = [p.line() for p in rebuild.problems if p not in self._shown]
        out += [f"fixed: {p.line()}" for p in self._shown if p not in rebuild.problems]
        self._shown = list(rebuild.problems)
        out += [f"MkDocs: {warning}" for warning in rebuild.warnings]
        out.append(self.summary(rebuild, first))
        return out

    def summary(self, rebuild: Rebuild, first: bool) -> str:
        what = "built" if first else f"rebuilt ({self.describe(rebuild.changed)})"
        if rebuild.ok:
            pages = f"{rebuild.pages} page{'s' if rebuild.pages != 1 else ''}"
            return f"{what} in {rebuild.seconds:.2f} s: {pages} rendered"
        count = len(rebuild.problems)
        return (
            f"{what} in {rebuild.seconds:.2f} s: {count} problem{'s' if count != 1 else ''}; "
            "showing the last good version until they are fixed"
        )

    def describe(self, changed: list[str]) -> str:
        if not changed:
            return "no file changed"
        names = [self._relative(p) for p in changed[:3]]
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        return ", ".join(names) + more + " changed"

    def _relative(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return path
