"""``routes route``: find the best route between two places."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from routes.cli._common import (
    EXIT_NO_ROUTE,
    EXIT_OK,
    MAX_ALTERNATIVES,
    add_common_options,
    alternatives_arg,
    fmt,
    load_graph,
    month_notes,
    months_cell,
    place_ref,
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

    from routes.results import Route

HELP = "Find the best route between two places."

EPILOG = """
examples:
  routes route Dushanbe Karachi
  routes route Dushanbe Karachi --scenario afghanistan-closed --by time
  routes route Dushanbe Gwadar --scenario afghanistan-mainland-closed --scenario wakhan-built
  routes route Kashgar Karachi --month 1 --json
  routes route Tashkent Karachi --alternatives 3 --map tashkent-karachi.html
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("origin", help="place name, alias or id")
    p.add_argument("destination", help="place name, alias or id")
    p.add_argument(
        "--alternatives",
        "-k",
        type=alternatives_arg,
        metavar="K",
        help=f"show up to K genuinely different routes (1 to {MAX_ALTERNATIVES})",
    )
    add_common_options(p)


def format_route(G: nx.MultiGraph, route: Route) -> str:
    """Return a route as text: legs, stops and totals.

    A flight whose block time is estimated has its hours marked ``*`` and footnoted.
    """
    from routes.results import estimated_block_time_notes  # noqa: PLC0415

    names = {p.id: short_name(p.name, 30) for p in route.places}
    head = (
        f"{route.origin.name} ({route.origin.country}) → {route.destination.name} "
        f"({route.destination.country})  ·  scenario: {' + '.join(route.scenario)}  ·  "
        f"shortest by {route.by}" + (f"  ·  month {route.month}" if route.month else "")
    )
    rows = [
        [
            str(i),
            names[leg.from_id],
            names[leg.to_id],
            leg.mode,
            leg.corridor,
            fmt(leg.km),
            fmt(leg.hours, 1) + ("*" if leg.estimated_block_time else ""),
            fmt(leg.cost_usd, 1),
            leg.status.replace("_", " "),
        ]
        for i, leg in enumerate(route.legs, start=1)
    ]
    legs = table(rows, ["#", "from", "to", "mode", "corridor", "km", "hours", "USD/t", "status"], {0, 5, 6, 7})
    out = [head, "", legs] + [f"* {note}" for note in estimated_block_time_notes(route.legs)]
    if route.stops:
        srows = [
            [
                short_name(G.nodes[s.place]["name"], 30) if s.place in G else s.place,
                s.event,
                s.detail,
                fmt(s.hours, 1),
                fmt(s.cost_usd, 1),
                s.basis,
            ]
            for s in route.stops
        ]
        out += [
            "",
            "Stops (time and money spent at places)",
            table(srows, ["place", "event", "what", "hours", "USD/t", "figures"], {3, 4}),
        ]
    moving = sum(leg.hours for leg in route.legs)
    full = {p.id: short_name(p.name) for p in route.places}
    crossings = ", ".join(full.get(c, c) for c in route.border_crossings) or "none"
    km_by = "  ·  ".join(
        f"{c} {fmt(route.km_by_country[c])} km" if c in route.km_by_country else f"{c} (port or airport only)"
        for c in dict.fromkeys(route.countries)
    )
    elev = "n/a" if route.max_elevation_m is None else f"{fmt(route.max_elevation_m)} m"
    totals = [
        ("distance", f"{fmt(route.total_km)} km"),
        (
            "time",
            f"{fmt(route.total_hours, 1)} h = {route.total_days:.1f} days "
            f"({fmt(moving, 1)} h moving, {fmt(route.dwell_hours, 1)} h at borders, transfers and ports)",
        ),
        ("cost", f"{fmt(route.total_cost_usd, 1)} USD per tonne"),
        ("crossings", f"{len(route.border_crossings)}: {crossings}"),
        ("countries", km_by),
        ("max elevation", elev),
        ("months open", months_cell(route)),
        ("unbuilt links", ", ".join(route.unbuilt) if route.unbuilt else "none (all operational today)"),
    ]
    out += ["", "Totals"] + [f"  {k:<14}{v}" for k, v in totals]
    return "\n".join(out)


#: Columns of ``routes route --csv``: one row per leg and per stop, in travel order, so
#: the hours and USD/t columns add up to the route's totals.
ROUTE_CSV_HEADER = (
    "route",
    "scenarios",
    "seq",
    "row",
    "from",
    "to",
    "link",
    "place",
    "event",
    "mode",
    "corridor",
    "status",
    "km",
    "hours",
    "cost_usd_per_t",
)


def route_csv_rows(number: int, route: Route) -> list[list[Any]]:
    """The CSV rows of one route: its legs, each followed by the stops at its end place.

    Stops at the origin (loading at a port of departure) come first.
    """
    from routes.results import rounded  # noqa: PLC0415

    scen = "+".join(route.scenario)
    pending = list(route.stops)
    rows: list[list[Any]] = []

    def stop_rows(place: str) -> None:
        while pending and pending[0].place == place:
            st = pending.pop(0)
            rows.append(
                [number, scen, len(rows) + 1, "stop", "", "", "", st.place, st.event, "", "", "", 0.0,
                 rounded(st.hours, "hours"), rounded(st.cost_usd, "usd_per_t")]
            )  # fmt: skip

    stop_rows(route.origin.id)
    for leg in route.legs:
        rows.append(
            [number, scen, len(rows) + 1, "leg", leg.from_id, leg.to_id, leg.link, "", "", leg.mode, leg.corridor,
             leg.status, rounded(leg.km, "km"), rounded(leg.hours, "hours"), rounded(leg.cost_usd, "usd_per_t")]
        )  # fmt: skip
        stop_rows(leg.to_id)
    for st in pending:  # a stop at a place the legs do not end at: keep it, never drop time
        rows.append(
            [number, scen, len(rows) + 1, "stop", "", "", "", st.place, st.event, "", "", "", 0.0,
             rounded(st.hours, "hours"), rounded(st.cost_usd, "usd_per_t")]
        )  # fmt: skip
    return rows


def cmd_route(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes route``."""
    from routes.errors import NoRouteError  # noqa: PLC0415
    from routes.routing import alternative_routes, shortest_route  # noqa: PLC0415
    from routes.scenarios import resolve_scenario  # noqa: PLC0415

    G = load_graph(args)
    kwargs = route_kwargs(args)
    specs = args.scenario or ["baseline"]
    notes = month_notes(G, [specs], args.month)
    write_notes(notes)
    try:
        if args.alternatives:
            routes = alternative_routes(
                G, args.origin, args.destination, args.alternatives, scenario=args.scenario, **kwargs
            )
        else:
            routes = [shortest_route(G, args.origin, args.destination, scenario=args.scenario, **kwargs)]
    except NoRouteError as exc:
        if not args.json:
            raise
        sc = resolve_scenario(G, specs)
        payload = {
            "origin": place_ref(G, exc.origin),
            "destination": place_ref(G, exc.destination),
            "by": args.by,
            "scenarios": list(sc.parts or (sc.name,)),
            "month": args.month if args.month is not None else sc.month,
            "reachable": False,
            "routes": [],
            "reason": str(exc),
            "closures": list(exc.closures),
        }
        write_json(out, "route", payload, notes=notes)
        return EXIT_NO_ROUTE
    if args.map:
        from routes.maps import route_map  # noqa: PLC0415

        write_map(args.map, lambda: route_map(routes if len(routes) > 1 else routes[0], G=G))
    if args.json:
        first = routes[0]
        payload = {
            "origin": first.origin.to_dict(),
            "destination": first.destination.to_dict(),
            "by": first.by,
            "scenarios": list(first.scenario),
            "month": first.month,
            "reachable": True,
            "routes": [r.to_dict() for r in routes],
            "reason": None,
            "closures": [],
        }
        write_json(out, "route", payload, notes=notes)
    elif args.csv:
        write_csv(out, ROUTE_CSV_HEADER, [row for i, r in enumerate(routes, start=1) for row in route_csv_rows(i, r)])
    else:
        blocks = []
        for i, r in enumerate(routes, start=1):
            prefix = f"Route {i} of {len(routes)}\n" if len(routes) > 1 else ""
            blocks.append(prefix + format_route(G, r))
        out.write("\n\n".join(blocks) + "\n")
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
    return EXIT_OK
