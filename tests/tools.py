"""Tests that drive tools from outside PyPI: npm packages, Debian's chromium and java.

After a pip-only install those tools are absent, and such a test skips, saying what
to run. ``make test`` installs them and sets ``WCW_REQUIRE_TOOLS=1``: there an absent
tool fails the test, so a run that installed everything can never pass by skipping.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_TOOLS = "WCW_REQUIRE_TOOLS"
INSTALL = "run ./scripts/install-test-deps.sh (or make deps-test)"


def require_tool(present: bool, what: str) -> None:
    """Skip the test if ``what`` is not installed, or fail it under ``WCW_REQUIRE_TOOLS=1``."""
    if present:
        return
    message = f"{what} is not installed: {INSTALL}"
    if os.environ.get(REQUIRE_TOOLS) == "1":
        pytest.fail(f"{message} ({REQUIRE_TOOLS}=1: a missing tool is a failure)", pytrace=False)
    pytest.skip(message)
