"""Coverage figures: how much of each article the fact base cites.

The last section lists every source sentence no evidence passage touches;
it is the editors' to-do list, and what remains on it should be boilerplate.
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
    total_sentences = uncited = 0
    out.append("Source sentences no evidence covers:")
    for source_id, text in sorted(fb.texts.items()):
        missing = fb.uncovered(source_id)
        total_sentences += len(text.sentences)
        uncited += len(missing)
        for sentence in missing:
            out.append(f"  [{source_id}] {sentence}")
    covered = total_sentences - uncited
    share = 100 * covered / total_sentences if total_sentences else 100.0
    out.append(f"Coverage: {covered} of {total_sentences} source sentences cited ({share:.1f}%).")
    return "\n".join(out)
