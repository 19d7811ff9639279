"""MkDocs hooks, kept thin: on `serve`, regenerate the docs before each rebuild.

`mkdocs.yml` watches content/, maps/ and seeds/, so an editor's save triggers
a rebuild; this hook turns that save into fresh Markdown first. The preview
(:mod:`generator.cli.serve`) hands its settings (content folder, --as-of)
to every rebuild in the configuration's ``extra``, so nothing is kept in this
module. `build` runs the generator itself, and other engines ignore this file.
"""

from __future__ import annotations

from typing import Any


def on_pre_build(config: Any) -> None:
    from generator.cli.serve import PREVIEW_KEY, regenerate

    settings = (config.extra or {}).get(PREVIEW_KEY)
    if settings:
        regenerate(settings)
