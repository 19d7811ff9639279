"""Lighthouse report: a report, not a test.

Builds the site (or takes a built one), serves it on 127.0.0.1 the way
GitHub Pages does (gzip for text), and runs Lighthouse's default mobile
configuration against Debian's chromium on the home, who-claims-what, a
region and the summit page. Prints the four category scores per page, the
audits that cost points, and the home page's total transfer size.

    .venv/bin/python bench/lighthouse.py [--site DIR] [--runs N]    (make lighthouse)

Targets: accessibility, best practices and SEO 100; performance >= 95
(mobile); home page transfer <= 400 KB. The exit status is 0 either way.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from tests.browser.support import AS_OF, CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROME = CHROMIUM  # the browser tests' chromium, flags and as-of date
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]  # Playwright adds --headless itself
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
HOME_BUDGET = 400 * 1024
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics")


class PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text when the browser accepts it (as GitHub Pages)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return super().send_head()  # the base class redirects to the slash URL
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def build(dest: Path) -> Path:
    root = dest / "project"
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    site = root / "site"
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(root / "content"),
         "--site-dir", str(site), "--as-of", AS_OF],
        check=True, cwd=REPO,
    )  # fmt: skip
    return site


def pick_pages(site: Path) -> list[tuple[str, str]]:
    regions = sorted(p.parent.name for p in (site / "regions").glob("*/index.html"))
    region = "zaporizhzhia" if "zaporizhzhia" in regions else (regions[0] if regions else None)
    pages = [("home", ""), ("who-claims-what", "who-claims-what/")]
    if region:
        pages.append((f"region ({region})", f"regions/{region}/"))
    pages.append(("summit", "summit/"))
    return pages


def run_lighthouse(url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROME}
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}",
         f"--chrome-flags={' '.join(CHROME_FLAGS)}"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def lost_points(report: dict) -> list[str]:
    """The audits that cost a category points, as 'category: title (score)'."""
    out = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                out.append(
                    f"{cat}: {audit['title']} ({audit['score']:.2f}{', ' + value if value else ''})"
                )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site to report on (default: build one)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("lighthouse is not installed: run ./scripts/install-test-deps.sh", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="wcw-lighthouse-") as tmp:
        site = args.site.resolve() if args.site else build(Path(tmp))
        handler = functools.partial(PagesLikeHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        rows, notes, home_bytes = [], {}, None
        try:
            for label, path in pick_pages(site):
                reports = [run_lighthouse(base + path) for _ in range(args.runs)]
                scores = {
                    c: statistics.median(round(r["categories"][c]["score"] * 100) for r in reports)
                    for c in CATEGORIES
                }
                rows.append((label, scores))
                notes[label] = lost_points(reports[0])
                if path == "":
                    home_bytes = statistics.median(
                        r["audits"]["total-byte-weight"]["numericValue"] for r in reports
                    )
        finally:
            server.shutdown()
    print(f"\nLighthouse {reports[0]['lighthouseVersion']}, mobile (default config), "
          f"{CHROME}, served gzip-compressed on 127.0.0.1; "
          f"median of {args.runs} run(s) per page; '!' = below target\n")  # fmt: skip
    print(f"{'page':28} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for label, scores in rows:
        cells = " ".join(
            f"{scores[c]:>13.0f}{' ' if scores[c] >= TARGETS[c] else ' !'}".rjust(15)
            for c in CATEGORIES
        )
        print(f"{label:28} {cells}")
    if any(notes.values()):
        print("\nAudits that cost points (first run of each page):")
    for label, lost in notes.items():
        for line in lost:
            print(f"  {label}: {line}")
    if home_bytes is not None:
        mark = "" if home_bytes <= HOME_BUDGET else f"  ! over the {HOME_BUDGET // 1024} KB budget"
        print(f"\nhome page total transfer: {home_bytes / 1024:.0f} KB{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
