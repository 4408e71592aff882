"""What the network-wide analysis commands share: options, JSON numbers, progress, output checks."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from routes.cli._common import UsageError, add_common_options

T = TypeVar("T")


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


def number(value: Any, unit: str) -> float | None:
    """A JSON or CSV number, rounded by `routes.results.PRECISION` for ``unit``.

    ``unit`` is a key of ``PRECISION`` (``km``, ``hours``, ``usd_per_t`` ...) or
    ``"weight"`` (OD pair weights, to 0.0001). None for no value (NaN or infinite),
    which JSON writes as null and CSV as an empty cell.
    """
    from routes.results import rounded  # noqa: PLC0415

    if value is None or not math.isfinite(float(value)):
        return None
    if unit == "weight":
        return round(float(value), 4)
    return rounded(float(value), unit)


def cell(value: Any, unit: str) -> float | str:
    """A CSV cell of `number`: empty for no value."""
    n = number(value, unit)
    return "" if n is None else n


def scenario_parts(name: str) -> list[str]:
    """The ``scenarios`` list of a composed scenario name (``"a+b"`` -> ``["a", "b"]``)."""
    return name.split("+") if name else ["baseline"]


def check_outputs(args: argparse.Namespace) -> None:
    """Check --map and --brief before any work, so a bad path fails now (exit 73).

    ``-`` is standard output: the page goes there instead of the text table, so it is
    refused with --json or --csv, and for both options at once.
    """
    from routes.io import STDOUT, output_kind  # noqa: PLC0415

    paths = [("--map", getattr(args, "map", None)), ("--brief", getattr(args, "brief", None))]
    given = [(flag, path) for flag, path in paths if path]
    to_stdout = [flag for flag, path in given if path == STDOUT]
    if len(to_stdout) > 1:
        raise UsageError(f"{' and '.join(to_stdout)} both ask for standard output; give one of them a file name")
    if to_stdout and (getattr(args, "json", False) or getattr(args, "csv", False)):
        raise UsageError(f"{to_stdout[0]} -: standard output carries the result already; give it a file name")
    for _, path in given:
        output_kind(path)


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

    if path is None or Path(path).exists():
        return
    if what == "--od":
        choices = "hubs, cities, or the path of a CSV with a 'place' column"
    else:
        choices = "uniform, population, or the path of a CSV with columns origin, destination, weight"
    raise UsageError(f"{what} {path}: no such file; use {choices}")


def page_on_stdout(args: argparse.Namespace) -> bool:
    """Whether --map or --brief writes to standard output (then no text table is printed)."""
    return "-" in (getattr(args, "map", None), getattr(args, "brief", None))


def refuse_unused(args: argparse.Namespace, command: str, *, month: bool = True) -> None:
    """Refuse the shared routing options an analysis does not apply, rather than ignore them."""
    given = [
        flag
        for flag, value in (
            ("--avoid-country", args.avoid_country),
            ("--avoid-place", args.avoid_place),
            ("--max-elevation", args.max_elevation),
            ("--month", None if month else args.month),
        )
        if value
    ]
    if given:
        raise UsageError(
            f"routes {command} does not apply {', '.join(given)}; drop it (a scenario file can close "
            "countries or places for the whole analysis, see README 'Writing a scenario')"
        )
