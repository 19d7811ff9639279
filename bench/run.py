"""Benchmarks: build cost against bare MkDocs, cached rebuilds, scale, map weight.

Every timing is a whole process (what an editor or CI waits for), the median
of several runs after a warm-up. Figures that compare two things are ratios
measured in the same run, because the machines are shared and noisy. Prints
a table, writes bench/RESULTS.md, and ends with one key=value line.

    .venv/bin/python bench/run.py [--runs 5] [--sizes 100,1000,10000]
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from synth import write_project, write_real_scaled  # noqa: E402

PY = sys.executable
# Python caches compiled modules as any install does (the warm-up run writes
# them), even where the shell sets PYTHONDONTWRITEBYTECODE: otherwise every
# timed run of the generator would compile its own modules again, a cost that
# pip-installed MkDocs, already compiled, never pays.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "SOURCE_DATE_EPOCH": "1754784000",
}


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stdout: str


def run(cmd: list[str], cwd: Path = REPO) -> Run:
    """One whole process: wall time and its own peak RSS (from wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out}\n{err}")
    return Run(elapsed, 0.0, out)


def run_rss(cmd: list[str], cwd: Path = REPO) -> Run:
    """One whole process and its own peak RSS, from wait4 (not all children's)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(
            f"failed: {' '.join(cmd)}: {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return Run(elapsed, usage.ru_maxrss / 1024, "")


def median(values: list[float]) -> float:
    return statistics.median(values)


def write_config(root: Path) -> None:
    """mkdocs.yml beside a project elsewhere, so bare MkDocs builds the same docs."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "custom_dir: generator/theme", f"custom_dir: {REPO / 'generator/theme'}"
    )
    config = config.replace(
        "- generator/mkdocs_hooks.py", f"- {REPO / 'generator/mkdocs_hooks.py'}"
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def copy_repo_project(dest: Path) -> Path:
    """A clean checkout's worth of project: content, seeds, maps and mkdocs.yml."""
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    write_config(dest)
    return dest / "content"


def build_cmd(content: Path) -> list[str]:
    return [PY, "-m", "generator", "build", "--content", str(content)]


def generate_cmd(content: Path) -> list[str]:
    return [PY, "-m", "generator", "generate", "--content", str(content)]


def mkdocs_cmd(root: Path, out: Path) -> list[str]:
    return [PY, "-m", "mkdocs", "build", "--quiet", "-f", str(root / "mkdocs.yml"), "-d", str(out)]


def ratios(runs: int) -> dict[str, float]:
    """Full build (cold and warm) over a bare MkDocs build of the same docs."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = copy_repo_project(root)
        run(build_cmd(content))  # warm-up: imports, page cache
        # Each build alternates with a bare MkDocs build, so that a spell of
        # load on the shared machine weighs on both sides of a ratio alike.
        cold, warm, bare = [], [], []
        for _ in range(runs):
            shutil.rmtree(root / "build")
            cold.append(run(build_cmd(content)).seconds)
            bare.append(run(mkdocs_cmd(root, root / "bare-site")).seconds)
        for _ in range(runs):
            warm.append(run(build_cmd(content)).seconds)
            bare.append(run(mkdocs_cmd(root, root / "bare-site")).seconds)

        # Edit one claim's text, rebuild, count rewritten files.
        path = sorted((content / "claims").glob("*.yml"))[0]
        edits = []
        for i in range(runs):
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace("    text: ", f"    text: Edit {i}. ", 1), encoding="utf-8"
            )
            result = run(build_cmd(content))
            edits.append(result.seconds)
            changed = int(re.search(r"\((\d+) changed\)", result.stdout).group(1))
        return {
            "build_cold_s": median(cold),
            "build_warm_s": median(warm),
            "mkdocs_bare_s": median(bare),
            "ratio_cold": median(cold) / median(bare),
            "ratio_warm": median(warm) / median(bare),
            "edit_rebuild_s": median(edits),
            "edit_files_rewritten": changed,
        }


def scale(sizes: list[int], runs: int) -> list[dict[str, float]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            root = Path(tmp) / f"n{n}"
            content = write_project(root, n)
            write_config(root)
            run(generate_cmd(content))  # warm-up; maps cached from here on
            gen = [run_rss(generate_cmd(content)) for _ in range(runs)]
            full_runs = runs if n <= 1000 else max(1, min(runs, 3))
            # --force: the point is MkDocs' share at scale, not the up-to-date check
            full = [run(build_cmd(content) + ["--force"]).seconds for _ in range(full_runs)]
            rows.append(
                {
                    "claims": n,
                    "generate_s": median([g.seconds for g in gen]),
                    "peak_mb": max(g.peak_mb for g in gen),
                    "build_s": median(full),
                    "build_runs": full_runs,
                }
            )
            shutil.rmtree(root)
    return rows


#: The generator stage (check, maps, pages, published files) as `generate` runs it.
PROFILED = """
import sys
from generator.build.check import check_project
from generator.build.generate import as_of_date, generate
from generator.content.project import Project
project = Project.at(sys.argv[-1])
fb, problems = check_project(project)
generate(project, fb, as_of_date()[0], site_url=project.site_url())
"""


def profile_generate(n: int, out: Path) -> str:
    """Where the generator stage's time goes, at the largest size."""
    with tempfile.TemporaryDirectory() as tmp:
        content = write_project(Path(tmp) / "p", n)
        run(generate_cmd(content))
        result = subprocess.run(
            [
                PY,
                "-m",
                "pyinstrument",
                "--no-color",
                "--show",
                "*generator*",
                "-c",
                PROFILED,
                str(content),
            ],
            cwd=REPO,
            env=ENV,
            capture_output=True,
            text=True,
        )
    out.write_text(result.stdout, encoding="utf-8")
    return result.stdout


def map_figures(runs: int) -> list[dict[str, float]]:
    """Per map: draw time cold and cached, SVG bytes raw and gzipped, PNG bytes."""
    from generator.content.factbase import load
    from generator.content.project import Project
    from generator.maps.render import render_maps

    with tempfile.TemporaryDirectory() as tmp:
        content = copy_repo_project(Path(tmp))
        project = Project.at(content)
        fb, problems = load(project)
        assert not problems, problems
        cold = render_maps(fb, project).stats
        cached = [render_maps(fb, project).stats for _ in range(runs)]
    rows = []
    for i, stat in enumerate(cold):
        rows.append(
            {
                "map": stat.id,
                "cold_s": stat.draw_seconds,
                "cached_s": median([c[i].draw_seconds for c in cached]),
                "cached": all(c[i].cached for c in cached),
                "svg_kb": stat.svg_bytes / 1024,
                "svg_gz_kb": stat.svg_gzip_bytes / 1024,
                "png_kb": stat.png_bytes / 1024,
            }
        )
    return rows


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") in ("stylesheet", "icon") and a.get("href"):
            self.urls.append(a["href"] or "")
        if tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"] or "")


def page_weight() -> dict[str, float]:
    """Home page: HTML bytes, and what a first visit transfers gzipped."""
    with tempfile.TemporaryDirectory() as tmp:
        content = copy_repo_project(Path(tmp))
        run(build_cmd(content))
        site = Path(tmp) / "site"
        html = (site / "index.html").read_bytes()
        parser = _Assets()
        parser.feed(html.decode("utf-8"))
        total = len(gzip.compress(html, mtime=0))
        for url in parser.urls:
            if url.startswith(("http:", "https:", "data:")):
                continue
            path = (site / url.split("?")[0]).resolve()
            if path.is_file():
                total += len(gzip.compress(path.read_bytes(), mtime=0))
    return {
        "home_html_kb": len(html) / 1024,
        "home_html_gz_kb": len(gzip.compress(html, mtime=0)) / 1024,
        "home_transfer_gz_kb": total / 1024,
    }


def write_bare_site(root: Path, pages: int = 11) -> Path:
    """A bare mkdocs-material site of ``pages`` short pages: the yardstick of issue 19."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    for i in range(pages):
        (docs / ("index.md" if i == 0 else f"page-{i}.md")).write_text(
            f"# Page {i}\n\n" + "Some text for a page of a bare site.\n" * 20, encoding="utf-8"
        )
    (root / "mkdocs.yml").write_text(
        "site_name: Bare\ntheme:\n  name: material\n  font: false\nplugins: [search]\n",
        encoding="utf-8",
    )
    return root


def largest_pages(site: Path, n: int = 3) -> list[tuple[int, str]]:
    pages = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    return sorted(pages, reverse=True)[:n]


def listing_scale(sizes: list[int], runs: int) -> list[dict[str, object]]:
    """Issue 19's figures for the real content multiplied: largest page, cold build / bare."""
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        bare = write_bare_site(Path(tmp) / "bare")
        run(mkdocs_cmd(bare, bare / "site"))  # warm-up
        for n in sizes:
            root = Path(tmp) / f"real{n}"
            content = write_real_scaled(root, n)
            write_config(root)
            site = root / "site"
            cold, bare_s = [], []
            for _ in range(runs):
                shutil.rmtree(root / "build", ignore_errors=True)
                shutil.rmtree(site, ignore_errors=True)
                cold.append(run_rss(build_cmd(content) + ["--site-dir", str(site)]))
                bare_s.append(run(mkdocs_cmd(bare, bare / "site")).seconds)
            size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
            rows.append(
                {
                    "claims": sum(
                        f.read_text(encoding="utf-8").count("\n- id:")
                        + f.read_text(encoding="utf-8").count("\n  - id:")
                        for f in (content / "claims").glob("*.yml")
                    ),
                    "build_cold_s": median([c.seconds for c in cold]),
                    "bare_s": median(bare_s),
                    "ratio": median([c.seconds for c in cold]) / median(bare_s),
                    "peak_mb": max(c.peak_mb for c in cold),
                    "largest": largest_pages(site),
                    "site_mb": size / 2**20,
                    "html_pages": sum(1 for _ in site.rglob("*.html")),
                }
            )
            shutil.rmtree(root)
    return rows


def print_listing_scale(rows: list[dict[str, object]]) -> None:
    for row in rows:
        largest = ", ".join(f"{p} {b / 2**20:.2f} MB" for b, p in row["largest"])  # type: ignore[attr-defined]
        print(
            f"{row['claims']} claims: cold build {row['build_cold_s']:.1f} s = "
            f"{row['ratio']:.0f}x bare Material ({row['bare_s']:.2f} s); peak {row['peak_mb']:.0f} MB; "
            f"{row['html_pages']} pages, site {row['site_mb']:.1f} MB; largest: {largest}",
            flush=True,
        )


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import material
    import mkdocs

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"{mem:.0f} GiB RAM; Python {platform.python_version()}, MkDocs {mkdocs.__version__}, "
        f"Material {material.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--no-results", action="store_true", help="do not rewrite bench/RESULTS.md")
    parser.add_argument(
        "--listings",
        action="store_true",
        help="only the real content multiplied to --sizes: largest page, cold build / bare",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.listings:
        print(f"machine: {machine()}", flush=True)
        print_listing_scale(listing_scale(sizes, args.runs))
        return

    print(f"machine: {machine()}", flush=True)
    r = ratios(args.runs)
    print(
        f"build cold {r['build_cold_s']:.2f} s, warm {r['build_warm_s']:.2f} s, bare mkdocs "
        f"{r['mkdocs_bare_s']:.2f} s; edit rebuild {r['edit_rebuild_s']:.2f} s",
        flush=True,
    )
    maps = map_figures(args.runs)
    weight = page_weight()
    rows = scale(sizes, args.runs)
    profile = profile_generate(sizes[-1], BENCH / f"profile-{sizes[-1]}.txt")

    lines = ["| figure | value | target |", "| --- | --- | --- |"]
    lines += [
        f"| ratio_cold (full build / bare mkdocs, maps not cached) | {r['ratio_cold']:.2f} | ≤ 2.0 |",
        f"| ratio_warm (maps cached, nothing changed) | {r['ratio_warm']:.2f} | ≤ 1.15 |",
        f"| build cold / warm / bare mkdocs | {r['build_cold_s']:.2f} s / {r['build_warm_s']:.2f} s / {r['mkdocs_bare_s']:.2f} s | |",
        f"| edit one claim's text, rebuild | {r['edit_rebuild_s']:.2f} s, {r['edit_files_rewritten']} files rewritten | |",
        f"| home page HTML | {weight['home_html_kb']:.1f} KB ({weight['home_html_gz_kb']:.1f} KB gzipped) | |",
        f"| home page first visit, gzipped | {weight['home_transfer_gz_kb']:.1f} KB | ≤ 400 KB |",
    ]
    lines += [
        "",
        "| claims | generator stage (maps cached) | peak RSS | full build |",
        "| --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['claims']:,} | {row['generate_s']:.2f} s | {row['peak_mb']:.0f} MB | "
            f"{row['build_s']:.2f} s (median of {row['build_runs']}) |"
        )
    lines += [
        "",
        "| map | draw cold | cached | SVG raw | SVG gzip | PNG |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for m in maps:
        lines.append(
            f"| {m['map']} | {m['cold_s'] * 1000:.0f} ms | {m['cached_s'] * 1000:.1f} ms | "
            f"{m['svg_kb']:.1f} KB | {m['svg_gz_kb']:.1f} KB | {m['png_kb']:.1f} KB |"
        )
    table = "\n".join(lines)
    print(table)

    growth = rows[-1]["generate_s"] / rows[-2]["generate_s"] if len(rows) > 1 else 0
    by_size = {row["claims"]: row for row in rows}
    big = by_size.get(10000, rows[-1])
    keyvals = (
        f"ratio_cold={r['ratio_cold']:.2f} ratio_warm={r['ratio_warm']:.2f} "
        f"edit_rebuild_s={r['edit_rebuild_s']:.2f} edit_files={r['edit_files_rewritten']} "
        f"gen_100_s={by_size.get(100, rows[0])['generate_s']:.2f} "
        f"gen_1000_s={by_size.get(1000, rows[0])['generate_s']:.2f} "
        f"gen_10000_s={big['generate_s']:.2f} peak_mb_10000={big['peak_mb']:.0f} "
        f"growth_10x={growth:.1f} build_10000_s={big['build_s']:.1f} "
        f"map_kb_max={max(m['svg_kb'] for m in maps):.1f} "
        f"map_gz_kb_max={max(m['svg_gz_kb'] for m in maps):.1f} "
        f"home_transfer_gz_kb={weight['home_transfer_gz_kb']:.0f}"
    )
    top = "\n".join(profile.splitlines()[:40])
    if not args.no_results:
        (BENCH / "RESULTS.md").write_text(
            f"# Benchmark results\n\nMachine: {machine()}\n\nRun: `make bench` "
            f"(medians of {args.runs} runs after a warm-up, whole processes).\n\n{table}\n\n"
            f"Profile of the generator stage at {sizes[-1]:,} claims (pyinstrument, "
            f"full output in `bench/profile-{sizes[-1]}.txt`):\n\n```\n{top}\n```\n\n"
            f"```\n{keyvals}\n```\n",
            encoding="utf-8",
        )
    print(keyvals)


if __name__ == "__main__":
    main()
