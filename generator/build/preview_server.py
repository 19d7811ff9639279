"""The preview's web server: MkDocs' live-reload server, watching the editor's files.

It serves the preview's own site folder and watches what an editor saves
(:func:`~generator.build.preview.watched`), never the generated docs. Each burst of saves
runs one rebuild and then moves the live-reload epoch once: every open page
reloads once. When the content has problems the site folder is left as it
was, and every HTML page it serves carries the overlay
(``generator/theme/partials/preview-overlay.html``) with the problems: the
last good page underneath, the problems on top, until a save fixes them. The
overlay exists only in served responses, never in a built site.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

from generator.build.rebuilds import RebuildProcess

#: Events of reading a file (the rebuild reads every content file): not a save.
_READS = frozenset({watchdog.events.EVENT_TYPE_OPENED, watchdog.events.EVENT_TYPE_CLOSED_NO_WRITE})
OVERLAY = Path(__file__).parents[1] / "theme" / "partials" / "preview-overlay.html"


def overlay_html(problems: list[dict[str, str]], template: str) -> bytes:
    """The problems as JSON a script may read (``<`` escaped), then the overlay's code."""
    data = json.dumps(problems, ensure_ascii=False).replace("<", "\\u003c")
    return (
        f'<script type="application/json" id="wcw-preview-problems">{data}</script>{template}'
    ).encode()


class PreviewServer(LiveReloadServer):
    """Serves ``preview.site_dir``; ``announce`` prints a line (the URL, each rebuild)."""

    def __init__(
        self,
        preview: RebuildProcess,
        host: str,
        port: int,
        mount_path: str,
        rebuild: Callable[[], None],
        announce: Callable[[str], None],
    ) -> None:
        super().__init__(
            builder=rebuild, host=host, port=port, root=str(preview.site_dir), mount_path=mount_path
        )
        self.preview = preview
        self.announce = announce
        # inotify (or the platform's own) instead of a half-second polling loop:
        # a save is seen as it happens. Saves are still gathered for 50 ms, so
        # an editor writing a file in several steps gives one rebuild.
        self.observer = watchdog.observers.Observer()  # type: ignore[assignment]
        self.build_delay = 0.05
        self._overlay = OVERLAY.read_text(encoding="utf-8")

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Rebuild on a save under ``path``; MkDocs' own watch also reacts to reads."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            return

        def saved(event: watchdog.events.FileSystemEvent) -> None:
            if event.is_directory or event.event_type in _READS:
                return
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = saved  # type: ignore[method-assign]
        self._watched_paths[path] = 1
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def server_activate(self) -> None:
        super().server_activate()
        self.announce(f"Serving on {self.url} (Ctrl-C stops the preview)")

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        page: bytes = super()._inject_js_into_html(content, epoch)
        problems = [
            {"where": p.where, "severity": p.severity, "message": p.message}
            for p in self.preview.problems
        ]
        if not problems:
            return page
        at = page.rfind(b"</body>")
        at = len(page) if at < 0 else at
        return page[:at] + overlay_html(problems, self._overlay) + page[at:]
