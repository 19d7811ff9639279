"""Jobs a stage may have run on the other core: the :data:`Beside` it is given.

The build has two cores, and much of a stage is work that only reads what it
is given (the editorial rules over the facts, half of the cards). A stage
takes a ``beside`` and starts such work with it; the build gives one that
runs it in a forked child (:func:`generator.build.worker.beside`), every
other caller :class:`InLine`, which runs it in place. The stages need not
know which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["Beside", "InLine", "Started", "in_halves"]

T_co = TypeVar("T_co", covariant=True)


class Started(Protocol[T_co]):
    """A job started by a :data:`Beside`; ``result()`` waits for it."""

    def result(self) -> T_co: ...


#: Starts ``fn(*args)`` and returns at once. The job must only read what it is
#: given: what it changes stays where it ran. Its result comes back whole.
Beside = Callable[..., Started[Any]]


class InLine:
    """``fn(*args)``, run when its result is asked for."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._fn, self._args = fn, args

    def result(self) -> Any:
        return self._fn(*self._args)


K = TypeVar("K")
V = TypeVar("V")
Item = TypeVar("Item")


def in_halves(
    beside: Beside,
    fn: Callable[..., dict[K, V]],
    items: Sequence[Item],
    *args: Any,
    at_least: int,
) -> dict[K, V]:
    """``fn(items, *args)``, a mapping by item, with every other item done ``beside``
    once there are ``at_least`` of them: below that, the fork costs more than
    the other core gives. ``fn`` must give the same for an item whoever does it."""
    if len(items) < at_least:
        return fn(items, *args)
    there = beside(fn, items[1::2], *args)
    done = fn(items[0::2], *args)
    done.update(there.result())
    return done
