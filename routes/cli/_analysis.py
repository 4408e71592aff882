"""What the network-wide analysis commands share: options, JSON envelope, progress."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from routes.cli._common import UsageError, add_common_options, dumps

T = TypeVar("T")

#: Version of the JSON documents these commands print.
SCHEMA_VERSION = 1


def add_analysis_options(p: argparse.ArgumentParser) -> None:
    """The shared routing options (scenario, --by, constraints, --json/--csv/--map)."""
    add_common_options(p)


def place_list(text: str) -> list[str]:
    """Split a comma-separated list of places (names may hold spaces)."""
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise argparse.ArgumentTypeError(f"expected place names separated by commas, got {text!r}")
    return items


def joined(values: Sequence[list[str]] | None) -> list[str] | None:
    """Flatten a repeatable list option (None when it was not given)."""
    if not values:
        return None
    return [v for chunk in values for v in chunk]


def number(value: float, digits: int = 1) -> float | None:
    """A JSON number: rounded, None for no value (NaN or infinite)."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def document(kind: str, payload: dict[str, Any]) -> str:
    """A JSON document of a command: ``kind``, ``schema_version`` and the payload."""
    return dumps({"kind": kind, "schema_version": SCHEMA_VERSION, **payload})


def progress(items: Iterable[T], *, total: int, label: str, quiet: bool) -> Iterator[T]:
    """Iterate with a progress bar on stderr when it is a terminal and not ``quiet``."""
    if quiet or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm  # noqa: PLC0415

    yield from tqdm(items, total=total, desc=label, file=sys.stderr, leave=False, mininterval=0.2)


def progress_callback(args: argparse.Namespace, label: str) -> Callable[[Iterable[T], int], Iterator[T]] | None:
    """A wrapper the library calls around a long sweep, or None when output must be quiet."""
    if getattr(args, "json", False) or not sys.stderr.isatty():
        return None

    def wrap(items: Iterable[T], total: int) -> Iterator[T]:
        return progress(items, total=total, label=label, quiet=False)

    return wrap


def check_csv_path(path: str | None, what: str) -> None:
    """Refuse a missing input CSV early, naming the option."""
    from pathlib import Path  # noqa: PLC0415

    if path is not None and not Path(path).is_file():
        raise UsageError(f"{what} {path}: no such file")
