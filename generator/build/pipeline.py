"""Build the site atomically: check, generate, MkDocs, post-process, search index, swap.

CI publishes whatever ``site/`` holds, so a half-built site must never be
there. MkDocs builds into a staging folder beside the site; only when every
step succeeded is it swapped into place (:mod:`generator.build.swap`). A
failure, or a SIGKILL at any moment, leaves the previous site as it was.
Locks (:mod:`generator.build.lock`) make a second concurrent build wait.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from generator.build.check import PUBLISHED_IDS, check_with_maps, paused_collector
from generator.build.errors import BuildError, writing
from generator.build.generate import GenerateResult, as_of_date, generate
from generator.build.lock import exclusive, site_lock_file
from generator.build.mkdocs_run import copy_static, mkdocs_build, preload_engine
from generator.build.postbuild import (
    CARDS_SHOWN,
    LINKS_READ,
    Since,
    changed_since,
    check_links,
    fix_html,
    keep_filled,
    load_cards,
)
from generator.build.search import FOLDER as SEARCH_FOLDER
from generator.build.search import KEPT_FOR_BUILD, index_site
from generator.build.sitedir import check_site_dir, mark
from generator.build.swap import (
    remove_old,
    set_aside,
    share_into,
    staging_folder,
    swap_into_place,
)
from generator.build.uptodate import (
    Found,
    Stamp,
    docs_names,
    engine_digest,
    found,
    inputs_digest,
)
from generator.build.worker import Worker, beside, in_worker
from generator.content.project import Project
from generator.content.published import facts_json, keep_ids, last_build
from generator.content.readcache import ReadCache
from generator.site.keptcards import KeptCards

__all__ = ["BuildError", "BuildResult", "build"]

T = TypeVar("T")

#: The content files as the last build read them (see ReadCache), a folder in build/cache/.
READ_CACHE = "content-read"

#: The cards the last build rendered, with what each was made from (see KeptCards), a folder.
KEPT_CARDS = "cards-kept"

#: The cards the site in place shows, a copy of the store in build/: an edit's post-step
#: fills only those that changed.
CARDS_IN_SITE = "cards-in-site"

#: In build/: the sites an edit's build replaced, removed by the next build meanwhile.
OLD_SITES = "old-sites"


@dataclass
class BuildResult:
    site_dir: Path
    generated: GenerateResult
    as_of: dt.date
    as_of_from: str
    seconds: float
    up_to_date: bool = False
    incremental: bool = False  # the engine rendered only the pages whose Markdown changed

    def summary(self) -> str:
        g = self.generated
        what = (
            "Site is up to date"
            if self.up_to_date
            else "Built (only the changed pages rendered)"
            if self.incremental
            else "Built"
        )
        return (
            f"{what}: {self.site_dir} in {self.seconds:.1f} s: {g.total} generated files "
            f"({len(g.written)} changed), deadlines as of {self.as_of} ({self.as_of_from})."
            + (
                " Nothing changed since the last build; --force rebuilds anyway."
                if self.up_to_date
                else ""
            )
            + f"\nOpen {self.site_dir / 'index.html'} or run 'make serve' for a live preview."
        )


def build_epoch(date: dt.date, date_from: str, environ_epoch: str | None) -> int:
    """The timestamp MkDocs stamps: CI's exact SOURCE_DATE_EPOCH, else the as-of midnight."""
    if date_from == "SOURCE_DATE_EPOCH" and environ_epoch:
        return int(environ_epoch)
    return int(dt.datetime.combine(date, dt.time(), dt.UTC).timestamp())


def build(
    project: Project,
    site_dir: Path | None = None,
    as_of: str | dt.date | None = None,
    force: bool = False,
    worker: bool = False,
) -> BuildResult:
    """The whole build; the site at ``site_dir`` changes only if every step succeeds.

    ``worker``: check and generate in one child process, MkDocs and the
    post-step in another (:mod:`generator.build.worker`), so that no step
    holds the memory of the one before, and none of it is held while
    Pagefind indexes. The command line asks for it; a library call runs here.
    """
    started = time.perf_counter()
    target = Path(site_dir or project.root / "site").resolve()
    date, date_from = as_of_date(as_of)
    epoch = build_epoch(date, date_from, os.environ.get("SOURCE_DATE_EPOCH"))
    check_site_dir(target, project)
    step = in_worker if worker else _here
    with (
        exclusive(project.build_dir / ".lock", "this project"),
        exclusive(site_lock_file(target), f"the site folder {target}"),
    ):
        staging: Path | None = None  # the folder the new site is made in, until it is the site
        try:
            if worker:
                checking = Worker(check_and_generate, project, date, False)
                try:  # meanwhile: the engine's worker is forked with MkDocs imported
                    preload_engine(project)
                    before = found(project.config_file, target, epoch)
                    staging = _meanwhile(project, target, before, force)
                except BaseException as exc:  # Ctrl-C: the worker must not outlive us
                    checking.stop(exc)
                    raise
                generated = checking.result()
            else:
                generated = _here(check_and_generate, project, date, True)
                before = found(project.config_file, target, epoch)
                staging = _meanwhile(project, target, before, force)
            stamp = Stamp(project.build_dir)
            inputs = inputs_digest(generated.digest, before)
            if not force and stamp.matches(inputs, before):
                seconds = time.perf_counter() - started
                return BuildResult(target, generated, date, date_from, seconds, up_to_date=True)
            engine = engine_digest(generated.names, before)
            incremental = not force and stamp.same_engine(engine, before)
            stamp.forget()
            with writing(target.parent):
                if staging is not None and not incremental:  # not a copy of the site, then
                    set_aside(staging, project.build_dir / OLD_SITES)
                    staging = None
                shared = staging is not None
                if staging is None:
                    staging = staging_folder(target)
                changed = None if generated.removed else generated.written
                incremental = step(
                    render, project, target, staging, epoch, incremental, changed, shared
                )
                finish(project, target, staging, incremental, fork=worker)
                staging = None  # the site now
            stamp.record(inputs, target, engine)
            if facts_json(target) == last_build(project).resolve():  # what the next check reads
                keep_ids(facts_json(target), project.cache / PUBLISHED_IDS, generated.published)
        finally:
            if staging is not None:  # a failure, Ctrl-C or an up-to-date site: not needed
                set_aside(staging, project.build_dir / OLD_SITES)
    seconds = time.perf_counter() - started
    return BuildResult(target, generated, date, date_from, seconds, incremental=incremental)


def _meanwhile(project: Project, target: Path, before: Found, force: bool) -> Path | None:
    """What the build does while its check runs in the worker: the old sites the last
    builds set aside are removed, and, when the site in place was built from
    the same engine inputs (an edit's build renders into a copy of it), the
    staging folder is started as its hard links (:func:`share_into`).

    Both are files on disk, 0.03 s and 0.05 s of an edit's build at 10,000
    claims, on a core that would otherwise wait. The staging folder: see
    :func:`render`; it is set aside if the build turns out not to need it.
    """
    remove_old(project.build_dir / OLD_SITES)
    stamp = Stamp(project.build_dir)
    if (
        force
        or not target.is_dir()
        or not stamp.same_engine(engine_digest(docs_names(project.docs), before), before)
    ):
        return None
    with writing(target.parent):
        staging = staging_folder(target)
        try:
            share_into(target, staging, skip={SEARCH_FOLDER})  # the index is made anew
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return staging


def _here(fn: Callable[..., T], *args: Any) -> T:
    """A step run in this process; what it freed goes back to the system first."""
    try:
        return fn(*args)
    finally:
        give_back_memory()


def check_and_generate(project: Project, date: dt.date, collect: bool = True) -> GenerateResult:
    """Check the content and write the docs; raise BuildError on problems.

    Its own function so the facts and the rendered pages are freed when it
    returns: the engine then reuses that memory (at 100,000 claims the facts
    alone are more than a gigabyte) instead of adding to it. ``collect``: free
    the renderer's cycles before returning, and collect again from then on; a
    worker, whose memory leaves with it, need do neither (0.13 s and 0.17 s
    of an edit's build at 10,000 claims).
    """
    with paused_collector(resume=collect):
        read = ReadCache.load(project.cache / READ_CACHE)
        fb, problems, specs = check_with_maps(project, read, beside)
        read.save(project.cache / READ_CACHE)
        del read
        if problems:
            raise BuildError("content has problems", problems)
        # The facts hold no reference cycles, so the collection below need not walk
        # them (at 10,000 claims 240,000 objects, 0.27 s): frozen, they are still
        # freed by their counts once the renderer's cycles, which hold them, are.
        gc.freeze()
        try:
            kept = KeptCards.load(project.cache / KEPT_CARDS)
            with writing(project.docs):
                generated = generate(
                    project, fb, date, site_url=project.site_url(), specs=specs, kept=kept,
                    beside=beside,
                )  # fmt: skip
                kept.save(project.cache / KEPT_CARDS)
            del fb, specs, kept
            if collect:
                gc.collect()  # the renderer's cycles (Jinja's environment), before the engine
        finally:
            gc.unfreeze()
    return generated


def render(
    project: Project,
    target: Path,
    staging: Path,
    epoch: int,
    incremental: bool = False,
    changed: list[str] | None = None,
    shared: bool = False,
) -> bool:
    """MkDocs into ``staging``, a new staging folder beside ``target``, then the
    post-step (the cards filled in; the links checked, unless incremental: see
    :func:`finish`); whether the build was incremental. The caller made the folder,
    and sets it aside if anything fails: here, or between here and the swap.

    ``incremental``: the site in place was built from the same engine inputs,
    so the staging folder starts as its hard links (:func:`share_into`) and
    MkDocs renders only the pages whose Markdown is newer; the post-step
    fills in the cards that changed. MkDocs may decline: see
    :func:`~generator.build.mkdocs_run.mkdocs_build`. ``changed``: the docs
    the generator wrote, if it removed none: when they are static files
    only, they are copied and MkDocs is not run (:func:`copy_static`).
    ``shared``: the caller started ``staging`` as those links already.
    """
    in_site = project.build_dir / CARDS_IN_SITE
    if incremental and not shared:
        share_into(target, staging, skip={SEARCH_FOLDER})  # the index is made anew
    # A second back: file times come from a coarser clock than time.time();
    # a page written by the last build in that second is only fixed again.
    engine_started = time.time() - 1
    copied = (
        incremental
        and changed is not None
        and copy_static(project.docs, staging, changed, share=True)
    )
    if not copied:
        incremental = mkdocs_build(project, staging, epoch, dirty=incremental)
    cards = load_cards(project.cards)  # after the engine: not held while it runs
    since = Since(engine_started, changed_since(in_site, cards)) if incremental else None
    fix_html(staging, cards, since, project.build_dir / CARDS_SHOWN)
    if not incremental:  # an edit's links are checked while its search is indexed: see finish
        check_links(staging, base_path(project), project.build_dir / LINKS_READ)
    return incremental


def base_path(project: Project) -> str:
    """The path of the site's URL: MkDocs writes root-absolute links with it."""
    return urlsplit(project.site_url()).path or "/"


def finish(
    project: Project, target: Path, staging: Path, incremental: bool = False, fork: bool = False
) -> None:
    """Index the staged site for search, mark it, and swap it into place (the caller
    sets the staging folder aside if this fails, as for :func:`render`).

    ``incremental``: the staging folder was rendered from the site in place
    (see :func:`render`). Two things then happen otherwise:

    - Its links are checked here, while Pagefind indexes: Pagefind, a process
      of its own, takes an edit's longest step (0.3 s at 10,000 claims); the
      check of the pages that changed, against what was kept of the others
      (0.05 s), runs beside it, in a child when ``fork``. A cold build leaves
      it to the post-step: its Pagefind runs keep both cores busy already, and
      a third process would only add to the build's peak memory.
    - The old site, which shares most of its files with the new one, is moved
      into ``build/`` for the next build to remove while it waits for its
      check (:func:`~generator.build.swap.swap_into_place`).
    """
    kept, path = project.build_dir / LINKS_READ, base_path(project)
    checking = Worker(check_links, staging, path, kept, fork=fork) if incremental else None
    try:
        index_site(staging, project.build_dir / KEPT_FOR_BUILD)
        if checking is not None:
            checking.result()
    except BaseException as exc:
        if checking is not None:
            checking.stop(exc)
        raise
    mark(staging)
    swap_into_place(staging, target, project.build_dir / OLD_SITES if incremental else None)
    keep_filled(project.cards, project.build_dir / CARDS_IN_SITE)


def give_back_memory() -> None:
    """Hand the heap a step freed back to the system before the next starts.

    For a build in this process (a library call; the command line runs its
    steps in workers, :mod:`generator.build.worker`): the heap stays mapped,
    most of it pages and cards already freed but kept by the C allocator for
    reuse. glibc's ``malloc_trim`` returns the free pages; elsewhere this
    only collects.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc (macOS, musl)
        ctypes.CDLL("libc.so.6").malloc_trim(0)
