"""``routes matrix``: the best route's km, hours or cost between many places at once."""

from __future__ import annotations

import argparse
from typing import TextIO

from routes.cli._analysis import add_analysis_options, cell, check_outputs, joined, number, page_on_stdout, place_list
from routes.cli._common import (
    EXIT_OK,
    fmt,
    load_graph,
    month_notes,
    place_ref,
    route_kwargs,
    short_name,
    table,
    write_csv,
    write_json,
    write_map,
    write_notes,
)

HELP = "Origin-destination matrix: the best route's km, hours or cost between many places."

EPILOG = """
examples:
  routes matrix --origins Dushanbe,Tashkent,Almaty --destinations Karachi,Gwadar,Chabahar
  routes matrix --origins Dushanbe,Tashkent --by time --scenario afghanistan-closed
  routes matrix --csv > all-cities-km.csv          # every city and seaport, both ways
  routes matrix --origins Kabul --json

Each cell is the total that `routes route ORIGIN DESTINATION` with the same options
reports (km, hours or USD per tonne, by --by); empty where there is no route. --json
and --csv give all three totals of the best route by --by (total_km, total_hours,
total_cost_usd_per_t): JSON as matrices, CSV as one row per origin-destination pair.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument(
        "--origins",
        type=place_list,
        action="append",
        metavar="PLACES",
        help="comma-separated places (repeatable); default: every city and seaport",
    )
    p.add_argument(
        "--destinations",
        type=place_list,
        action="append",
        metavar="PLACES",
        help="comma-separated places (repeatable); default: every city and seaport",
    )
    add_analysis_options(p)


def cmd_matrix(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes matrix``."""
    from routes.matrix import od_matrix, od_totals  # noqa: PLC0415

    check_outputs(args)  # a bad --map path fails now, not after the work
    G = load_graph(args)
    notes = month_notes(G, [args.scenario or ["baseline"]], args.month)
    write_notes(notes)
    origins, destinations = joined(args.origins), joined(args.destinations)
    m = od_matrix(G, origins, destinations, scenario=args.scenario, **route_kwargs(args))
    names: dict[str, str] = m.attrs["names"]
    unit = m.attrs["unit"]
    if args.map:
        from routes.analysis_maps import matrix_map  # noqa: PLC0415

        write_map(args.map, lambda: matrix_map(m, G), stdout=out)
    scenarios = m.attrs["scenario"].split("+")
    if args.json or args.csv:
        pairs = od_totals(G, origins, destinations, scenario=args.scenario, **route_kwargs(args))
        totals = {(r["origin"], r["destination"]): r for r in pairs.to_dict("records")}
        fields = (("total_km", "km", "km"), ("total_hours", "hours", "hours"),
                  ("total_cost_usd_per_t", "cost_usd_per_t", "usd_per_t"))  # fmt: skip
    if args.json:
        payload = {
            "by": m.attrs["by"],
            "scenarios": scenarios,
            "month": args.month,
            "origins": [place_ref(G, p) for p in m.index],
            "destinations": [place_ref(G, p) for p in m.columns],
            **{
                field: [[0.0 if a == b else number(totals[a, b][column], rnd) for b in m.columns] for a in m.index]
                for field, column, rnd in fields
            },
        }
        write_json(out, "od_matrix", payload, notes=notes)
    elif args.csv:
        header = ["scenarios", "by", "origin", "destination", "reachable", *(f for f, _, _ in fields)]
        rows = [
            ["+".join(scenarios), m.attrs["by"], a, b, bool(totals[a, b]["reachable"]),
             *(cell(totals[a, b][column], rnd) for _, column, rnd in fields)]
            for a in m.index
            for b in m.columns
            if a != b
        ]  # fmt: skip
        write_csv(out, header, rows)
    elif not page_on_stdout(args):
        digits = 0 if unit == "km" else 1
        head = f"{unit} of the best route by {m.attrs['by']}  ·  scenario: {m.attrs['scenario']}"
        rows = [
            [short_name(names[p], 24), *("—" if number(v, "km") is None else fmt(v, digits) for v in row)]
            for p, row in zip(m.index, m.to_numpy(), strict=True)
        ]
        headers = ["from \\ to", *(short_name(names[p], 14) for p in m.columns)]
        out.write(head + "\n\n" + table(rows, headers, set(range(1, len(headers)))) + "\n")
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
    return EXIT_OK
