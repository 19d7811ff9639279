"""Everything published beside the pages: the editors' guide, open data and feeds.

This is the one list of those files. The build calls :func:`publishing_files`
once; each part lives in its own module (:mod:`generator.outputs.contributing`,
:mod:`generator.outputs.opendata`, :mod:`generator.outputs.atom`,
:mod:`generator.outputs.embeds`,
:mod:`generator.outputs.ical`), and every path comes from
:mod:`generator.content.urls`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.content import urls
from generator.content.factbase import FactBase
from generator.content.project import Project
from generator.maps.render import MapSet
from generator.maps.spec import MapSpec
from generator.outputs.atom import atom_feed
from generator.outputs.contributing import contributing_page
from generator.outputs.embeds import embed_files
from generator.outputs.ical import calendar
from generator.outputs.opendata import open_data_files
from generator.site.pages import Page
from generator.site.textformat import TextRenderer


def publishing_files(
    project: Project,
    fb: FactBase,
    as_of: dt.date,
    site_url: str,
    render_page: Callable[[Page], str],
    specs: list[MapSpec] | None = None,
    maps: MapSet | None = None,
    card_links: Callable[[str], str] = lambda html: html,
    text: TextRenderer | None = None,
    open_data: bool = True,
) -> dict[str, bytes]:
    """Docs-relative path → bytes for /contributing/, data/, the feeds and, given the
    drawn ``maps``, each map's SVG, CSV and embeddable page. ``text``: the pages'
    text renderer, for the feed's texts.

    ``open_data``: whether data/ (:func:`open_data_files`) is among them. The
    build makes it itself, beside the pages, and the job that makes it writes
    it (:func:`generator.build.generate.generate`).
    """
    page = contributing_page(project)
    outputs = {page.path: render_page(page).encode("utf-8")}
    outputs[urls.FEED.page] = atom_feed(fb, as_of, site_url, text)
    outputs[urls.CALENDAR.page] = calendar(fb, as_of, site_url)
    if maps is not None:
        outputs.update(embed_files(maps, site_url, card_links))
    if open_data:
        outputs.update(open_data_files(fb, project, as_of, site_url, specs))
    return outputs
