"""Synthetic projects for scale benchmarks: N claims over 27 regions, 50 actors, 200 sources.

The text is generated, but the project is real: seed articles on disk, a
source manifest, content files that pass `check` (every evidence passage is
a sentence of its article), and the repository's maps. So the benchmark
measures the same code paths an editor's build runs.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
N_ACTORS = 50
N_SOURCES = 200
SENTENCES_PER_SOURCE = 60
PARTIES = ["russia", "united-states", "ukraine", "europe", "analysts"]
STANCES = ["claims", "demands", "offers", "proposes", "rejects", "reports"]
STATUSES = ["confirmed", "reported", "denied", "disputed"]
TOPICS = ["territory", "ceasefire", "neutrality", "nato", "sanctions", "summit"]
WORDS = [
    "officials",
    "negotiators",
    "region",
    "front",
    "line",
    "ceasefire",
    "talks",
    "summit",
    "proposal",
    "territory",
    "sanctions",
    "deadline",
    "envoy",
    "statement",
    "report",
    "sources",
    "recognition",
    "control",
    "security",
    "guarantees",
    "agreement",
    "withdrawal",
    "peace",
    "offensive",
    "border",
]


def sentence(rng: random.Random, i: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(14))
    return f"Statement {i} says the {words}."


def write_project(dest: Path, n_claims: int, seed: int = 7) -> Path:
    """Create a project with ``n_claims`` claims at ``dest``; return its content dir."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    seeds, content = dest / "seeds", dest / "content"
    (content / "claims").mkdir(parents=True)
    seeds.mkdir()
    shutil.copytree(REPO / "maps", dest / "maps", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "content" / "regions.yml", content / "regions.yml")

    articles: list[list[str]] = []
    manifest = ["sources:"]
    for s in range(N_SOURCES):
        lines = [sentence(rng, s * 1000 + k) for k in range(SENTENCES_PER_SOURCE)]
        articles.append(lines)
        (seeds / f"s{s:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        manifest += [
            f"  - id: src-{s:03d}",
            f"    file: s{s:03d}.txt",
            f"    outlet: Outlet {s % 17}",
            f"    headline: Synthetic article {s}",
            "    language: en",
            f"    published: 2025-{1 + s % 8:02d}-{1 + s % 28:02d}",
            "    attribution: [Outlet, people familiar with the matter]",
            "    summary: A synthetic article for benchmarks.",
        ]
    (seeds / "sources.yml").write_text("\n".join(manifest) + "\n", encoding="utf-8")

    def cite(indent: str) -> list[str]:
        s = rng.randrange(N_SOURCES)
        return [
            f"{indent}- source: src-{s:03d}",
            f'{indent}  evidence: "{rng.choice(articles[s])}"',
        ]

    actors = ["actors:"]
    for a in range(N_ACTORS):
        actors += [
            f"  - id: actor-{a:02d}",
            f"    name: Actor {a:02d}",
            "    kind: person",
            f"    party: {PARTIES[a % len(PARTIES)]}",
            "    role: Synthetic official",
            "    sources:",
            *cite("      "),
        ]
    (content / "actors.yml").write_text("\n".join(actors) + "\n", encoding="utf-8")

    codes = [
        line.split(":")[1].strip()
        for line in (content / "regions.yml").read_text().splitlines()
        if line.startswith("  - code:")
    ]
    (content / "claims" / "maps.yml").write_text(_map_claims(articles, rng), encoding="utf-8")
    per_file = 500
    for f in range(0, n_claims, per_file):
        lines = ["claims:"]
        for i in range(f, min(f + per_file, n_claims)):
            regions = sorted(set(rng.sample(codes, rng.randint(1, 3))))
            lines += [
                f"  - id: claim-{i:05d}",
                f"    actor: actor-{rng.randrange(N_ACTORS):02d}",
                f"    stance: {rng.choice(STANCES)}",
                f"    summary: Synthetic claim {i} about the {rng.choice(WORDS)} and the {rng.choice(WORDS)}",
                f"    text: Claim {i} says the *{rng.choice(WORDS)}* is {rng.choice(WORDS)}; see the report.",
                f"    date: 2025-{1 + i % 8:02d}-{1 + i % 28:02d}",
                f"    status: {rng.choice(STATUSES)}",
                f"    topics: [{rng.choice(TOPICS)}]",
                f"    regions: [{', '.join(regions)}]",
                "    sources:",
                *cite("      "),
            ]
        (content / "claims" / f"part-{f // per_file:03d}.yml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return content


#: Claims the map specs in maps/ cite, with the regions each must name.
MAP_CLAIMS = {
    "putin-claims-four-regions": ["UA-09", "UA-14", "UA-23", "UA-65"],
    "russia-annexed-crimea-2014": ["UA-43", "UA-40"],
    "four-regions-not-fully-controlled": ["UA-09", "UA-14", "UA-23", "UA-65"],
    "putin-demands-donbas-and-crimea": ["UA-09", "UA-14", "UA-43", "UA-40"],
    "deal-halts-offensive-kherson-zaporizhzhia": ["UA-65", "UA-23"],
    "us-offer-crimea-de-jure": ["UA-43", "UA-40"],
    "us-offer-de-facto-four-regions": ["UA-09", "UA-14", "UA-65", "UA-23"],
    "us-earlier-proposal-return-areas": ["UA-23", "UA-65"],
    "ukraine-will-not-recognise-occupation": ["UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"],
    "zelenskyy-never-recognise-crimea": ["UA-43", "UA-40"],
}


def _map_claims(articles: list[list[str]], rng: random.Random) -> str:
    """The claims the repository's map specs cite, so the real maps draw."""
    lines = ["claims:"]
    for i, (claim_id, regions) in enumerate(MAP_CLAIMS.items()):
        s = rng.randrange(N_SOURCES)
        lines += [
            f"  - id: {claim_id}",
            f"    actor: actor-{i:02d}",
            "    stance: claims",
            f"    summary: Map claim {claim_id}",
            "    text: A claim the maps cite.",
            "    date: 2025-08-08",
            "    status: reported",
            f"    regions: [{', '.join(regions)}]",
            "    sources:",
            f"      - source: src-{s:03d}",
            f'        evidence: "{rng.choice(articles[s])}"',
        ]
    return "\n".join(lines) + "\n"


def write_real_scaled(dest: Path, n_claims: int) -> Path:
    """The real content with its claims replicated to about ``n_claims`` (issue 19's project).

    Each copy keeps the claim's text, evidence and references, so every quote
    still verifies; only the id changes (and old ids, which must stay unique,
    are dropped). What the pages list scales as it would for a desk after a year.
    """
    import yaml

    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    claims_dir = dest / "content" / "claims"
    files = sorted(claims_dir.glob("*.yml"))
    originals = [
        (path.stem, claim)
        for path in files
        for claim in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]
    ]
    copies = max(0, -(-n_claims // len(originals)) - 1)
    for i in range(1, copies + 1):
        replicated = []
        for _, claim in originals:
            twin = {k: v for k, v in claim.items() if k != "previous_ids"}
            twin["id"] = f"{claim['id']}-r{i}"
            replicated.append(twin)
        text = yaml.safe_dump({"claims": replicated}, allow_unicode=True, sort_keys=False)
        (claims_dir / f"zz-copy-{i:03}.yml").write_text(text, encoding="utf-8")
    return dest / "content"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("claims", type=int)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args()
    print(write_project(args.dest, args.claims))


if __name__ == "__main__":
    main()
