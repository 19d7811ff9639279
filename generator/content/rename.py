"""Renaming an entry's id everywhere it is named, as a language server's rename would.

A find-and-replace is not a rename: it would also change ``reuters-kremlin-terms``
when ``kremlin`` is renamed, and the published anchor ``#actor-kremlin`` would die.
Here every file is composed with ruamel.yaml, which keeps each value's place in
the text, and the model says which fields name which kind of entry (the
:data:`~generator.content.model.REFERS_TO` mark). Only those values, the
entry's own id, and ``{KIND:ID}`` markup in prose are rewritten, in place, so
comments, quoting and line breaks stay as the editor wrote them: ruamel's own
dumper would re-indent every list and re-fold long text. The entry records
its old id in ``previous_ids``, from which the site keeps an anchor.

Every edit is planned and verified (the rewritten file must read back as the
old data with exactly the planned changes) before any file is written.
"""

from __future__ import annotations

import copy
import json
import re
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.content.factbase import FactBase
from generator.content.files import write_atomic
from generator.content.markup import MARKUP
from generator.content.model import (
    ID_PATTERN,
    PATTERN_HINTS,
    REFERS_TO,
    Actor,
    Claim,
    Deadline,
    Event,
    Proposal,
    Record,
    Region,
    Source,
)
from generator.content.schema_errors import did_you_mean
from generator.content.yamlfile import PathKey

#: The kinds whose ids can be renamed, and the record class holding each.
KINDS: dict[str, type[Record]] = {
    "actor": Actor,
    "source": Source,
    "claim": Claim,
    "event": Event,
    "deadline": Deadline,
    "proposal": Proposal,
}
#: Region codes are ISO codes and never change; a region's aliases can be renamed.
REGION = "region"


class RenameError(Exception):
    """A rename that cannot be done; the message tells the editor why and what to do."""


@dataclass(frozen=True)
class Rename:
    kind: str
    old: str
    new: str


@dataclass(frozen=True)
class FileEdit:
    """One file's text before and after the rename, and how many values changed."""

    path: Path
    before: str
    after: str
    changes: int


# ---- which fields name which kind ---------------------------------------------------


def _metadata(annotation: Any) -> Iterator[Any]:
    """Every type and Field() inside an annotation (lists, unions, Annotated)."""
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _metadata(arg)


def refers_to(info: FieldInfo) -> str | None:
    """The kind of entry a field names, from the model's mark, or None."""
    for meta in [info, *_metadata(info.annotation)]:
        extra = getattr(meta, "json_schema_extra", None)
        if isinstance(extra, dict) and isinstance(extra.get(REFERS_TO), str):
            return str(extra[REFERS_TO])
    return None


def _record_class(info: FieldInfo) -> type[Record] | None:
    return next(
        (t for t in _metadata(info.annotation) if isinstance(t, type) and issubclass(t, Record)),
        None,
    )


# ---- walking a composed file --------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A value the rename may touch: a reference, a record's own id, an alias, prose."""

    role: str  # "ref", "own", "alias" or "prose"
    kind: str
    node: Node
    path: PathKey
    record: MappingNode | None = None


def _walk(model: type[BaseModel], node: Node, path: PathKey) -> Iterator[Found]:
    """The values of one record (and the records inside it), by what the model says."""
    if not isinstance(node, MappingNode):
        return
    own = next((k for k, cls in KINDS.items() if cls is model), None)
    for key, value in node.value:
        name = key.value
        info = model.model_fields.get(name) if isinstance(name, str) else None
        here = path + (name,)
        if info is None:
            yield from _prose(value, here)
            continue
        kind = refers_to(info)
        nested = _record_class(info)
        if own and name == "id" and isinstance(value, ScalarNode):
            yield Found("own", own, value, here, node)
        elif model is Region and name == "aliases" and isinstance(value, SequenceNode):
            for i, item in enumerate(value.value):
                yield Found("alias", REGION, item, here + (i,), node)
        elif kind and isinstance(value, ScalarNode):
            yield Found("ref", kind, value, here)
        elif kind and isinstance(value, SequenceNode):
            for i, item in enumerate(value.value):
                if isinstance(item, ScalarNode):
                    yield Found("ref", kind, item, here + (i,))
        elif nested and isinstance(value, SequenceNode):
            for i, item in enumerate(value.value):
                yield from _walk(nested, item, here + (i,))
        elif nested:
            yield from _walk(nested, value, here)
        else:
            yield from _prose(value, here)


def _prose(node: Node, path: PathKey) -> Iterator[Found]:
    """Every text value under ``node`` that holds ``{KIND:ID}`` markup."""
    if isinstance(node, ScalarNode):
        if isinstance(node.value, str) and MARKUP.search(node.value):
            yield Found("prose", "", node, path)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            yield from _prose(item, path + (i,))
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _prose(value, path + (key.value,))


# ---- planning the edits of one file -------------------------------------------------


@dataclass
class _Plan:
    """Splices into one file's text, and the data the result must read back as."""

    text: str
    data: Any
    splices: list[tuple[int, int, str]] = field(default_factory=list)
    changes: int = 0

    def get(self, path: PathKey) -> Any:
        target = self.data
        for key in path:
            target = target[key]
        return target

    def set(self, path: PathKey, value: Any) -> None:
        target = self.data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    def result(self) -> str:
        text = self.text
        for start, end, new in sorted(self.splices, reverse=True):
            text = text[:start] + new + text[end:]
        return text


def _reads_back_plain(value: str) -> bool:
    """Whether ``value`` written without quotes is read as that same text (not a number…)."""
    try:
        return bool(yaml.safe_load(f"k: {value}") == {"k": value})
    except yaml.YAMLError:
        return False


def _scalar(node: ScalarNode, value: str) -> str:
    """``value`` written in the node's own style, quoted where plain would not read back."""
    if node.style == "'":
        return "'" + value.replace("'", "''") + "'"
    if node.style == '"' or not _reads_back_plain(value):
        return json.dumps(value, ensure_ascii=False)
    return value


def _replace(plan: _Plan, found: Found, value: str) -> None:
    node = found.node
    assert isinstance(node, ScalarNode)
    if node.style not in (None, "'", '"'):
        raise RenameError(f"cannot rewrite the block text at {found.path}; edit it by hand")
    plan.splices.append((node.start_mark.index, node.end_mark.index, _scalar(node, value)))
    plan.set(found.path, value)
    plan.changes += 1


def _markup(plan: _Plan, found: Found, rename: Rename) -> None:
    node = found.node

    def swap(m: re.Match[str]) -> str:
        hit = m.group(1) == rename.kind and m.group(2) == rename.old
        return f"{{{rename.kind}:{rename.new}}}" if hit else m.group()

    raw = plan.text[node.start_mark.index : node.end_mark.index]
    new_raw = MARKUP.sub(swap, raw)
    if new_raw != raw:
        plan.splices.append((node.start_mark.index, node.end_mark.index, new_raw))
        plan.set(found.path, MARKUP.sub(swap, plan.get(found.path)))
        plan.changes += sum(1 for m in MARKUP.finditer(raw) if swap(m) != m.group())


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _record_previous(plan: _Plan, found: Found, rename: Rename) -> None:
    """Add the old id to the entry's previous_ids, writing the field if it is missing."""
    record = found.record
    assert record is not None
    path = found.path[:-1] + ("previous_ids",)
    entry = {k.value: (k, v) for k, v in record.value}
    newline = "\r\n" if "\r\n" in plan.text else "\n"
    if "previous_ids" not in entry:
        key_node = entry["id"][0]
        at = found.node.end_mark.index
        if record.flow_style:
            plan.splices.append((at, at, f", previous_ids: [{rename.old}]"))
        else:
            at = _line_end(plan.text, at)
            lead = "" if plan.text[:at].endswith("\n") else newline
            indent = " " * key_node.start_mark.column
            plan.splices.append((at, at, f"{lead}{indent}previous_ids: [{rename.old}]{newline}"))
        plan.set(path, [rename.old])
        return
    seq = entry["previous_ids"][1]
    if not isinstance(seq, SequenceNode) or not all(isinstance(i, ScalarNode) for i in seq.value):
        raise RenameError(
            f"previous_ids of {rename.kind} '{rename.old}' must be a list of ids, "
            f"e.g. previous_ids: [{rename.old}]"
        )
    items = [i.value for i in seq.value]
    if rename.new in items:  # renamed back: the new id is no longer a previous one
        index = items.index(rename.new)
        _replace(plan, Found("ref", rename.kind, seq.value[index], path + (index,)), rename.old)
        plan.changes -= 1
        return
    if seq.flow_style:
        close = seq.end_mark.index - 1
        if plan.text[close] != "]":
            raise RenameError(f"cannot read the previous_ids list of '{rename.old}'")
        plan.splices.append((close, close, (", " if items else "") + rename.old))
    else:
        last = seq.value[-1]
        start = plan.text.rfind("\n", 0, last.start_mark.index) + 1
        prefix = plan.text[start : last.start_mark.index]
        if prefix.strip() != "-":
            raise RenameError(f"cannot read the previous_ids list of '{rename.old}'")
        at = _line_end(plan.text, last.end_mark.index)
        plan.splices.append((at, at, f"{prefix}{rename.old}{newline}"))
    plan.set(path, [*items, rename.old])


def _plan_file(path: Path, model: type[BaseModel], rename: Rename) -> tuple[_Plan, int]:
    """The planned edits of one file, and how many entries with the old id it defines."""
    text = path.read_text(encoding="utf-8")
    try:
        root = YAML().compose(text)
        data = yaml.safe_load(text)
    except (YAMLError, yaml.YAMLError) as exc:
        raise RenameError(f"{path}: cannot be read as YAML ({exc}); run check first") from exc
    plan = _Plan(text, copy.deepcopy(data))
    defined = 0
    for found in _walk(model, root, ()) if root is not None else ():
        value = getattr(found.node, "value", None)
        if found.role == "prose":
            _markup(plan, found, rename)
        elif found.kind != rename.kind or value != rename.old:
            continue
        elif found.role == "own":
            _replace(plan, found, rename.new)
            _record_previous(plan, found, rename)
            defined += 1
        else:
            _replace(plan, found, rename.new)
    if plan.splices and yaml.safe_load(plan.result()) != plan.data:
        raise RenameError(
            f"{path}: the rename could not be written without changing something else; "
            "please report this, and rename by hand meanwhile"
        )
    return plan, defined


# ---- checking the request against the content ---------------------------------------


def _table(fb: FactBase, kind: str) -> dict[str, Any]:
    tables: dict[str, dict[str, Any]] = {
        "actor": fb.actors, "source": fb.sources, "claim": fb.claims, "event": fb.events,
        "deadline": fb.deadlines, "proposal": fb.proposals,
    }  # fmt: skip
    return tables[kind]


def _check_id_rename(fb: FactBase, rename: Rename) -> None:
    table = _table(fb, rename.kind)
    kind, old, new = rename.kind, rename.old, rename.new
    earlier = {p: r for r in table.values() for p in r.previous_ids}
    if old not in table:
        if old in earlier:
            raise RenameError(f"{kind} '{old}' was already renamed to '{earlier[old].id}'")
        raise RenameError(f"unknown {kind} '{old}'{did_you_mean(old, table)}")
    if not re.fullmatch(ID_PATTERN, new) or len(new) > 80:
        raise RenameError(f"'{new}' {PATTERN_HINTS[ID_PATTERN]}")
    if new == old:
        raise RenameError(f"{kind} '{old}' already has that id")
    if new in table:
        raise RenameError(
            f"'{new}' is already the id of the {kind} at {table[new].position('id')}; "
            "choose another id (two entries cannot share one)"
        )
    if new in earlier and earlier[new] is not table[old]:
        raise RenameError(
            f"'{new}' was the id of the {kind} '{earlier[new].id}' before it was renamed "
            f"(see its previous_ids at {earlier[new].position('previous_ids')}); old links "
            "lead there, so choose another id"
        )


def _check_alias_rename(fb: FactBase, rename: Rename) -> None:
    old, new = rename.old, rename.new
    aliases = {a: r for r in fb.regions.values() for a in r.aliases}
    if old not in aliases:
        raise RenameError(
            f"no region has the alias '{old}'{did_you_mean(old, aliases)} (region codes "
            "are ISO 3166-2:UA codes and are never renamed; aliases are)"
        )
    if not new.strip() or new != new.strip() or "\n" in new or len(new) > 300:
        raise RenameError(f"'{new}' is not an alias: write one line, without spaces around it")
    owners: list[Actor | Region] = [*fb.actors.values(), *fb.regions.values()]
    names = {n.casefold(): o for o in owners for n in [o.name, *o.aliases]}
    owner = names.get(new.casefold())
    if owner is not None:
        name = owner.code if isinstance(owner, Region) else owner.id
        raise RenameError(f"the name '{new}' is already used by {name}; a name belongs to one")


def plan_rename(
    fb: FactBase, files: Sequence[tuple[Path, type[BaseModel]]], rename: Rename
) -> list[FileEdit]:
    """The edits of every file the rename touches; nothing is written.

    ``files`` pairs each YAML file with the model of its contents, so that maps
    (a stage above this one) bring their own model.
    """
    if rename.kind == REGION:
        _check_alias_rename(fb, rename)
    elif rename.kind in KINDS:
        _check_id_rename(fb, rename)
    else:
        raise RenameError(f"cannot rename a {rename.kind}; kinds: {', '.join([*KINDS, REGION])}")
    edits, defined = [], 0
    for path, model in files:
        plan, count = _plan_file(path, model, rename)
        defined += count
        if plan.splices:
            edits.append(FileEdit(path, plan.text, plan.result(), plan.changes))
    if rename.kind != REGION and defined != 1:
        raise RenameError(f"found {defined} entries with the id '{rename.old}'; run check first")
    return edits


def apply(edits: Sequence[FileEdit]) -> None:
    """Write every planned file (each one atomically)."""
    for edit in edits:
        write_atomic(edit.path, edit.after.encode("utf-8"))
