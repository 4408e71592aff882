"""``routes ports``: which seaport serves each inland city, and which switch in a scenario."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from routes.cli._analysis import (
    cell,
    check_outputs,
    number,
    page_on_stdout,
    place_list,
    refuse_unused,
    scenario_parts,
)
from routes.cli._common import (
    EXIT_OK,
    add_common_options,
    fmt,
    load_graph,
    month_notes,
    place_ref,
    short_name,
    table,
    write_csv,
    write_json,
    write_map,
    write_notes,
)

HELP = "Port catchments: each inland city's best seaport, and which cities switch under a scenario."

EPILOG = """
examples:
  routes ports                                         # best port by time, baseline
  routes ports -s baseline -s afghanistan-closed       # which cities switch port
  routes ports --cities Dushanbe,Tashkent,Almaty --by cost
  routes ports -s baseline -s afghanistan-closed --switches-only --map ports.html
  routes ports --csv > catchments.csv
  routes ports --to Rotterdam,Shanghai --cities Dushanbe,Tashkent -s baseline -s red-sea-closed
  routes ports --to Rotterdam --cities Dushanbe,Tashkent,Almaty -s baseline -s red-sea-closed --brief eu.html
  routes ports -s baseline -s afghanistan-closed --brief ports-brief.html

With several --scenario options, each is compared with the first; a city "switches" when
its best port changes and is "cut off" when no port can be reached any more. --brief
writes one self-contained page (the question, the table, the map, a chart, the seaports
and the border crossings on the best routes with their numbered sources); --json holds
the same content as data.

--to names world markets (ports reached only by sea): the table then gives, door to door,
the best gateway port for each city and market, the one whose ship the best route boards;
--json and --csv give the same figures (kind market_gateways). --brief then writes the
page of that question: the answer in sentences, the table, the map, a chart, the
scenarios, and the rules, ports, passages, crossings and sea lanes the best routes rest on
with their numbered sources.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("--cities", type=place_list, metavar="PLACES", help="comma-separated cities (default: all)")
    p.add_argument("--switches-only", action="store_true", help="list only cities that switch port or are cut off")
    p.add_argument(
        "--to",
        type=place_list,
        metavar="MARKETS",
        help="world ports (Rotterdam,Shanghai,...): the best gateway port to each, door to door",
    )
    p.add_argument("--brief", metavar="PATH", help="also write a one-page brief (HTML, offline; - for stdout)")
    add_common_options(p)
    p.set_defaults(by="time")


def cmd_ports(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes ports``."""
    from routes.analysis_brief import ports_brief, save_analysis_brief  # noqa: PLC0415
    from routes.catchment import port_catchment  # noqa: PLC0415

    refuse_unused(args, "ports")
    check_outputs(args)  # a bad --map or --brief path fails now, not after the work
    G = load_graph(args)
    notes = month_notes(G, args.scenario or ["baseline"], args.month)
    write_notes(notes)
    scenarios = args.scenario or ["baseline"]
    if args.to is not None:
        return _markets(args, G, scenarios, notes, out)
    t = port_catchment(G, scenarios, by=args.by, cities=args.cities, month=args.month, modes=args.mode)
    names = t.attrs["scenarios"]
    ports: list[str] = t.attrs["ports"]
    if args.map:
        from routes.analysis_maps import catchment_map  # noqa: PLC0415

        write_map(args.map, lambda: catchment_map(t, G), stdout=out)
    changed = set(t[t.switches | t.cut_off].city)
    shown = t[t.city.isin(changed)] if args.switches_only else t
    if args.json or args.brief:
        brief = ports_brief(G, t, month=args.month, modes=args.mode, switches_only=args.switches_only)
        if args.brief:
            save_analysis_brief(brief, G, args.brief, stdout=out)
        if args.json:
            write_json(out, "port_catchment", brief.to_dict(), notes=notes)
    if args.csv:
        header = ["scenarios", "city", "city_name", "country", "best_port", "best_km", "best_hours",
                  "best_cost_usd_per_t", "switches", "cut_off"]  # fmt: skip
        units = (("km", "km"), ("hours", "hours"), ("cost_usd_per_t", "usd_per_t"))
        header += [f"total_{u}_to_{p}" for p in ports for u, _ in units]
        rows = [
            [
                r["scenario"], r["city"], r["city_name"], r["country"],
                r["best_port"] if isinstance(r["best_port"], str) else "",
                *(cell(r[f"best_{u}"], unit) for u, unit in units),
                bool(r["switches"]), bool(r["cut_off"]),
                *(cell(r[f"{u}_to_{p}"], unit) for p in ports for u, unit in units),
            ]
            for r in shown.to_dict("records")
        ]  # fmt: skip
        write_csv(out, header, rows)
    elif not args.json and not page_on_stdout(args):
        unit = {"distance": ("km", 0), "time": ("hours", 1), "cost": ("cost_usd_per_t", 1)}[args.by]
        label = {"km": "km", "hours": "h", "cost_usd_per_t": "USD/t"}[unit[0]]
        port_names = {p: short_name(G.nodes[p]["name"], 14) for p in ports}
        rows = []
        for _, group in shown.groupby("city", sort=False):
            first = group.iloc[0]
            cells = [short_name(str(first.city_name), 24), str(first.country)]
            for r in group.itertuples():
                value = getattr(r, f"best_{unit[0]}")
                best = port_names.get(r.best_port, "no port") if isinstance(r.best_port, str) else "no port"
                mark = " *" if r.switches or r.cut_off else ""
                cells.append(f"{best} {fmt(value, unit[1])}{mark}" if number(value, "km") is not None else best + mark)
            rows.append(cells)
        headers = ["city", "country", *(f"{n} (best, {label})" for n in names)]
        counts = t[t.scenario == names[0]].best_port.value_counts()
        summary = ", ".join(f"{port_names[p]} {int(counts.get(p, 0))}" for p in ports)
        out.write(
            f"Best seaport by {args.by}  ·  cities per port under {names[0]}: {summary}\n"
            + (f"{len(changed)} cities switch port or are cut off (*)\n" if len(names) > 1 else "")
            + "\n"
            + table(rows, headers, set())
            + "\n"
        )
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
        if args.brief:
            out.write(f"Brief written to {args.brief}\n")
    return EXIT_OK


def _markets(args: argparse.Namespace, G: Any, scenarios: list[str], notes: list[str], out: TextIO) -> int:
    """``routes ports --to``: the best gateway port of each city to each world market."""
    from routes.analysis_brief import gateways_brief, save_analysis_brief  # noqa: PLC0415
    from routes.catchment import market_gateways  # noqa: PLC0415

    t = market_gateways(G, args.to, scenarios, by=args.by, cities=args.cities, month=args.month, modes=args.mode)
    names: list[str] = t.attrs["scenarios"]
    gateways: list[str] = t.attrs["gateways"]
    if args.map:
        from routes.analysis_maps import gateway_map  # noqa: PLC0415

        write_map(args.map, lambda: gateway_map(t, G), stdout=out)
    keys = set(zip(t[t.switches | t.cut_off].city, t[t.switches | t.cut_off].market, strict=True))
    shown = t[[(c, m) in keys for c, m in zip(t.city, t.market, strict=True)]] if args.switches_only else t
    if args.brief:
        brief = gateways_brief(G, t, month=args.month, modes=args.mode, switches_only=args.switches_only)
        save_analysis_brief(brief, G, args.brief, stdout=out)
    if args.json:
        write_json(out, "market_gateways", gateways_payload(G, t, shown, args), notes=notes)
        return EXIT_OK
    if args.csv:
        header = [*_CSV_KEYS, *(f"total_{u}_via_{g}" for g in gateways for u, _ in _UNITS)]
        rows = [
            [
                r["scenario"], r["city"], r["city_name"], r["country"], r["market"], r["market_name"],
                r["best_gateway"] if isinstance(r["best_gateway"], str) else "",
                *(cell(r[f"best_{u}"], unit) for u, unit in _UNITS),
                *(cell(r[f"door_{u}"], unit) for u, unit in _UNITS),
                bool(r["via_several"]), bool(r["switches"]), bool(r["cut_off"]),
                *(cell(r[f"{u}_via_{g}"], unit) for g in gateways for u, unit in _UNITS),
            ]
            for r in shown.to_dict("records")
        ]  # fmt: skip
        write_csv(out, header, rows)
        return EXIT_OK
    if page_on_stdout(args):
        return EXIT_OK
    unit, digits = {"distance": ("km", 0), "time": ("hours", 1), "cost": ("cost_usd_per_t", 1)}[args.by]
    label = {"km": "km", "hours": "h", "cost_usd_per_t": "USD/t"}[unit]
    port_names = {p: short_name(G.nodes[p]["name"], 14) for p in gateways}
    rows = []
    for _, group in shown.groupby(["city", "market"], sort=False):
        first = group.iloc[0]
        cells = [short_name(str(first.city_name), 20), str(first.country), short_name(str(first.market_name), 16)]
        for r in group.itertuples():
            value = getattr(r, f"best_{unit}")
            best = port_names[r.best_gateway] if isinstance(r.best_gateway, str) else "no route"
            mark = " *" if r.switches or r.cut_off else ""
            cells.append(f"{best} {fmt(value, digits)}{mark}" if number(value, "km") is not None else best + mark)
        rows.append(cells)
    headers = ["city", "country", "market", *(f"{n} (gateway, {label})" for n in names)]
    first_rows = t[t.scenario == names[0]]
    counts = first_rows.best_gateway.value_counts()
    summary = ", ".join(f"{port_names[p]} {int(counts.get(p, 0))}" for p in gateways)
    out.write(
        f"Best gateway port by {args.by}, door to door  ·  city-market pairs per gateway under {names[0]}: "
        f"{summary}\n"
        + (f"{len(keys)} city-market pairs switch gateway or are cut off (*)\n" if len(names) > 1 else "")
        + "\n"
        + table(rows, headers, set())
        + "\n"
    )
    if args.map:
        out.write(f"\nMap written to {args.map}\n")
    if args.brief:
        out.write(f"Brief written to {args.brief}\n")
    return EXIT_OK


#: The figures of a route, by their name in JSON and CSV and their rounding unit.
_UNITS = (("km", "km"), ("hours", "hours"), ("cost_usd_per_t", "usd_per_t"))
#: The first CSV columns of ``ports --to`` (the JSON's names; ``scenarios`` joined by ``+``).
_CSV_KEYS = (
    "scenarios", "city", "city_name", "country", "market", "market_name", "best_gateway",
    "best_km", "best_hours", "best_cost_usd_per_t", "door_km", "door_hours", "door_cost_usd_per_t",
    "via_several", "switches", "cut_off",
)  # fmt: skip


def gateways_payload(G: Any, t: Any, shown: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The ``market_gateways`` JSON payload of a `routes.market_gateways` table.

    ``t`` is the whole table (for the question), ``shown`` the rows to write (all, or
    with ``--switches-only`` the city-market pairs that switch gateway or are cut off).
    """
    names: list[str] = t.attrs["scenarios"]
    gateways: list[str] = t.attrs["gateways"]
    pairs = []
    for (city, market), group in shown.groupby(["city", "market"], sort=False):
        results = []
        for r in group.to_dict("records"):
            best = r["best_gateway"] if isinstance(r["best_gateway"], str) else None
            results.append(
                {
                    "scenarios": scenario_parts(r["scenario"]),
                    "best_gateway": best,
                    **{f"best_{u}": number(r[f"best_{u}"], unit) for u, unit in _UNITS},
                    **{f"door_{u}": number(r[f"door_{u}"], unit) for u, unit in _UNITS},
                    "via_several": bool(r["via_several"]),
                    "switches": bool(r["switches"]),
                    "cut_off": bool(r["cut_off"]),
                    "gateways": [
                        {"gateway": g, **{f"total_{u}": number(r[f"{u}_via_{g}"], unit) for u, unit in _UNITS}}
                        for g in gateways
                    ],
                }
            )
        pairs.append({"city": place_ref(G, city), "market": place_ref(G, market), "by_scenario": results})
    return {
        "question": {
            "by": args.by,
            "month": args.month,
            "compared": [{"scenarios": scenario_parts(n)} for n in names],
            "gateways": [place_ref(G, g) for g in gateways],
            "markets": [place_ref(G, m) for m in t.attrs["markets"]],
            "switches_only": bool(args.switches_only),
        },
        "pairs": pairs,
    }
