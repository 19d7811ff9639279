"""`rename KIND OLD NEW` on a copy of the real content: every reference, nothing else.

The acceptance test renames the actor ``kremlin`` (15 references), then checks
the files line by line (only the id tokens changed, comments kept, other files
untouched), runs `check`, builds, and follows the old anchor in the built page.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.build.check import PUBLISHED_IDS, check_project
from generator.cli.rename import project_files
from generator.content import published as published_module
from generator.content.factbase import FactBase, load
from generator.content.model import ContentFile
from generator.content.project import Project
from generator.content.published import last_build, published_ids, vanished
from generator.content.rename import Rename, RenameError, apply, plan_rename, refers_to
from generator.maps.spec import MapSpec
from generator.outputs.opendata import facts

from .browser.support import VNU_JAR, run_vnu, vnu_errors
from .browser.vnu_allow import VNU_ALLOWED
from .conftest import REPO, run_cli

AS_OF = "2025-08-10"
OLD, NEW = "kremlin", "russian-presidency"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


def copy_project(dest: Path) -> Path:
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest / "content"


def yaml_files(root: Path) -> dict[str, Path]:
    paths = [*root.glob("content/**/*.yml"), root / "seeds" / "sources.yml"]
    paths += root.glob("maps/*.yml")
    return {p.relative_to(root).as_posix(): p for p in sorted(paths)}


def references_to_actor(fb: FactBase, actor_id: str) -> int:
    """Counted from the loaded model, independently of the rename's own walk."""
    return (
        sum(c.actor == actor_id for c in fb.claims.values())
        + sum(e.actors.count(actor_id) for e in fb.events.values())
        + sum(d.set_by == actor_id for d in fb.deadlines.values())
        + sum(p.proposed_by.count(actor_id) for p in fb.proposals.values())
    )


def renamed(project: Project, kind: str, old: str, new: str) -> None:
    fb, problems = check_project(project)
    assert not problems
    apply(plan_rename(fb, project_files(project), Rename(kind, old, new)))


class Anchors(HTMLParser):
    """For each element id, the ids of the elements around it, innermost first."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.tags: list[str] = []
        self.around: dict[str, list[str]] = {}
        self.before: dict[str, str | None] = {}
        self.count: dict[str, int] = {}
        self.last: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id")
        if ident:
            self.count[ident] = self.count.get(ident, 0) + 1
            self.around[ident] = [i for i in reversed(self.stack) if i]
            self.before[ident], self.last = self.last, ident
        if tag not in VOID:
            self.stack.append(ident)
            self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.tags:
            while self.tags:
                self.stack.pop()
                if self.tags.pop() == tag:
                    break


@pytest.fixture(scope="module")
def acceptance(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("rename")
    content = copy_project(root)
    project = Project.at(content)
    before_fb, problems = load(project)
    assert not problems
    before = {name: p.read_bytes() for name, p in yaml_files(root).items()}
    mtimes = {name: p.stat().st_mtime_ns for name, p in yaml_files(root).items()}
    result = run_cli("rename", "actor", OLD, NEW, "--content", content)
    # What the rename left, kept before later tests rename more in the same copy.
    after = {name: p.read_bytes() for name, p in yaml_files(root).items()}
    mtimes_after = {name: p.stat().st_mtime_ns for name, p in yaml_files(root).items()}
    check = run_cli("check", "--content", content)
    after_fb, after_problems = load(project)
    return {"root": root, "project": project, "before": before, "mtimes": mtimes,
            "before_fb": before_fb, "result": result, "after": after,
            "mtimes_after": mtimes_after, "check": check, "after_fb": after_fb,
            "after_problems": after_problems}  # fmt: skip


def test_the_actor_renamed_has_ten_or_more_references_and_lookalike_ids(acceptance) -> None:
    """The issue's case: 15 references, and ids a find-and-replace would break."""
    fb = acceptance["before_fb"]
    assert references_to_actor(fb, OLD) >= 10
    lookalikes = [i for i in [*fb.sources, *fb.claims, *fb.proposals] if OLD in i]
    assert len(lookalikes) >= 3, lookalikes


def test_rename_rewrites_only_the_id_tokens(acceptance) -> None:
    result = acceptance["result"]
    assert result.returncode == 0, result.stdout + result.stderr
    root, before = acceptance["root"], acceptance["before"]
    changed_tokens = 0
    for name in yaml_files(root):
        old_text, new_text = before[name].decode("utf-8"), acceptance["after"][name].decode("utf-8")
        if old_text == new_text:
            assert acceptance["mtimes_after"][name] == acceptance["mtimes"][name], name
            continue
        old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
        added = f"    previous_ids: [{OLD}]"  # the one line added, under the renamed id
        if name == "content/actors.yml":
            at = new_lines.index(added)
            assert new_lines[at - 1] == f"  - id: {NEW}" and new_lines.count(added) == 1
            del new_lines[at]
        assert len(new_lines) == len(old_lines), name
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                continue
            assert op == "replace" and a2 - a1 == b2 - b1, (name, op, old_lines[a1:a2])
            for old_line, new_line in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True):
                # Every change is the whole token OLD becoming NEW; the rest of the line stays.
                pattern = rf"(?<![a-z0-9-]){OLD}(?![a-z0-9-])"
                assert re.sub(pattern, NEW, old_line) == new_line, (name, old_line, new_line)
                changed_tokens += len(re.findall(pattern, old_line))
        assert [line for line in old_lines if line.lstrip().startswith("#")] == [
            line for line in new_lines if line.lstrip().startswith("#")
        ], f"{name}: comments changed"
    fb = acceptance["before_fb"]
    assert changed_tokens == references_to_actor(fb, OLD) + 1  # and the id itself


def test_after_rename_check_is_clean_and_no_other_id_changed(acceptance) -> None:
    old_fb, check = acceptance["before_fb"], acceptance["check"]
    assert check.returncode == 0, check.stderr
    fb = acceptance["after_fb"]
    assert not acceptance["after_problems"]
    assert set(fb.actors) == set(old_fb.actors) - {OLD} | {NEW}
    assert fb.actors[NEW].previous_ids == [OLD]
    for table in ("sources", "claims", "events", "deadlines", "proposals", "framings"):
        assert set(getattr(fb, table)) == set(getattr(old_fb, table)), table
    assert "reuters-kremlin-terms" in fb.sources and "kremlin-terms-late-2024" in fb.proposals
    for claim in fb.claims.values():
        was = old_fb.claims[claim.id].actor
        assert claim.actor == (NEW if was == OLD else was)


#: One entry of each other kind, the page showing it, and its anchor prefix.
ONE_OF_EACH = {
    "claim": ("putin-claims-four-regions", "who-claims-what/territory-russia", "claim"),
    "event": ("crimea-annexation-2014", "timeline", "event"),
    "deadline": ("trump-ceasefire-deadline-2025-08-08", "deadlines", "deadline"),
    "proposal": ("istanbul-draft-2022", "proposals", "proposal"),
    "source": ("lock-in-report", "sources", "src"),
}


@pytest.fixture(scope="module")
def every_kind_built(acceptance) -> Path:
    """The acceptance copy (its actor renamed), one entry of every other kind renamed, built."""
    project = acceptance["project"]
    for kind, (old, _page, _prefix) in ONE_OF_EACH.items():
        renamed(project, kind, old, f"{old}-renamed")
    result = run_cli("build", "--content", project.content, "--as-of", AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "site"


def test_after_a_build_the_old_anchor_lands_on_the_entry(every_kind_built, acceptance) -> None:
    anchors = Anchors()
    anchors.feed((every_kind_built / "people" / "index.html").read_text(encoding="utf-8"))
    assert anchors.count.get(f"actor-{OLD}") == 1
    assert anchors.count.get(f"actor-{NEW}") == 1
    assert anchors.around[f"actor-{OLD}"][0] == f"actor-{NEW}"
    # The build's open data keeps the old ids too, so the next check knows they were renamed.
    project = acceptance["project"]
    fb, _ = load(project)
    published = published_ids(last_build(project))
    assert {OLD, NEW} <= published["actor"] and "lock-in-report" in published["source"]
    assert vanished(fb, published) == []


def test_the_build_keeps_the_ids_it_published_for_the_next_check(
    every_kind_built: Path, acceptance: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next check gets the ids without reading facts.json, and they are its ids
    (with the previous ids of every kind just renamed)."""
    project = acceptance["project"]
    facts_json = last_build(project)
    written = published_module._read_ids(facts_json)
    assert {f"{old}-renamed" for old, _page, _prefix in ONE_OF_EACH.values()} <= set().union(
        *written.values()
    )
    monkeypatch.setattr(published_module, "_read_ids", lambda _p: pytest.fail("read again"))
    assert published_ids(facts_json, project.cache / PUBLISHED_IDS) == written


@pytest.mark.parametrize("kind", ONE_OF_EACH)
def test_every_kind_keeps_its_old_anchor_on_its_page(every_kind_built: Path, kind: str) -> None:
    old, page, prefix = ONE_OF_EACH[kind]
    anchors = Anchors()
    anchors.feed((every_kind_built / page / "index.html").read_text(encoding="utf-8"))
    alias, entry = f"{prefix}-{old}", f"{prefix}-{old}-renamed"
    assert anchors.count.get(alias) == 1 and anchors.count.get(entry) == 1
    # Inside the entry, or (a proposal, whose anchor is its heading) just after it.
    assert entry in (anchors.around[alias][:1] + [anchors.before[alias]])


def test_no_page_repeats_an_id_after_renames(every_kind_built: Path) -> None:
    for path in sorted(every_kind_built.rglob("*.html")):
        anchors = Anchors()
        anchors.feed(path.read_text(encoding="utf-8"))
        assert all(n == 1 for n in anchors.count.values()), path


def test_the_pages_with_alias_anchors_are_valid_html(every_kind_built: Path) -> None:
    assert VNU_JAR.is_file(), "run ./scripts/install-test-deps.sh for the Nu HTML checker"
    pages = {page.rsplit("/", 1)[-1] for _old, page, _prefix in ONE_OF_EACH.values()} | {"people"}
    report = run_vnu(every_kind_built)
    errors, _ = vnu_errors(report.messages, VNU_ALLOWED)
    assert {p.parent.name for p in report.checked} >= pages
    assert not errors, errors[:20]


@pytest.fixture
def real(tmp_path: Path) -> Project:
    return Project.at(copy_project(tmp_path))


def _tree(project: Project) -> dict[str, bytes]:
    return {name: p.read_bytes() for name, p in yaml_files(project.root).items()}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("actor", "kremln", "x"), "unknown actor 'kremln'; did you mean 'kremlin'?"),
        (("actor", "kremlin", "vladimir-putin"),
         "'vladimir-putin' is already the id of the actor at content/actors.yml:"),
        (("actor", "kremlin", "Kremlin!"), "'Kremlin!' is not a valid id"),
        (("actor", "kremlin", "kremlin"), "already has that id"),
        (("region", "Kiev", "Kherson"), "the name 'Kherson' is already used by UA-65"),
        (("region", "UA-30", "Kyiv City"),
         "region codes are ISO 3166-2:UA codes and are never renamed"),
    ],
)  # fmt: skip
def test_refusals_exit_1_and_change_nothing(real: Project, args: tuple[str, ...], message: str):
    before = _tree(real)
    result = run_cli("rename", *args, "--content", real.content)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr
    assert "nothing was changed" in result.stderr and "Traceback" not in result.stderr
    assert _tree(real) == before


def test_rename_refuses_content_that_fails_check(real: Project) -> None:
    path = real.content / "actors.yml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: broken\n", encoding="utf-8")
    before = _tree(real)
    result = run_cli("rename", "actor", OLD, NEW, "--content", real.content)
    assert result.returncode == 1 and "fix them first" in result.stderr
    assert _tree(real) == before


def test_markup_tokens_in_prose_are_rewritten_whole(real: Project) -> None:
    path = real.content / "claims" / "negotiations.yml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"^    text: >-\n", text, re.MULTILINE)
    assert first
    prose = "      See {actor:kremlin}, {actor:kremlin-aide}, {source:kremlin}, {actor:kremlin}.\n"
    path.write_text(text[: first.end()] + prose + text[first.end() :], encoding="utf-8")
    # The two tokens that name nothing are check errors of their own; the rename
    # must still leave them as they are.
    fb, _ = check_project(real)
    apply(plan_rename(fb, project_files(real), Rename("actor", OLD, NEW)))
    new_text = path.read_text(encoding="utf-8")
    assert (
        "      See {actor:russian-presidency}, {actor:kremlin-aide}, {source:kremlin}, "
        "{actor:russian-presidency}.\n" in new_text
    )
    messages = [p.message for p in check_project(real)[1]]
    assert messages == [
        "{actor:kremlin-aide} names no actor",
        "{source:kremlin} names no source",
    ]


def test_a_source_rename_reaches_citations_and_framings(real: Project) -> None:
    old_fb, _ = load(real)
    renamed(real, "source", "reuters-kremlin-terms", "reuters-terms-2024")
    fb, problems = check_project(real)
    assert not problems
    assert fb.sources["reuters-terms-2024"].previous_ids == ["reuters-kremlin-terms"]
    assert len(fb.citing("reuters-terms-2024")) == len(old_fb.citing("reuters-kremlin-terms")) > 5
    wordings = [w.source for f in fb.framings.values() for w in f.wordings]
    assert "reuters-terms-2024" in wordings and "reuters-kremlin-terms" not in wordings
    assert "kremlin" in fb.actors  # the actor of a similar name is untouched


def test_a_claim_rename_reaches_map_specs_and_responses(real: Project) -> None:
    renamed(real, "claim", "putin-claims-four-regions", "putin-claims-four-oblasts")
    spec = (real.maps / "russia-claims.yml").read_text(encoding="utf-8")
    assert "putin-claims-four-oblasts" in spec and "putin-claims-four-regions" not in spec
    fb, problems = check_project(real)
    assert not problems
    assert "putin-claims-four-regions" not in fb.claims


def test_renaming_back_swaps_the_previous_id(real: Project) -> None:
    renamed(real, "actor", OLD, NEW)
    renamed(real, "actor", NEW, OLD)
    fb, problems = check_project(real)
    assert not problems
    assert fb.actors[OLD].previous_ids == [NEW]
    renamed(real, "actor", OLD, "presidential-administration")
    fb, _ = load(real)
    assert fb.actors["presidential-administration"].previous_ids == [NEW, OLD]


def test_an_old_id_of_another_entry_is_refused(real: Project) -> None:
    renamed(real, "actor", OLD, NEW)
    fb, _ = load(real)
    with pytest.raises(RenameError, match="was the id of the actor 'russian-presidency'"):
        plan_rename(fb, project_files(real), Rename("actor", "vladimir-putin", OLD))
    with pytest.raises(RenameError, match="already renamed to 'russian-presidency'"):
        plan_rename(fb, project_files(real), Rename("actor", OLD, "x"))


def test_a_region_alias_rename_changes_that_alias_only(real: Project) -> None:
    path = real.content / "regions.yml"
    before = path.read_text(encoding="utf-8")
    renamed(real, "region", "Zaporozhye", "Zaporozhe")
    diff = [line for line in difflib.ndiff(before.splitlines(), path.read_text("utf-8").splitlines())
            if line[:1] in "+-"]  # fmt: skip
    assert diff == ['-     aliases: ["Zaporozhye"]', '+     aliases: ["Zaporozhe"]']


def test_every_reference_field_is_marked_with_the_kind_it_names() -> None:
    marked: set[str] = set()

    def visit(model: type, seen: set[type]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            if kind := refers_to(info):
                marked.add(f"{model.__name__}.{name}→{kind}")
            for arg in re.findall(r"\b[A-Z]\w+", str(info.annotation)):
                sub = getattr(__import__(model.__module__, fromlist=[arg]), arg, None)
                if isinstance(sub, type) and hasattr(sub, "model_fields"):
                    visit(sub, seen)

    visit(ContentFile, set())
    visit(MapSpec, set())
    assert marked == {
        "Citation.source→source", "Wording.source→source", "Claim.actor→actor",
        "Claim.conflicts_with→claim", "Event.conflicts_with→event",
        "Claim.proposal→proposal", "Claim.event→event", "Claim.responds_to→claim",
        "Claim.regions→region", "Event.actors→actor", "Event.regions→region",
        "Deadline.set_by→actor", "Deadline.superseded_by→deadline",
        "Proposal.proposed_by→actor", "Region.code→region", "Assignment.regions→region",
        "Assignment.claims→claim", "Overlay.regions→region", "Overlay.claims→claim",
    }  # fmt: skip


def test_a_published_id_renamed_by_hand_is_reported(real: Project, tmp_path: Path) -> None:
    fb, _ = load(real)
    published = tmp_path / "facts.json"
    published.write_text(json.dumps(facts(fb, dt.date(2025, 8, 10))), encoding="utf-8")
    for path in yaml_files(real.root).values():  # the rename an editor might do by hand
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?<![a-z0-9-])kremlin(?![a-z0-9-])", "kremlin-office", text)
        path.write_text(text, encoding="utf-8")
    fb, problems = load(real)
    assert not problems
    warnings = vanished(fb, published_ids(published))
    assert len(warnings) == 1
    position, message = warnings[0]
    assert str(position).startswith("content/actors.yml:")
    assert "the actor 'kremlin' was published" in message
    assert "add 'previous_ids: [kremlin]'" in message and "'kremlin-office'" in message
    assert vanished(fb, published_ids(tmp_path / "missing.json")) == []


def test_the_published_ids_are_kept_while_facts_json_is_the_same_file(tmp_path: Path) -> None:
    """The kept ids serve only the file they were read from: a replaced facts.json
    (a new build; same size and time are not enough) is read again."""
    published, kept = tmp_path / "facts.json", tmp_path / "cache" / "ids.marshal"

    def publish(*ids: str) -> None:
        data = json.dumps({"actors": [{"id": i, "previous_ids": []} for i in ids]})
        tmp = tmp_path / "facts.tmp"
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(published)  # as the build does: a new file, not the old one rewritten

    publish("aaa", "bbb")
    assert published_ids(published, kept)["actor"] == {"aaa", "bbb"}
    stamp = published.stat()
    publish("ccc", "ddd")  # same size; give it the old time too
    os.utime(published, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert published_ids(published, kept)["actor"] == {"ccc", "ddd"}
    published.write_text("not json", encoding="utf-8")  # what the kept ids now stand for?
    os.utime(published, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert published_ids(published, kept) == {}
    kept.write_bytes(b"damaged")
    publish("eee", "fff")
    assert published_ids(published, kept)["actor"] == {"eee", "fff"}
    with pytest.MonkeyPatch.context() as mp:  # the same file again: served kept, not read
        mp.setattr(published_module, "_read_ids", lambda _path: pytest.fail("read again"))
        assert published_ids(published, kept)["actor"] == {"eee", "fff"}


def test_a_dry_run_lists_the_files_and_writes_nothing(real: Project) -> None:
    before = _tree(real)
    result = run_cli("rename", "actor", OLD, NEW, "--dry-run", "--content", real.content)
    assert result.returncode == 0, result.stderr
    assert "content/events.yml: 4 changes" in result.stdout
    assert "nothing was written" in result.stdout
    assert _tree(real) == before
