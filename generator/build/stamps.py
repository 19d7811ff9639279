"""What a build keeps of each page between runs, by the page's size and time.

The link check and the search index both read every page of the site; after
an edit only a handful changed. Each keeps, per page, what it made of it and
the page's stamp, in one file under ``build/``, and makes it again only
for a page whose stamp differs. A file that cannot be read, or that another
version of the code wrote, is ignored: everything is made again.

The files are marshal data, not JSON: at 10,000 claims the link check's
holds 126,000 links, which JSON took 0.06 s of an edit's build to read and
write again, marshal 0.01 s. Like the content's read cache
(:mod:`generator.content.readcache`), they are this build's own files,
read by the Python that wrote them.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

from generator.content.files import write_atomic


def stamp(path: Path) -> list[int]:
    """A page's size and modification time: what says it changed."""
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def files(root: Path, suffix: str = "") -> dict[str, list[int]]:
    """Every file under ``root`` whose name ends with ``suffix``, by its path relative
    to ``root``, in path order (``sorted(root.rglob(...))``'s), with its
    :func:`stamp`. Walked with ``os.scandir``: a ``Path`` per file was most of
    the time of the steps that look at every page (10 ms for 460 pages)."""
    found: list[tuple[list[str], list[int]]] = []
    folders = [("", str(root))] if root.is_dir() else []
    while folders:
        rel, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = f"{rel}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{name}/", entry.path))
                elif entry.name.endswith(suffix) and entry.is_file():
                    info = entry.stat()
                    found.append((name.split("/"), [info.st_size, info.st_mtime_ns]))
    return {"/".join(parts): stamped for parts, stamped in sorted(found)}


def load(file: Path, version: str) -> dict[str, Any]:
    """The pages kept in ``file`` by code of ``version``; nothing if it is anything else."""
    try:
        data = marshal.loads(file.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(data, dict) or data.get("version") != version:
        return {}
    pages = data.get("pages")
    return pages if isinstance(pages, dict) else {}


def save(file: Path, version: str, pages: dict[str, Any]) -> None:
    data = {"version": version, "pages": pages}
    write_atomic(file, marshal.dumps(data))
