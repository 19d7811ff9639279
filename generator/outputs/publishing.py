"""Everything published beside the pages: the editors' guide, open data and feeds.

:func:`generate.generate` calls :func:`publishing_files` once; each part
lives in its own module (:mod:`generator.outputs.contributing`, :mod:`generator.outputs.opendata`,
:mod:`generator.outputs.feeds`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.content.factbase import FactBase
from generator.outputs.feeds import feed_files
from generator.outputs.contributing import contributing_page
from generator.outputs.opendata import open_data_files
from generator.site.pages import Page
from generator.content.project import Project
from generator.maps.spec import MapSpec


def publishing_files(
    project: Project,
    fb: FactBase,
    as_of: dt.date,
    site_url: str,
    render_page: Callable[[Page], str],
    specs: list[MapSpec] | None = None,
) -> dict[str, bytes]:
    """Docs-relative path → bytes for /contributing/, data/ and the feeds."""
    page = contributing_page(project)
    outputs = {page.path: render_page(page).encode("utf-8")}
    outputs.update(open_data_files(fb, project, as_of, site_url, specs))
    outputs.update(feed_files(fb, project, as_of, site_url))
    return outputs
