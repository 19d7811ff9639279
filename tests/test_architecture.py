"""The package's shape: stages import one way, nothing imports in a circle, modules stay small.

The import contracts live in pyproject.toml ([tool.importlinter]) and run here through
``lint-imports``. The cycle check builds its own graph from every module's syntax tree,
counting imports inside functions and under ``TYPE_CHECKING``: a function-level import
only postpones a cycle to the first call, it does not remove it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "generator"
MAX_LINES = 600
MIN_STAGES = 4
#: The stages the layers contract names, bottom first.
STAGES = ("content", "maps", "site", "outputs", "build", "cli")


@dataclass(frozen=True)
class Import:
    """One import statement of the package's own code: who imports what, and where."""

    source: str
    target: str
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}: {self.source} -> {self.target}"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _absolute(node: ast.ImportFrom, name: str, path: Path) -> str:
    """The absolute module a ``from`` import reads from (resolving leading dots)."""
    if not node.level:
        return node.module or ""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _own(target: str, known: dict[str, Path]) -> str | None:
    """The deepest module of the package that ``target`` names, if it is ours."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def imports_of(name: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every import of the package's own modules in one file, at any depth of the tree."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, name, path)
            # `from pkg import mod` imports the module pkg.mod; `from mod import f` reads mod.
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            own = _own(target, known)
            if own is not None and own != name:
                yield Import(name, own, path, node.lineno)


def import_graph() -> dict[str, list[Import]]:
    known = modules()
    return {name: list(imports_of(name, path, known)) for name, path in known.items()}


def strongly_connected(graph: dict[str, list[Import]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that reach each other (size > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in graph[node]:
            if edge.target not in index:
                visit(edge.target)
                low[node] = min(low[node], low[edge.target])
            elif edge.target in on_stack:
                low[node] = min(low[node], index[edge.target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def cycle_through(start: str, group: list[str], graph: dict[str, list[Import]]) -> list[Import]:
    """One shortest cycle from ``start`` back to itself inside ``group`` (breadth first)."""
    members = set(group)
    paths: dict[str, list[Import]] = {start: []}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for edge in graph[node]:
            if edge.target == start:
                return [*paths[node], edge]
            if edge.target in members and edge.target not in paths:
                paths[edge.target] = [*paths[node], edge]
                queue.append(edge.target)
    raise AssertionError(f"{start} is in a cycle group but reaches no cycle")  # pragma: no cover


def describe_cycles(graph: dict[str, list[Import]]) -> list[str]:
    return [
        "\n  ".join(["cycle:", *map(str, cycle_through(group[0], group, graph))])
        for group in strongly_connected(graph)
    ]


# ---- the checks ------------------------------------------------------------------------


def test_import_contracts_hold() -> None:
    """Layers content -> (maps | site) -> outputs -> build -> cli, and the forbidden imports."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    assert lint_imports.exists(), "import-linter is missing: it is in the `test` extra"
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", str(REPO / "pyproject.toml")],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    report = result.stdout.partition("Broken contracts")[2] or result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"import contracts broken:\n{report.strip()}", pytrace=False)


def test_no_import_cycles() -> None:
    cycles = describe_cycles(import_graph())
    if cycles:
        pytest.fail(
            "import cycles (imports inside functions count):\n" + "\n".join(cycles), pytrace=False
        )


def test_at_least_four_stage_subpackages() -> None:
    subpackages = {
        path.parent.name
        for path in PACKAGE.glob("*/__init__.py")
        if any(p.name != "__init__.py" for p in path.parent.glob("*.py"))
    }
    assert len(subpackages) >= MIN_STAGES, sorted(subpackages)
    missing = [stage for stage in STAGES if stage not in subpackages]
    assert not missing, f"stages the import contract names are not subpackages: {missing}"


def test_no_module_over_600_lines() -> None:
    too_long = {
        str(path.relative_to(REPO)): lines
        for path in modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    if too_long:
        pytest.fail(
            "\n".join(f"{path}: {n} lines (at most {MAX_LINES})" for path, n in too_long.items()),
            pytrace=False,
        )


# ---- the cycle finder itself: it must see what it claims to see -----------------------


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    package = tmp_path / "generator"
    (package / "a").mkdir(parents=True)
    for name, text in {
        "__init__.py": "",
        "a/__init__.py": "",
        "a/one.py": "import os\nfrom generator.a import two\n",
        "a/two.py": "def late():\n    from . import three\n",
        "a/three.py": "def later():\n    if True:\n        import generator.a.one as one\n",
        "b.py": "from generator.a.one import something\n",
    }.items():
        (package / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    return package


def test_cycle_finder_counts_imports_inside_functions(fake_package: Path) -> None:
    graph = import_graph()
    assert [e.target for e in graph["generator.b"]] == ["generator.a.one"]
    (cycle,) = describe_cycles(graph)
    assert cycle.splitlines() == [
        "cycle:",
        "  generator/a/one.py:2: generator.a.one -> generator.a.two",
        "  generator/a/two.py:2: generator.a.two -> generator.a.three",
        "  generator/a/three.py:3: generator.a.three -> generator.a.one",
    ]


def test_cycle_finder_finds_nothing_in_a_tree(fake_package: Path) -> None:
    (fake_package / "a" / "three.py").write_text("import generator.a\n", encoding="utf-8")
    assert describe_cycles(import_graph()) == []
