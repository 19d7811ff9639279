"""schema.org JSON-LD: each page a NewsArticle that mentions its Claims.

Search engines and fact-checking tools read ``Claim`` markup: who made the
claim (author), where it appeared (appearance), and when. We give them the
same attribution a reader sees.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from generator.content import urls
from generator.content.factbase import FactBase
from generator.content.model import ActorKind, Claim, chronological
from generator.site.dating import Dateline
from generator.site.pages import Page
from generator.site.templating import script_json

PUBLISHER = {"@type": "Organization", "name": "Who Claims What"}

#: The JSON-LD rides in the page's <head>, which a browser reads before it
#: shows anything: a page mentions its newest claims only, not every claim it
#: shows (at 10,000 claims the matrix page's head would carry 5 MB). Every
#: claim, with its sources, is in data/facts.json.
MAX_MENTIONS = 100


class JsonLd:
    """The JSON-LD of one build's pages.

    A claim is mentioned on every page that shows it (the matrix, its regions,
    its actor): its markup is made once per build and only given each page's
    ``@id``.
    """

    def __init__(self, fb: FactBase, as_of: dt.date, site_url: str):
        self.fb = fb
        self.as_of = as_of
        self.site_url = site_url
        self._claims: dict[str, dict[str, Any]] = {}

    def _claim(self, claim: Claim) -> dict[str, Any]:
        if claim.id in self._claims:
            return self._claims[claim.id]
        fb = self.fb
        actor = fb.actors[claim.actor]
        appearances = []
        for cite in claim.sources:
            source = fb.sources[cite.source]
            item: dict[str, Any] = {
                "@type": "NewsArticle",
                "publisher": {"@type": "Organization", "name": source.outlet},
                "datePublished": str(source.published),
            }
            if source.headline:
                item["headline"] = source.headline
            if source.url:
                item["url"] = source.url
            appearances.append(item)
        markup = self._claims[claim.id] = {
            "@type": "Claim",
            "text": claim.summary,
            "author": {
                "@type": "Person" if actor.kind is ActorKind.person else "Organization",
                "name": actor.name,
            },
            "dateCreated": str(claim.date),
            "appearance": appearances,
        }
        return markup

    def page(self, page: Page) -> dict[str, Any]:
        site_url = self.site_url
        dated = page.dateline or Dateline(None, self.as_of)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.title,
            "description": f"{page.description} {dated.sentence()}",
            "dateModified": dated.updated.isoformat(),
            "publisher": PUBLISHER,
            "author": PUBLISHER,
            "inLanguage": "en",
        }
        if dated.facts_as_of:
            # An open interval ending on the newest source date: the facts stand as of then.
            data["temporalCoverage"] = f"../{dated.facts_as_of.iso}"
        if site_url:
            data["url"] = urls.absolute(site_url, page.url)
        if page.claims:
            newest = sorted(page.claims, key=chronological, reverse=True)
            # A claim's card on this page: the page's URL and the claim's anchor.
            data["mentions"] = [
                {"@id": urls.absolute(site_url, urls.claim(c.id).on(page.url)), **self._claim(c)}
                for c in newest[:MAX_MENTIONS]
            ]
        return data


def front_matter(data: dict[str, Any]) -> str:
    """The JSON-LD as a YAML string value (JSON strings are valid YAML)."""
    return json.dumps(script_json(data), ensure_ascii=False)
