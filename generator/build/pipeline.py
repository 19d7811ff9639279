"""Build the site atomically: check, generate, MkDocs, post-process, search index, swap.

CI publishes whatever ``site/`` holds, so a half-built site must never be
there. MkDocs builds into a staging folder beside the site; only when every
step succeeded is it swapped into place (:mod:`generator.build.swap`). A
failure, or a SIGKILL at any moment, leaves the previous site as it was.
Locks (:mod:`generator.build.lock`) make a second concurrent build wait.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.build.check import check_with_maps
from generator.build.errors import BuildError, writing
from generator.build.generate import GenerateResult, as_of_date, generate
from generator.build.lock import exclusive, site_lock_file
from generator.build.mkdocs_run import mkdocs_build
from generator.build.postbuild import postprocess
from generator.build.search import index_site
from generator.build.sitedir import check_site_dir, mark
from generator.build.swap import staging_folder, swap_into_place
from generator.build.uptodate import Stamp, inputs_digest
from generator.content.project import Project

__all__ = ["BuildError", "BuildResult", "build"]


@dataclass
class BuildResult:
    site_dir: Path
    generated: GenerateResult
    as_of: dt.date
    as_of_from: str
    seconds: float
    up_to_date: bool = False

    def summary(self) -> str:
        g = self.generated
        what = "Site is up to date" if self.up_to_date else "Built"
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
) -> BuildResult:
    """The whole build; the site at ``site_dir`` changes only if every step succeeds."""
    started = time.perf_counter()
    target = Path(site_dir or project.root / "site").resolve()
    date, date_from = as_of_date(as_of)
    epoch = build_epoch(date, date_from, os.environ.get("SOURCE_DATE_EPOCH"))
    check_site_dir(target, project)
    with (
        exclusive(project.build_dir / ".lock", "this project"),
        exclusive(site_lock_file(target), f"the site folder {target}"),
    ):
        fb, problems, specs = check_with_maps(project)
        if problems:
            raise BuildError("content has problems", problems)
        with writing(project.docs):
            generated = generate(project, fb, date, site_url=project.site_url(), specs=specs)
        stamp = Stamp(project.build_dir)
        inputs = inputs_digest(generated.digest, project.config_file, target, epoch)
        if not force and stamp.matches(inputs, target):
            seconds = time.perf_counter() - started
            return BuildResult(target, generated, date, date_from, seconds, up_to_date=True)
        stamp.forget()
        with writing(target.parent):
            publish(project, target, epoch)
        stamp.record(inputs, target)
    return BuildResult(target, generated, date, date_from, time.perf_counter() - started)


def publish(project: Project, target: Path, epoch: int) -> None:
    """MkDocs into a staging folder, post-process, index for search, mark, then swap."""
    staging = staging_folder(target)
    try:
        mkdocs_build(project, staging, epoch)
        postprocess(staging, urlsplit(project.site_url()).path or "/")
        index_site(staging)
        mark(staging)
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
