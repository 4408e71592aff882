"""``routes export``: write the network (under a scenario) as GeoJSON or GeoPackage."""

from __future__ import annotations

import argparse
from typing import TextIO

from routes.cli._common import (
    EXIT_OK,
    UsageError,
    add_common_options,
    load_graph,
)

HELP = "Write the network (under a scenario) as GeoJSON, GeoPackage or GraphML."

EPILOG = """
examples:
  routes export --format gpkg -o corridors.gpkg
  routes export --format geojson -o afg-closed.geojson --scenario afghanistan-closed
  routes export --format geojson -o - | jq '.features | length'
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("--format", "-f", choices=("geojson", "gpkg", "graphml"), required=True)
    p.add_argument(
        "--output", "-o", required=True, metavar="PATH", help="output file; - for standard output (GeoJSON only)"
    )
    add_common_options(p, routing=False)


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes export``."""
    from routes.export import export_network  # noqa: PLC0415
    from routes.io import STDOUT, output_kind  # noqa: PLC0415
    from routes.scenarios import apply_scenario  # noqa: PLC0415

    if args.output == STDOUT and args.format == "gpkg":
        raise UsageError(
            "--format gpkg cannot go to standard output (-o -): a GeoPackage is a database file "
            "that GDAL writes by name; give a file name, or use --format geojson"
        )
    if args.output == STDOUT and args.format == "graphml":
        raise UsageError(
            "--format graphml cannot go to standard output (-o -); give a file name, or use --format geojson"
        )
    kind = output_kind(args.output)  # a bad path fails now, not after the work
    G = load_graph(args)
    H = apply_scenario(G, args.scenario) if args.scenario else G
    counts = export_network(H, args.output, fmt=args.format, stdout=out)
    if kind == "file":  # not into the data, on a pipe or a terminal
        out.write(f"Wrote {counts['places']} places and {counts['links']} links to {args.output}\n")
    return EXIT_OK
