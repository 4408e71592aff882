"""``routes criticality``: which link or border crossing hurts most trips when it fails."""

from __future__ import annotations

import argparse
from typing import TextIO

from routes.cli._analysis import cell, check_csv_path, check_outputs, page_on_stdout, progress_callback, refuse_unused
from routes.cli._common import (
    EXIT_OK,
    add_common_options,
    fmt,
    load_graph,
    month_notes,
    positive_int,
    short_name,
    table,
    write_csv,
    write_json,
    write_map,
    write_notes,
)

HELP = "n-1 criticality: rank links and border crossings by what their loss costs OD trips."

EPILOG = """
examples:
  routes criticality                                  # 5 seaports + 25 largest cities
  routes criticality --by time --top 20
  routes criticality --scenario afghanistan-closed --weights population
  routes criticality --od cities --corridors --csv > criticality.csv
  routes criticality --od my-places.csv --weights my-trade.csv --map criticality.html
  routes criticality --top 15 --brief criticality-brief.html

Each link and crossing (and, with --corridors, each corridor) is taken away in turn and
the best routes between the OD places found again. "lengthened" and "disconnected" count
OD pairs; added km, hours and USD/t are weighted sums over the pairs still connected,
"worst" the largest single increase. --brief writes one self-contained page (the
question, the table of the --top elements, the map, a chart, the elements' figures and
their numbered sources); --json holds the same content as data, for every element.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument(
        "--od",
        default="hubs",
        metavar="SET",
        help="OD places: hubs (default: 5 seaports + 25 largest cities), cities, or a CSV with a 'place' column",
    )
    p.add_argument(
        "--weights",
        default="uniform",
        metavar="WEIGHTS",
        help="OD pair weights: uniform (default), population (gravity, from geodata/population.csv), "
        "or a CSV with origin, destination, weight",
    )
    p.add_argument("--corridors", action="store_true", help="also take away whole corridors")
    p.add_argument("--top", type=positive_int, default=25, metavar="N", help="rows in the table (default 25)")
    p.add_argument("--brief", metavar="PATH", help="also write a one-page brief (HTML, offline; - for stdout)")
    add_common_options(p)


def cmd_criticality(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes criticality``."""
    from routes.analysis_brief import criticality_brief, save_analysis_brief  # noqa: PLC0415
    from routes.critical_links import criticality  # noqa: PLC0415

    refuse_unused(args, "criticality")
    check_outputs(args)  # a bad --map or --brief path fails now, not after the sweep
    if args.od not in ("hubs", "cities"):
        check_csv_path(args.od, "--od")
    if args.weights not in ("uniform", "population"):
        check_csv_path(args.weights, "--weights")
    G = load_graph(args)
    notes = month_notes(G, [args.scenario or ["baseline"]], args.month)
    write_notes(notes)
    c = criticality(
        G,
        od=args.od,
        weights=args.weights,
        by=args.by,
        scenario=args.scenario,
        month=args.month,
        modes=args.mode,
        corridors=args.corridors,
        progress=progress_callback(args, "criticality"),
    )
    if args.map:
        from routes.analysis_maps import criticality_map  # noqa: PLC0415

        write_map(args.map, lambda: criticality_map(c, G), stdout=out)
    brief = criticality_brief(G, c, top=args.top) if args.json or args.brief else None
    if brief is not None and args.brief:
        save_analysis_brief(brief, G, args.brief, stdout=out)
    if args.json:
        assert brief is not None
        write_json(out, "criticality", brief.to_dict(), notes=notes)
    elif args.csv:
        units = [f"added_{u}_{w}" for u in ("km", "hours", "cost_usd_per_t") for w in ("total", "worst")]
        header = ["rank", "element", "type", "name", "corridor", "countries", "pairs_lengthened",
                  "pairs_disconnected", "weight_lengthened", "weight_disconnected", *units]  # fmt: skip
        unit_of = {"km": "km", "hours": "hours", "cost_usd_per_t": "usd_per_t"}
        rows = [
            [
                *(r[k] for k in header[:8]),
                cell(r["weight_lengthened"], "weight"),
                cell(r["weight_disconnected"], "weight"),
                *(cell(r[k], unit_of[k[len("added_") : k.rindex("_")]]) for k in units),
            ]
            for r in c.to_dict("records")
        ]
        write_csv(out, header, rows)
    elif not page_on_stdout(args):
        head = (
            f"n-1 criticality  ·  scenario: {c.attrs['scenario']}  ·  routes by {c.attrs['by']}  ·  "
            f"{len(c.attrs['od'])} OD places, {c.attrs['pairs']} connected pairs  ·  weights: {c.attrs['weights']}"
        )
        rows = [
            [
                str(r["rank"]),
                short_name(r["name"], 34),
                r["type"],
                r["countries"],
                str(r["pairs_lengthened"]),
                str(r["pairs_disconnected"]),
                fmt(r["added_km_total"]),
                fmt(r["added_hours_total"], 1),
                fmt(r["added_cost_usd_per_t_total"], 1),
                fmt(r["added_km_worst"]),
            ]
            for _, r in c.head(args.top).iterrows()
        ]
        headers = ["#", "element", "type", "countries", "longer", "cut", "+km", "+hours", "+USD/t", "worst +km"]
        out.write(head + "\n\n" + table(rows, headers, {0, 4, 5, 6, 7, 8, 9}) + "\n")
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
        if args.brief:
            out.write(f"Brief written to {args.brief}\n")
    return EXIT_OK
