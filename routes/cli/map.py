"""``routes map``: write an HTML map of the network, or regenerate the map gallery."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from routes.cli._common import (
    EXIT_OK,
    add_common_options,
    load_graph,
    write_map,
)

HELP = "Write an HTML map of the network, or regenerate the map gallery."

EPILOG = """
examples:
  routes map -o network.html
  routes map -o afg-closed.html --scenario afghanistan-closed
  routes map --gallery
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("--output", "-o", metavar="PATH", help="HTML file (default: network.html)")
    p.add_argument("--gallery", action="store_true", help="regenerate the gallery folder (default: maps/)")
    add_common_options(p, routing=False)


def cmd_map(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes map``."""
    G = load_graph(args)
    if args.gallery:
        from routes.maps import write_gallery  # noqa: PLC0415

        folder = Path(args.output or "maps")
        written = write_gallery(G, folder)
        out.write(f"Wrote {len(written)} files to {folder}/: {', '.join(p.name for p in written)}\n")
        return EXIT_OK
    from routes.maps import network_map  # noqa: PLC0415
    from routes.scenarios import apply_scenario  # noqa: PLC0415

    path = args.output or "network.html"
    H = apply_scenario(G, args.scenario) if args.scenario else None
    write_map(path, lambda: network_map(G, scenario=H))
    out.write(f"Map written to {path}\n")
    return EXIT_OK
