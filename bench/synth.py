"""Issue 19's project: the real content with its claims replicated to N.

Each copy keeps a claim's text, evidence and references, so every quote still
verifies; only the id changes. What the pages list then grows as it would for
a desk after a year, and every page kind (regions, people, sources, summit,
proposals, deadlines) is exercised, which a random project of claims alone
did not do: that one was dropped.

    .venv/bin/python bench/synth.py 10000 /tmp/p10000
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import yaml

REPO = Path(__file__).resolve().parent.parent
#: Stands for the copy number in the one YAML text every copy is made from.
COPY = "-rZZCOPYZZ"


class Scaled(NamedTuple):
    content: Path
    claims: int


def original_claims(content: Path) -> list[dict[str, Any]]:
    """Every claim of ``content``, file by file in name order."""
    return [
        claim
        for path in sorted((content / "claims").glob("*.yml"))
        for claim in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["claims"]
    ]


def copy_project(dest: Path) -> Scaled:
    """The repository's content, seeds and maps at ``dest`` (the real site)."""
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return Scaled(dest / "content", len(original_claims(dest / "content")))


def write_real_scaled(dest: Path, n_claims: int) -> Scaled:
    """The real project at ``dest`` with its claims replicated to at least ``n_claims``.

    Old ids, which must stay unique, are dropped from the copies. The copies
    are dumped once and numbered by replacing a marker, so 100,000 claims take
    seconds to write, not minutes.
    """
    content, originals = copy_project(dest)
    claims = original_claims(content)
    copies = max(0, -(-n_claims // originals) - 1)
    twins = [
        {**{k: v for k, v in claim.items() if k != "previous_ids"}, "id": claim["id"] + COPY}
        for claim in claims
    ]
    text = yaml.dump(
        {"claims": twins}, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False
    )
    if text.count(COPY) != len(twins):
        raise AssertionError(f"the copy marker {COPY} occurs in the content itself")
    for i in range(1, copies + 1):
        path = content / "claims" / f"zz-copy-{i:03}.yml"
        path.write_text(text.replace(COPY, f"-r{i}"), encoding="utf-8")
    return Scaled(content, originals * (copies + 1))


def edit_claim_text(content: Path, marker: str) -> tuple[Path, str]:
    """Put ``marker`` at the start of the first claim's text: (its file, the claim's id).

    The text may be plain, quoted or a block scalar (``>-``); the marker goes
    where the words start, so the file stays valid YAML and only that text changes.
    """
    path = sorted((content / "claims").glob("*.yml"))[0]
    source = path.read_text(encoding="utf-8")
    root = yaml.compose(source, Loader=yaml.CSafeLoader)
    claim = next(node for key, node in root.value if key.value == "claims").value[0]
    fields = {key.value: node for key, node in claim.value}
    text = fields["text"]
    if text.style in (">", "|"):
        lines = source.splitlines(keepends=True)
        line = lines[text.start_mark.line + 1]
        body = line.lstrip(" ")
        lines[text.start_mark.line + 1] = line[: len(line) - len(body)] + f"{marker} {body}"
        edited = "".join(lines)
    else:
        at = text.start_mark.index + (1 if text.style in ('"', "'") else 0)
        edited = source[:at] + f"{marker} " + source[at:]
    path.write_text(edited, encoding="utf-8")
    return path, fields["id"].value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("claims", type=int)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args()
    scaled = write_real_scaled(args.dest, args.claims)
    print(f"{scaled.claims} claims in {scaled.content}")


if __name__ == "__main__":
    main()
