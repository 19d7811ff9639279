"""Where a project's parts live: content, seeds, maps, generated docs, site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The package's own repository, used when no other content folder is given.
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Project:
    """A set of folders that build one site.

    ``root`` is the parent of the content folder; seeds and maps live beside
    content, so a test can copy the three folders anywhere and build there.
    """

    root: Path
    content: Path

    @classmethod
    def at(cls, content: Path | str | None = None) -> Project:
        content_dir = Path(content) if content else REPO_ROOT / "content"
        content_dir = content_dir.resolve()
        return cls(root=content_dir.parent, content=content_dir)

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def maps(self) -> Path:
        return self.root / "maps"

    @property
    def manifest(self) -> Path:
        return self.seeds / "sources.yml"

    @property
    def build_dir(self) -> Path:
        """Git-ignored working folder: generated docs and caches."""
        return self.root / "build"

    @property
    def docs(self) -> Path:
        """The generated Markdown folder, which mkdocs.yml names as docs_dir."""
        return self.build_dir / "docs"

    @property
    def cards(self) -> Path:
        """Every card's HTML, which the post-build step fills into the pages' slots: a
        folder of shards (:mod:`generator.site.cardstore`)."""
        return self.build_dir / "cards"

    @property
    def cache(self) -> Path:
        return self.build_dir / "cache"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def config_file(self) -> Path:
        """The project's mkdocs.yml, or the repository's for a bare content folder."""
        return self.mkdocs_yml if self.mkdocs_yml.exists() else REPO_ROOT / "mkdocs.yml"

    def site_url(self) -> str:
        """site_url from mkdocs.yml, for absolute links in JSON-LD, feeds and Open Graph."""
        import yaml

        try:
            text = self.config_file.read_text(encoding="utf-8")
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:  # mkdocs.yml may use tags such as !ENV; MkDocs reports those
            return ""
        return str((data or {}).get("site_url") or "")

    def content_files(self) -> list[Path]:
        """Every YAML file under content/, in a stable order."""
        files = [
            p
            for p in self.content.rglob("*")
            if p.suffix in (".yml", ".yaml") and not p.name.startswith(".")
        ]
        return sorted(files, key=lambda p: p.relative_to(self.content).as_posix())

    def display(self, path: Path) -> str:
        from generator.content.problems import display_path

        return display_path(path, self.root)
