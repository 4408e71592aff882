"""``routes matrix``: the best route's km, hours or cost between many places at once."""

from __future__ import annotations

import argparse
import csv
import io
from typing import TextIO

from routes.cli._analysis import add_analysis_options, document, joined, number, place_list
from routes.cli._common import EXIT_OK, fmt, load_graph, route_kwargs, short_name, table, write_map

HELP = "Origin-destination matrix: the best route's km, hours or cost between many places."

EPILOG = """
examples:
  routes matrix --origins Dushanbe,Tashkent,Almaty --destinations Karachi,Gwadar,Chabahar
  routes matrix --origins Dushanbe,Tashkent --by time --scenario afghanistan-closed
  routes matrix --csv > all-cities-km.csv          # every city and seaport, both ways
  routes matrix --origins Kabul --json

Each cell is the total that `routes route ORIGIN DESTINATION` with the same options
reports (km, hours or USD per tonne, by --by); empty where there is no route.
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
    from routes.matrix import od_matrix  # noqa: PLC0415

    G = load_graph(args)
    m = od_matrix(G, joined(args.origins), joined(args.destinations), scenario=args.scenario, **route_kwargs(args))
    names: dict[str, str] = m.attrs["names"]
    unit = m.attrs["unit"]
    if args.map:
        from routes.analysis_maps import matrix_map  # noqa: PLC0415

        write_map(args.map, lambda: matrix_map(m, G))
    if args.json:
        payload = {
            "by": m.attrs["by"],
            "scenario": m.attrs["scenario"],
            "unit": unit,
            "origins": [{"id": p, "name": names[p]} for p in m.index],
            "destinations": [{"id": p, "name": names[p]} for p in m.columns],
            f"matrix_{unit}": [[number(v, 2) for v in row] for row in m.to_numpy()],
        }
        out.write(document("od_matrix", payload) + "\n")
    elif args.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([f"origin \\ destination ({unit})", *m.columns])
        for p, row in zip(m.index, m.to_numpy(), strict=True):
            w.writerow([p, *("" if number(v, 2) is None else number(v, 2) for v in row)])
        out.write(buf.getvalue())
    else:
        digits = 0 if unit == "km" else 1
        head = f"{unit} of the best route by {m.attrs['by']}  ·  scenario: {m.attrs['scenario']}"
        rows = [
            [short_name(names[p], 24), *("—" if number(v) is None else fmt(v, digits) for v in row)]
            for p, row in zip(m.index, m.to_numpy(), strict=True)
        ]
        headers = ["from \\ to", *(short_name(names[p], 14) for p in m.columns)]
        out.write(head + "\n\n" + table(rows, headers, set(range(1, len(headers)))) + "\n")
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
    return EXIT_OK
