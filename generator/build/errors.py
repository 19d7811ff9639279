"""The one error a build stops with: what went wrong, in words an editor can act on.

Its own module, so that every step of the build (post-build checks, the
swap, MkDocs) can raise it without importing the pipeline that runs them.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.content.problems import Problems


class BuildError(Exception):
    """The build stopped; the site in place is untouched. ``problems``: content to fix."""

    def __init__(self, message: str, problems: Problems | None = None):
        super().__init__(message)
        self.problems = problems


#: Errors of the machine, not of the content or the generator: the user can fix them.
ENVIRONMENT_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EDQUOT})


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """An environment error in the block names ``path``, the folder being written, if
    it names no file of its own. A full disk is always the folder's: ``write()``
    names no file, and a failed copy names the file it copied from."""
    try:
        yield
    except OSError as exc:
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        if full or (exc.errno in ENVIRONMENT_ERRNOS and not exc.filename):
            exc.filename = str(path)
        raise
