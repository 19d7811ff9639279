"""Files into records: every content file read, checked against the model, and kept.

A record that fails its schema is dropped and its problems reported; the
rest of its file is still kept for the cross-record checks of
:mod:`generator.content.references`. Everything is read in this process:
content files, the manifest and the source articles.
"""

from __future__ import annotations

import functools
import typing
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.content import readcache
from generator.content.beside import Beside, InLine
from generator.content.model import ContentFile, Record, Section, Source, SourcesFile
from generator.content.problems import Position, Problems
from generator.content.project import Project
from generator.content.quotes import SourceText, find_words, normalize
from generator.content.readcache import ReadCache
from generator.content.rules import region_guard
from generator.content.schema_errors import did_you_mean, record_class, translate
from generator.content.yamlfile import Document, PathKey, read_yaml, scan_invisible

M = TypeVar("M", bound=BaseModel)


def _record_fields(cls: type[Record]) -> tuple[str, ...]:
    """The fields of a record class that can hold nested records."""
    cached = _RECORD_FIELDS.get(cls)
    if cached is None:
        cached = tuple(
            name
            for name, info in cls.model_fields.items()
            if any(isinstance(t, type) and issubclass(t, Record) for t in _flatten(info.annotation))
        )
        _RECORD_FIELDS[cls] = cached
    return cached


_RECORD_FIELDS: dict[type, tuple[str, ...]] = {}


def _flatten(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    return [annotation] if not args else [t for a in args for t in _flatten(a)]


def attach(record: Record, doc: Document, path: PathKey) -> None:
    """Tell a record (and the records nested in it) where its YAML stands."""
    record.locate(doc, path)
    for name in _record_fields(type(record)):
        value = getattr(record, name)
        if isinstance(value, Record):
            attach(value, doc, path + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                attach(item, doc, path + (name, i))


@dataclass
class Dropped:
    """Ids that exist in the files although no valid record holds them.

    A record that fails its schema is dropped, but its id is still written in
    the files; a file that could not be read, or a section that is not a list,
    may hold any id. A reference to one of these is not dangling, and saying so
    would send the editor hunting for a typo that is not there while the real
    problem is already reported.
    """

    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Collections that may hold any id, because part of them could not be read.
    unknown: set[str] = field(default_factory=set)
    #: What could be kept of the records that failed, by collection: their
    #: valid fields (the others None), so that their references and quotes are
    #: checked in the same run (see :func:`salvage`).
    salvaged: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))

    def record(
        self, collection: str, record_type: type[BaseModel], item: Any, exc: ValidationError
    ) -> None:
        """Remember the id of a record that failed validation.

        A record whose id is itself missing or malformed could be the one any
        reference meant, so its whole collection becomes unknown.
        """
        key = next((k for k in ("id", "code") if k in record_type.model_fields), None)
        if key is None:
            return
        ident = item.get(key) if isinstance(item, dict) else None
        if isinstance(ident, str) and not any(e["loc"][:1] == (key,) for e in exc.errors()):
            self.ids[collection].add(ident)
        else:
            self.unknown.add(collection)

    def covers(self, collection: str, ident: str) -> bool:
        return collection in self.unknown or ident in self.ids[collection]

    def known(self) -> tuple[list[tuple[str, list[str]]], list[str]]:
        """What :meth:`covers` reads, as plain sorted values (for a digest)."""
        return sorted((k, sorted(v)) for k, v in self.ids.items()), sorted(self.unknown)


def validate_document(
    doc: Document, model: type[M], problems: Problems, dropped: Dropped | None = None,
    regions: region_guard.Lookup | None = None,
) -> M | None:  # fmt: skip
    """Validate a file record by record.

    A file-level model would reject the whole file for one bad claim and
    hide the reference errors of its neighbours; validating each record on
    its own keeps every good record for the later passes. What had to be left
    out is noted in ``dropped``.
    """
    dropped = dropped if dropped is not None else Dropped()
    data = doc.data
    assert isinstance(data, dict)
    fields = model.model_fields
    for key in data:
        if key not in fields:
            problems.add(
                doc.at((key,), key=True),
                f"unknown section '{key}'{did_you_mean(key, fields)} "
                f"(a file may hold: {', '.join(fields)})",
            )
    collected: dict[str, list[Record]] = {}
    for name, info in fields.items():
        if name not in data:
            if info.is_required():
                problems.add(doc.at(()), f"missing required section '{name}:'")
            continue
        items = data[name]
        if items is None and name in doc.blanked:  # its only entries had a syntax error
            items = []
        if not isinstance(items, list):
            dropped.unknown.add(name)
            problems.add(
                doc.at((name,)),
                f"'{name}' must be a list of entries, each starting with '- '",
            )
            continue
        record_type = record_class(info.annotation)
        records: list[Record] = []
        for i, item in enumerate(items):
            try:
                record = typing.cast(Record, record_type.model_validate(item))
            except ValidationError as exc:
                translate(exc, record_type, doc, problems, prefix=(name, i), regions=regions)
                dropped.record(name, record_type, item, exc)
                kept = salvage(typing.cast(type[Record], record_type), item, doc, (name, i))
                if kept is not None:
                    dropped.salvaged[name].append(kept)
                continue
            attach(record, doc, (name, i))
            records.append(record)
        collected[name] = records
    # Every section is a list, and one the file leaves out is empty: given here,
    # not left to model_construct, which asks of each default factory's
    # signature on every call (at 10,000 claims 664 inspections, 0.1 s, and
    # 17,000 objects left for the cycle collector to find).
    parsed = model.model_construct(None, **{name: collected.get(name, []) for name in fields})
    assert isinstance(parsed, Record)
    parsed.locate(doc)
    return parsed


# ---- what can be kept of a record that failed --------------------------------


@functools.cache
def _adapter(cls: type[Record], name: str) -> TypeAdapter[Any]:
    """A validator for one field of a record, its constraints included (one per field)."""
    info = cls.model_fields[name]
    annotated: Any = Annotated[info.annotation, info]
    return TypeAdapter(annotated)


def _field_value(cls: type[Record], name: str, raw: Any, doc: Document, path: PathKey) -> Any:
    """A field's valid value, nested records salvaged in turn; None if it cannot be had."""
    if name in _record_fields(cls) and isinstance(raw, list):
        nested = typing.cast(type[Record], record_class(cls.model_fields[name].annotation))
        kept = [salvage(nested, item, doc, path + (i,)) for i, item in enumerate(raw)]
        return [x for x in kept if x is not None]
    try:
        return _adapter(cls, name).validate_python(raw)
    except ValidationError:
        return None


def salvage(cls: type[Record], item: Any, doc: Document, path: PathKey) -> Record | None:
    """The record with every valid field kept and the others None (or their default).

    Only the rules run on it (references, quotes, editorial rules), never the
    pages: a record that failed its schema blocks the build anyway. Its field
    problems are already reported; salvaging it lets its unknown actor and its
    misquoted evidence be reported in the same run. None when ``item`` is not a
    mapping, or its id is not valid (references to it are then not trusted).
    """
    if not isinstance(item, dict):
        return None
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        raw = item.get(name)
        value = None if raw is None else _field_value(cls, name, raw, doc, path + (name,))
        if value is None and name in ("id", "code"):
            return None
        if value is None and not info.is_required():
            value = info.get_default(call_default_factory=True)
        values[name] = value
    record = cls.model_construct(**values)
    record.locate(doc, path)
    return record


# ---- source articles ------------------------------------------------------


def _source_text(source: Source, project: Project, problems: Problems) -> SourceText | None:
    """Read a source's article, refusing any path that leaves seeds/."""
    pos = source.position("file")
    name = source.file
    if "/" in name or "\\" in name or name.startswith(".") or Path(name).is_absolute():
        problems.add(
            pos,
            f"source file '{name}' must be a plain file name inside seeds/ "
            "(no folders, no '..', no absolute paths)",
        )
        return None
    path = project.seeds / name
    if path.is_symlink():
        problems.add(pos, f"source file '{name}' is a symbolic link; copy the article into seeds/")
        return None
    if not path.is_file():
        known = sorted(p.name for p in project.seeds.glob("*.txt"))
        problems.add(pos, f"source file '{name}' not found in seeds/{did_you_mean(name, known)}")
        return None
    try:
        raw = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        problems.add(pos, f"cannot read source file '{name}' as UTF-8 text: {exc}")
        return None
    # An article is the ground truth quotes are checked against: a bidi override
    # or a zero-width space in it could make a passage match that reads otherwise.
    if scan_invisible(raw, project.display(path), problems):
        return None
    if source.section:
        whole = SourceText(raw)
        start = _bound(whole, source.section, "starts", 0,
                       f"section start not found in {name}", problems)  # fmt: skip
        if start < 0:
            return None
        end = len(whole.norm)
        if source.section.ends:
            at = _bound(whole, source.section, "ends", start,
                        f"section end not found after its start in {name}", problems)  # fmt: skip
            if at < 0:
                return None
            end = at + len(normalize(source.section.ends))
        return SourceText(whole.norm[start:end])
    return SourceText(raw)


def _bound(
    whole: SourceText, section: Section, field_name: str, start: int, missing: str,
    problems: Problems,
) -> int:  # fmt: skip
    """Where a section's first or last words stand in the article, or -1 after reporting."""
    words = getattr(section, field_name)
    at = find_words(whole.norm, words, start)
    if at < 0:
        problems.add(section.position(field_name), f"{missing}; {whole.explain(words)}")
    return at


def source_texts(
    sources: dict[str, Source], project: Project, problems: Problems
) -> dict[str, SourceText]:
    """Each source's article, by source id; those that cannot be read are reported."""
    texts: dict[str, SourceText] = {}
    for source in sources.values():
        text = _source_text(source, project, problems)
        if text is not None:
            texts[source.id] = text
    return texts


Parsed = tuple[Document, Problems]


def read_file(
    path: Path, project: Project, problems: Problems, cache: ReadCache | None = None
) -> Document:
    """One file read; its syntax problems reported."""
    doc, file_problems = read_yaml(path, project.display(path), cache)
    problems.extend(file_problems)
    return doc


def check_file(
    doc: Document, model: type[M], problems: Problems, dropped: Dropped,
    regions: region_guard.Lookup,
) -> M | None:  # fmt: skip
    """One file's valid records, or None when it could not be read as a mapping."""
    if not isinstance(doc.data, dict):
        dropped.unknown.update(model.model_fields)
        return None
    # Duplicate keys and aliases leave a usable mapping, and a syntax error
    # the entry holding it blanked: keep checking it, so the editor sees the
    # file's other mistakes in the same run.
    dropped.unknown.update(doc.blanked)
    return validate_document(doc, model, problems, dropped, regions)


def _raw_regions(docs: list[Document]) -> region_guard.Lookup:
    """Every spelling of every region as the files write them, before any is validated.

    Claims are checked before regions.yml (files go in name order), and a region
    typed as 'Kherson' should get its code suggested all the same.
    """
    raw = [
        item
        for doc in docs
        if isinstance(doc.data, dict) and isinstance(doc.data.get("regions"), list)
        for item in doc.data["regions"]
    ]
    return region_guard.lookup(raw)


#: From how many files no cache holds half are read beside: a cold build's
#: YAML walk, 1.5 s of 10,000 claims' 84 files; an edit's one file stays in line.
READ_BESIDE_FROM = 8


def _read_documents(
    paths: list[Path], project: Project, problems: Problems, cache: ReadCache | None,
    beside: Beside,
) -> list[Document]:  # fmt: skip
    """Every file of ``paths`` read, in order, its problems reported in that order.

    The files the cache knows are read here (a save changed one of them, at
    most). Of the others, from :data:`READ_BESIDE_FROM` of them, every second
    one is read beside, and comes back as the cache keeps it: plain values,
    which marshal carries several times as fast as pickle carries a Document.
    """
    unknown = [path for path in paths if cache is None or not cache.holds(path)]
    away = set(unknown[1::2]) if len(unknown) >= READ_BESIDE_FROM else set()
    there = beside(_read_unknown, [p for p in paths if p in away], project) if away else None
    here = {path: read_yaml(path, project.display(path), cache) for path in paths
            if path not in away}  # fmt: skip
    came = there.result() if there is not None else {}
    docs = []
    for path in paths:
        if path in here:
            doc, file_problems = here[path]
        else:
            raw, data, file_problems = came[path]
            doc = readcache.unmarshalled(path, data)
            if cache is not None and raw is not None:
                cache.keep(path, raw, doc)
        problems.extend(file_problems)
        docs.append(doc)
    return docs


def _read_unknown(
    paths: list[Path], project: Project
) -> dict[Path, tuple[bytes | None, bytes, Problems]]:
    """Each file read without a cache: what a cache would keep of it (its bytes, if it
    was read without a problem), its Document as marshal data, and its problems."""
    done = {}
    for path in paths:
        kept = readcache.Recorder()
        doc, file_problems = read_yaml(path, project.display(path), kept)
        done[path] = (kept.raw, readcache.marshalled(doc), file_problems)
    return done


@dataclass
class Files:
    """What the files hold, before any record is checked against another."""

    manifest: SourcesFile | None
    contents: list[ContentFile]
    #: Every content file's display path, read or not.
    names: list[str]
    dropped: Dropped


def read_files(
    project: Project,
    problems: Problems,
    cache: ReadCache | None = None,
    beside: Beside = InLine,
) -> Files:
    """The manifest and every content file, in order, each checked against the model.
    ``cache``: files read before (see :class:`~generator.content.readcache.ReadCache`).
    ``beside``: where half of the files no cache holds are read (:func:`_read_documents`)."""
    dropped = Dropped()
    manifest = None
    if project.manifest.exists():
        doc = read_file(project.manifest, project, problems, cache)
        manifest = check_file(doc, SourcesFile, problems, dropped, {})
    else:
        problems.add(Position(project.display(project.manifest)), "source manifest is missing")
        dropped.unknown.add("sources")
    paths = project.content_files()
    docs = _read_documents(paths, project, problems, cache, beside)
    regions = _raw_regions(docs)
    contents: list[ContentFile] = []
    for doc in docs:
        content = check_file(doc, ContentFile, problems, dropped, regions)
        if content is not None:
            contents.append(content)
    return Files(manifest, contents, [project.display(p) for p in paths], dropped)
