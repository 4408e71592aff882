"""``routes brief``: write a one-page brief comparing the routes under several scenarios."""

from __future__ import annotations

import argparse
from typing import TextIO

from routes.cli._common import (
    EXIT_OK,
    HEADLINE_SCENARIOS,
    UsageError,
    add_common_options,
    load_graph,
    route_kwargs,
    write_json,
)

HELP = "Write a one-page brief (table, map, charts, crossings, sources) comparing scenarios."

EPILOG = """
The page is one self-contained HTML file: it opens offline and makes no network request.
Print it from the browser for an A4 PDF. --json prints the same content as data.

examples:
  routes brief Dushanbe Karachi -s baseline -s afghanistan-closed -s wakhan-built -o brief.html
  routes brief Tashkent Karachi --by time -o tashkent-karachi.html
  routes brief Dushanbe Karachi --json
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("origin", help="place name, alias or id")
    p.add_argument("destination", help="place name, alias or id")
    p.add_argument("--output", "-o", metavar="PATH", help="HTML file to write")
    p.add_argument("--json", action="store_true", help="print the brief's content as JSON instead")
    add_common_options(p, outputs=False)


def cmd_brief(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes brief``."""
    from routes.brief import make_brief, save_brief  # noqa: PLC0415
    from routes.io import STDOUT, output_kind  # noqa: PLC0415

    if not args.json and not args.output:
        raise UsageError("routes brief: say where to write the page with -o PATH (or print data with --json)")
    if args.json and args.output == STDOUT:
        raise UsageError("routes brief: -o - and --json both write to standard output; choose one")
    kind = output_kind(args.output) if args.output else None  # a bad path fails now, not after the work
    G = load_graph(args)
    scenarios = args.scenario or list(HEADLINE_SCENARIOS)
    brief = make_brief(G, args.origin, args.destination, scenarios, **route_kwargs(args))
    if args.output:
        save_brief(brief, G, args.output, stdout=out)
    if args.json:
        write_json(out, "brief", brief.to_dict())
    elif kind == "file":  # not into the page itself, on standard output or a pipe
        sources = len(brief.bibliography)
        out.write(
            f"Brief on {brief.title} ({', '.join(brief.scenarios)}, {sources} sources) written to {args.output}\n"
        )
    return EXIT_OK
