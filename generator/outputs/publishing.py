"""Everything published beside the pages but the open data: the editors' guide, the
feeds and the maps' files.

This is the one list of those files. The build calls :func:`publishing_files`
once; each part lives in its own module (:mod:`generator.outputs.contributing`,
:mod:`generator.outputs.atom`, :mod:`generator.outputs.embeds`,
:mod:`generator.outputs.ical`), and every path comes from
:mod:`generator.content.urls`. The open data
(:func:`~generator.outputs.opendata.open_data_files`) is made and written
beside the pages, on the other core (:func:`generator.build.generate.generate`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from generator.content import urls
from generator.content.factbase import FactBase
from generator.content.project import Project
from generator.maps.render import MapSet
from generator.outputs.atom import atom_feed
from generator.outputs.contributing import contributing_page
from generator.outputs.embeds import embed_files
from generator.outputs.ical import calendar
from generator.site.pages import Page
from generator.site.textformat import TextRenderer


def publishing_files(
    project: Project,
    fb: FactBase,
    as_of: dt.date,
    site_url: str,
    render_page: Callable[[Page], str],
    maps: MapSet | None = None,
    card_links: Callable[[str], str] = lambda html: html,
    text: TextRenderer | None = None,
    kept: Path | None = None,
    code: bytes = b"",
) -> dict[str, bytes]:
    """Docs-relative path → bytes for /contributing/, the feeds and, given the drawn
    ``maps``, each map's SVG, CSV and embeddable page. ``text``: the pages' text
    renderer, for the feed's texts. ``kept`` and ``code``: a folder under
    ``build/`` where the calendar is kept between builds, and the generator's
    code digest it is kept under (see :func:`~generator.outputs.ical.calendar`)."""
    page = contributing_page(project)
    outputs = {page.path: render_page(page).encode("utf-8")}
    outputs[urls.FEED.page] = atom_feed(fb, as_of, site_url, text)
    outputs[urls.CALENDAR.page] = calendar(
        fb, as_of, site_url, kept / "calendar.marshal" if kept is not None else None, code
    )
    if maps is not None:
        outputs.update(embed_files(maps, site_url, card_links))
    return outputs
