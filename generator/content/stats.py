"""Coverage figures: how much of each article the fact base cites.

The last section lists every source sentence no evidence passage touches,
leaving out the boilerplate each source lists in seeds/sources.yml: it is the
editors' to-do list of sentences not yet cited.
"""

from __future__ import annotations

from collections import Counter

from generator.content.factbase import FactBase


def _table(title: str, counts: Counter[str], labels: dict[str, str] | None = None) -> list[str]:
    lines = [title]
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name = labels.get(key, key) if labels else key
        lines.append(f"  {n:4d}  {name}")
    return lines


def report(fb: FactBase) -> str:
    per_source: Counter[str] = Counter({s: 0 for s in fb.sources})
    quotes = evidence = 0
    for _kind, _record, cites in fb.sourced_records():
        for source_id in {c.source for c in cites}:
            per_source[source_id] += 1
        evidence += len(cites)
        quotes += sum(1 for c in cites if c.quote)
    wordings = sum(len(f.wordings) for f in fb.framings.values())
    per_actor = Counter(c.actor for c in fb.claims.values())
    per_region: Counter[str] = Counter({code: 0 for code in fb.regions})
    for claim in fb.claims.values():
        per_region.update(claim.regions)
    region_names = {code: f"{code} {r.name}" for code, r in fb.regions.items()}

    out = _table("Facts per source:", per_source)
    out += _table("Claims per actor:", per_actor)
    out += _table("Claims per region:", per_region, region_names)
    out.append(
        f"Verified: {quotes} quotes, {evidence} evidence passages, {wordings} framing wordings."
    )
    out += _coverage(fb)
    return "\n".join(out)


def _coverage(fb: FactBase) -> list[str]:
    """The uncited sentences and the share cited, boilerplate left out of both.

    A source's ``boilerplate`` (bylines, sign-up lines, copyright) is not news:
    counted, it would make the share look lower than it is and fill the to-do
    list with lines no fact will ever cite.
    """
    out = ["Source sentences no evidence covers:"]
    news = cited = boilerplate = 0
    for source_id, text in sorted(fb.texts.items()):
        source = fb.sources[source_id]
        cites = text.covered(fb.evidence_for(source_id))
        skip = text.covered(list(source.boilerplate))
        for (start, end), is_cited, is_boilerplate in zip(text.sentences, cites, skip, strict=True):
            if is_boilerplate:
                boilerplate += 1
                continue
            news += 1
            cited += is_cited
            if not is_cited:
                out.append(f"  [{source_id}] {text.norm[start:end]}")
    share = 100 * cited / news if news else 100.0
    out.append(
        f"Coverage: {cited} of {news} source sentences cited ({share:.1f}%); "
        f"{boilerplate} sentences of boilerplate not counted."
    )
    return out
