"""How `check` grows with the number of problems: it must stay near linear.

Issue 20: `Problems.add` scanned a list per problem, so 10,000 bad claims
took 322 s and a 4.5 MB pull request could hold CI for a day. This writes a
project whose one content file is ``claims:`` followed by N entries
``- id: cN`` / ``summary: s`` (every one missing its required fields), runs
``python -m generator check`` on it as an editor would, and prints the time
at each size and the growth ratio against the size ratio. Numbers only: no
test asserts a time (see tests/ for what `check` must say).

    .venv/bin/python bench/check_scale.py [--sizes 10000,40000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_project(root: Path, n: int) -> Path:
    """A project with the real seeds and regions and N bad claims; returns its content dir."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "maps", root / "maps")
    content = root / "content"
    content.mkdir()
    shutil.copy(REPO / "content" / "regions.yml", content / "regions.yml")
    lines = ["claims:"] + [f"  - id: c{i}\n    summary: s" for i in range(n)]
    (content / "bad.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return content


def time_check(content: Path, runs: int) -> tuple[float, int]:
    """Median seconds of `check`, and how many problems it reported."""
    seconds, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "check", "--content", str(content)],
            capture_output=True, text=True, cwd=REPO,
        )  # fmt: skip
        seconds.append(time.perf_counter() - start)
        if proc.returncode != 1:
            raise SystemExit(f"check should fail on bad claims, got {proc.returncode}")
        count = int(proc.stderr.strip().splitlines()[-1].split()[0])
    return statistics.median(seconds), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,40000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            content = write_project(Path(tmp) / f"p{n}", n)
            seconds, count = time_check(content, args.runs)
            results.append((n, seconds))
            print(f"check, {n:>7,} bad entries: {seconds:7.2f} s ({count:,} problems)")
    for (n0, t0), (n1, t1) in zip(results, results[1:], strict=False):
        print(
            f"growth {n0:,} → {n1:,}: time ×{t1 / t0:.2f} for entries ×{n1 / n0:.2f} "
            f"(linear: ×{n1 / n0:.2f}, quadratic: ×{(n1 / n0) ** 2:.2f})"
        )


if __name__ == "__main__":
    main()
