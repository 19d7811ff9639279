"""A site folder is the generator's own: a build never replaces a folder it did not make.

The swap replaces the whole site folder, so a mistyped ``--site-dir`` (``.``,
``seeds``, a home folder) would delete what was there. Every site the
generator builds carries a marker file; a build refuses a folder that is not
empty and has none, and any folder that holds, or lies inside, the project's
own files.
"""

from __future__ import annotations

from pathlib import Path

from generator.build.errors import BuildError
from generator.build.uptodate import Stamp
from generator.content.files import write_atomic
from generator.content.project import Project

MARKER = ".who-claims-what-site"
_MARKER_TEXT = b"Built by the who-claims-what generator; the next build replaces this folder.\n"


def mark(site: Path) -> None:
    """Sign a freshly built site, so the next build knows it may replace it."""
    write_atomic(site / MARKER, _MARKER_TEXT)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _ours(site: Path, project: Project) -> bool:
    """Marked, or exactly the site an earlier build (before markers) recorded."""
    return (site / MARKER).is_file() or Stamp(project.build_dir).built(site)


def check_site_dir(site: Path, project: Project) -> None:
    """Raise BuildError, saying what to do, unless ``site`` (resolved) is safe to replace."""
    own = {
        "the project folder": project.root,
        "the content folder": project.content,
        "the seeds folder": project.seeds,
        "the maps folder": project.maps,
        "the build folder": project.build_dir,
    }
    for what, folder in own.items():
        folder = folder.resolve()
        if _inside(folder, site):
            raise BuildError(
                f"--site-dir {site} holds {what} ({folder}); building there would delete it. "
                "Choose a folder of its own, such as the project's site/."
            )
        if what != "the project folder" and _inside(site, folder):
            raise BuildError(
                f"--site-dir {site} lies inside {what} ({folder}); building there would "
                "replace the project's own files. Choose a folder outside it, such as site/."
            )
    if site.exists() and not site.is_dir():
        raise BuildError(f"--site-dir {site} is a file, not a folder; choose another path.")
    if site.is_dir() and any(site.iterdir()) and not _ours(site, project):
        raise BuildError(
            f"--site-dir {site} is not empty and was not built by this generator (it has no "
            f"{MARKER} file), so a build would delete what it holds. Choose an empty or new "
            "folder, or remove this one yourself if it is an old site."
        )
