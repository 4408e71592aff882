"""The ``routes`` command line: a thin shell over the library.

`main` parses arguments, calls the library, formats its results, and turns errors into
messages and exit codes. Nothing here computes a route. Each command lives in a module of
its own (``routes/cli/route.py`` …) with its ``HELP``, ``EPILOG``, ``add_arguments`` and
``cmd_*`` function; what they share is in ``_common``.

Exit codes: 0 success (``compare``: at least one scenario has a route); 1 ``validate``
found problems; 2 bad input (unknown place, ambiguous place, bad month, unknown scenario,
malformed scenario file, bad option); 3 no route (``compare``: under no scenario); 4 the
data folder is missing, not a folder or invalid; 70 an internal error (``--debug`` shows
the traceback); 73 an output path cannot be written (a folder, a missing folder, no space
left; nothing is left half-written); 130 interrupted (Ctrl-C); 141 the reader of the
output went away (``| head``), said by no message; ``validate`` then still exits 1 if it
found problems. ``--json`` output follows the JSON contract in the README
(``routes/output.schema.json``).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TextIO

from routes.cli import (
    appraise,
    brief,
    compare,
    criticality,
    export,
    matrix,
    places,
    ports,
    route,
    scenarios,
    sources,
    validate,
)
from routes.cli import map as map_command
from routes.cli._common import (
    EXIT_BAD_DATA,
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_CANT_WRITE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NO_ROUTE,
    EXIT_OK,
    EXIT_PROBLEMS,
    DataFolderError,
    OutputClosed,
    Parser,
    UsageError,
)

__all__ = [
    "COMMANDS",
    "EXIT_BAD_DATA",
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_CANT_WRITE",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_NO_ROUTE",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "build_parser",
    "main",
    "run",
]

#: The commands in the order ``routes --help`` lists them: name -> module.
MODULES: dict[str, ModuleType] = {
    "route": route,
    "compare": compare,
    "matrix": matrix,
    "criticality": criticality,
    "ports": ports,
    "appraise": appraise,
    "scenarios": scenarios,
    "places": places,
    "validate": validate,
    "export": export,
    "sources": sources,
    "map": map_command,
    "brief": brief,
}

COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    name: getattr(module, f"cmd_{name}") for name, module in MODULES.items()
}


def build_parser() -> Parser:
    """Return the argument parser of the ``routes`` command."""
    parser = Parser(
        prog="routes",
        description=(
            "Route planner for the Pakistan–Central Asia corridors: best routes, scenario "
            "comparisons and maps on a sourced multimodal network."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `routes COMMAND --help` for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version="routes 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, module in MODULES.items():
        p = sub.add_parser(
            name,
            help=module.HELP,
            description=module.HELP,
            epilog=module.EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(p)
        parser.commands[name] = p
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the ``routes`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).
    out, err : text streams, optional
        Where results and messages go (default: stdout, stderr).

    Returns
    -------
    int
        The exit code (see the module docstring).
    """
    from routes.errors import (  # noqa: PLC0415
        InvalidDataError,
        NoRouteError,
        OutputError,
        RoutesError,
        ScenarioError,
        UnknownPlaceError,
    )

    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args, extra = parser.parse_known_args(argv)
            if extra:
                where = parser.commands.get(args.command or "", parser)
                where.error(f"unrecognized arguments: {' '.join(extra)}")
    except UsageError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(out)
        return EXIT_BAD_INPUT
    try:
        with contextlib.redirect_stderr(err):  # notes the commands write go to `err`
            return COMMANDS[args.command](args, out)
    except UsageError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except OutputError as exc:  # before RoutesError and OSError: it is both
        if debug:
            raise
        err.write(f"error: {exc}\n")
        return EXIT_CANT_WRITE
    except (UnknownPlaceError, ScenarioError) as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except NoRouteError as exc:
        head = str(exc).split(" What cuts it:")[0]
        err.write(f"no route: {head}\n")
        if exc.closures:
            err.write("What cuts it:\n" + "".join(f"  - {c}\n" for c in exc.closures))
        return EXIT_NO_ROUTE
    except InvalidDataError as exc:
        err.write(f"error: the network data is invalid. {exc}\n")
        return EXIT_BAD_DATA
    except DataFolderError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_DATA
    except RoutesError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except OutputClosed as exc:
        return exc.code
    except BrokenPipeError:  # `routes places | head -1`: the reader is gone; say nothing
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        if debug:
            raise
        err.write(f"error: {exc.strerror or exc}: {exc.filename or ''}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _say(err, "interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        if debug:
            raise
        err.write(f"internal error: {type(exc).__name__}: {exc}\n(run again with --debug for the traceback)\n")
        return EXIT_INTERNAL


def _say(err: TextIO, text: str) -> None:
    with contextlib.suppress(OSError):
        err.write(text)
        err.flush()


def run() -> None:
    """Console-script entry point: `main` on the real terminal, pipes and signals."""
    from routes.cli import _terminal  # noqa: PLC0415

    _terminal.fit_streams()
    _terminal.handle_sigterm()
    try:
        code = main()
    except KeyboardInterrupt:  # outside main's own handler (while parsing, say)
        _say(sys.stderr, "interrupted\n")
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    if _terminal.flush_or_silence() and code == EXIT_OK:
        code = EXIT_BROKEN_PIPE
    sys.exit(code)
