"""Issue 19's benchmark: the whole build, the edit, the preview and the reader's bytes at scale.

For the real site and for the real content multiplied (bench/synth.py) to
each size, in one run:

- full cold build: ``python -m generator build`` with no build/ folder and no site;
- edit one claim's text, rebuild: the same command again after the edit
  (whatever the build keeps between runs counts: that is what an editor waits for);
- preview save → visible: ``serve``, one claim's text saved, until the page
  showing it is painted in Chromium (bench/preview.py);
- largest HTML page, site size, the search index a reader downloads and the
  bytes one query fetches (bench/site_figures.py);
- peak memory of the build's whole process tree (bench/measure.py).

Every timing is a whole process and is given as a ratio to a bare
mkdocs-material build (bench/bare.py) timed just before it, so that load on
the shared machine weighs on both sides alike. Prints one table with the
goals of issue 19 and a verdict beside each, writes bench/RESULTS.md, and
ends with one key=value line.

    .venv/bin/python bench/run.py [--sizes real,1000,10000,100000] [--runs 3] [--strict]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from bare import write_bare_site  # noqa: E402
from figures import GOAL_SIZE, Project, keyvals, size_text, table  # noqa: E402
from measure import build_command, run  # noqa: E402
from preview import Skipped, save_to_visible  # noqa: E402
from site_figures import card_page, site_figures  # noqa: E402
from synth import Scaled, copy_project, edit_claim_text, write_real_scaled  # noqa: E402


def builds(project: Project, scaled: Scaled, site: Path, bare: list[str], runs: int) -> str:
    """``runs`` × (cold build, then an edit and a rebuild); returns the last edit's marker."""
    marker = ""
    for i in range(runs):
        shutil.rmtree(scaled.content.parent / "build", ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        bare_s = run(bare).seconds
        cold = run(build_command(scaled.content, site))
        project.cold.add(cold.seconds, bare_s)
        marker = f"Rebuild{i:03d}x"
        _, claim = edit_claim_text(scaled.content, marker)
        bare_s = run(bare).seconds
        edit = run(build_command(scaled.content, site))
        project.edit.add(edit.seconds, bare_s)
        project.peak_bytes = max(project.peak_bytes, cold.peak_bytes, edit.peak_bytes)
        print(
            f"  run {i + 1}/{runs}: cold {cold.seconds:.2f} s, edit {edit.seconds:.2f} s, "
            f"bare {bare_s:.2f} s, peak {size_text(max(cold.peak_bytes, edit.peak_bytes))}",
            flush=True,
        )
    project.edited_page = card_page(site, claim, marker)
    return marker


def preview(project: Project, content: Path, bare: list[str], runs: int, timeout: float) -> None:
    """Save → visible, unless a cold build already took longer than the preview may."""
    if project.cold.median() > timeout:
        project.preview_note = (
            f"cold build {project.cold.median():.0f} s > {timeout:.0f} s allowed "
            "(serve starts with one)"
        )
        return
    try:
        project.preview = save_to_visible(content, project.edited_page, bare, runs, timeout)
    except Skipped as exc:
        project.preview_note = str(exc)


#: The build command's own code: ``python -m generator`` ends in os._exit, before a
#: profiler could write its report.
PROFILED = "import sys; from generator.cli import main; sys.exit(main(sys.argv[1:]))"


def profile(scaled: Scaled, site: Path, out: Path) -> None:
    """Where a cold build's time goes (pyinstrument), for whoever makes it faster."""
    shutil.rmtree(scaled.content.parent / "build", ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    python, _, _, *args = build_command(scaled.content, site)
    run([python, "-m", "pyinstrument", "--no-color", "-o", str(out), "-c", PROFILED, *args])
    print(f"  profile of a cold build: {out.relative_to(REPO)}", flush=True)


def measure(size: int | None, root: Path, bare: list[str], args: argparse.Namespace) -> Project:
    started = time.perf_counter()
    scaled = write_real_scaled(root, size) if size else copy_project(root)
    label = f"{size:,}" if size else "real site"
    print(f"{label}: {scaled.claims:,} claims, written in {time.perf_counter() - started:.1f} s")
    project = Project(label, size, scaled.claims)
    site = root / "site"
    runs = args.runs if (size or 0) <= GOAL_SIZE else args.big_runs
    marker = builds(project, scaled, site, bare, runs)
    project.site = s = site_figures(site, args.query)
    print(
        f"  largest page {size_text(s.largest_bytes)} ({s.largest_page}); "
        f"site {size_text(s.site_bytes)}; search {s.search_kind} "
        f"{size_text(s.search_total)}, one query {size_text(s.search_query)}; "
        f"the edit ({marker}) shows on /{project.edited_page}",
        flush=True,
    )
    if args.no_preview:
        project.preview_note = "--no-preview"
    else:
        preview(project, scaled.content, bare, runs, args.preview_timeout)
        print(f"  preview save → visible: {project.preview.cell()} {project.preview_note}")
    if args.profile and size == max(args.sizes, key=lambda s: s or 0):
        profile(scaled, site, BENCH / f"profile-{size or 'real'}.txt")
    shutil.rmtree(root)
    print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    return project


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import material
    import mkdocs

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"{mem:.0f} GiB RAM; Python {platform.python_version()}, MkDocs {mkdocs.__version__}, "
        f"Material {material.__version__}"
    )


def commit() -> str:
    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True).stdout

    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--", "generator") else ""
    return git("rev-parse", "--short", "HEAD").strip() + dirty


def parse_sizes(text: str) -> list[int | None]:
    return [None if s == "real" else int(s) for s in text.split(",")]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", type=parse_sizes, default=parse_sizes("real,1000,10000,100000"),
        help="'real' (the site as it is) and claim counts, comma-separated",
    )  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="runs per size up to 10,000")
    parser.add_argument("--big-runs", type=int, default=1, help="runs per size above 10,000")
    parser.add_argument("--query", default="Zaporizhzhia", help="the one search query measured")
    parser.add_argument(
        "--preview-timeout", type=float, default=300,
        help="seconds the preview may take to start or to show an edit before it is skipped "
        "(skipped at once for a size whose cold build took longer)",
    )  # fmt: skip
    parser.add_argument("--no-preview", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile a cold build, largest size")
    parser.add_argument("--no-results", action="store_true", help="leave bench/RESULTS.md alone")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal fails")
    args = parser.parse_args()

    started, when = time.perf_counter(), dt.datetime.now(dt.UTC)
    print(f"machine: {machine()}\ncommit: {commit()}", flush=True)
    projects = []
    with tempfile.TemporaryDirectory(prefix="wcw-bench-") as tmp:
        bare = write_bare_site(Path(tmp) / "bare")
        warm = copy_project(Path(tmp) / "warm-up")
        run(bare)  # warm-up: compiled modules, the disk cache
        run(build_command(warm.content, Path(tmp) / "warm-up" / "site"))
        for size in args.sizes:
            projects.append(measure(size, Path(tmp) / f"p{size or 'real'}", bare, args))
    figures, verdicts = table(projects)
    line = keyvals(projects, verdicts)
    minutes = (time.perf_counter() - started) / 60
    print(f"\n{figures}\n\nwhole run: {minutes:.0f} min")
    if not args.no_results:
        write_results(figures, line, args, when, minutes)
    print(line)
    failed = any(v.text == "FAIL" for v in verdicts)
    return 1 if args.strict and failed else 0


def write_results(
    figures: str, line: str, args: argparse.Namespace, when: dt.datetime, minutes: float
) -> None:
    sizes = ",".join(str(s or "real") for s in args.sizes)
    (BENCH / "RESULTS.md").write_text(
        f"""# Benchmark results (issue 19)

- Machine: {machine()}
- Date: {when:%Y-%m-%d %H:%M} UTC; commit {commit()}
- Run: `.venv/bin/python bench/run.py --sizes {sizes} --runs {args.runs} --big-runs \
{args.big_runs}` (`make bench`), {minutes:.0f} min in all.

Times are whole processes, medians of {args.runs} runs ({args.big_runs} above 10,000 claims);
"N×" is the median ratio to a bare 11-page mkdocs-material build timed just before each
(bench/bare.py). Cold: no build/ folder, no site. Edit: one claim's text changed, the same
`build` again. Preview: `serve`, a save of that text until the page showing it is painted.
Search: the bytes a reader's browser fetches for one query ("{args.query}"): the whole
index for lunr. Peak memory: the build's process tree. 1 MB = 10^6 bytes. Goals are judged
at 10,000 claims (the 4 GB one at 100,000).

{figures}

```
{line}
```
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    sys.exit(main())
