"""Pause Python's cyclic garbage collector while a build allocates.

Loading and generating create millions of objects (parsed YAML with the
position of every value, validated records, rendered cards) and keep nearly
all of them until the build ends. The cyclic collector does not know that: it
walks them again and again as they pile up, and at 10,000 claims that was a
fifth of the generator's time, for nothing it could free. Reference counting
still frees every short-lived object at once; only reference cycles wait,
and they are collected as usual as soon as the stage is over. mypy raises
its collection thresholds for the same reason; a build is short and bounded,
so we pause instead.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def paused(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with the cyclic collector paused (nested calls are fine)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper
