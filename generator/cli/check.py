"""``check``: validate all content and report every problem."""

from __future__ import annotations

import argparse
from typing import Any

from generator.cli.common import add_command, checked


def run(args: argparse.Namespace) -> int:
    result = checked(args)
    if result is None:
        return 1
    _, fb = result
    print(
        f"ok: {len(fb.files)} content files, {len(fb.sources)} sources, {len(fb.claims)} claims, "
        f"{len(fb.events)} events, {len(fb.deadlines)} deadlines; every quote and evidence "
        "passage verified."
    )
    return 0


def add_parser(sub: Any) -> None:
    add_command(sub, "check", run, "validate all content and report every problem")
