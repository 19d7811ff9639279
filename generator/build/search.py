"""The site search: a Pagefind index of every page's text, written into the site.

One lunr index of the whole site grows with it (20 MB at 10,000 claims, all
downloaded before the first result). Pagefind splits its index into chunks
and one compressed fragment per page, so a query fetches only the words and
the pages it shows. It runs after the engine, on the HTML readers get, for
every engine alike (``build`` and ``postbuild``), and in the preview after
each rebuild. What it reads is marked in the theme
(``generator/theme/partials/content.html``: the page's text, not the header,
navigation or footer); the header's search box is
``generator/theme/partials/search.html`` with ``generator/assets/wcw-search.js``.
Nothing is fetched: the binary comes with the ``pagefind[bin]`` package.
A large site's index is written in parts, of which a build indexes again
only those whose pages changed (:mod:`generator.build.search_copy`).
"""

from __future__ import annotations

import gzip
import importlib.metadata
import json
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build import stamps
from generator.build.errors import BuildError
from generator.build.search_copy import (
    COPY_CODE,
    PART_BYTES,
    Copies,
    part_folder,
    searchable_copy,
    text_digest,
)
from generator.build.swap import staging_folder, swap_into_place
from generator.content.files import link_or_copy

#: The index's folder inside the site; the header's script loads ``pagefind.js`` from it.
FOLDER = "pagefind"

#: Inside the indexed text, what is not the page's own words: the headings'
#: "¶" and the cards' "#" permalinks, and the URL printed on paper.
EXCLUDED = (".headerlink", ".wcw-permalink", ".wcw-print-only")

#: Pagefind's ready-made interfaces, which the site does not load (its
#: search box is its own script over ``pagefind.js``), the search code for
#: pages of no known language (every page is indexed as English), and the
#: web worker, a second copy of ``pagefind.js``'s search that the site's
#: script does not start (``noWorker``): not published.
UNUSED = (
    "wasm.unknown.pagefind",
    "pagefind-worker.js",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


#: The folders under ``build/`` where the build and the preview keep the
#: copies Pagefind reads (:func:`~generator.build.search_copy.searchable_copy`).
KEPT_FOR_BUILD, KEPT_FOR_PREVIEW = "search-pages", "search-pages-preview"

#: In ``site/pagefind``: the folders of the parts other than the one there.
PARTS_FILE = "wcw-parts.json"


def _part_data(name: str) -> bool:
    """Whether a file at the top of a part's index is data the search reads; the
    code (pagefind.js, the wasm) is the first part's."""
    return name in ("pagefind-entry.json", "fragment", "index", "filter") or name.endswith(
        ".pf_meta"
    )


@dataclass(frozen=True)
class SearchIndex:
    """What one indexing run wrote: for the build's summary and the benchmarks."""

    folder: Path
    pages: int
    bytes: int
    seconds: float
    indexed: tuple[int, ...] = ()  # the parts Pagefind indexed this time (the others were kept)


#: What every Pagefind run is told besides where to read and write.
_PAGEFIND_OPTIONS = (
    "--exclude-selectors",
    ", ".join(EXCLUDED),
    "--force-language",
    "en",
    "--quiet",
)


def pagefind_command(site: Path, output: Path) -> list[str]:
    """The Pagefind run over ``site``'s HTML, writing the index to ``output``: the
    binary itself, not ``python -m pagefind`` (another interpreter's start, 0.1 s
    of each part's run)."""
    return [
        pagefind_binary(),
        "--site",
        str(site),
        "--output-path",
        str(output),
        *_PAGEFIND_OPTIONS,
    ]


def pagefind_binary() -> str:
    """The Pagefind binary the ``pagefind[bin]`` package installed (or ``PAGEFIND_BINARY_PATH``)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = None
    else:
        found = get_executable()
    if found is None:
        raise BuildError(
            "the site search could not be indexed: Pagefind is not installed; "
            "run 'make site' (it installs requirements/)"
        )
    return str(found)


def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


#: A part's index is kept while its copies, this code and Pagefind are the same.
_INDEX_CODE = text_digest(COPY_CODE + " ".join(_PAGEFIND_OPTIONS))

#: In a kept folder: the copies Pagefind reads, each part's index, and what each was made from.
_COPIES, _INDEXES, _INDEXED = "copies", "indexes", "wcw-indexed.marshal"


class IndexCancelled(Exception):
    """The run was stopped before its end (:meth:`BackgroundIndex.close`); it wrote nothing."""


def _run_pagefind(
    pages: Path, output: Path, yielding: bool, cancel: threading.Event | None = None
) -> None:
    """One part's index into ``output``, which is replaced only when it succeeded.

    ``cancel``: when set, Pagefind is stopped at once and its output removed
    (a preview that stops must not leave it writing into ``build/``).
    """
    if cancel is not None and cancel.is_set():
        raise IndexCancelled
    fresh = output.with_name(output.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    command = pagefind_command(pages, fresh)
    nice = shutil.which("nice") if yielding else None
    if nice:  # Pagefind uses every core; the rebuild beside it goes first
        command = [nice, "-n", "10", *command]
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    except OSError as exc:  # the binary cannot be run: the environment, not the content
        raise BuildError(f"the site search could not be indexed: {exc}") from None
    with process:
        while True:
            try:
                stdout, stderr = process.communicate(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    process.kill()
                    process.communicate()
                    shutil.rmtree(fresh, ignore_errors=True)
                    raise IndexCancelled from None
    if process.returncode == -signal.SIGINT:  # a Ctrl-C in the terminal reached it, and us
        shutil.rmtree(fresh, ignore_errors=True)
        raise KeyboardInterrupt
    if process.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        said = (stderr or stdout).strip()
        raise BuildError(f"the site search could not be indexed: {said}")
    shutil.rmtree(output, ignore_errors=True)
    fresh.rename(output)


def _index_parts(
    kept: Path, copies: Copies, yielding: bool, cancel: threading.Event | None = None
) -> tuple[int, ...]:
    """Index the parts whose copies changed, two Pagefind runs at a time (each
    uses both cores only part of the time); the parts indexed."""
    version = text_digest(f"{_INDEX_CODE} pagefind-{_pagefind_version()}")
    made: dict[str, Any] = stamps.load(kept / _INDEXED, version)
    stale = [
        part for part, digest in copies.parts.items()
        if made.get(str(part)) != digest or not (kept / _INDEXES / part_folder(part)).is_dir()
    ]  # fmt: skip
    (kept / _INDEXES).mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [
            pool.submit(_run_pagefind, kept / _COPIES / part_folder(part),
                        kept / _INDEXES / part_folder(part), yielding, cancel)
            for part in stale
        ]  # fmt: skip
        for run in runs:
            run.result()
    for folder in (kept / _INDEXES).iterdir():
        if folder.name not in {part_folder(p) for p in copies.parts}:
            shutil.rmtree(folder, ignore_errors=True)
    stamps.save(kept / _INDEXED, version, {str(p): d for p, d in copies.parts.items()})
    return tuple(stale)


def _left_out(top: Path, first: bool) -> Callable[[str, list[str]], list[str]]:
    """What a copy of a part's index at ``top`` leaves out: of the first part, the
    interfaces the site does not load; of the others, all but their data."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        if first:
            return [n for n in names if n in UNUSED]
        return [n for n in names if Path(folder) == top and not _part_data(n)]

    return ignore


def _assemble(kept: Path, parts: list[int], output: Path) -> None:
    """The site's index folder from the parts' indexes: the first part whole
    (its code loads the search), the others' data in their folders, and the
    list the search merges. Files are linked, not copied: a part indexed
    again is written into a new folder, never over these."""
    for number, part in enumerate(parts):
        source = kept / _INDEXES / part_folder(part)
        into = output if number == 0 else output / part_folder(part)
        shutil.copytree(source, into, dirs_exist_ok=True, copy_function=link_or_copy,
                        ignore=_left_out(source, first=number == 0))  # fmt: skip
    listed = {"parts": [f"{part_folder(part)}/" for part in parts[1:]]}
    (output / PARTS_FILE).write_text(json.dumps(listed) + "\n", encoding="utf-8")


def index_site(
    site: Path,
    kept: Path | None = None,
    yielding: bool = False,
    part_bytes: int = PART_BYTES,
    cancel: threading.Event | None = None,
) -> SearchIndex:
    """Index ``site`` into ``site/pagefind``, replacing an older index in one step.

    The new index is written beside the old one and swapped in, so a reader
    of the preview (which re-indexes a site it is serving) never meets half
    of one. ``kept``: a folder that outlives the run for the pages'
    searchable copies (see :func:`searchable_copy`) and the parts' indexes,
    of which only those whose pages changed are made again; one per site
    that is indexed. ``yielding``: run Pagefind at a lower priority, behind
    whatever else runs (the preview's next rebuild). ``part_bytes``: see
    :func:`part_count`. ``cancel``: set, it stops the run (IndexCancelled),
    the site's index left as it was.
    """
    started = time.perf_counter()
    target = site / FOLDER
    staging = staging_folder(target)
    try:
        # A scratch folder only without a kept one: a run killed in the middle (the
        # preview, stopped by SIGKILL) would leave it behind in the system's /tmp.
        with (
            tempfile.TemporaryDirectory(prefix="wcw-search-")
            if kept is None
            else nullcontext(str(kept))
        ) as scratch:
            folder = Path(scratch)
            _clear_others(folder)
            copies = searchable_copy(site, folder / _COPIES, part_bytes)
            if not copies.parts:  # nothing to search: an empty index still answers
                copies = Copies(0, {0: ""})
                (folder / _COPIES / part_folder(0)).mkdir(parents=True, exist_ok=True)
            indexed = _index_parts(folder, copies, yielding, cancel)
            _assemble(folder, sorted(copies.parts), staging)
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pages = sum(_page_count(folder) for folder in _index_folders(target))
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return SearchIndex(target, pages, size, time.perf_counter() - started, indexed)


def _clear_others(kept: Path) -> None:
    """Remove from a kept folder what this code did not put there (an older layout's)."""
    for entry in kept.iterdir() if kept.is_dir() else ():
        if entry.name not in {_COPIES, _INDEXES, _INDEXED}:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def _index_folders(folder: Path) -> list[Path]:
    """The site's index folder and its other parts' folders (see :data:`PARTS_FILE`)."""
    try:
        listed = json.loads((folder / PARTS_FILE).read_text(encoding="utf-8"))["parts"]
    except (OSError, ValueError, KeyError, TypeError):
        listed = []
    return [folder] + [folder / str(name) for name in listed]


def _page_count(folder: Path) -> int:
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())


@dataclass(frozen=True)
class IndexedPage:
    """One record of a written index, as a reader's search gets it."""

    url: str  # where the result sends the reader (a name record's own place)
    title: str
    content: str  # the words Pagefind indexed, which its excerpts quote
    meta: dict[str, str]


#: What every Pagefind fragment starts with, once gunzipped.
_FRAGMENT_SIGNATURE = b"pagefind_dcd"


def indexed_pages(folder: Path) -> list[IndexedPage]:
    """Every record of the index in ``folder`` (``site/pagefind``), read from the
    fragments of all its parts: what search can show a reader, for tests and
    benchmarks."""
    pages = []
    parts = _index_folders(folder)
    for path in sorted(p for part in parts for p in (part / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(_FRAGMENT_SIGNATURE):
            raise ValueError(f"{path}: not a Pagefind fragment")
        data = json.loads(raw[len(_FRAGMENT_SIGNATURE) :])
        meta = {str(k): str(v) for k, v in data.get("meta", {}).items()}
        pages.append(IndexedPage(meta.get("url", data["url"]), meta.get("title", ""),
                                 data["content"], meta))  # fmt: skip
    return pages


class BackgroundIndex:
    """The preview's search index, rebuilt after each rebuild without delaying it.

    A save must show in the browser as fast as the page can be rendered; the
    index follows a moment later (a fraction of a second on today's content,
    seconds at 10,000 claims). Requests made while a run is under way are
    gathered into one more run, so the index always ends up matching the last
    build. ``say`` reports a run that failed.

    ``grace``: seconds a run waits after it is asked for, so the browser's
    reload of the saved page is served first. The copy of the pages that a run
    makes first takes this process's interpreter lock from the server's
    threads: at 10,000 claims a save took 0.3 s longer to show.

    No run starts while a rebuild is under way (:meth:`rebuilding`): a full
    build empties the site folder first, and a run then read no page at all.
    """

    def __init__(
        self,
        site: Path,
        say: Callable[[str], None],
        kept: Path | None = None,
        grace: float = 0.0,
    ) -> None:
        self.site = site
        self.kept = kept
        self.say = say
        self.grace = grace
        self.last: SearchIndex | None = None
        self.runs = 0
        self._changed = threading.Condition()
        self._wanted = False
        self._running = False
        self._closed = False
        self._rebuilding = False
        self._moot = False  # the run under way may read a site a rebuild is writing
        self._cancel = threading.Event()  # set by close: the run under way stops
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        """Index the site again, soon; returns at once."""
        with self._changed:
            if self._closed:
                return
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="search-index", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Around a rebuild of the site: no run starts meanwhile, and one under way
        is moot (what it read may be half written): should it fail, that is not
        reported, and a run follows the rebuild."""
        with self._changed:
            self._rebuilding = True
            self._moot = self._moot or self._running
        try:
            yield
        finally:
            with self._changed:
                self._rebuilding = False
                self._changed.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Until no run is asked for or under way (True), or ``timeout`` seconds (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._wanted and not self._running, timeout)

    def close(self) -> None:
        """Stop the run under way, if any, and return when it has (the site folder
        may be removed next; no Pagefind is left writing into ``build/``)."""
        self._cancel.set()
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(
                    lambda: (self._wanted and not self._rebuilding) or self._closed
                )
                if self.grace:
                    self._changed.wait_for(lambda: self._closed, timeout=self.grace)
                if self._closed:
                    return
                if self._rebuilding:  # one began during the grace: wait for its end
                    continue
                self._wanted, self._running, self._moot = False, True, False
            try:
                # A page MkDocs is writing at this moment may be read half
                # written; the rebuild that wrote it asks for the next run.
                self.last = index_site(self.site, self.kept, yielding=True, cancel=self._cancel)
            except (IndexCancelled, KeyboardInterrupt):
                # Closed, or a Ctrl-C that stops the preview too: not a failure to report.
                # The kept parts not indexed are indexed by the next run.
                pass
            except (BuildError, OSError, ValueError) as exc:
                with self._changed:
                    moot, self._wanted = self._moot, self._wanted or self._moot
                if not moot:
                    self.say(f"search index not updated: {exc}")
            finally:
                with self._changed:
                    self._running = False
                    self.runs += 1
                    self._changed.notify_all()
