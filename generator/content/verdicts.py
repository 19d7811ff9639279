"""Checks that passed, kept by what they read, so an edit checks again only what it changed.

At 10,000 claims the check looks up 20,000 passages in the articles and
reads every claim's words for the regions they name: about 0.9 s of an
edit's rebuild, for a save that changed one claim. Each of those checks
reads nothing but what its key names (a passage and the article's text; a
claim's words, its regions and the region table), so a check that passed
once passes again for the same key, and is not run. A check that failed is
never kept: it runs, and reports, every time.

The keys hold the code of the checks (:data:`VERSION`), so a changed rule
runs again everywhere. The preview and the build keep their verdicts with
the content files as read (:class:`~generator.content.readcache.ReadCache`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["VERSION", "Verdicts", "digest"]


def _code() -> bytes:
    here = Path(__file__).parent
    h = hashlib.blake2b(digest_size=16)
    for name in ("verdicts.py", "quotes.py", "rules/region_guard.py"):
        h.update((here / name).read_bytes())
    return h.digest()


#: The checks' own code: every key holds it.
VERSION = _code()


def digest(*parts: str | bytes) -> bytes:
    """One key from the parts a check reads."""
    joined = b"\0\1".join(p.encode() if isinstance(p, str) else p for p in parts)
    return hashlib.blake2b(VERSION + joined, digest_size=20).digest()  # one call: 44,000 a check


class Verdicts:
    """The keys of the checks that passed; :meth:`passes` runs a check only if its
    key is not among them."""

    def __init__(self, passed: Iterable[bytes] = ()) -> None:
        self._passed = set(passed)
        self._asked: set[bytes] = set()  # what this run asked: all that save keeps
        self.ran = 0  # checks run in this run, not answered from those kept
        self._carry = False  # keep what this run did not ask too (see carry_unasked)

    def passes(self, key: bytes, check: Callable[[], bool]) -> bool:
        self._asked.add(key)
        if key in self._passed:
            return True
        self.ran += 1
        if check():
            self._passed.add(key)
            return True
        return False

    def holds(self, key: bytes) -> bool:
        """Whether a check of ``key`` passed before (a check run elsewhere, whose
        pass is then told with :meth:`add`)."""
        self._asked.add(key)
        return key in self._passed

    def add(self, key: bytes) -> None:
        self._asked.add(key)
        self._passed.add(key)

    def carry_unasked(self) -> None:
        """Keep the passes this run did not ask about as well: it left out checks whose
        passes still hold (a file left out by :class:`~generator.content.scope.Scope`).
        The next run that asks about everything drops those of no use any more."""
        self._carry = True

    def kept(self) -> list[bytes]:
        """The passed checks this run asked about, to keep for the next."""
        return sorted(self._passed if self._carry else self._passed & self._asked)
