"""``routes compare``: compare the best route under several scenarios."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from routes.cli._common import (
    EXIT_NO_ROUTE,
    EXIT_OK,
    HEADLINE_SCENARIOS,
    add_common_options,
    fmt,
    load_graph,
    month_notes,
    months_cell,
    route_kwargs,
    short_name,
    table,
    write_csv,
    write_json,
    write_map,
    write_notes,
)

if TYPE_CHECKING:
    import networkx as nx

    from routes.analysis import Comparison
    from routes.results import Route

HELP = "Compare the best route under several scenarios."

EPILOG = """
examples:
  routes compare Dushanbe Karachi
  routes compare Dushanbe Karachi -s baseline -s afghanistan-closed -s afghanistan-closed+winter
  routes compare Almaty Karachi -s baseline -s kkh-closed --by time --json
  routes compare Dushanbe Karachi -s baseline -s my-scenario.toml --map compare.html
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("origin")
    p.add_argument("destination")
    add_common_options(p)


def format_comparison(G: nx.MultiGraph, comp: Comparison) -> str:
    """Return a comparison as a table with one column per scenario."""
    o, d = G.nodes[comp.origin], G.nodes[comp.destination]
    head = f"{o['name']} ({o['country']}) → {d['name']} ({d['country']})  ·  shortest by {comp.by}"
    cols = [res.name for res in comp.results]
    deltas = comp.deltas()

    def cell(res: Any, delta: dict[str, float] | None, attr: str, digits: int, key: str) -> str:
        if res.route is None:
            return "no route"
        value = getattr(res.route, attr)
        text = fmt(value, digits)
        if delta is not None and res is not comp.results[0]:
            text += f" ({'+' if delta[key] >= 0 else ''}{fmt(delta[key], digits)})"
        return text

    def simple(res: Any, fn: Callable[[Route], str]) -> str:
        return "no route" if res.route is None else fn(res.route)

    rows = [
        ["distance (km)"] + [cell(r, dl, "total_km", 0, "km") for r, dl in zip(comp.results, deltas, strict=True)],
        ["time (h)"] + [cell(r, dl, "total_hours", 1, "hours") for r, dl in zip(comp.results, deltas, strict=True)],
        ["time (days)"] + [simple(r, lambda x: f"{x.total_days:.1f}") for r in comp.results],
        # Where the hours go: a flight or a ship is fast, its ports and airports are not.
        ["  at stops (h)"]
        + [simple(r, lambda x: fmt(x.total_hours - sum(leg.hours for leg in x.legs), 1)) for r in comp.results],
        ["cost (USD/t)"]
        + [cell(r, dl, "total_cost_usd", 1, "cost_usd") for r, dl in zip(comp.results, deltas, strict=True)],
        ["crossings"] + [simple(r, lambda x: str(len(x.border_crossings))) for r in comp.results],
        ["countries"] + [simple(r, lambda x: "-".join(x.countries)) for r in comp.results],
        ["modes"] + [simple(r, _modes) for r in comp.results],
        ["max elevation (m)"] + [simple(r, lambda x: fmt(x.max_elevation_m or 0)) for r in comp.results],
        ["months open"] + [simple(r, months_cell) for r in comp.results],
        ["unbuilt links"] + [simple(r, lambda x: str(len(x.unbuilt))) for r in comp.results],
    ]
    out = [head, "", table(rows, ["", *cols], set()), "", "Border crossings on each route:"]
    for res in comp.results:
        if res.route is not None:
            via = ", ".join(short_name(G.nodes[c]["name"]) for c in res.route.border_crossings) or "none"
            out.append(f"  {res.name}: {via}")
    for res in comp.results:
        if res.route is not None:
            continue
        out += ["", f"{res.name}: no route."]
        if res.closures:
            out.append("  What cuts it:")
            out += [f"  - {c}" for c in res.closures]
        else:
            out.append(f"  {res.reason}")
    return "\n".join(out)


def _modes(route: Route) -> str:
    """The modes of a route in the order it uses them, each change shown once (road-air-road)."""
    seq: list[str] = []
    for leg in route.legs:
        if not seq or seq[-1] != leg.mode:
            seq.append(leg.mode)
    return "-".join(seq)


#: Columns of ``routes compare --csv``: one row per scenario, named as in the JSON.
COMPARISON_CSV_HEADER = (
    "scenarios",
    "reachable",
    "total_km",
    "total_hours",
    "total_days",
    "total_cost_usd_per_t",
    "delta_km",
    "delta_hours",
    "delta_cost_usd_per_t",
    "border_crossings",
    "countries",
    "max_elevation_m",
    "unbuilt_links",
    "reason",
)


def comparison_csv_rows(comp: Comparison) -> list[list[Any]]:
    """One CSV row per scenario; id lists are space-separated, countries joined by ``-``."""
    from routes.results import rounded  # noqa: PLC0415

    rows: list[list[Any]] = []
    for res, delta in zip(comp.results, comp.deltas(), strict=True):
        r = res.route
        rows.append(
            [
                res.name,
                res.reachable,
                "" if r is None else rounded(r.total_km, "km"),
                "" if r is None else rounded(r.total_hours, "hours"),
                "" if r is None else rounded(r.total_days, "days"),
                "" if r is None else rounded(r.total_cost_usd, "usd_per_t"),
                "" if delta is None else rounded(delta["km"], "km"),
                "" if delta is None else rounded(delta["hours"], "hours"),
                "" if delta is None else rounded(delta["cost_usd"], "usd_per_t"),
                "" if r is None else " ".join(r.border_crossings),
                "" if r is None else "-".join(r.countries),
                "" if r is None or r.max_elevation_m is None else r.max_elevation_m,
                "" if r is None else " ".join(r.unbuilt),
                res.reason or "",
            ]
        )
    return rows


def cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes compare``.

    Exit 0 when at least one scenario has a route, 3 when none has.
    """
    from routes.analysis import compare  # noqa: PLC0415

    G = load_graph(args)
    scenarios = args.scenario or list(HEADLINE_SCENARIOS)
    notes = month_notes(G, scenarios, args.month)
    write_notes(notes)
    kwargs = route_kwargs(args)
    comp = compare(G, args.origin, args.destination, scenarios, **kwargs)
    if args.map:
        from routes.maps import comparison_map  # noqa: PLC0415

        write_map(args.map, lambda: comparison_map(comp, G=G))
    if args.json:
        write_json(out, "comparison", comp.to_dict(), notes=notes)
    elif args.csv:
        write_csv(out, COMPARISON_CSV_HEADER, comparison_csv_rows(comp))
    else:
        out.write(format_comparison(G, comp) + "\n")
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
    return EXIT_OK if any(res.reachable for res in comp.results) else EXIT_NO_ROUTE
