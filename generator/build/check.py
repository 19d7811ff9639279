"""Everything `check` verifies, in one call: the content, then the map specs."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from generator.content.beside import Beside, InLine
from generator.content.factbase import FactBase, load
from generator.content.problems import Position, Problems
from generator.content.project import Project
from generator.content.published import last_build, published_ids, vanished
from generator.content.readcache import ReadCache
from generator.maps.spec import MapSpec, check_maps


def check_project(project: Project) -> tuple[FactBase, Problems]:
    """Load and verify the project; the fact base is usable only without problems."""
    fb, problems, _specs = check_with_maps(project)
    return fb, problems


def check_with_maps(
    project: Project, cache: ReadCache | None = None, beside: Beside = InLine
) -> tuple[FactBase, Problems, list[MapSpec]]:
    """The same, with the map specs as checked, so a build draws them without parsing again.

    Map specs cite claims and regions, so they are checked only once the
    content itself is sound; otherwise one typo would be reported twice. So
    are the warnings about the project as a whole: with an entry dropped for
    an error, its id would seem to have vanished. ``beside``: where the
    editorial rules run meanwhile (:func:`~generator.content.references.check`).
    """
    fb, problems = load(project, cache, beside)
    specs = [] if problems else check_maps(fb, problems)
    if not problems:
        warn_vanished_ids(fb, project, problems)
        warn_unlisted_seeds(fb, project, problems)
    return fb, problems, specs


#: The ids of the last build's facts.json, kept while it is the same file.
PUBLISHED_IDS = "published-ids.marshal"


def warn_vanished_ids(fb: FactBase, project: Project, problems: Problems) -> None:
    """Warn about ids the last build published that no entry has now (renamed by hand)."""
    record = last_build(project)
    if not record.is_file():
        return
    published = published_ids(record, kept=project.cache / PUBLISHED_IDS)
    for position, message in vanished(fb, published, project.display(record)):
        problems.warn(position, message)


def warn_unlisted_seeds(fb: FactBase, project: Project, problems: Problems) -> None:
    """Warn about an article in seeds/ that no source describes: it is cited by nothing."""
    described = {source.file for source in fb.sources.values()}
    for path in sorted(project.seeds.glob("*.txt")):
        if path.name not in described:
            problems.warn(
                Position(project.display(path)),
                f"no source in seeds/sources.yml describes this article; add one with "
                f"'file: {path.name}' (python -m generator new source), or delete the file",
            )


@contextlib.contextmanager
def paused_collector(resume: bool = True) -> Iterator[None]:
    """The cycle collector off while the facts are read, checked and rendered (the
    build's step, and each of the preview's rebuilds).

    The step makes half a million objects that live until it ends (the files
    as read, the facts, the cards) and hardly any cycles: the check none, the
    renderer its Jinja environment, which the step collects at its end. Each
    automatic collection on the way walked the objects made so far, 0.3-0.5 s
    of an edit's build at 10,000 claims, for nothing to free; the peak memory
    is the same (330 MB).

    ``resume``: turn the collector back on after. A worker that exits once
    the step is done does not: the first allocation after would start a full
    collection of all the step made (0.17 s of an edit's build at 10,000
    claims, 0.34 s of a cold one), for memory that leaves with the process.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on and resume:
            gc.enable()
