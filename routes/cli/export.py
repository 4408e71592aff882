"""``routes export``: write the network (under a scenario) as GeoJSON or GeoPackage."""

from __future__ import annotations

import argparse
from typing import TextIO

from routes.cli._common import (
    EXIT_OK,
    add_common_options,
    load_graph,
)

HELP = "Write the network (under a scenario) as GeoJSON, GeoPackage or GraphML."

EPILOG = """
examples:
  routes export --format gpkg -o corridors.gpkg
  routes export --format geojson -o afg-closed.geojson --scenario afghanistan-closed
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("--format", "-f", choices=("geojson", "gpkg", "graphml"), required=True)
    p.add_argument("--output", "-o", required=True, metavar="PATH")
    add_common_options(p, routing=False)


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes export``."""
    from routes.export import export_network  # noqa: PLC0415
    from routes.scenarios import apply_scenario  # noqa: PLC0415

    G = load_graph(args)
    H = apply_scenario(G, args.scenario) if args.scenario else G
    counts = export_network(H, args.output, fmt=args.format)
    out.write(f"Wrote {counts['places']} places and {counts['links']} links to {args.output}\n")
    return EXIT_OK
