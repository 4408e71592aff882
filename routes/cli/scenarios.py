"""``routes scenarios``: list the built-in scenarios, or show what one changes."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any, TextIO

from routes.cli._common import (
    EXIT_OK,
    UsageError,
    add_common_options,
    load_graph,
    table,
    write_csv,
    write_json,
)

if TYPE_CHECKING:
    import networkx as nx

    from routes.scenarios import Scenario

HELP = "List the built-in scenarios, or show what one changes."

EPILOG = """
examples:
  routes scenarios
  routes scenarios show afghanistan-mainland-closed
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("action", nargs="?", choices=("list", "show"), default="list")
    p.add_argument("name", nargs="?", help="scenario name or .toml path (with show)")
    fmt_group = p.add_mutually_exclusive_group()
    fmt_group.add_argument("--json", action="store_true", help="print JSON")
    fmt_group.add_argument("--csv", action="store_true", help="print CSV (one row per scenario)")
    add_common_options(p, routing=False, scenario=False)


def cmd_scenarios(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes scenarios``."""
    from routes.scenarios import builtin_scenarios, load_scenario, resolve_scenario  # noqa: PLC0415

    G = load_graph(args)
    if args.action == "list":
        if args.name:
            raise UsageError("routes scenarios: to see one scenario, use `routes scenarios show NAME`")
        listed = [load_scenario(path) for path in builtin_scenarios(G).values()]
        if args.json:
            write_json(out, "scenarios", {"scenarios": [_record(sc) for sc in listed]})
        elif args.csv:
            write_csv(out, CSV_HEADER, [_csv_row(sc) for sc in listed])
        else:
            rows = [[sc.name, sc.title, "; ".join(sc.describe())] for sc in listed]
            out.write(table(rows, ["name", "title", "changes"], set()) + "\n")
        return EXIT_OK
    if not args.name:
        raise UsageError("routes scenarios show: name a scenario (`routes scenarios` lists them)")
    sc = resolve_scenario(G, args.name)
    if args.json:
        write_json(out, "scenario", _record(sc))
        return EXIT_OK
    if args.csv:
        write_csv(out, CSV_HEADER, [_csv_row(sc)])
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


#: Columns of ``routes scenarios --csv``; lists are joined with "; ".
CSV_HEADER = ("name", "title", "month", "changes", "sources", "file")


def _record(sc: Scenario) -> dict[str, Any]:
    return {
        "name": sc.name,
        "title": sc.title,
        "description": sc.description,
        "month": sc.month,
        "changes": sc.describe(),
        "sources": [s for s, _ in sc.sources],
        "file": sc.path,
    }


def _csv_row(sc: Scenario) -> list[Any]:
    rec = _record(sc)
    return [
        rec["name"],
        rec["title"],
        "" if rec["month"] is None else rec["month"],
        "; ".join(rec["changes"]),
        "; ".join(rec["sources"]),
        rec["file"] or "",
    ]
