"""What the commands of the ``routes`` command line share.

Exit codes, option types, the common options, text tables, the JSON envelope every
``--json`` document shares (`json_document`, `write_json`), CSV output and the graph loader.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import networkx as nx

    from routes.results import Route

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2
EXIT_NO_ROUTE = 3
EXIT_BAD_DATA = 4
EXIT_INTERNAL = 70
EXIT_CANT_WRITE = 73  # sysexits.h EX_CANTCREAT: an output path cannot be written
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of the output went away

HEADLINE_SCENARIOS = ("baseline", "afghanistan-closed", "wakhan-built", "winter")


class UsageError(Exception):
    """Bad command-line input found after parsing (exit 2)."""


class OutputClosed(Exception):  # noqa: N818 (not an error: the reader stopped reading)
    """The reader of standard output went away after the command knew its outcome.

    A command that must not let a closed pipe hide its result (``validate`` with
    problems) raises this with the exit code it had reached.
    """

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class Parser(argparse.ArgumentParser):
    """An argument parser that raises `UsageError` instead of exiting.

    ``commands`` holds the parser of each subcommand, so that an error found after
    parsing (an unknown flag) can show the subcommand's usage, not the top level's.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands: dict[str, Parser] = {}

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: {message} (`{self.prog} --help` lists the options)")


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


#: The most routes ``--alternatives`` may ask for: each one is a full search, and the
#: output of 1,000 routes ran to 28 MB while no one reads past the first few.
MAX_ALTERNATIVES = 20


def alternatives_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_ALTERNATIVES:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {MAX_ALTERNATIVES}, got {text!r}")
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


def add_common_options(
    p: argparse.ArgumentParser, *, routing: bool = True, scenario: bool = True, outputs: bool = True
) -> None:
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
    if routing and outputs:
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
# The JSON contract (the JSON contract in README.md, routes/output.schema.json).

#: Version of the JSON output contract. Bump the major number when a field is removed or
#: changes meaning, the minor number when a field or a kind is added.
SCHEMA_VERSION = "1.3"

#: The JSON Schema of every ``--json`` document, shipped in the package.
OUTPUT_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "output.schema.json"


def json_document(kind: str, payload: Mapping[str, Any], *, notes: Sequence[str] = ()) -> dict[str, Any]:
    """Wrap a command's result in the envelope every ``--json`` document shares.

    Parameters
    ----------
    kind : str
        What the document holds (``"route"``, ``"comparison"``, ``"places"`` ...); each
        kind has its own definition in ``routes/output.schema.json``.
    payload : mapping
        The kind's fields. They must not use the envelope's keys.
    notes : sequence of str
        Things the user should know about how the answer was made (an option that
        overrode a scenario's month ...). The same notes go to stderr in text mode.

    Returns
    -------
    dict
        ``{"schema_version", "kind", "notes", **payload}``.

    Examples
    --------
    >>> json_document("places", {"places": []})
    {'schema_version': '1.3', 'kind': 'places', 'notes': [], 'places': []}
    """
    clash = {"schema_version", "kind", "notes"} & set(payload)
    if clash:
        raise ValueError(f"payload uses the envelope's keys: {', '.join(sorted(clash))}")
    return {"schema_version": SCHEMA_VERSION, "kind": kind, "notes": list(notes), **payload}


def write_json(out: TextIO, kind: str, payload: Mapping[str, Any], *, notes: Sequence[str] = ()) -> None:
    """Write `json_document` ``(kind, payload, notes)`` to ``out``, indented, UTF-8 as is."""
    out.write(dumps(json_document(kind, payload, notes=notes)) + "\n")


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a CSV table (Unix line ends; numbers already rounded by `routes.results.rounded`)."""
    import csv  # noqa: PLC0415

    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)


# ---------------------------------------------------------------------------------------
# What the commands do first.


class DataFolderError(Exception):
    """The ``--data`` folder (or ``validate``'s folder) is missing or not a folder (exit 4)."""


def check_data_folder(path: str | None, what: str) -> None:
    """Raise `DataFolderError` unless ``path`` is None or an existing folder."""
    if path is None:
        return
    p = Path(path)
    if not p.exists():
        raise DataFolderError(f"{what} {path}: no such folder. Give a network data folder (like geodata/).")
    if not p.is_dir():
        raise DataFolderError(f"{what} {path}: not a folder. Give a network data folder (like geodata/).")


def load_graph(args: argparse.Namespace) -> nx.MultiGraph:
    from routes.network import load_network  # noqa: PLC0415

    check_data_folder(args.data, "--data")
    return load_network(args.data)


def place_ref(G: nx.MultiGraph, pid: str) -> dict[str, str]:
    """A place as the JSON contract writes it: ``{"id", "name", "country", "kind"}``."""
    d = G.nodes[pid]
    return {"id": pid, "name": d["name"], "country": d["country"], "kind": d["kind"]}


def month_notes(G: nx.MultiGraph, specs: Sequence[Any], month: int | None) -> list[str]:
    """Notes for each scenario whose own month ``--month`` overrides (empty if none does)."""
    from routes.scenarios import resolve_scenario  # noqa: PLC0415

    if month is None:
        return []
    notes = []
    for spec in specs:
        sc = resolve_scenario(G, spec)
        if sc.month is not None and sc.month != month:
            notes.append(
                f"--month {month} overrides the month of scenario {'+'.join(sc.parts or (sc.name,))} ({sc.month})"
            )
    return notes


def write_notes(notes: Sequence[str]) -> None:
    """Write notes to stderr, one line each: they qualify the answer, they are not errors."""
    for note in notes:
        sys.stderr.write(f"note: {note}\n")


def route_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "by": args.by,
        "month": args.month,
        "modes": args.mode,
        "avoid_countries": args.avoid_country,
        "avoid_places": args.avoid_place,
        "max_elevation_m": args.max_elevation,
    }


def write_map(path: str, make: Callable[[], Any], *, stdout: TextIO | None = None) -> None:
    """Write the map ``make()`` returns to ``path`` (``"-"``: ``stdout``, if given)."""
    from routes.io import STDOUT, write_output  # noqa: PLC0415
    from routes.maps import render_html  # noqa: PLC0415

    if path == STDOUT and stdout is None:
        raise UsageError("--map -: standard output carries the result already; give the map a file name")
    write_output(path, render_html(make()), stdout=stdout)
