"""``serve``: the live preview for editors, like Hugo's server.

A save rebuilds once and reloads the open pages once; only what the save
changed is generated and rendered again (:mod:`generator.build.preview`). A
mistake must not kill the preview: the terminal names each problem once
(FILE:LINE:COL and what to do), the open page shows them in an overlay over
the last good version, and both say "fixed" when a save repairs them.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from generator.cli.common import add_as_of, add_command
from generator.content.project import Project

if TYPE_CHECKING:
    from generator.build.rebuilds import RebuildProcess


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def serve(
    project: Project, host: str = "127.0.0.1", port: int = 8000, as_of: str | None = None
) -> int:
    from generator.build.generate import as_of_date
    from generator.build.rebuilds import RebuildProcess

    url = f"http://{host}:{port}/{_mount_path(project).strip('/')}".rstrip("/") + "/"
    with _stopped_by_sigterm(), tempfile.TemporaryDirectory(prefix="wcw-preview-") as site:
        preview = RebuildProcess(project, as_of_date(as_of)[0], Path(site), url, say=_say)
        try:
            return _run_preview(preview, host, port)
        finally:
            preview.close()  # its rebuilds and search indexing stop before the folder goes


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM (a service manager, a container, ``kill``) stops the preview as Ctrl-C
    does: its temporary site removed, and no search indexing left running."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _mount_path(project: Project) -> str:
    return urlsplit(project.site_url()).path or "/"


def _run_preview(preview: RebuildProcess, host: str, port: int) -> int:
    from generator.build.preview import Reporter
    from generator.build.preview_server import PreviewServer

    reporter = Reporter(preview.project.root)
    for line in reporter.lines(preview.start(), first=True):
        _say(line)
    if not preview.ready:
        _say("fix the problems above, then run serve again")
        return 1

    def rebuild() -> None:
        for line in reporter.lines(preview.rebuild()):
            _say(line)

    server = PreviewServer(preview, host, port, _mount_path(preview.project), rebuild, _say)
    for path in preview.watched():
        server.watch(str(path))
    try:
        server.serve()
    except OSError as exc:
        _say(f"cannot serve on {host}:{port}: {exc.strerror}; try --port {port + 1}")
        return 1
    except KeyboardInterrupt:
        _say("preview stopped")
    finally:
        server.shutdown()
    return 0


def run(args: argparse.Namespace) -> int:
    return serve(Project.at(args.content), host=args.host, port=args.port, as_of=args.as_of)


def add_parser(sub: Any) -> None:
    p = add_command(sub, "serve", run, "live preview: rebuilds and reloads on each save")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    add_as_of(p)
