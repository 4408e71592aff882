"""``routes sources``: print the bibliography, or the sources behind a place, link or route."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any, TextIO

from routes.cli._common import (
    EXIT_OK,
    add_common_options,
    dumps,
    load_graph,
    month_arg,
)

if TYPE_CHECKING:
    import networkx as nx

HELP = "Print the bibliography, or the sources behind a place, link or route."

EPILOG = """
examples:
  routes sources
  routes sources khunjerab-pass
  routes sources adb-cpmm-2022
  routes sources --route Dushanbe Karachi --scenario afghanistan-closed
  routes sources --seeds
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("id", nargs="*", metavar="ID", help="a source, place or link id (or place name)")
    p.add_argument("--route", nargs=2, metavar=("ORIGIN", "DESTINATION"), help="the sources of a route")
    p.add_argument("--seeds", action="store_true", help="the seed documents' coverage report")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--by", choices=("distance", "time", "cost"), default="distance")
    p.add_argument("--month", type=month_arg, metavar="1-12")
    add_common_options(p, routing=False)


def cmd_sources(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes sources``."""
    G = load_graph(args)
    bib: dict[str, dict[str, Any]] = G.graph["sources"]
    if args.seeds:
        from routes.seeds import seed_coverage  # noqa: PLC0415

        cov = seed_coverage(G)
        if args.json:
            out.write(
                dumps(
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
            out.write(dumps({"id": query, **bib[query], "cited_by": users}) + "\n")
            return EXIT_OK
        _print_bib(out, bib, [query], f"Source {query}", False)
        out.write(f"\nCited by {len(users)} feature(s): {', '.join(users)}\n")
        return EXIT_OK
    cites, label = _feature_citations(G, query)
    if args.json:
        out.write(dumps({"feature": label, "sources": [{**c, **bib.get(c["id"], {})} for c in cites]}) + "\n")
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
        out.write(dumps([{"id": i, **bib.get(i, {})} for i in ids]) + "\n")
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
