"""The command line on the shipped content and on the JSON Schemas."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli
from generator.content.factbase import load
from generator.content.project import Project
from generator.content.stats import report
from generator.outputs.schemas import project_schemas

from .conftest import REPO, run_cli


def test_check_passes_on_shipped_content() -> None:
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")
    assert "Traceback" not in result.stderr


def test_check_reports_all_problems_in_one_run(mini_project: Path) -> None:
    (mini_project / "a.yml").write_text("claims:\n  - id: Bad Id\n", encoding="utf-8")
    (mini_project / "b.yml").write_text("actors: [\n", encoding="utf-8")
    result = run_cli("check", "--content", mini_project)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert any(line.startswith("content/a.yml:2:") for line in lines)
    assert any(line.startswith("content/b.yml:") for line in lines)
    assert re.search(r"\d+ problems found", result.stderr)


def test_committed_schemas_are_current() -> None:
    for name, text in project_schemas(Project.at()).items():
        committed = (REPO / "schema" / name).read_text(encoding="utf-8")
        assert committed == text, f"schema/{name} is stale: run 'make schema'"


def test_every_content_file_has_a_schema_modeline() -> None:
    files = sorted((REPO / "content").rglob("*.yml")) + [REPO / "seeds" / "sources.yml"]
    files += sorted((REPO / "maps").glob("*.yml"))
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        m = re.match(r"# yaml-language-server: \$schema=(\S+)$", first)
        assert m, f"{path} has no schema modeline"
        assert (path.parent / m.group(1)).resolve().exists(), f"{path}: {m.group(1)} not found"


def test_content_validates_against_json_schema() -> None:
    """What editors' tools check while typing agrees with `check`."""
    jsonschema = pytest.importorskip("jsonschema")
    from generator.content.yamlfile import read_yaml

    schemas = {n: json.loads(t) for n, t in project_schemas(Project.at()).items()}
    for path in sorted((REPO / "content").rglob("*.yml")):
        doc, problems = read_yaml(path, str(path))
        assert not problems
        jsonschema.validate(doc.data, schemas["content.schema.json"])
    doc, _ = read_yaml(REPO / "seeds" / "sources.yml", "sources.yml")
    jsonschema.validate(doc.data, schemas["sources.schema.json"])
    for path in sorted((REPO / "maps").glob("*.yml")):
        doc, problems = read_yaml(path, str(path))
        assert not problems
        jsonschema.validate(doc.data, schemas["map.schema.json"])


def test_stats_figures() -> None:
    fb, problems = load(Project.at())
    assert not problems
    text = report(fb)
    for heading in (
        "Facts per source:",
        "Claims per actor:",
        "Claims per region:",
        "Source sentences no evidence covers:",
        "Coverage:",
    ):
        assert heading in text
    per_source = re.findall(r"^\s+(\d+)\s+(\S+)$", text.split("Claims per actor:")[0], re.M)
    assert len(per_source) == len(fb.sources)
    assert all(int(n) >= 5 for n, _ in per_source), per_source
    assert re.search(r"Verified: [1-9]\d* quotes", text)


def test_stats_command() -> None:
    result = run_cli("stats")
    assert result.returncode == 0
    assert "Coverage:" in result.stdout


def test_postbuild_needs_a_built_site(mini_project: Path, tmp_path: Path) -> None:
    result = run_cli("postbuild", "--content", mini_project, "--site-dir", tmp_path / "nothing")
    assert result.returncode == 1
    assert "holds no built site (no index.html); build it first" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_imports_only_its_own_module() -> None:
    """``build`` and ``check`` do not pay for the entry wizard's imports (``new``)."""
    code = (
        "import sys; from generator import cli; "
        "names = sorted(cli.build_parser('build')._subparsers._group_actions[0].choices); "
        "print(names, 'generator.cli.new' in sys.modules, 'ruamel.yaml' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["['build']", "False", "False"]


def test_help_and_a_mistyped_command_still_list_every_command() -> None:
    result = run_cli("bild")
    assert result.returncode == 2
    assert "invalid choice: 'bild'" in result.stderr
    for name in cli.COMMANDS:
        assert f"'{name}'" in result.stderr
    listed = run_cli("--help").stdout
    assert all(name in listed for name in cli.COMMANDS)


def test_a_ctrl_c_python_cannot_raise_prints_no_traceback() -> None:
    """A Ctrl-C landing in a callback Python cannot raise from (a module lock's during an
    import, in a worker) is the command's to report: no "Exception ignored" traceback."""
    code = (
        "import sys\n"
        "from generator import cli\n"
        "from generator.cli import check\n"
        "class Dropped:\n"
        "    def __del__(self):\n"
        "        raise KeyboardInterrupt\n"
        "def run(args):\n"
        "    Dropped()\n"
        "    return 0\n"
        "check.run = run\n"
        "sys.exit(cli.main(['check']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")


def test_every_command_lives_in_its_own_module() -> None:
    """cli/__init__ only wires the parser: each command is found in generator/cli/<name>.py."""
    from generator import cli

    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in commands.items():
        func = sub.get_default("func")
        module = func.__module__ if func else f"generator.cli.{name}"
        assert module == f"generator.cli.{name.replace('-', '_')}", (name, module)
