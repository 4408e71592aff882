"""The ``routes`` command line: a thin shell over the library.

`main` parses arguments, calls the library, formats its results, and turns errors into
messages and exit codes. Nothing here computes a route.

Exit codes: 0 success; 1 ``validate`` found problems; 2 bad input (unknown place,
ambiguous place, bad month, unknown scenario, malformed scenario file, bad option);
3 no route; 4 the data folder is invalid; 70 an internal error (``--debug`` shows the
traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import networkx as nx

    from routes.analysis import Comparison
    from routes.results import Route

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2
EXIT_NO_ROUTE = 3
EXIT_BAD_DATA = 4
EXIT_INTERNAL = 70

HEADLINE_SCENARIOS = ("baseline", "afghanistan-closed", "wakhan-built", "winter")


class UsageError(Exception):
    """Bad command-line input found after parsing (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: {message}")


# ---------------------------------------------------------------------------------------
# Argument parsing.


def _month(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 12:
        raise argparse.ArgumentTypeError(f"month must be a number from 1 to 12, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _modes(text: str) -> list[str]:
    modes = [m.strip() for m in text.split(",") if m.strip()]
    bad = [m for m in modes if m not in ("road", "rail", "sea")]
    if bad or not modes:
        raise argparse.ArgumentTypeError(f"modes are road, rail, sea (comma-separated), got {text!r}")
    return modes


def _country(text: str) -> str:
    code = text.strip().upper()
    known = ("PAK", "AFG", "TJK", "UZB", "KGZ", "TKM", "KAZ", "CHN", "IRN")
    if code not in known:
        raise argparse.ArgumentTypeError(f"unknown country {text!r}; use an ISO3 code: {', '.join(known)}")
    return code


def _elevation(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected metres, got {text!r}") from None
    if not 0 < value < 9000:
        raise argparse.ArgumentTypeError(f"expected metres between 0 and 9000, got {text!r}")
    return value


def _common(p: argparse.ArgumentParser, *, routing: bool = True, scenario: bool = True) -> None:
    p.add_argument("--data", metavar="DIR", help="network data folder (default: the shipped network)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    if scenario:
        p.add_argument(
            "--scenario",
            "-s",
            action="append",
            metavar="NAME_OR_PATH",
            default=None,
            help="scenario name or .toml path; repeat to compose in order (a+b also composes)",
        )
    if routing:
        p.add_argument(
            "--by",
            choices=("distance", "time", "cost"),
            default="distance",
            help="what to minimise: km, hours, or USD per tonne (default: distance)",
        )
        p.add_argument("--month", type=_month, metavar="1-12", help="month of travel (seasonal closures)")
        p.add_argument("--mode", type=_modes, metavar="MODES", help="allowed modes, e.g. road or road,rail")
        p.add_argument(
            "--avoid-country",
            type=_country,
            action="append",
            default=[],
            metavar="ISO3",
            help="country the route must not enter (repeatable)",
        )
        p.add_argument(
            "--avoid-place",
            action="append",
            default=[],
            metavar="PLACE",
            help="place the route must not pass (repeatable)",
        )
        p.add_argument("--max-elevation", type=_elevation, metavar="M", help="highest point allowed, metres")
        out = p.add_mutually_exclusive_group()
        out.add_argument("--json", action="store_true", help="print JSON")
        out.add_argument("--csv", action="store_true", help="print CSV")
        p.add_argument("--map", metavar="PATH", help="also write an HTML map of the result")


EPILOGS = {
    "route": """
examples:
  routes route Dushanbe Karachi
  routes route Dushanbe Karachi --scenario afghanistan-closed --by time
  routes route Dushanbe Gwadar --scenario afghanistan-mainland-closed --scenario wakhan-built
  routes route Kashgar Karachi --month 1 --json
  routes route Tashkent Karachi --alternatives 3 --map tashkent-karachi.html
""",
    "compare": """
examples:
  routes compare Dushanbe Karachi
  routes compare Dushanbe Karachi -s baseline -s afghanistan-closed -s afghanistan-closed+winter
  routes compare Almaty Karachi -s baseline -s kkh-closed --by time --json
  routes compare Dushanbe Karachi -s baseline -s my-scenario.toml --map compare.html
""",
    "scenarios": """
examples:
  routes scenarios
  routes scenarios show afghanistan-mainland-closed
""",
    "places": """
examples:
  routes places
  routes places khorog
  routes places --kind pass
  routes places --country TJK --json
""",
    "validate": """
examples:
  routes validate
  routes validate path/to/my-geodata
""",
    "export": """
examples:
  routes export --format gpkg -o corridors.gpkg
  routes export --format geojson -o afg-closed.geojson --scenario afghanistan-closed
""",
    "sources": """
examples:
  routes sources
  routes sources khunjerab-pass
  routes sources adb-cpmm-2022
  routes sources --route Dushanbe Karachi --scenario afghanistan-closed
  routes sources --seeds
""",
    "map": """
examples:
  routes map -o network.html
  routes map -o afg-closed.html --scenario afghanistan-closed
  routes map --gallery
""",
}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``routes`` command."""
    parser = _Parser(
        prog="routes",
        description=(
            "Route planner for the Pakistan–Central Asia corridors: best routes, scenario "
            "comparisons and maps on a sourced multimodal network."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `routes COMMAND --help` for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version="routes 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=EPILOGS[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    p = add("route", "Find the best route between two places.")
    p.add_argument("origin", help="place name, alias or id")
    p.add_argument("destination", help="place name, alias or id")
    p.add_argument(
        "--alternatives", "-k", type=_positive_int, metavar="K", help="show up to K genuinely different routes"
    )
    _common(p)

    p = add("compare", "Compare the best route under several scenarios.")
    p.add_argument("origin")
    p.add_argument("destination")
    _common(p)
    p.set_defaults(_compare=True)

    p = add("scenarios", "List the built-in scenarios, or show what one changes.")
    p.add_argument("action", nargs="?", choices=("list", "show"), default="list")
    p.add_argument("name", nargs="?", help="scenario name or .toml path (with show)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _common(p, routing=False, scenario=False)

    p = add("places", "List or search the places of the network.")
    p.add_argument("query", nargs="?", help="text to search in ids, names and aliases")
    p.add_argument("--kind", help="only places of this kind (city, seaport, crossing, pass, ...)")
    p.add_argument("--country", type=_country, help="only places in this country (ISO3)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _common(p, routing=False, scenario=False)

    p = add("validate", "Check a network data folder and print every problem.")
    p.add_argument("data_dir", nargs="?", metavar="DATA_DIR", help="default: the shipped network")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")

    p = add("export", "Write the network (under a scenario) as GeoJSON or GeoPackage.")
    p.add_argument("--format", "-f", choices=("geojson", "gpkg", "graphml"), required=True)
    p.add_argument("--output", "-o", required=True, metavar="PATH")
    _common(p, routing=False)

    p = add("sources", "Print the bibliography, or the sources behind a place, link or route.")
    p.add_argument("id", nargs="*", metavar="ID", help="a source, place or link id (or place name)")
    p.add_argument("--route", nargs=2, metavar=("ORIGIN", "DESTINATION"), help="the sources of a route")
    p.add_argument("--seeds", action="store_true", help="the seed documents' coverage report")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--by", choices=("distance", "time", "cost"), default="distance")
    p.add_argument("--month", type=_month, metavar="1-12")
    _common(p, routing=False)

    p = add("map", "Write an HTML map of the network, or regenerate the map gallery.")
    p.add_argument("--output", "-o", metavar="PATH", help="HTML file (default: network.html)")
    p.add_argument("--gallery", action="store_true", help="regenerate the gallery folder (default: maps/)")
    _common(p, routing=False)
    return parser


# ---------------------------------------------------------------------------------------
# Formatting.


def _fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str], right: set[int]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def _months(route: Route) -> str:
    from routes.results import months_text  # noqa: PLC0415

    return months_text(route.months_open)


def _short(name: str, width: int = 0) -> str:
    """A place name without its parenthetical, cut to ``width`` characters if given."""
    text = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def format_route(G: nx.MultiGraph, route: Route) -> str:
    """Return a route as text: legs, stops and totals."""
    names = {p.id: _short(p.name, 30) for p in route.places}
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
            _fmt(leg.km),
            _fmt(leg.hours, 1),
            _fmt(leg.cost_usd, 1),
            leg.status.replace("_", " "),
        ]
        for i, leg in enumerate(route.legs, start=1)
    ]
    legs = _table(rows, ["#", "from", "to", "mode", "corridor", "km", "hours", "USD/t", "status"], {0, 5, 6, 7})
    out = [head, "", legs]
    if route.stops:
        srows = [
            [
                _short(G.nodes[s.place]["name"], 30) if s.place in G else s.place,
                s.event,
                s.detail,
                _fmt(s.hours, 1),
                _fmt(s.cost_usd, 1),
                s.basis,
            ]
            for s in route.stops
        ]
        out += [
            "",
            "Stops (time and money spent at places)",
            _table(srows, ["place", "event", "what", "hours", "USD/t", "figures"], {3, 4}),
        ]
    moving = sum(leg.hours for leg in route.legs)
    full = {p.id: _short(p.name) for p in route.places}
    crossings = ", ".join(full.get(c, c) for c in route.border_crossings) or "none"
    km_by = "  ·  ".join(f"{c} {_fmt(route.km_by_country.get(c, 0))} km" for c in dict.fromkeys(route.countries))
    elev = "n/a" if route.max_elevation_m is None else f"{_fmt(route.max_elevation_m)} m"
    totals = [
        ("distance", f"{_fmt(route.total_km)} km"),
        (
            "time",
            f"{_fmt(route.total_hours, 1)} h = {route.total_days:.1f} days "
            f"({_fmt(moving, 1)} h moving, {_fmt(route.dwell_hours, 1)} h at borders, transfers and ports)",
        ),
        ("cost", f"{_fmt(route.total_cost_usd, 1)} USD per tonne"),
        ("crossings", f"{len(route.border_crossings)}: {crossings}"),
        ("countries", km_by),
        ("max elevation", elev),
        ("months open", _months(route)),
        ("unbuilt links", ", ".join(route.unbuilt) if route.unbuilt else "none (all operational today)"),
    ]
    out += ["", "Totals"] + [f"  {k:<14}{v}" for k, v in totals]
    return "\n".join(out)


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
        text = _fmt(value, digits)
        if delta is not None and res is not comp.results[0]:
            text += f" ({'+' if delta[key] >= 0 else ''}{_fmt(delta[key], digits)})"
        return text

    def simple(res: Any, fn: Callable[[Route], str]) -> str:
        return "no route" if res.route is None else fn(res.route)

    rows = [
        ["distance (km)"] + [cell(r, dl, "total_km", 0, "km") for r, dl in zip(comp.results, deltas, strict=True)],
        ["time (h)"] + [cell(r, dl, "total_hours", 1, "hours") for r, dl in zip(comp.results, deltas, strict=True)],
        ["time (days)"] + [simple(r, lambda x: f"{x.total_days:.1f}") for r in comp.results],
        ["cost (USD/t)"]
        + [cell(r, dl, "total_cost_usd", 1, "cost_usd") for r, dl in zip(comp.results, deltas, strict=True)],
        ["crossings"] + [simple(r, lambda x: str(len(x.border_crossings))) for r in comp.results],
        ["countries"] + [simple(r, lambda x: "-".join(x.countries)) for r in comp.results],
        ["max elevation (m)"] + [simple(r, lambda x: _fmt(x.max_elevation_m or 0)) for r in comp.results],
        ["months open"] + [simple(r, _months) for r in comp.results],
        ["unbuilt links"] + [simple(r, lambda x: str(len(x.unbuilt))) for r in comp.results],
    ]
    out = [head, "", _table(rows, ["", *cols], set()), "", "Border crossings on each route:"]
    for res in comp.results:
        if res.route is not None:
            via = ", ".join(_short(G.nodes[c]["name"]) for c in res.route.border_crossings) or "none"
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


def _route_csv(route: Route) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scenario", "seq", "from", "to", "link", "mode", "corridor", "status", "km", "hours", "cost_usd"])
    for i, leg in enumerate(route.legs, start=1):
        w.writerow(
            [
                "+".join(route.scenario),
                i,
                leg.from_id,
                leg.to_id,
                leg.link,
                leg.mode,
                leg.corridor,
                leg.status,
                round(leg.km, 1),
                round(leg.hours, 2),
                round(leg.cost_usd, 2),
            ]
        )
    return buf.getvalue()


def _comparison_csv(comp: Comparison) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "scenario",
            "reachable",
            "total_km",
            "total_hours",
            "total_cost_usd",
            "delta_km",
            "delta_hours",
            "delta_cost_usd",
            "border_crossings",
            "countries",
            "max_elevation_m",
            "reason",
        ]
    )
    for res, delta in zip(comp.results, comp.deltas(), strict=True):
        r = res.route
        w.writerow(
            [
                res.name,
                res.reachable,
                "" if r is None else round(r.total_km, 1),
                "" if r is None else round(r.total_hours, 2),
                "" if r is None else round(r.total_cost_usd, 2),
                "" if delta is None else round(delta["km"], 1),
                "" if delta is None else round(delta["hours"], 2),
                "" if delta is None else round(delta["cost_usd"], 2),
                "" if r is None else " ".join(r.border_crossings),
                "" if r is None else "-".join(r.countries),
                "" if r is None else r.max_elevation_m,
                res.reason or "",
            ]
        )
    return buf.getvalue()


def _dumps(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------------------
# Commands.


def _load(args: argparse.Namespace) -> nx.MultiGraph:
    from routes.network import load_network  # noqa: PLC0415

    if args.data is not None and not Path(args.data).is_dir():
        raise UsageError(f"--data {args.data}: no such folder")
    return load_network(args.data)


def _route_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "by": args.by,
        "month": args.month,
        "modes": args.mode,
        "avoid_countries": args.avoid_country,
        "avoid_places": args.avoid_place,
        "max_elevation_m": args.max_elevation,
    }


def _write_map(path: str, make: Callable[[], Any]) -> None:
    from routes.maps import save_map  # noqa: PLC0415

    save_map(make(), path)


def cmd_route(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes route``."""
    from routes.routing import alternative_routes, shortest_route  # noqa: PLC0415

    G = _load(args)
    kwargs = _route_kwargs(args)
    if args.alternatives:
        routes = alternative_routes(
            G, args.origin, args.destination, args.alternatives, scenario=args.scenario, **kwargs
        )
    else:
        routes = [shortest_route(G, args.origin, args.destination, scenario=args.scenario, **kwargs)]
    if args.map:
        from routes.maps import route_map  # noqa: PLC0415

        _write_map(args.map, lambda: route_map(routes if len(routes) > 1 else routes[0], G=G))
    if args.json:
        payload: Any = {"routes": [r.to_dict() for r in routes]} if args.alternatives else routes[0].to_dict()
        out.write(_dumps(payload) + "\n")
    elif args.csv:
        text = "".join(_route_csv(r) if i == 0 else _route_csv(r).split("\n", 1)[1] for i, r in enumerate(routes))
        out.write(text)
    else:
        blocks = []
        for i, r in enumerate(routes, start=1):
            prefix = f"Route {i} of {len(routes)}\n" if len(routes) > 1 else ""
            blocks.append(prefix + format_route(G, r))
        out.write("\n\n".join(blocks) + "\n")
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes compare``."""
    from routes.analysis import compare  # noqa: PLC0415

    G = _load(args)
    scenarios = args.scenario or list(HEADLINE_SCENARIOS)
    kwargs = _route_kwargs(args)
    comp = compare(G, args.origin, args.destination, scenarios, **kwargs)
    if args.map:
        from routes.maps import comparison_map  # noqa: PLC0415

        _write_map(args.map, lambda: comparison_map(comp, G=G))
    if args.json:
        out.write(_dumps(comp.to_dict()) + "\n")
    elif args.csv:
        out.write(_comparison_csv(comp))
    else:
        out.write(format_comparison(G, comp) + "\n")
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
    return EXIT_OK


def cmd_scenarios(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes scenarios``."""
    from routes.scenarios import builtin_scenarios, load_scenario, resolve_scenario  # noqa: PLC0415

    G = _load(args)
    if args.action == "list":
        if args.name:
            raise UsageError("routes scenarios: to see one scenario, use `routes scenarios show NAME`")
        rows = []
        for name, path in builtin_scenarios(G).items():
            sc = load_scenario(path)
            rows.append((name, sc.title, "; ".join(sc.describe())))
        if args.json:
            out.write(_dumps([{"name": n, "title": t, "changes": c} for n, t, c in rows]) + "\n")
        else:
            out.write(_table([list(r) for r in rows], ["name", "title", "changes"], set()) + "\n")
        return EXIT_OK
    if not args.name:
        raise UsageError("routes scenarios show: name a scenario (`routes scenarios` lists them)")
    sc = resolve_scenario(G, args.name)
    if args.json:
        out.write(
            _dumps(
                {
                    "name": sc.name,
                    "title": sc.title,
                    "description": sc.description,
                    "changes": sc.describe(),
                    "sources": [s for s, _ in sc.sources],
                    "file": sc.path,
                }
            )
            + "\n"
        )
        return EXIT_OK
    lines = [f"{sc.name}: {sc.title}"]
    if sc.description:
        lines += ["", textwrap.fill(sc.description, width=100)]
    lines += ["", "Changes (on top of baseline, today's operational network):"]
    lines += [f"  - {c}" for c in sc.describe()]
    if sc.month is not None:
        shut = _closed_in_month(G, sc.month)
        lines += ["", f"Closed in month {sc.month} by their seasonal windows ({len(shut)}):"]
        lines += [f"  - {s}" for s in shut] or ["  - nothing"]
    if sc.sources:
        bib = G.graph.get("sources", {})
        lines += ["", "Sources:"]
        for sid, note in sc.sources:
            entry = bib.get(sid, {})
            title = entry.get("title", "(not in the bibliography)")
            lines.append(f"  - {sid}: {title}" + (f" ({note})" if note else ""))
    if sc.path:
        lines += ["", f"File: {sc.path}"]
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _closed_in_month(G: nx.MultiGraph, month: int) -> list[str]:
    from routes.results import months_text  # noqa: PLC0415

    out = []
    for pid, d in sorted(G.nodes(data=True)):
        if d.get("open_months") and month not in d["open_months"]:
            out.append(f"{d['name']} ({pid}): open {months_text(d['open_months'])}")
    for _, _, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        if d.get("open_months") and month not in d["open_months"]:
            out.append(f"link {k} ({d['name']}): open {months_text(d['open_months'])}")
    return out


def cmd_places(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes places``."""
    from routes.network import normalize_name  # noqa: PLC0415

    G = _load(args)
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
    if args.json:
        out.write(
            _dumps(
                [
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
            )
            + "\n"
        )
        return EXIT_OK
    table = [
        [
            pid,
            d["name"],
            d["kind"],
            d["country"],
            ", ".join(d["aliases"]),
            "" if d["elevation_m"] is None else _fmt(d["elevation_m"]),
        ]
        for pid, d in rows
    ]
    out.write(_table(table, ["id", "name", "kind", "country", "aliases", "elev m"], {5}) + "\n")
    out.write(f"{len(rows)} place(s)\n")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes validate``."""
    from routes.validation import validate  # noqa: PLC0415

    if args.data_dir is not None and not Path(args.data_dir).is_dir():
        raise UsageError(f"routes validate: {args.data_dir}: no such folder")
    problems = validate(args.data_dir)
    for p in problems:
        out.write(f"{p}\n")
    where = args.data_dir or "the shipped network"
    if problems:
        out.write(f"{len(problems)} problem(s) in {where}\n")
        return EXIT_PROBLEMS
    out.write(f"No problems in {where}.\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes export``."""
    from routes.export import export_network  # noqa: PLC0415
    from routes.scenarios import apply_scenario  # noqa: PLC0415

    G = _load(args)
    H = apply_scenario(G, args.scenario) if args.scenario else G
    counts = export_network(H, args.output, fmt=args.format)
    out.write(f"Wrote {counts['places']} places and {counts['links']} links to {args.output}\n")
    return EXIT_OK


def cmd_sources(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes sources``."""
    G = _load(args)
    bib: dict[str, dict[str, Any]] = G.graph["sources"]
    if args.seeds:
        from routes.seeds import seed_coverage  # noqa: PLC0415

        cov = seed_coverage(G)
        if args.json:
            out.write(
                _dumps(
                    [
                        {
                            "term": m.term,
                            "kind": m.kind,
                            "seed": m.seed,
                            "covered": m.covered,
                            "found": list(m.found),
                            "expected": list(m.expected),
                            "why_not": m.why_not,
                            "quote": m.quote,
                        }
                        for m in cov
                    ]
                )
                + "\n"
            )
            return EXIT_OK
        covered = [m for m in cov if m.covered]
        lines = [f"Seed documents' coverage: {len(covered)} of {len(cov)} mentions are in the network.", ""]
        for m in cov:
            mark = "in network" if m.covered else "NOT in network"
            lines.append(f"[{mark}] {m.term} ({m.kind}, {m.seed})" + (f" -> {', '.join(m.found)}" if m.found else ""))
            lines.append(textwrap.fill(f"“{m.quote}”", width=100, initial_indent="    ", subsequent_indent="    "))
            if not m.covered and m.why_not:
                lines.append(
                    textwrap.fill(f"why not: {m.why_not}", width=100, initial_indent="    ", subsequent_indent="    ")
                )
        out.write("\n".join(lines) + "\n")
        return EXIT_OK
    if args.route:
        from routes.routing import shortest_route  # noqa: PLC0415

        route = shortest_route(G, args.route[0], args.route[1], scenario=args.scenario, by=args.by, month=args.month)
        ids = list(route.sources)
        title = f"Sources behind {route.origin.name} → {route.destination.name} ({' + '.join(route.scenario)})"
        return _print_bib(out, bib, ids, title, args.json)
    if not args.id:
        return _print_bib(out, bib, sorted(bib), f"Bibliography: {len(bib)} sources", args.json)
    query = " ".join(args.id)
    if query in bib:
        users = _citing(G, query)
        if args.json:
            out.write(_dumps({"id": query, **bib[query], "cited_by": users}) + "\n")
            return EXIT_OK
        _print_bib(out, bib, [query], f"Source {query}", False)
        out.write(f"\nCited by {len(users)} feature(s): {', '.join(users)}\n")
        return EXIT_OK
    cites, label = _feature_citations(G, query)
    if args.json:
        out.write(_dumps({"feature": label, "sources": [{**c, **bib.get(c["id"], {})} for c in cites]}) + "\n")
        return EXIT_OK
    lines = [f"Sources behind {label}:"]
    for c in cites:
        entry = bib.get(c["id"], {})
        lines.append(
            f"  - {c['id']}: {entry.get('title', '?')} "
            f"({entry.get('publisher') or entry.get('author', '')}, {entry.get('date', 'n.d.')})"
        )
        for key in ("fields", "note", "table", "page"):
            if c.get(key):
                lines.append(f"      {key}: {c[key] if isinstance(c[key], str) else ', '.join(c[key])}")
        if c.get("quote"):
            lines.append(
                textwrap.fill(
                    f"“{' '.join(c['quote'].split())}”", width=100, initial_indent="      ", subsequent_indent="      "
                )
            )
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _feature_citations(G: nx.MultiGraph, query: str) -> tuple[list[dict[str, Any]], str]:
    for _, _, k, d in G.edges(keys=True, data=True):
        if k == query:
            cites = list(d["sources"])
            return cites, f"link {k} ({d['name']})"
    from routes.network import find_place  # noqa: PLC0415

    pid = find_place(G, query)
    d = G.nodes[pid]
    cites = list(d["sources"])
    for rec in d.get("dwell", ()):
        cites.extend(rec.get("sources", ()))
    return cites, f"place {pid} ({d['name']})"


def _citing(G: nx.MultiGraph, sid: str) -> list[str]:
    users = []
    for pid, d in G.nodes(data=True):
        ids = {c["id"] for c in d["sources"]}
        for rec in d.get("dwell", ()):
            ids.update(c["id"] for c in rec.get("sources", ()))
        if sid in ids:
            users.append(pid)
    for _, _, k, d in G.edges(keys=True, data=True):
        if sid in {c["id"] for c in d["sources"]}:
            users.append(k)
    return users


def _print_bib(out: TextIO, bib: dict[str, dict[str, Any]], ids: list[str], title: str, as_json: bool) -> int:
    if as_json:
        out.write(_dumps([{"id": i, **bib.get(i, {})} for i in ids]) + "\n")
        return EXIT_OK
    lines = [title, ""]
    for sid in ids:
        e = bib.get(sid, {})
        who = e.get("publisher") or e.get("author") or ""
        parts = [f"{sid}: {e.get('title', '(not in the bibliography)')}"]
        if who:
            parts.append(who)
        if e.get("date"):
            parts.append(str(e["date"]))
        line = ". ".join(parts) + "."
        if e.get("url"):
            line += f" {e['url']}"
        if e.get("seed"):
            line += f" (seeds/{e['seed']})"
        lines.append(textwrap.fill(line, width=110, subsequent_indent="    "))
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def cmd_map(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes map``."""
    G = _load(args)
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
    _write_map(path, lambda: network_map(G, scenario=H))
    out.write(f"Map written to {path}\n")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "route": cmd_route,
    "compare": cmd_compare,
    "scenarios": cmd_scenarios,
    "places": cmd_places,
    "validate": cmd_validate,
    "export": cmd_export,
    "sources": cmd_sources,
    "map": cmd_map,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the ``routes`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).
    out, err : text streams, optional
        Where results and messages go (default: stdout, stderr).

    Returns
    -------
    int
        The exit code (see the module docstring).
    """
    from routes.errors import (  # noqa: PLC0415
        InvalidDataError,
        NoRouteError,
        RoutesError,
        ScenarioError,
        UnknownPlaceError,
    )

    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except UsageError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(out)
        return EXIT_BAD_INPUT
    try:
        return COMMANDS[args.command](args, out)
    except UsageError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except (UnknownPlaceError, ScenarioError) as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except NoRouteError as exc:
        head = str(exc).split(" What cuts it:")[0]
        err.write(f"no route: {head}\n")
        if exc.closures:
            err.write("What cuts it:\n" + "".join(f"  - {c}\n" for c in exc.closures))
        return EXIT_NO_ROUTE
    except InvalidDataError as exc:
        err.write(f"error: the network data is invalid. {exc}\n")
        return EXIT_BAD_DATA
    except RoutesError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except OSError as exc:
        if debug:
            raise
        err.write(f"error: {exc.strerror or exc}: {exc.filename or ''}\n")
        return EXIT_BAD_INPUT
    except Exception as exc:
        if debug:
            raise
        err.write(f"internal error: {type(exc).__name__}: {exc}\n(run again with --debug for the traceback)\n")
        return EXIT_INTERNAL


def run() -> None:
    """Console-script entry point."""
    try:
        code = main()
    except BrokenPipeError:  # `routes places | head`
        code = 0
    sys.exit(code)
