"""``routes map``: write an HTML map of the network, or regenerate the map gallery."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from routes.cli._common import (
    EXIT_OK,
    UsageError,
    add_common_options,
    load_graph,
    write_map,
)

HELP = "Write an HTML map of the network, or regenerate the map gallery."

EPILOG = """
examples:
  routes map -o network.html
  routes map -o afg-closed.html --scenario afghanistan-closed
  routes map -o - | gzip > network.html.gz
  routes map --gallery
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        help="HTML file, - for standard output (default: network.html); with --gallery, the folder",
    )
    p.add_argument("--gallery", action="store_true", help="regenerate the gallery folder (default: maps/)")
    add_common_options(p, routing=False)


def cmd_map(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes map``."""
    from routes.io import STDOUT, output_kind  # noqa: PLC0415

    if args.gallery:
        if args.output == STDOUT:
            raise UsageError("--gallery -o -: the gallery is a folder of files; give a folder name")
        G = load_graph(args)
        from routes.gallery import write_gallery  # noqa: PLC0415

        folder = Path(args.output or "maps")
        written = write_gallery(G, folder)
        out.write(f"Wrote {len(written)} files to {folder}/: {', '.join(p.name for p in written)}\n")
        return EXIT_OK
    path = args.output or "network.html"
    kind = output_kind(path)  # a bad path fails now, not after drawing the map
    G = load_graph(args)
    from routes.maps import network_map  # noqa: PLC0415
    from routes.scenarios import apply_scenario  # noqa: PLC0415

    H = apply_scenario(G, args.scenario) if args.scenario else None
    write_map(path, lambda: network_map(G, scenario=H), stdout=out)
    if kind == "file":  # not into the page itself, on standard output or a pipe
        out.write(f"Map written to {path}\n")
    return EXIT_OK
