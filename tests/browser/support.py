"""What the browser tests share: the tools, a static server, and the checks.

Each check is a plain function returning the problems it found, so the
tests in test_checks_catch.py can run the very same function on a
deliberately broken page and prove it fails.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = REPO / "screenshots"

AS_OF = "2025-08-10"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
#: No sandbox (root in CI containers), no GPU, and nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOST = "127.0.0.1"


# --- The site ------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def html_pages(site: Path) -> list[str]:
    """Every HTML page of the site as a URL path relative to the root ('' is home)."""
    paths = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        paths.append(rel.removesuffix("index.html"))
    return paths


def sitemap_pages(site: Path, site_url: str) -> list[str]:
    """The pages sitemap.xml lists, as paths relative to the site root."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(site / "sitemap.xml").getroot()
    base = urlsplit(site_url).path or "/"
    out = []
    for loc in root.findall("s:url/s:loc", ns):
        path = urlsplit((loc.text or "").strip()).path
        out.append(path[len(base) :] if path.startswith(base) else path)
    return sorted(out)


def screenshot_name(path: str) -> str:
    """A file name for a page's screenshot: 'index', 'regions-crimea', '404'."""
    name = path.removesuffix(".html").strip("/").replace("/", "-")
    return name or "index"


# --- Watching a page load --------------------------------------------------


@dataclass
class Recorder:
    """Everything a page did that a reader's browser would complain about."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def attach(self, page) -> Recorder:  # type: ignore[no-untyped-def]
        page.on("request", lambda r: self.requests.append(r.url))
        page.on(
            "console",
            lambda m: (
                self.console_errors.append(f"{m.text} ({m.location.get('url', '')})")
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on(
            "response",
            lambda r: self.failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None,
        )
        return self

    def clear(self) -> None:
        for items in (self.requests, self.console_errors, self.page_errors, self.failed):
            items.clear()

    def problems(self) -> list[str]:
        """Console errors, script errors, failed requests, and any non-local host."""
        out = [f"console error: {m}" for m in self.console_errors]
        out += [f"script error: {m}" for m in self.page_errors]
        out += [f"failed request: {m}" for m in self.failed]
        out += [f"request to another host: {u}" for u in foreign_requests(self.requests)]
        return out


def foreign_requests(urls: list[str]) -> list[str]:
    """Requests that left 127.0.0.1 (data: and blob: URLs stay in the page)."""
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if parts.hostname != LOCAL_HOST:
            out.append(url)
    return out


def goto(page, path: str, wait: str = "load") -> None:  # type: ignore[no-untyped-def]
    response = page.goto(path or "./", wait_until=wait)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"


def page_scheme(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


def wait_for_scheme(page, scheme: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until Material applied the palette for ``scheme`` ('light'/'dark')."""
    want = "slate" if scheme == "dark" else "default"
    page.wait_for_function(
        "want => document.body.getAttribute('data-md-color-scheme') === want", arg=want
    )


# --- axe-core --------------------------------------------------------------


def run_axe(page, only: list[str] | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the loaded page: id, impact, help, nodes.

    ``only`` runs just those rules, switching on any axe leaves off by default
    (target-size, which Lighthouse runs, is one).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async only => {
            const options = {resultTypes: ['violations']};
            if (only) { options.runOnly = {type: 'rule', values: only}; }
            const r = await axe.run(document, options);
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160)),
            }));
        }""",
        only,
    )


def describe_violations(where: str, violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        shown = "; ".join(v["nodes"][:3])
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        out.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} — {shown}{more}")
    return out


# --- The Nu HTML checker ---------------------------------------------------


@dataclass
class VnuReport:
    messages: list[dict]
    checked: list[Path]  # every file the checker read


def run_vnu(target: Path) -> VnuReport:
    """The Nu checker on every HTML file under ``target``, in one JVM."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html", "--verbose",
         "--exit-zero-always", str(target)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise AssertionError(
            f"vnu.jar gave no JSON report:\n{result.stdout}\n{result.stderr}"
        ) from None
    # --verbose names each file checked on stdout, one a line.
    checked = [
        Path(line) for line in result.stdout.splitlines() if line.endswith((".html", ".htm"))
    ]
    return VnuReport(messages, checked)


def vnu_errors(messages: list[dict], allowed: dict[str, str]) -> tuple[list[str], set[str]]:
    """Errors not in ``allowed`` (exact message → reason), and the allowed ones used."""
    errors, used = [], set()
    for m in messages:
        if m.get("type") != "error" and m.get("subType") != "fatal":
            continue
        if m.get("message") in allowed:
            used.add(m["message"])
            continue
        url = m.get("url", "")
        where = url.split("/site/", 1)[-1] if "/site/" in url else url
        extract = re.sub(r"\s+", " ", m.get("extract", "")).strip()
        errors.append(f"{where}:{m.get('lastLine', '?')}: {m.get('message')}  [{extract}]")
    return errors, used


# --- Links -----------------------------------------------------------------

_HREF = re.compile(r"""<(?:a|link|area)\b[^>]*?\shref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def external_links(site: Path) -> dict[str, set[str]]:
    """Every absolute link (with a scheme) in the site's HTML, and the pages it is on."""
    found: dict[str, set[str]] = {}
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        for href in _HREF.findall(file.read_text(encoding="utf-8")):
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
                found.setdefault(href.replace("&amp;", "&"), set()).add(rel)
    return found


def bad_external_link(href: str) -> str | None:
    """Why an external link is not well-formed, or None. Never fetches it."""
    parts = urlsplit(href)
    if parts.scheme == "mailto":
        return None if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", parts.path) else "bad mailto"
    if parts.scheme not in ("https", "http"):
        return f"scheme {parts.scheme!r}"
    if parts.scheme == "http":
        return "http, not https"
    host = parts.hostname or ""
    if not re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", host):
        return f"host {host!r} is not a domain name"
    if re.search(r"\s", href):
        return "white space in the URL"
    return None
