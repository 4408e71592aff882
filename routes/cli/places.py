"""``routes places``: list or search the places of the network."""

from __future__ import annotations

import argparse
from typing import TextIO

from routes.cli._common import (
    EXIT_OK,
    add_common_options,
    country_arg,
    fmt,
    load_graph,
    table,
    write_csv,
    write_json,
)
from routes.schema import KINDS

HELP = "List or search the places of the network."

EPILOG = """
examples:
  routes places
  routes places khorog
  routes places --kind pass
  routes places --country TJK --json
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("query", nargs="?", help="text to search in ids, names and aliases")
    p.add_argument("--kind", choices=sorted(KINDS), help="only places of this kind")
    p.add_argument("--country", type=country_arg, help="only places in this country (ISO3)")
    fmt_group = p.add_mutually_exclusive_group()
    fmt_group.add_argument("--json", action="store_true", help="print JSON")
    fmt_group.add_argument("--csv", action="store_true", help="print CSV")
    add_common_options(p, routing=False, scenario=False)


def cmd_places(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes places``."""
    from routes.network import normalize_name  # noqa: PLC0415

    G = load_graph(args)
    rows = []
    q = normalize_name(args.query) if args.query else ""
    for pid, d in sorted(G.nodes(data=True), key=lambda nd: (nd[1]["country"], nd[1]["name"])):
        if args.kind and d["kind"] != args.kind:
            continue
        if args.country and d["country"] != args.country:
            continue
        if q:
            hay = [normalize_name(pid), normalize_name(d["name"])] + [normalize_name(a) for a in d["aliases"]]
            if not any(q in h for h in hay):
                continue
        rows.append((pid, d))
    if args.query and not rows:
        from routes.network import find_place  # noqa: PLC0415

        find_place(G, args.query)  # raises UnknownPlaceError with suggestions
    records = [
        {
            "id": pid,
            "name": d["name"],
            "kind": d["kind"],
            "country": d["country"],
            "aliases": list(d["aliases"]),
            "lon": d["x"],
            "lat": d["y"],
            "elevation_m": d["elevation_m"],
        }
        for pid, d in rows
    ]
    if args.json:
        write_json(out, "places", {"places": records})
        return EXIT_OK
    if args.csv:
        header = ["id", "name", "kind", "country", "aliases", "lon", "lat", "elevation_m"]
        write_csv(
            out,
            header,
            (
                [*(r[h] for h in header[:4]), "; ".join(r["aliases"]), r["lon"], r["lat"], r["elevation_m"]]
                for r in records
            ),
        )
        return EXIT_OK
    cells = [
        [
            pid,
            d["name"],
            d["kind"],
            d["country"],
            ", ".join(d["aliases"]),
            "" if d["elevation_m"] is None else fmt(d["elevation_m"]),
        ]
        for pid, d in rows
    ]
    out.write(table(cells, ["id", "name", "kind", "country", "aliases", "elev m"], {5}) + "\n")
    out.write(f"{len(rows)} place(s)\n")
    return EXIT_OK
