"""The live preview's rebuilds, run in a process of their own.

``serve``'s server answers the browser and its watcher reads the editor's
saves, each on a thread; a process with threads forks no side job
(:class:`~generator.build.worker.Worker`), so the preview's rebuilds ran on
one core while ``build`` used two. Here they run in a child forked before
any thread starts (:class:`~generator.build.worker.Resident`), which holds
the :class:`~generator.build.preview.Preview` and its kept state, and forks
the check's and the generator's side jobs as ``build`` does: at 10,000
claims a save's rebuild went from 1.9 s to 1.7 s. The search index, which
follows each rebuild on a thread, stays in the first process, and no longer
takes the rebuild's interpreter lock while it copies the pages.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.build.preview import SCRATCH_PREFIX, Preview, Rebuild, ShownProblem, watched
from generator.build.search import KEPT_FOR_PREVIEW, BackgroundIndex
from generator.build.worker import Resident, ResidentGone, beside
from generator.content.project import Project

#: How long the search index waits after a rebuild, for the browser's reload to be
#: served first (:class:`~generator.build.search.BackgroundIndex`).
SEARCH_GRACE_S = 0.5


class RebuildProcess:
    """The preview as the server sees it: :meth:`start` and :meth:`rebuild` run in the
    rebuilds' process; the problems to show, and the search index, are kept here."""

    def __init__(
        self,
        project: Project,
        as_of: dt.date,
        site_dir: Path,
        serve_url: str,
        say: Callable[[str], None] = print,
    ) -> None:
        self.project = project
        self.site_dir = site_dir
        self.problems: list[ShownProblem] = []
        self.ready = False  # whether the site folder holds a site to serve
        self.search = BackgroundIndex(
            site_dir, say, project.build_dir / KEPT_FOR_PREVIEW, grace=SEARCH_GRACE_S
        )
        self._say = say
        # The preview's own files, here: a rebuilds' process killed (out of memory)
        # cannot remove them, and the next one starts from an empty folder.
        self._scratch = tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX)
        # idle_after: the rebuilds' process collects after each answer (Resident).
        self._made_with = (
            project, as_of, site_dir, serve_url, beside, True, Path(self._scratch.name) / "rebuilds"
        )  # fmt: skip
        self._preview: Resident[Preview] = self._resident()

    def watched(self) -> list[Path]:
        """What an editor saves (:func:`~generator.build.preview.watched`)."""
        return watched(self.project)

    def start(self) -> Rebuild:
        """The first build (:meth:`Preview.start`)."""
        return self._done(self._call("start"))

    def rebuild(self) -> Rebuild:
        """A save's rebuild (:meth:`Preview.rebuild`)."""
        return self._done(self._call("rebuild"))

    def close(self) -> None:
        """The rebuilds' process first (it writes the site folder), then the index."""
        self._preview.close()
        self.search.close()
        self._scratch.cleanup()

    def _resident(self) -> Resident[Preview]:
        return Resident(Preview, *self._made_with, name="the preview's rebuild process")

    def _call(self, method: str) -> Rebuild:
        """``method`` in the rebuilds' process. Should that process die (killed, or
        out of memory), the preview goes on: a new one starts, and builds the site
        whole. With the server's threads running it cannot be forked, so it runs
        here, on one core (see :class:`~generator.build.worker.Resident`)."""
        with self.search.rebuilding():
            try:
                result: Rebuild = self._preview.call(method)
            except ResidentGone as exc:
                self._say(f"{exc}; the preview starts its rebuilds again, in its own process")
                self._preview.close()
                self._preview = self._resident()
                result = self._preview.call("start")
        return result

    def _done(self, result: Rebuild) -> Rebuild:
        self.problems = result.problems
        if result.built:
            self.ready = True
            self.search.request()
        return result
