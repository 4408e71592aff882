"""``routes sources``: print the bibliography, or the sources behind a place, link or route."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any, TextIO

from routes.cli._common import (
    EXIT_OK,
    UsageError,
    add_common_options,
    load_graph,
    month_arg,
    write_csv,
    write_json,
)

if TYPE_CHECKING:
    import networkx as nx

HELP = "Print the bibliography, or the sources behind a place, link or route."

EPILOG = """
examples:
  routes sources
  routes sources khunjerab-pass
  routes sources torkham chaman-spin-boldak
  routes sources adb-cpmm-2022
  routes sources --route Dushanbe Karachi --scenario afghanistan-closed
  routes sources --seeds
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("id", nargs="*", metavar="ID", help="source, place or link ids (or quoted place names)")
    p.add_argument("--route", nargs=2, metavar=("ORIGIN", "DESTINATION"), help="the sources of a route")
    p.add_argument("--seeds", action="store_true", help="the seed documents' coverage report")
    fmt_group = p.add_mutually_exclusive_group()
    fmt_group.add_argument("--json", action="store_true", help="print JSON")
    fmt_group.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument("--by", choices=("distance", "time", "cost"), default="distance")
    p.add_argument("--month", type=month_arg, metavar="1-12")
    add_common_options(p, routing=False)


SEED_CSV_HEADER = ("term", "kind", "seed", "covered", "found", "expected", "why_not", "quote")
BIB_CSV_HEADER = ("id", "title", "author", "publisher", "date", "url", "kind", "seed")
CITATION_CSV_HEADER = ("query", "type", "feature", "source", "title", "fields", "quote")


def cmd_sources(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes sources``."""
    G = load_graph(args)
    bib: dict[str, dict[str, Any]] = G.graph["sources"]
    if args.seeds:
        return _seeds(G, args, out)
    if args.route:
        from routes.routing import shortest_route  # noqa: PLC0415

        route = shortest_route(G, args.route[0], args.route[1], scenario=args.scenario, by=args.by, month=args.month)
        ids = list(route.sources)
        title = f"Sources behind {route.origin.name} → {route.destination.name} ({' + '.join(route.scenario)})"
        return _print_bib(out, bib, ids, title, args)
    if not args.id:
        return _print_bib(out, bib, sorted(bib), f"Bibliography: {len(bib)} sources", args)
    items = [_resolve(G, bib, query) for query in args.id]  # every id resolves before anything is written
    if args.json:
        write_json(out, "citations", {"items": items})
        return EXIT_OK
    if args.csv:
        rows: list[list[Any]] = []
        for item in items:
            if item["type"] == "source":
                rows.extend(
                    [item["query"], "source", user, item["id"], item["source"].get("title", ""), "", ""]
                    for user in item["cited_by"]
                )
            else:
                rows.extend(
                    [item["query"], item["type"], item["id"], c["id"], c["source"].get("title", ""),
                     "; ".join(c.get("fields", ())), " ".join(str(c.get("quote", "")).split())]
                    for c in item["sources"]
                )  # fmt: skip
        write_csv(out, CITATION_CSV_HEADER, rows)
        return EXIT_OK
    for i, item in enumerate(items):
        if i:
            out.write("\n")
        if item["type"] == "source":
            _print_bib(out, bib, [item["id"]], f"Source {item['id']}", None)
            users = item["cited_by"]
            out.write(f"\nCited by {len(users)} feature(s): {', '.join(users)}\n")
        else:
            _print_citations(out, f"{item['type']} {item['id']} ({item['name']})", item["sources"])
    return EXIT_OK


def _resolve(G: nx.MultiGraph, bib: dict[str, dict[str, Any]], query: str) -> dict[str, Any]:
    """What one ``ID`` argument names: a source, a link or a place (by id, name or alias)."""
    from routes.errors import AmbiguousPlaceError, UnknownPlaceError  # noqa: PLC0415

    if query in bib:
        return {"query": query, "type": "source", "id": query, "source": bib[query], "cited_by": _citing(G, query)}
    for _, _, k, d in G.edges(keys=True, data=True):
        if k == query:
            cites = [{**c, "source": bib.get(c["id"], {})} for c in d["sources"]]
            return {"query": query, "type": "link", "id": k, "name": d["name"], "sources": cites}
    from routes.network import find_place  # noqa: PLC0415

    try:
        pid = find_place(G, query)
    except AmbiguousPlaceError:
        raise
    except UnknownPlaceError:
        import difflib  # noqa: PLC0415

        ids = [*bib, *G.nodes, *(k for _, _, k in G.edges(keys=True))]
        near = difflib.get_close_matches(query, ids, n=5, cutoff=0.6)
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise UsageError(
            f"routes sources: no source, place or link has the id {query!r}.{hint} "
            "(`routes sources` lists the sources, `routes places` the places.)"
        ) from None
    d = G.nodes[pid]
    raw = list(d["sources"])
    for rec in d.get("dwell", ()):
        raw.extend(rec.get("sources", ()))
    cites = [{**c, "source": bib.get(c["id"], {})} for c in raw]
    return {"query": query, "type": "place", "id": pid, "name": d["name"], "sources": cites}


def _print_citations(out: TextIO, label: str, cites: list[dict[str, Any]]) -> None:
    lines = [f"Sources behind {label}:"]
    for c in cites:
        e = c["source"]
        who = e.get("publisher") or e.get("author", "")
        lines.append(f"  - {c['id']}: {e.get('title', '?')} ({who}, {e.get('date', 'n.d.')})")
        lines.extend(
            f"      {key}: {c[key] if isinstance(c[key], str) else ', '.join(map(str, c[key]))}"
            for key in ("fields", "note", "table", "page")
            if c.get(key)
        )
        if c.get("quote"):
            lines.append(
                textwrap.fill(
                    f"“{' '.join(c['quote'].split())}”", width=100, initial_indent="      ", subsequent_indent="      "
                )
            )
    out.write("\n".join(lines) + "\n")


def _seeds(G: nx.MultiGraph, args: argparse.Namespace, out: TextIO) -> int:
    from routes.seeds import seed_coverage  # noqa: PLC0415

    cov = seed_coverage(G)
    records: list[dict[str, Any]] = [
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
    if args.json:
        write_json(out, "seed_coverage", {"mentions": records})
        return EXIT_OK
    if args.csv:
        write_csv(
            out,
            SEED_CSV_HEADER,
            ([*(r[h] for h in SEED_CSV_HEADER[:4]), " ".join(r["found"]), " ".join(r["expected"]),
              r["why_not"] or "", r["quote"]] for r in records),
        )  # fmt: skip
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


def _print_bib(
    out: TextIO, bib: dict[str, dict[str, Any]], ids: list[str], title: str, args: argparse.Namespace | None
) -> int:
    if args is not None and args.json:
        write_json(out, "bibliography", {"title": title, "sources": [{"id": i, **bib.get(i, {})} for i in ids]})
        return EXIT_OK
    if args is not None and args.csv:
        write_csv(out, BIB_CSV_HEADER, ([i, *(bib.get(i, {}).get(h, "") for h in BIB_CSV_HEADER[1:])] for i in ids))
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
