"""``stats``: coverage figures, facts per source, actor and region."""

from __future__ import annotations

import argparse
from typing import Any

from generator.cli.common import add_command, checked


def run(args: argparse.Namespace) -> int:
    from generator.content.stats import report

    result = checked(args)
    if result is None:
        return 1
    print(report(result[1]))
    return 0


def add_parser(sub: Any) -> None:
    add_command(sub, "stats", run, "print coverage figures: facts per source, actor and region")
