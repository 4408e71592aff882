"""``routes validate``: check a network data folder and print every problem."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from routes.cli._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    OutputClosed,
    UsageError,
    check_data_folder,
)

HELP = "Check a network data folder and print every problem."

EPILOG = """
examples:
  routes validate
  routes validate path/to/my-geodata
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("data_dir", nargs="?", metavar="DATA_DIR", help="default: the shipped network")
    p.add_argument("--data", metavar="DIR", help="the same as DATA_DIR, as every other command spells it")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes validate``."""
    from routes.validation import validate  # noqa: PLC0415

    if args.data_dir is not None and args.data is not None and Path(args.data_dir) != Path(args.data):
        raise UsageError(f"routes validate: two folders given ({args.data_dir} and --data {args.data}); give one")
    folder = args.data_dir if args.data_dir is not None else args.data
    check_data_folder(folder, "routes validate:")
    problems = validate(folder)
    code = EXIT_PROBLEMS if problems else EXIT_OK
    where = folder or "the shipped network"
    try:
        for p in problems:
            out.write(f"{p}\n")
        if problems:
            out.write(f"{len(problems)} problem(s) in {where}\n")
        else:
            out.write(f"No problems in {where}.\n")
        out.flush()
    except BrokenPipeError as exc:
        # `routes validate | head` must not turn problems into success.
        raise OutputClosed(code) from exc
    return code
