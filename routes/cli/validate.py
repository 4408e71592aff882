"""``routes validate``: check a network data folder and print every problem."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from routes.cli._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    UsageError,
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
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes validate``."""
    from routes.validation import validate  # noqa: PLC0415

    if args.data_dir is not None and not Path(args.data_dir).is_dir():
        raise UsageError(f"routes validate: {args.data_dir}: no such folder")
    problems = validate(args.data_dir)
    for p in problems:
        out.write(f"{p}\n")
    where = args.data_dir or "the shipped network"
    if problems:
        out.write(f"{len(problems)} problem(s) in {where}\n")
        return EXIT_PROBLEMS
    out.write(f"No problems in {where}.\n")
    return EXIT_OK
