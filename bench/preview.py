"""The live preview's save → visible, against the bare Material build.

Runs ``serve`` on a project, opens the page that shows one claim's card in
Chromium, then alternates: a bare build (bench/bare.py) and a save of that
claim's text, timed from the write to the first paint of the reloaded page
that shows it (the browser's clock and this one are the same machine's).
bench/run.py calls :func:`save_to_visible` for every project; on its own this
prints the figure for the real site, or for the real content scaled to N.

    .venv/bin/python bench/preview.py [--runs 5] [--claims N]
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

from bare import write_bare_site  # noqa: E402
from figures import Paired  # noqa: E402
from measure import build_command, run  # noqa: E402
from site_figures import card_page  # noqa: E402
from synth import copy_project, edit_claim_text, write_real_scaled  # noqa: E402

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.test_preview import READY_SCRIPT  # noqa: E402
from tests.test_serve import running_preview  # noqa: E402


class Skipped(Exception):
    """The preview could not be measured within the time allowed; the message says why."""


def _visible(page, content: Path, marker: str) -> float:  # type: ignore[no-untyped-def]
    """Save an edit; seconds until the reloaded page showing it is painted."""
    saved_at = time.time()
    edit_claim_text(content, marker)
    page.locator(f"text={marker}").first.wait_for(state="attached")
    seen_at = time.time()
    page.wait_for_function("window.__wcwPainted !== undefined")
    painted = page.evaluate("window.__wcwPainted") / 1000
    # A preview that patched the page without a reload would leave the old paint time.
    return (painted if painted > saved_at else seen_at) - saved_at


def save_to_visible(
    content: Path, page_path: str, bare: list[str], runs: int, timeout: float
) -> Paired:
    """``runs`` saves, each after a bare build; raise Skipped past ``timeout`` seconds."""
    from playwright.sync_api import Error, sync_playwright

    timings = Paired()
    try:
        with running_preview(content, start_timeout=timeout) as (base, _), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(timeout * 1000)
            page.add_init_script(READY_SCRIPT)
            page.goto(base + page_path)
            _visible(page, content, "Previewwarmup")
            for i in range(runs):
                bare_s = run(bare).seconds
                time.sleep(0.5)
                timings.add(_visible(page, content, f"Preview{i:03d}x"), bare_s)
            browser.close()
    except AssertionError as exc:  # running_preview: serve did not start in time, or died
        reason = str(exc).splitlines()[0] if str(exc) else "serve stopped"
        raise Skipped(f"{reason} ({timeout:.0f} s allowed)") from None
    except Error as exc:  # Playwright: the edit did not show in time
        raise Skipped(
            f"the edit did not show within {timeout:.0f} s ({type(exc).__name__})"
        ) from None
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--claims", type=int, help="the real content scaled to N claims")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        bare = write_bare_site(root / "bare")
        run(bare)  # warm-up
        project = root / "project"
        scaled = write_real_scaled(project, args.claims) if args.claims else copy_project(project)
        site = project / "site"
        _, claim = edit_claim_text(scaled.content, "Previewfind")
        run(build_command(scaled.content, site))
        page = card_page(site, claim, "Previewfind")
        print(f"{scaled.claims:,} claims; watching /{page}", flush=True)
        timings = save_to_visible(scaled.content, page, bare, args.runs, args.timeout)
    print(f"save → visible (median of {args.runs}): {timings.median():.2f} s")
    print(f"bare Material build (median): {statistics.median(timings.bare):.2f} s")
    print(f"ratio_save_visible={timings.ratio():.3f}")


if __name__ == "__main__":
    main()
