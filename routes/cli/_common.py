"""What the commands of the ``routes`` command line share.

Exit codes, option types, the common options, text tables and the graph loader.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from routes.results import Route

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2
EXIT_NO_ROUTE = 3
EXIT_BAD_DATA = 4
EXIT_INTERNAL = 70

HEADLINE_SCENARIOS = ("baseline", "afghanistan-closed", "wakhan-built", "winter")


class UsageError(Exception):
    """Bad command-line input found after parsing (exit 2)."""


class Parser(argparse.ArgumentParser):
    """An argument parser that raises `UsageError` instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: {message}")


# ---------------------------------------------------------------------------------------
# Option types and the options most commands share.


def month_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 12:
        raise argparse.ArgumentTypeError(f"month must be a number from 1 to 12, got {text!r}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def modes_arg(text: str) -> list[str]:
    modes = [m.strip() for m in text.split(",") if m.strip()]
    bad = [m for m in modes if m not in ("road", "rail", "sea", "air")]
    if bad or not modes:
        raise argparse.ArgumentTypeError(f"modes are road, rail, sea, air (comma-separated), got {text!r}")
    return modes


def country_arg(text: str) -> str:
    code = text.strip().upper()
    from routes.schema import COUNTRIES  # noqa: PLC0415

    if code not in COUNTRIES:
        raise argparse.ArgumentTypeError(f"unknown country {text!r}; use an ISO3 code: {', '.join(sorted(COUNTRIES))}")
    return code


def elevation_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected metres, got {text!r}") from None
    if not 0 < value < 9000:
        raise argparse.ArgumentTypeError(f"expected metres between 0 and 9000, got {text!r}")
    return value


def add_common_options(p: argparse.ArgumentParser, *, routing: bool = True, scenario: bool = True) -> None:
    p.add_argument("--data", metavar="DIR", help="network data folder (default: the shipped network)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    if scenario:
        p.add_argument(
            "--scenario",
            "-s",
            action="append",
            metavar="NAME_OR_PATH",
            default=None,
            help="scenario name or .toml path; repeat to compose in order (a+b also composes)",
        )
    if routing:
        p.add_argument(
            "--by",
            choices=("distance", "time", "cost"),
            default="distance",
            help="what to minimise: km, hours, or USD per tonne (default: distance)",
        )
        p.add_argument("--month", type=month_arg, metavar="1-12", help="month of travel (seasonal closures)")
        p.add_argument(
            "--mode",
            type=modes_arg,
            metavar="MODES",
            help="allowed modes among road, rail, sea, air, e.g. road,rail or road,rail,sea,air "
            "(default: road, rail and sea; air only when named)",
        )
        p.add_argument(
            "--avoid-country",
            type=country_arg,
            action="append",
            default=[],
            metavar="ISO3",
            help="country the route must not enter (repeatable)",
        )
        p.add_argument(
            "--avoid-place",
            action="append",
            default=[],
            metavar="PLACE",
            help="place the route must not pass (repeatable)",
        )
        p.add_argument("--max-elevation", type=elevation_arg, metavar="M", help="highest point allowed, metres")
        out = p.add_mutually_exclusive_group()
        out.add_argument("--json", action="store_true", help="print JSON")
        out.add_argument("--csv", action="store_true", help="print CSV")
        p.add_argument("--map", metavar="PATH", help="also write an HTML map of the result")


# ---------------------------------------------------------------------------------------
# Text output.


def fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def table(rows: Sequence[Sequence[str]], headers: Sequence[str], right: set[int]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def months_cell(route: Route) -> str:
    from routes.results import months_text  # noqa: PLC0415

    return months_text(route.months_open)


def short_name(name: str, width: int = 0) -> str:
    """A place name without its parenthetical, cut to ``width`` characters if given."""
    text = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def dumps(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------------------
# What the commands do first.


def load_graph(args: argparse.Namespace) -> nx.MultiGraph:
    from routes.network import load_network  # noqa: PLC0415

    if args.data is not None and not Path(args.data).is_dir():
        raise UsageError(f"--data {args.data}: no such folder")
    return load_network(args.data)


def route_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "by": args.by,
        "month": args.month,
        "modes": args.mode,
        "avoid_countries": args.avoid_country,
        "avoid_places": args.avoid_place,
        "max_elevation_m": args.max_elevation,
    }


def write_map(path: str, make: Callable[[], Any]) -> None:
    from routes.maps import save_map  # noqa: PLC0415

    save_map(make(), path)
