"""``python -m generator new`` in a terminal, driven as an editor would drive it.

The wizard runs in a pseudo-terminal (the stdlib ``pty``) on a copy of the
real content; the tests read its screen and type answers, wrong ones first.
"""

from __future__ import annotations

import difflib
import fcntl
import os
import pty
import select
import shutil
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, run_cli

EVIDENCE = "his meeting with Putin would be held in the far-north US state of Alaska on August 15"
URL = "http://127.0.0.1:8000/who-claims-what/#claim-trump-alaska-wizard"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the real project: content, seeds and maps."""
    for name in ("content", "seeds", "maps"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "content"


def _controlling_terminal() -> None:
    """Make the pseudo-terminal the child's own, so Ctrl-C typed there interrupts it."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A process on a pseudo-terminal: what it printed so far, and a keyboard."""

    def __init__(self, *args: str | Path) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "new", *map(str, args)],
            stdin=slave, stdout=slave, stderr=slave, cwd=REPO,
            env={**os.environ, "TERM": "dumb", "PYTHONUNBUFFERED": "1"},
            start_new_session=True, preexec_fn=_controlling_terminal,
        )  # fmt: skip
        os.close(slave)
        self.screen = ""
        self.seen = 0

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the process ended and closed its side
            return False
        self.screen += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return bool(data)

    def expect(self, text: str, timeout: float = 60) -> str:
        """Wait until ``text`` is printed after what was expected before; what came between."""
        deadline = time.monotonic() + timeout
        while text not in self.screen[self.seen :]:
            alive = self._read(0.2)
            if not alive or time.monotonic() > deadline:
                raise AssertionError(f"never printed {text!r}; the screen:\n{self.screen[-3000:]}")
        at = self.screen.index(text, self.seen) + len(text)
        between, self.seen = self.screen[self.seen : at], at
        return between

    def type(self, *lines: str) -> None:
        for line in lines:
            os.write(self.master, (line + "\n").encode())

    def interrupt(self) -> None:
        """Ctrl-C, typed at the keyboard."""
        os.write(self.master, b"\x03")

    def answer(self, prompt: str, *lines: str) -> str:
        shown = self.expect(prompt)
        self.type(*lines)
        return shown

    def wait(self, timeout: float = 120) -> int:
        """The exit code, once the process has ended and everything it printed is read."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        while self._read(0.1) and select.select([self.master], [], [], 0)[0]:
            pass
        os.close(self.master)
        return self.proc.wait(timeout=5)


def _date(term: Terminal) -> None:
    term.answer("\ndate: ", "2025-08-08")
    term.answer("circa [y/N]: ", "")
    term.answer("\ndate basis: ", "")


def _first_answers(term: Terminal) -> None:
    term.answer("\nid: ", "Trump Alaska")  # not an id
    assert "is not a valid id" in term.expect("\nid: ")
    term.type("trump-alaska-wizard")
    term.answer("\nactor: ", "donald-trum")
    shown = term.expect("actor [Enter: donald-trump]: ")
    assert "unknown actor 'donald-trum'; did you mean donald-trump (Donald Trump)" in shown
    term.type("")  # Enter takes the suggestion


def test_the_wizard_recovers_from_bad_answers_and_writes_a_valid_entry(content: Path) -> None:
    target = content / "claims" / "summit.yml"
    before = target.read_text(encoding="utf-8")
    term = Terminal("claim", "--content", content, "--as-of", "2025-08-12")
    _first_answers(term)
    shown = term.answer("\nstance: ", "state")
    assert "6  rejects" in shown and "refuses one" in shown  # choices with their meaning
    assert "did you mean 'states'?" in term.answer("stance [Enter: states]: ", "")
    term.answer("\nsummary: ", "Trump says he will meet Putin in Alaska on August 15")
    term.answer("\ntext: ", "Trump said his meeting with Putin would be held in Alaska.")
    term.answer("\ndate: ", "2025-08-32")
    assert "August 2025 has 31 days" in term.answer("\ndate: ", "2025-08-08")
    shown = term.answer("circa [y/N]: ", "")
    assert "true when the date is approximate" in shown  # the model's help line
    term.answer("\ndate basis: ", "")
    term.answer("\nstatus: ", "confirmed")
    term.answer("\ntopics: ", "summit")
    term.answer("\nregions: ", "")
    for field in ("proposal", "proposal role", "event", "responds to", "conflicts with"):
        term.answer(f"\n{field}: ", "")
    for field in ("general knowledge", "note"):
        term.answer(f"\n{field}: ", "")
    term.answer("\nsource: ", "yahoo-summit-explainer")
    term.answer("\nevidence: ", EVIDENCE.replace("far-north", "far north-west"))
    shown = term.expect("\nevidence: ")
    assert "evidence not found verbatim in source 'yahoo-summit-explainer'" in shown
    assert "the closest passage is" in shown and "far-north US state of Alaska" in shown
    term.type(EVIDENCE)
    term.answer("\nquote: ", "")
    term.answer("\nvia: ", "")
    term.answer("via anonymous [y/N]: ", "")
    shown = term.answer("file [Enter: content/claims/summit.yml]: ", "")
    assert "content/claims/territory.yml" in shown and "claims, mostly" in shown
    assert "Suggested: content/claims/summit.yml" in shown
    shown = term.expect(URL)
    assert "added claim 'trump-alaska-wizard' to content/claims/summit.yml" in shown
    assert "https://who-claims-what.github.io/who-claims-what/#claim-trump-alaska-wizard" in (
        term.expect("once published")
    )
    assert term.wait() == 0, term.screen
    after = target.read_text(encoding="utf-8")
    ops = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines()).get_opcodes()
    assert [op[0] for op in ops if op[0] != "equal"] == ["insert"]  # comments and all kept
    entry = yaml.safe_load(after)["claims"][-1]
    assert entry["id"] == "trump-alaska-wizard" and entry["actor"] == "donald-trump"
    assert entry["stance"] == "states" and str(entry["date"]) == "2025-08-08"
    assert entry["sources"] == [{"source": "yahoo-summit-explainer", "evidence": EVIDENCE}]
    result = run_cli("check", "--content", content, env={"GITHUB_ACTIONS": "false"})
    assert result.returncode == 0, result.stderr
    assert not list((content.parent / "build" / "drafts").glob("*.yml"))


def test_regions_are_found_by_name_and_in_any_case(content: Path) -> None:
    term = Terminal("event", "--content", content, "--file", content / "events.yml")
    term.answer("\nid: ", "wizard-event")
    term.answer("\ntitle: ", "A test event")
    term.answer("\nkind: ", "statement")
    _date(term)
    term.answer("\nlocation: ", "")
    term.answer("\ntext: ", "Something was said.")
    term.answer("\nstatus: ", "confirmed")
    term.answer("\nactors: ", "putin, donald-trump")
    assert "'putin' is vladimir-putin (Vladimir Putin)" in term.answer("\nregions: ", "Khersn")
    shown = term.answer("regions [Enter: UA-65, '-' to skip]: ", "kherson, ua-23")
    assert "did you mean UA-65 Kherson?" in shown
    shown = term.answer("\nconflicts with: ", "")
    for field in ("general knowledge", "note"):
        shown += term.answer(f"\n{field}: ", "")
    shown += term.expect("\nsource: ")
    assert "'kherson' is UA-65 Kherson" in shown and "'ua-23' is UA-23 Zaporizhzhia" in shown
    term.interrupt()
    assert term.wait() == 130, term.screen
    (draft,) = (content.parent / "build" / "drafts").glob("event-*.yml")
    entry = yaml.safe_load(draft.read_text(encoding="utf-8"))["events"][0]
    assert entry["actors"] == ["vladimir-putin", "donald-trump"]
    assert entry["regions"] == ["UA-65", "UA-23"]


def test_an_interrupted_session_leaves_a_draft_that_resume_completes(content: Path) -> None:
    term = Terminal("claim", "--content", content, "--as-of", "2025-08-12")
    _first_answers(term)
    term.answer("\nstance: ", "states")
    term.expect("\nsummary: ")
    term.interrupt()
    assert term.wait() == 130, term.screen
    assert "your answers are kept in build/drafts/claim-" in term.screen
    (draft,) = (content.parent / "build" / "drafts").glob("claim-*.yml")
    kept = yaml.safe_load(draft.read_text(encoding="utf-8"))["claims"][0]
    assert kept == {"id": "trump-alaska-wizard", "actor": "donald-trump", "stance": "states",
                    "sources": [{}]}  # fmt: skip

    term = Terminal("claim", "--content", content, "--resume", "--file",
                    content / "claims" / "summit.yml")  # fmt: skip
    assert "Resuming build/drafts/claim-" in term.expect("(3 answers)")
    shown = term.answer("\nsummary: ", "Trump says he will meet Putin in Alaska")
    assert "\nid: " not in shown and "\nactor: " not in shown  # not asked again
    term.answer("\ntext: ", "Trump said his meeting with Putin would be held in Alaska.")
    _date(term)
    term.answer("\nstatus: ", "confirmed")
    term.answer("\ntopics: ", "summit")
    # regions, proposal, proposal role, event, responds to, conflicts with, general knowledge, note
    term.type("", "", "", "", "", "", "", "")
    term.answer("\nsource: ", "yahoo-summit-explainer")
    term.answer("\nevidence: ", EVIDENCE)
    term.type("", "", "")  # quote, via, via anonymous
    term.expect(URL)
    assert term.wait() == 0, term.screen
    assert not draft.exists()
    result = run_cli("check", "--content", content, env={"GITHUB_ACTIONS": "false"})
    assert result.returncode == 0, result.stderr


def test_end_of_input_keeps_the_draft_and_the_next_session_offers_it(content: Path) -> None:
    term = Terminal("claim", "--content", content)
    term.answer("\nid: ", "kept-on-eof")
    term.expect("\nactor: ")
    os.write(term.master, b"\x04")  # Ctrl-D
    assert term.wait() == 1, term.screen
    term = Terminal("claim", "--content", content)
    shown = term.answer("Resume it? [Y/n]: ", "")
    assert "A claim draft exists (build/drafts/claim-" in shown
    term.expect("\nactor: ")
    assert "\nid: " not in term.screen
    term.interrupt()
    assert term.wait() == 130, term.screen


def test_a_failing_final_check_reports_at_the_draft_and_leaves_the_file(content: Path) -> None:
    target = content / "claims" / "summit.yml"
    before = target.read_bytes()
    result = run_cli(
        "new", "claim", "--content", content, "--file", target, "--no-input",
        "--id", "trump-alaska-wizard", "--actor", "donald-trum", "--stance", "states",
        "--summary", "Trump: Alaska", "--text", "Trump said so.", "--date", "2025-08-08",
        "--status", "confirmed", "--source", "yahoo-summit-explainer", "--evidence", EVIDENCE,
        "--regions", "kherson",
    )  # fmt: skip
    assert result.returncode == 1
    assert target.read_bytes() == before
    (draft,) = (content.parent / "build" / "drafts").glob("claim-*.yml")
    rel = draft.relative_to(content.parent).as_posix()
    line = next(ln for ln in result.stderr.splitlines() if "unknown actor 'donald-trum'" in ln)
    where, col = line.split(": error:")[0].rsplit(":", 2)[0], int(line.split(":")[2])
    assert where == rel, line
    number = int(line.split(":")[1])
    draft_line = draft.read_text(encoding="utf-8").splitlines()[number - 1]
    assert draft_line == "    actor: donald-trum" and draft_line[col - 1 :] == "donald-trum"
    assert f"--content {content} --resume {rel}" in result.stderr
    assert "    regions: [UA-65]\n" in draft.read_text(encoding="utf-8")  # read as the wizard does
    # The editor corrects the draft by hand and resumes: the entry is added.
    draft.write_text(draft.read_text(encoding="utf-8").replace("donald-trum\n", "donald-trump\n"))
    result = run_cli("new", "claim", "--content", content, "--resume", draft, "--no-input")
    assert result.returncode == 0, result.stderr
    assert "added claim 'trump-alaska-wizard' to content/claims/summit.yml" in result.stdout
    assert URL in result.stdout
    assert not draft.exists()


def test_without_a_file_the_choice_is_said_out_loud(content: Path) -> None:
    """No file is named after 'ceasefire': the file holding most ceasefire claims is taken."""
    held = {
        path.name: yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]
        for path in (content / "claims").glob("*.yml")
    }
    most = max(held, key=lambda name: sum("ceasefire" in c.get("topics", []) for c in held[name]))
    result = run_cli(
        "new", "claim", "--content", content, "--no-input", "--id", "trump-alaska-wizard",
        "--actor", "donald-trump", "--stance", "states", "--summary", "Trump: Alaska",
        "--text", "Trump said so.", "--date", "2025-08-08", "--status", "confirmed",
        "--topics", "ceasefire,summit", "--source", "yahoo-summit-explainer",
        "--evidence", EVIDENCE,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        f"file: content/claims/{most} (it holds the most claims about 'ceasefire'; pass --file"
        in result.stdout
    )
    assert "trump-alaska-wizard" in (content / "claims" / most).read_text(encoding="utf-8")
