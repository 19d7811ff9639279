"""`build` after an edit renders only what the edit changed, and gives the same bytes.

An incremental build starts from a copy of the site in place, lets the engine
render the pages whose Markdown changed, and fills the changed cards into the
pages that show them. It must end exactly where a build from nothing ends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .test_build_integrity import tree_hash

EPOCH = "1754784000"


def project(root: Path) -> Path:
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "custom_dir: generator/theme", f"custom_dir: {REPO / 'generator/theme'}"
    ).replace("- generator/mkdocs_hooks.py", f"- {REPO / 'generator/mkdocs_hooks.py'}")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "content"


def build(content: Path, site: Path, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(content),
         "--site-dir", str(site), *extra],
        capture_output=True, text=True, cwd=REPO, timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def edit(content: Path, old: str, new: str) -> Path:
    for path in sorted((content / "claims").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            return path
    raise AssertionError(f"{old!r} is in no claims file")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("incremental")
    content = project(root)
    site = root / "site"
    assert build(content, site).startswith("Built: ")
    return content, site


def test_an_edited_claim_rebuilds_incrementally_to_the_same_bytes(built, tmp_path: Path) -> None:
    content, site = built
    sitemap = (site / "sitemap.xml").stat().st_ino  # MkDocs writes it anew in every run
    edit(content, "    text: ", "    text: Edited for the test. ")
    out = build(content, site)
    assert out.startswith("Built (only the changed pages rendered)"), out
    # A claim's text is on its card and in the open data: no page's Markdown changed,
    # so MkDocs did not run, and the post-step filled the card in.
    assert (site / "sitemap.xml").stat().st_ino == sitemap
    # The open data the edit changed is in place as the generated file itself, not a copy.
    made = content.parent / "build/docs/data/facts.json"
    assert (site / "data/facts.json").stat().st_ino == made.stat().st_ino
    pages = [p for p in site.rglob("*.html") if "Edited for the test." in p.read_text("utf-8")]
    assert pages, "the edit reached no page"
    fresh = tmp_path / "fresh"
    assert build(content, fresh, "--force").startswith("Built: ")
    assert tree_hash(site) == tree_hash(fresh)


def test_an_edited_summary_changes_the_listing_block_and_still_gives_the_same_bytes(
    built, tmp_path: Path
) -> None:
    """A claim's summary is on its card and on the closed card's line in its group's
    list, which travels as a block keyed by its content: the page's Markdown
    changes, the engine renders that page again, and the site ends as a build
    from nothing ends."""
    content, site = built
    build(content, site)  # the site in place is the one built last (a test before built another)
    edit(content, "    summary: ", "    summary: Summary edited for the test. ")
    out = build(content, site)
    assert out.startswith("Built (only the changed pages rendered)"), out
    listed = [
        p for p in site.rglob("*.html")
        if 'class="wcw-item__what">Summary edited for the test.' in p.read_text("utf-8")
    ]  # fmt: skip
    assert listed, "the edit reached no list"
    fresh = tmp_path / "fresh"
    assert build(content, fresh, "--force").startswith("Built: ")
    assert tree_hash(site) == tree_hash(fresh)


def test_an_edits_build_moves_the_old_site_aside_and_the_next_build_removes_it(built) -> None:
    """The site an edit's build replaces waits in build/old-sites, not beside the site,
    and only until the next build."""
    content, site = built
    build(content, site)
    old_sites = content.parent / "build/old-sites"
    for n in (1, 2):
        edit(content, "    text: ", f"    text: Edit {n} of the old sites. ")
        assert build(content, site).startswith("Built (only the changed pages rendered)")
        (old,) = old_sites.iterdir()  # this build's old site; the one before it is gone
        assert f"Edit {n} of the old sites." not in (old / "who-claims-what/index.html").read_text(
            "utf-8"
        )
    assert not [p for p in site.parent.iterdir() if p.name.startswith((".site.tmp-", ".site.old"))]


def test_a_build_that_adds_a_page_or_changes_nothing_leaves_only_the_site(
    built, tmp_path: Path
) -> None:
    """While its check runs, an edit's build starts its staging folder as a copy of the
    site in place. A region a claim names for the first time gets a page (a
    full build: the copy is set aside); a build with nothing to do needs no
    copy. Neither leaves one behind, and the site is a build from nothing's."""
    content, site = built
    build(content, site)
    old_sites = content.parent / "build/old-sites"
    edit(content, "    regions: [UA-14]\n", "    regions: [UA-14, UA-05]\n")  # Vinnytsia
    assert build(content, site).startswith("Built: ")
    assert (site / "regions/vinnytsia/index.html").is_file()
    assert build(content, site).startswith("Site is up to date")
    assert len(list(old_sites.iterdir())) <= 1
    assert not [p for p in site.parent.iterdir() if p.name.startswith((".site.tmp-", ".site.old"))]
    fresh = tmp_path / "fresh"
    assert build(content, fresh, "--force").startswith("Built: ")
    assert tree_hash(site) == tree_hash(fresh)


def test_a_dead_link_fails_an_edits_build_and_leaves_the_site_as_it_was(
    built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit's links are checked while its search is indexed, after the post-step
    (:func:`generator.build.pipeline.finish`): a dead link on a page the edit
    changed still fails the build, before the swap."""
    from generator.build import pipeline
    from generator.build.errors import BuildError
    from generator.content.files import write_atomic
    from generator.content.project import Project

    content, site = built
    build(content, site)  # the site in place is the one built last
    before = tree_hash(site)
    edit(content, "    text: ", "    text: Edited before a dead link. ")
    fill = pipeline.fix_html

    def with_a_dead_link(staging: Path, *args: object) -> list[str]:
        changed = fill(staging, *args)
        page = staging / "index.html"  # replaced, not rewritten: it is shared with the site
        dead = page.read_bytes().replace(b"</article>", b'<a href="gone/">x</a></article>', 1)
        write_atomic(page, dead)
        return changed

    monkeypatch.setattr(pipeline, "fix_html", with_a_dead_link)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with pytest.raises(BuildError, match="1 broken internal links") as failed:
        pipeline.build(Project.at(content), site_dir=site)
    assert "index.html: gone/ (no such page)" in str(failed.value)
    assert tree_hash(site) == before
    assert not list(site.parent.glob(".site.tmp-*"))


def test_a_changed_engine_input_rebuilds_everything(built) -> None:
    content, site = built
    config = content.parent / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("site_name: Who Claims What", "site_name: WCW"), "utf-8"
    )
    edit(content, "    text: ", "    text: Second edit. ")
    out = build(content, site)
    assert out.startswith("Built: "), out  # not incremental: every page has the new name
    engine_pages = [p.read_text("utf-8") for p in site.rglob("index.html")]
    engine_pages = [t for t in engine_pages if 'class="md-header' in t]
    assert len(engine_pages) >= 30 and all("WCW" in t for t in engine_pages)


def test_the_kept_reading_of_pages_never_hides_a_new_dead_link(tmp_path: Path) -> None:
    """The link check keeps each page's ids and links for the next build and reads
    again only pages whose size or time changed: a link broken, or an anchor
    removed, since the last check is still reported."""
    from generator.build.postbuild import broken_links

    site, kept = tmp_path / "site", tmp_path / "links-read.marshal"
    (site / "b").mkdir(parents=True)
    (site / "index.html").write_text('<a href="b/#here">b</a>', encoding="utf-8")
    (site / "b" / "index.html").write_text('<h2 id="here">B</h2>', encoding="utf-8")
    assert broken_links(site, kept=kept) == [] and kept.exists()
    assert broken_links(site, kept=kept) == []  # read from what was kept

    (site / "b" / "index.html").write_text('<h2 id="moved">B</h2>', encoding="utf-8")
    assert broken_links(site, kept=kept) == ["index.html: b/#here (no such anchor)"]
    (site / "index.html").write_text('<a href="c/">c</a>', encoding="utf-8")
    assert broken_links(site, kept=kept) == ["index.html: c/ (no such page)"]
    kept.write_bytes(b"not json")  # a damaged file is read past, not trusted
    assert broken_links(site, kept=kept) == ["index.html: c/ (no such page)"]
    (site / "c").mkdir()
    (site / "c" / "index.html").write_text("<p>C</p>", encoding="utf-8")
    assert broken_links(site, kept=kept) == [], "a page added: the unchanged page's link is checked"


def test_the_link_check_checks_again_only_the_pages_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the files and every page's ids stay the same, an unchanged page's
    verdict is kept (its dead link still reported); a changed page is checked."""
    from generator.build import postbuild

    site, kept = tmp_path / "site", tmp_path / "links-read.marshal"
    (site / "b").mkdir(parents=True)
    (site / "index.html").write_text('<a href="b/#gone">b</a>', encoding="utf-8")
    (site / "b" / "index.html").write_text('<h2 id="here">B</h2><a href="../#top">up</a>', "utf-8")
    dead = ["index.html: b/#gone (no such anchor)", "b/index.html: ../#top (no such anchor)"]
    assert sorted(postbuild.broken_links(site, kept=kept)) == sorted(dead)

    checked: list[str] = []
    real = postbuild._broken_on
    monkeypatch.setattr(
        postbuild, "_broken_on", lambda rel, *a: checked.append(rel) or real(rel, *a)
    )
    (site / "b" / "index.html").write_text(
        '<h2 id="here">B, edited</h2><a href="../#top">up</a>', "utf-8"
    )
    assert sorted(postbuild.broken_links(site, kept=kept)) == sorted(dead)
    assert checked == ["b/index.html"], "only the edited page is checked again"

    checked.clear()
    (site / "index.html").write_text('<h1 id="top">Home</h1><a href="b/#gone">b</a>', "utf-8")
    assert postbuild.broken_links(site, kept=kept) == [dead[0]], "a new anchor mends b's link"
    assert sorted(checked) == ["b/index.html", "index.html"], "new ids: every page is checked"


def test_pages_read_on_the_other_core_have_their_dead_links_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build reads every other page's links in a child process: a dead link or
    a missing anchor on either half is reported, as one core finds them."""
    from generator.build import postbuild

    site = tmp_path / "site"
    for n in range(6):
        (site / f"p{n}").mkdir(parents=True)
        link = f"../p{(n + 1) % 6}/#s{(n + 1) % 6}" if n not in (2, 3) else f"../p{n}x/"
        (site / f"p{n}" / "index.html").write_text(f'<h2 id="s{n}">S</h2><a href="{link}">x</a>')
    one = sorted(postbuild.broken_links(site))
    started: list[object] = []
    real = postbuild.beside
    monkeypatch.setattr(postbuild, "beside", lambda *job: started.append(job) or real(*job))
    monkeypatch.setattr(postbuild, "PAGES_BESIDE", 2)
    assert (
        sorted(postbuild.broken_links(site))
        == one
        == [
            "p2/index.html: ../p2x/ (no such page)",
            "p3/index.html: ../p3x/ (no such page)",
        ]
    )
    assert len(started) == 1


def test_a_file_added_to_the_theme_is_published_though_its_file_list_is_kept(
    tmp_path: Path,
) -> None:
    """MkDocs' listing of the theme's 14,000 files is kept between builds
    (:func:`~generator.build.mkdocs_run.keep_theme_files`); a file added to the
    site's own theme folder must still reach the site."""
    content = project(tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "generator/theme", theme)
    config = tmp_path / "mkdocs.yml"
    text = config.read_text("utf-8").replace(f"custom_dir: {REPO / 'generator/theme'}",
                                             f"custom_dir: {theme}")  # fmt: skip
    config.write_text(text, "utf-8")
    site = tmp_path / "site"
    build(content, site)
    assert (tmp_path / "build/engine-theme-files.marshal").is_file()
    (theme / "wcw-added.txt").write_text("added to the theme\n", "utf-8")
    assert build(content, site).startswith("Built: ")  # not "up to date", nor incremental
    assert (site / "wcw-added.txt").read_text("utf-8") == "added to the theme\n"


def test_a_change_to_the_projects_own_theme_or_hooks_builds_again(tmp_path: Path) -> None:
    """The up-to-date check hashes the theme overrides and hooks a project's mkdocs.yml
    names, not only the package's: an edit to one reaches every page."""
    content = project(tmp_path)
    theme, hooks = tmp_path / "theme", tmp_path / "hooks.py"
    shutil.copytree(REPO / "generator/theme", theme)
    shutil.copy(REPO / "generator/mkdocs_hooks.py", hooks)
    config = tmp_path / "mkdocs.yml"
    text = config.read_text("utf-8")
    text = text.replace(f"custom_dir: {REPO / 'generator/theme'}", "custom_dir: theme")
    text = text.replace(f"- {REPO / 'generator/mkdocs_hooks.py'}", "- hooks.py")
    config.write_text(text, "utf-8")
    site = tmp_path / "site"
    assert build(content, site).startswith("Built: ")
    assert "up to date" in build(content, site)
    main = theme / "main.html"
    edited = main.read_text("utf-8").replace(
        "{% block scripts %}", '{% block scripts %}<meta name="wcw-theme" content="edited">'
    )
    main.write_text(edited, "utf-8")
    assert build(content, site).startswith("Built: ")
    pages = [p.read_text("utf-8") for p in site.rglob("index.html")]
    pages = [page for page in pages if 'class="md-header' in page]  # the engine's
    assert len(pages) >= 30
    assert all('<meta name="wcw-theme" content="edited">' in page for page in pages)
    assert "up to date" in build(content, site)
    hooks.write_text(hooks.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert build(content, site).startswith("Built: ")
