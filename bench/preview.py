"""Benchmark: the live preview's save → visible, against a bare Material build.

Runs ``serve`` on a copy of the real content, opens the who-claims-what page
in Chromium, then alternates: a bare ``mkdocs build`` of the same generated
docs (bench/run.py's baseline), and a save of one claim's summary, timed from
the write to the first paint of the reloaded page that shows it (the
browser's clock and this one are the same machine's). Prints the medians and
their ratio, the goal being ≤ 1.0 (issue 17), and ends with one key=value line.

    .venv/bin/python bench/preview.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from run import copy_repo_project, machine, mkdocs_cmd, run  # noqa: E402

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.test_preview import READY_SCRIPT  # noqa: E402
from tests.test_serve import edit_summary, first_claims_file, running_preview  # noqa: E402


def save_to_visible(page, path: Path, marker: str) -> float:  # type: ignore[no-untyped-def]
    saved_at = time.time()
    edit_summary(path, marker)
    page.locator(f"text={marker}").first.wait_for(state="attached")
    page.wait_for_function("window.__wcwPainted !== undefined")
    return page.evaluate("window.__wcwPainted") / 1000 - saved_at


def measure(runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = copy_repo_project(root)
        path = first_claims_file(content)
        with running_preview(content) as (base, output), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(60_000)
            page.add_init_script(READY_SCRIPT)
            page.goto(base + "who-claims-what/")
            # The preview's serve leaves the generated docs in build/docs: the
            # bare build reads the very same Markdown.
            run(mkdocs_cmd(root, root / "bare-site"))  # warm-up
            save_to_visible(page, path, "BENCH-WARM-UP")
            bare, visible = [], []
            for i in range(runs):
                bare.append(run(mkdocs_cmd(root, root / "bare-site")).seconds)
                time.sleep(0.5)
                visible.append(save_to_visible(page, path, f"BENCH-EDIT-{i}Q"))
                time.sleep(0.5)
            browser.close()
            rebuilds = [line.strip() for line in output.lines if line.startswith("rebuilt")]
    return {
        "save_visible_s": statistics.median(visible),
        "mkdocs_bare_s": statistics.median(bare),
        "ratio_save_visible": statistics.median(visible) / statistics.median(bare),
        "rebuilds": len(rebuilds),
        "last_rebuild": rebuilds[-1] if rebuilds else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    r = measure(args.runs)
    print(f"save → visible (median of {args.runs}): {r['save_visible_s']:.2f} s")
    print(f"bare mkdocs build (median of {args.runs}): {r['mkdocs_bare_s']:.2f} s")
    print(f"ratio: {r['ratio_save_visible']:.2f} (goal ≤ 1.0)")
    print(f"{r['rebuilds']} rebuilds for {args.runs + 1} saves; last: {r['last_rebuild']}")
    print(f"ratio_save_visible={r['ratio_save_visible']:.3f}")


if __name__ == "__main__":
    main()
