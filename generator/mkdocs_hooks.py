"""MkDocs hooks, kept thin: say where the live preview is when MkDocs serves by itself.

The live preview is ``python -m generator serve`` (``make serve``): it
generates the docs and drives MkDocs on each save itself
(:mod:`generator.build.preview`). A plain ``mkdocs serve`` only serves the
docs as last generated, and does not see an editor's saves to content/.
`build` runs the generator itself, and other engines ignore this file.
"""

from __future__ import annotations

import logging

log = logging.getLogger("mkdocs.who_claims_what")


def on_startup(command: str, dirty: bool) -> None:
    if command == "serve":
        log.info("this serves build/docs as last generated: 'make serve' previews your edits")
