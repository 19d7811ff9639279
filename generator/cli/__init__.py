"""The command line: ``python -m generator COMMAND``, one module per command.

A thin layer over the library: parse arguments, call one function, print
problems as ``FILE:LINE:COL: error: MESSAGE`` (or GitHub annotations in
Actions) and choose the exit code. No content error ever reaches the user as
a traceback, and an error of the machine (a full disk, a read-only folder)
is reported as one, not as a bug.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from generator.cli import common

#: The commands, in the order ``--help`` lists them; each lives in
#: ``generator/cli/<name>.py`` (a dash in the name is an underscore there).
#: Only the module of the command run is imported: ``new``'s entry wizard
#: and ``rename``'s round-trip YAML, 60 ms of imports, have no part in a build.
COMMANDS = (
    "check",
    "stats",
    "build",
    "generate",
    "postbuild",
    "serve",
    "project-boundaries",
    "schema",
    "new",
    "rename",
)


#: The garbage collector's thresholds for a run of the command line. Python's
#: defaults (700, 10, 10) suit a program that makes few objects; a build makes
#: millions (a pydantic model and its positions per record), and at 10,000
#: claims the collector ran 2,400 times, 1.5 s of a 9 s edit rebuild. Every
#: 50,000 allocations instead: 100 runs, 0.7 s, the same peak memory. The
#: build still collects in full before the engine (generator/build/pipeline.py).
GC_THRESHOLDS = (50_000, 20, 20)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone if it is one: the line
    it parses names it first, and only its module need be imported."""
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate the facts, generate the pages and maps, and build the site.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in (command,) if command in COMMANDS else COMMANDS:
        importlib.import_module(f"generator.cli.{name.replace('-', '_')}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    gc.set_threshold(*GC_THRESHOLDS)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    before, sys.unraisablehook = sys.unraisablehook, _unraisable  # the workers fork with it
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        message = common.environment_error(exc)
        if message is None or os.environ.get("WCW_DEBUG"):
            return _internal_error(exc)
        print(message, file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours, never an editor's mistake
        return _internal_error(exc)
    finally:
        sys.unraisablehook = before


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Python's report of an exception it could not raise, but a Ctrl-C's.

    A Ctrl-C that lands while a callback runs where Python cannot raise (a
    module lock's, as an import finishes in a worker) was printed as
    "Exception ignored in …" with its traceback, before the build said
    "interrupted" (one of the five builds ``test_worker`` interrupts, in one
    CI run). The command reports the interruption; an editor sees no
    traceback. ``WCW_DEBUG`` shows them again.
    """
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and not os.environ.get("WCW_DEBUG"):
        return
    sys.__unraisablehook__(unraisable)


def _internal_error(exc: Exception) -> int:
    if os.environ.get("WCW_DEBUG"):
        raise exc
    print(
        f"internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in the generator, not in your content. Run again with "
        "WCW_DEBUG=1 to see the traceback, and please report it.",
        file=sys.stderr,
    )
    return 2
