"""MkDocs hooks, kept thin: on `serve`, regenerate the docs before each rebuild.

`mkdocs.yml` watches content/, maps/ and seeds/, so an editor's save triggers
a rebuild; this hook turns that save into fresh Markdown first. `build` runs
the generator itself and needs no hook, and other engines ignore this file.
"""

from __future__ import annotations

import logging

log = logging.getLogger("mkdocs.hooks.who_claims_what")
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_pre_build(config) -> None:  # type: ignore[no-untyped-def]
    if not _serving:
        return
    from generator.cli.serve import regenerate

    regenerate(config)
