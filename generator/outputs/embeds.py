"""Each map as files a reader can take away: SVG, CSV, and an embeddable page.

For every map the figure's last line links (``maps/<id>.svg``, ``maps/<id>.csv``,
``embed/<id>/``, beside the PNG the maps stage draws):

* the SVG, standalone, with its light-scheme style inside and its links
  pointing back at the site;
* its data table as CSV: one row per region, what the map says of it, the
  date and the claims behind it (ids and their URLs);
* a page with the figure only, its own minimal HTML and inline style, no
  theme and nothing fetched from elsewhere, for an ``<iframe>``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from generator.content import urls
from generator.maps.palette import embed_css
from generator.maps.render import MapSet
from generator.site.templating import href, resolve_links

CSV_COLUMNS = ["region_code", "region", "on_this_map", "date", "claim_ids", "claim_urls"]


def _csv(maps: MapSet, map_id: str, site_url: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in maps.rows(map_id, href):
        ids = [c.id for c in row.claims]
        writer.writerow(
            [
                row.code,
                row.name,
                "; ".join(row.status),
                row.date or "",
                "; ".join(ids),
                "; ".join(urls.absolute(site_url, urls.claim(i)) for i in ids),
            ]
        )
    return out.getvalue().encode("utf-8")


def embed_files(
    maps: MapSet, site_url: str, card_links: Callable[[str], str] = lambda html: html
) -> dict[str, bytes]:
    """Docs-relative path → bytes of every map's SVG, CSV and embeddable page, and
    the embeddable pages' one stylesheet.

    ``card_links`` sends links to a claim's canonical anchor to the page where its
    card stands, as the site's own pages do.
    """
    files = {urls.MAP_EMBED_CSS.page: embed_css().encode("utf-8")}
    for map_id in maps.specs:
        svg_link = urls.map_file(map_id, "svg")
        svg = resolve_links(card_links(maps.standalone_svg(map_id, href)), svg_link.page)
        files[svg_link.page] = svg.encode("utf-8")
        files[urls.map_file(map_id, "csv").page] = _csv(maps, map_id, site_url)
        embed = urls.map_embed(map_id).page
        page = resolve_links(card_links(maps.embed_page(map_id, href)), embed)
        files[f"{embed}index.html"] = page.encode("utf-8")
    return files
