"""One build of the real content, one local server, one Chromium: for every test here.

The site is built once per session from the repository's content (a copy in
a temporary folder, so the repository's build/ and site/ are never touched)
and served on 127.0.0.1. A failed build fails every test that needs it.

WCW_TEST_SITE=DIR tests an already-built site instead of building one (for
iterating on the tests; CI never sets it). Without Chromium, axe-core or the
Nu HTML checker the tests that need them skip, or fail under `make test`
(WCW_REQUIRE_TOOLS=1; see tests/tools.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..tools import require_tool
from .support import (
    AS_OF,
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    VNU_JAR,
    Recorder,
    html_pages,
    serve,
)

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


def _require(path: Path, what: str) -> None:
    require_tool(path.exists(), f"{what} ({path})")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site of the real content, as of AS_OF."""
    given = os.environ.get("WCW_TEST_SITE")
    if given:
        path = Path(given).resolve()
        assert (path / "index.html").exists(), f"WCW_TEST_SITE={given} holds no built site"
        return path
    root = tmp_path_factory.mktemp("browser-site")
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = root / "site"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(root / "content"),
         "--site-dir", str(out), "--as-of", AS_OF],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail(f"the site did not build:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def pages(site: Path) -> list[str]:
    """Every HTML page, as a path relative to the site root."""
    found = html_pages(site)
    assert "" in found and len(found) > 5, found
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    _require(Path(CHROMIUM), "Chromium")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    _require(AXE_JS, "axe-core")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    _require(VNU_JAR, "the Nu HTML checker (vnu-jar)")
    require_tool(shutil.which("java") is not None, "java (Debian's default-jre-headless)")
    return VNU_JAR


OpenPage = Callable[..., tuple[object, Recorder]]


@pytest.fixture
def open_page(browser, base_url: str) -> Iterator[OpenPage]:  # type: ignore[no-untyped-def]
    """``open_page(width=1280, scheme="light")`` → (page, recorder), closed after the test.

    ``scheme`` is the reader's system preference; the site's first palette
    follows it, and ``page_scheme`` asserts that it did.
    """
    contexts = []

    def factory(  # type: ignore[no-untyped-def]
        width: int = 1280, height: int = 800, scheme: str = "light", **kwargs
    ):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            base_url=base_url,
            service_workers="block",
            **kwargs,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        return page, Recorder().attach(page)

    yield factory
    for context in contexts:
        context.close()
