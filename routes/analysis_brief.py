"""Briefs of the network-wide analyses: criticality, ports, gateways, appraisal as pages to hand on.

A brief of an analysis holds the question (OD set, weights, scenarios, objective, month),
the ranked table, the analysis map, a chart, the links, border crossings and ports the
table names with their figures and sources, and a numbered bibliography of those sources
with the seed documents' quotes in full: what a reader needs to check the ranking.

`criticality_brief`, `ports_brief` and `appraisal_brief` build an `AnalysisBrief` from the
result of `routes.criticality`, `routes.port_catchment` or `routes.appraise`
(``AnalysisBrief.to_dict()`` is the ``--json`` of ``routes criticality``, ``ports`` and
``appraise``); `gateways_brief` from `routes.market_gateways` (``routes ports --to``: its
question and pairs are that command's ``--json``, with the answer in sentences, the
scenarios, and the rules and places the best routes rest on); `analysis_brief_html` renders
the page, self-contained and offline like `routes.brief_html`'s; `save_analysis_brief`
writes it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from routes._page import Citation, Numbering, bibliography_html, e, figure, page, refs, svg_of

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = [
    "AnalysisBrief",
    "analysis_brief_html",
    "appraisal_brief",
    "criticality_brief",
    "gateways_brief",
    "ports_brief",
    "save_analysis_brief",
]

#: Rows of the ranked table a criticality brief shows by default.
TOP = 25

_UNITS = (("km", "km"), ("hours", "hours"), ("cost_usd_per_t", "usd_per_t"))


@dataclass(frozen=True)
class AnalysisBrief:
    """Everything the page of an analysis shows, as data.

    Attributes
    ----------
    kind : {"criticality", "port_catchment", "market_gateways", "appraisal"}
        The analysis.
    title : str
        The page's heading.
    question : dict
        What was asked, JSON-ready (places as ``{"id", "name", "country", "kind"}``).
    table : pandas.DataFrame
        The analysis result it was made from (`routes.criticality`,
        `routes.port_catchment`).
    top : int
        Rows of the ranked table the page shows (the data holds them all).
    data : dict
        The result as JSON-ready data, numbers rounded by `routes.results.PRECISION`:
        ``elements`` (criticality), ``cities`` and ``elements`` (ports), ``projects`` and
        ``elements`` (appraisal); each element cites its sources by bibliography number.
    bibliography : tuple of Citation
        The sources of every element, numbered in order of first use in the ranking, so
        the sources of the first rows are the first numbers.
    """

    kind: str
    title: str
    question: dict[str, Any]
    table: pd.DataFrame = field(repr=False)
    top: int
    data: dict[str, Any] = field(repr=False)
    bibliography: tuple[Citation, ...] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the brief as the ``--json`` of its command prints it (kind ``self.kind``)."""
        return {"question": self.question, **self.data, "bibliography": [c.to_dict() for c in self.bibliography]}


def _num(value: Any, unit: str) -> float | None:
    from routes.results import rounded  # noqa: PLC0415

    if value is None or not math.isfinite(float(value)):
        return None
    return rounded(float(value), unit)


def _place(G: nx.MultiGraph, pid: str) -> dict[str, str]:
    d = G.nodes[pid]
    return {"id": pid, "name": d["name"], "country": d["country"], "kind": d["kind"]}


def _dwell(G: nx.MultiGraph, pid: str) -> list[dict[str, Any]]:
    """The place's measured dwell records: event, country, hours, cost and its basis."""
    return [
        {
            "event": rec.get("event"),
            "country": rec.get("country"),
            "hours": rec.get("hours"),
            "cost_usd": rec.get("cost_usd"),
            "cost_basis": rec.get("cost_basis"),
        }
        for rec in G.nodes[pid].get("dwell", ())
    ]


def _place_citations(G: nx.MultiGraph, pid: str) -> list[dict[str, Any]]:
    d = G.nodes[pid]
    cites = list(d.get("sources", ()))
    for rec in d.get("dwell", ()):
        cites.extend(rec.get("sources", ()))
    return cites


def _link_facts(G: nx.MultiGraph) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {k: (u, v, d) for u, v, k, d in G.edges(keys=True, data=True)}


# ---------------------------------------------------------------------------------------
# Criticality.


def criticality_brief(G: nx.MultiGraph, c: pd.DataFrame, *, top: int = TOP) -> AnalysisBrief:
    """Make the brief of an n-1 criticality ranking.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph the ranking was computed on.
    c : pandas.DataFrame
        From `routes.criticality`.
    top : int
        Rows the page's table shows (default 25); the data holds every element.

    Returns
    -------
    AnalysisBrief
        ``data["elements"]``: every element ranked, with its figures (link: mode, status,
        km; crossing: the measured dwell at its posts) and its sources by number.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> b = routes.criticality_brief(G, routes.criticality(G), top=10)
    >>> b.kind, b.data["elements"][0]["rank"]
    ('criticality', 1)
    """
    links = _link_facts(G)
    by_corridor: dict[str, list[str]] = {}
    for k, (_, _, d) in links.items():
        by_corridor.setdefault(d["corridor"], []).append(k)
    numbering = Numbering(G)
    elements = []
    for r in c.to_dict("records"):
        element, kind = str(r["element"]), str(r["type"])
        facts: dict[str, Any] = {"from": None, "to": None, "mode": None, "status": None, "length_km": None,
                                 "dwell": []}  # fmt: skip
        if kind == "link" and element in links:
            u, v, d = links[element]
            cites = list(d.get("sources", ()))
            facts.update(mode=d["mode"], status=d["status"], length_km=_num(d["length_km"], "km"))
            facts.update({"from": u, "to": v})
        elif kind == "crossing" and element in G:
            cites = _place_citations(G, element)
            facts.update(dwell=_dwell(G, element), status=G.nodes[element].get("status"))
        else:
            members = by_corridor.get(element, [])
            cites = [s for k in members for s in links[k][2].get("sources", ())]
            facts.update(length_km=_num(sum(links[k][2]["length_km"] for k in members), "km"))
        elements.append(
            {
                "rank": int(r["rank"]),
                "element": element,
                "type": kind,
                "name": str(r["name"]),
                "corridor": str(r["corridor"]) or None,
                "countries": [x for x in str(r["countries"]).split("-") if x],
                "pairs_lengthened": int(r["pairs_lengthened"]),
                "pairs_disconnected": int(r["pairs_disconnected"]),
                "weight_lengthened": round(float(r["weight_lengthened"]), 4),
                "weight_disconnected": round(float(r["weight_disconnected"]), 4),
                **{
                    f"added_{name}_{what}": _num(r[f"added_{name}_{what}"], unit)
                    for name, unit in _UNITS
                    for what in ("total", "worst")
                },
                **facts,
                "sources": numbering.cite(cites, f"{kind} {element}"),
            }
        )
    a = c.attrs
    question = {
        "od": a.get("od_set", "hubs"),
        "od_places": [_place(G, p) for p in a.get("od", ()) if p in G],
        "weights": a.get("weights", "uniform"),
        "by": a.get("by", "distance"),
        "scenarios": list(a.get("scenarios", [a.get("scenario", "baseline")])),
        "month": a.get("month"),
        "corridors": bool(a.get("corridors", False)),
    }
    return AnalysisBrief(
        kind="criticality",
        title="n-1 criticality: " + " + ".join(question["scenarios"]),
        question=question,
        table=c,
        top=top,
        data={"pairs_connected": int(a.get("pairs", 0)), "elements": elements},
        bibliography=numbering.entries(),
    )


def _criticality_table(b: AnalysisBrief) -> str:
    head = (
        "<tr><th class='num'>#</th><th>element</th><th>type</th><th>countries</th><th class='num'>pairs longer</th>"
        "<th class='num'>pairs cut</th><th class='num'>+km</th><th class='num'>+hours</th>"
        "<th class='num'>+USD/t</th><th class='num'>worst +hours</th><th>sources</th></tr>"
    )

    def n(value: float | None, digits: int) -> str:
        return "–" if value is None else f"{value:,.{digits}f}"

    rows = "".join(
        f"<tr><td class='num'>{x['rank']}</td><td>{e(x['name'])}</td><td>{e(x['type'])}</td>"
        f"<td>{e('–'.join(x['countries']))}</td><td class='num'>{x['pairs_lengthened']}</td>"
        f"<td class='num'>{x['pairs_disconnected']}</td><td class='num'>{n(x['added_km_total'], 0)}</td>"
        f"<td class='num'>{n(x['added_hours_total'], 1)}</td>"
        f"<td class='num'>{n(x['added_cost_usd_per_t_total'], 1)}</td>"
        f"<td class='num'>{n(x['added_hours_worst'], 1)}</td><td>{refs(x['sources'])}</td></tr>"
        for x in b.data["elements"][: b.top]
    )
    total = len(b.data["elements"])
    return (
        f"<table id='ranked-table'><thead>{head}</thead><tbody>{rows}</tbody></table>"
        f"<p class='small'>The first {min(b.top, total)} of {total} elements. “Pairs longer” and “pairs cut” count "
        "OD pairs; +km, +hours and +USD/t are weighted sums over the pairs still connected, “worst” the largest "
        "single increase. Ranked by the weight of the pairs cut, then the added objective.</p>"
    )


def _criticality_chart(b: AnalysisBrief) -> str:
    """The ten elements whose loss adds the most hours, as bars (rank in the label)."""
    ranked = sorted(b.data["elements"], key=lambda x: (-(x["added_hours_total"] or 0.0), x["rank"]))
    rows = [x for x in ranked if (x["added_hours_total"] or 0.0) > 0][:10]
    names = [f"#{x['rank']} {x['name']}" for x in rows]
    hours = [x["added_hours_total"] for x in rows]
    with figure(9.0, 1.2 + 0.32 * max(len(rows), 1)) as fig:
        ax = fig.subplots()
        ax.barh(names, hours, color="#4e79a7", height=0.6)
        for y, (x, h) in enumerate(zip(rows, hours, strict=True)):
            cut = f"  (and {x['pairs_disconnected']} pairs cut)" if x["pairs_disconnected"] else ""
            ax.text(h, y, f"  {h:,.1f} h over {x['pairs_lengthened']} pairs{cut}", va="center", fontsize=8)
        if not rows:
            ax.text(0.5, 0.5, "no element adds hours to a connected pair", ha="center", transform=ax.transAxes)
        ax.invert_yaxis()
        ax.set_xlim(0, max([*hours, 1.0]) * 1.6)
        ax.set_xlabel("added hours, weighted sum over the OD pairs still connected")
        ax.set_title("The ten elements whose loss adds the most hours", loc="left", fontsize=10, fontweight="bold")
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        return svg_of(fig)


def _dwell_text(dwell: Sequence[dict[str, Any]]) -> str:
    parts = []
    for rec in dwell:
        cost = "" if rec.get("cost_usd") is None else f", {rec['cost_usd']:,} USD per {rec.get('cost_basis') or 'unit'}"
        where = f" {rec['country']}" if rec.get("country") else ""
        parts.append(f"{rec.get('event')}{where}: {rec.get('hours')} h{cost}")
    return "; ".join(parts)


def _elements_html(elements: Sequence[dict[str, Any]], G: nx.MultiGraph) -> str:
    rows = []
    for x in elements:
        if x["type"] == "link" and x.get("from") in G and x.get("to") in G:
            u, v = x["from"], x["to"]
            what = (
                f"{e(G.nodes[u]['name'])} – {e(G.nodes[v]['name'])}: {e(x['mode'])}, "
                f"{e(str(x['status']).replace('_', ' '))}, {x['length_km']:,.1f} km"
            )
        elif x["dwell"]:
            what = "measured dwell: " + e(_dwell_text(x["dwell"]))
        elif x["type"] in ("crossing", "seaport"):
            what = "no measured dwell; the network's default rules apply"
        else:
            what = f"corridor, {x['length_km'] or 0:,.1f} km of links"
        if x.get("cities"):
            used = "; ".join(f"{' + '.join(u['scenarios'])}: {len(u['cities'])}" for u in x["cities"])
            what += f"<br><span class='small'>cities whose best route uses it: {e(used)}</span>"
        rows.append(
            f"<tr><td>{e(x['name'])}</td><td><code>{e(x['element'])}</code></td><td>{e(x['type'])}</td>"
            f"<td>{what}</td><td>{refs(x['sources'])}</td></tr>"
        )
    return (
        "<table id='elements-table'><thead><tr><th>element</th><th>id</th><th>type</th><th>figures</th>"
        f"<th>sources</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


# ---------------------------------------------------------------------------------------
# Port catchments.


def ports_brief(
    G: nx.MultiGraph,
    t: pd.DataFrame,
    *,
    month: int | None = None,
    modes: Sequence[str] | None = None,
    switches_only: bool = False,
) -> AnalysisBrief:
    """Make the brief of a port catchment table.

    The border crossings the cities' best routes to their best port use are found with
    `routes.shortest_route` (the same totals as the table), and listed with the seaports.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph the table was computed on.
    t : pandas.DataFrame
        From `routes.port_catchment`.
    month, modes
        As given to `routes.port_catchment` (to find the same routes).
    switches_only : bool
        Keep only the cities that switch port or are cut off.

    Returns
    -------
    AnalysisBrief
        ``data["cities"]``: per city and scenario the best port and the totals to every
        port; ``data["elements"]``: the seaports and the crossings on the best routes,
        with the cities using each and their sources by number.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> t = routes.port_catchment(G, ["baseline", "afghanistan-closed"], cities=["Dushanbe", "Tashkent"])
    >>> routes.ports_brief(G, t).kind
    'port_catchment'
    """
    from routes.errors import RoutesError  # noqa: PLC0415
    from routes.routing import shortest_route  # noqa: PLC0415

    ports: list[str] = list(t.attrs["ports"])
    names: list[str] = list(t.attrs["scenarios"])
    by = t.attrs["by"]
    changed = set(t[t.switches | t.cut_off].city)
    shown = t[t.city.isin(changed)] if switches_only else t
    cities = []
    users: dict[str, dict[str, list[str]]] = {}
    for city, group in shown.groupby("city", sort=False):
        rows = []
        for r in group.to_dict("records"):
            best = r["best_port"] if isinstance(r["best_port"], str) else None
            rows.append(
                {
                    "scenarios": r["scenario"].split("+"),
                    "best_port": best,
                    **{f"best_{name}": _num(r[f"best_{name}"], unit) for name, unit in _UNITS},
                    "switches": bool(r["switches"]),
                    "cut_off": bool(r["cut_off"]),
                    "ports": [
                        {
                            "port": p,
                            **{f"total_{name}": _num(r[f"{name}_to_{p}"], unit) for name, unit in _UNITS},
                        }
                        for p in ports
                    ],
                }
            )
            if best is None:
                continue
            users.setdefault(best, {}).setdefault(r["scenario"], []).append(str(city))
            try:
                route = shortest_route(G, str(city), best, scenario=r["scenario"].split("+"), by=by, month=month,
                                       modes=modes)  # fmt: skip
            except RoutesError:  # the table found it; a route the search refuses is left out, not guessed
                continue
            for crossing in route.border_crossings:
                users.setdefault(crossing, {}).setdefault(r["scenario"], []).append(str(city))
        cities.append({"city": _place(G, str(city)), "by_scenario": rows})
    numbering = Numbering(G)
    elements = []
    ordered = ports + sorted((p for p in users if p not in ports), key=lambda p: G.nodes[p]["name"])
    for pid in ordered:
        d = G.nodes[pid]
        kind = "seaport" if pid in ports else "crossing"
        elements.append(
            {
                "element": pid,
                "type": kind,
                "name": d["name"],
                "countries": list(d.get("border") or (d["country"],)),
                "dwell": _dwell(G, pid),
                "cities": [{"scenarios": n.split("+"), "cities": users.get(pid, {}).get(n, [])} for n in names],
                "sources": numbering.cite(_place_citations(G, pid), f"{kind} {pid}"),
            }
        )
    question = {
        "by": by,
        "month": month,
        "compared": [{"scenarios": n.split("+")} for n in names],
        "ports": [_place(G, p) for p in ports],
        "switches_only": switches_only,
    }
    return AnalysisBrief(
        kind="port_catchment",
        title="Port catchments: " + " vs ".join(names),
        question=question,
        table=shown,
        top=len(cities),
        data={"cities": cities, "elements": elements},
        bibliography=numbering.entries(),
    )


#: The objective's field suffix, decimals and column label in the port tables.
_BEST_UNITS = {"distance": ("km", 0, "km"), "time": ("hours", 1, "h"), "cost": ("cost_usd_per_t", 1, "USD/t")}


def _best_cell(r: dict[str, Any], port_key: str, by: str, G: nx.MultiGraph, *, none: str, note: str = "") -> str:
    """One scenario's cell of a port table: the best port and its figure, marked if it switches or is cut off."""
    unit, digits, _ = _BEST_UNITS[by]
    mark = " <span class='none'>switches</span>" if r["switches"] else ""
    mark += " <span class='none'>cut off</span>" if r["cut_off"] else ""
    if r[port_key] is None:
        return f"<td class='none'>{none}{mark}</td>"
    return f"<td>{e(G.nodes[r[port_key]]['name'])} {r[f'best_{unit}']:,.{digits}f}{mark}{note}</td>"


def _ports_table(b: AnalysisBrief, G: nx.MultiGraph) -> str:
    by = b.question["by"]
    names = ["+".join(x["scenarios"]) for x in b.question["compared"]]
    head = "".join(f"<th>{e(n)} (best, {_BEST_UNITS[by][2]})</th>" for n in names)
    rows = []
    for c in b.data["cities"]:
        cells = [_best_cell(r, "best_port", by, G, none="no port") for r in c["by_scenario"]]
        rows.append(f"<tr><td>{e(c['city']['name'])}</td><td>{e(c['city']['country'])}</td>{''.join(cells)}</tr>")
    return (
        f"<table id='ranked-table'><thead><tr><th>city</th><th>country</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p class='small'>Best port by {e(b.question['by'])}; a city “switches” when its best port differs from "
        f"the one under {e(names[0])}, and is “cut off” when no port can be reached any more.</p>"
    )


def _ports_chart(b: AnalysisBrief, G: nx.MultiGraph) -> str:
    ports = [p["id"] for p in b.question["ports"]]
    names = ["+".join(x["scenarios"]) for x in b.question["compared"]]
    counts = {n: dict.fromkeys([*ports, None], 0) for n in names}
    for c in b.data["cities"]:
        for n, r in zip(names, c["by_scenario"], strict=True):
            counts[n][r["best_port"]] += 1
    labels = [G.nodes[p]["name"] for p in ports] + ["no port"]
    width = 0.8 / max(len(names), 1)
    with figure(9.0, 3.2) as fig:
        ax = fig.subplots()
        for i, n in enumerate(names):
            values = [counts[n][p] for p in [*ports, None]]
            xs = [j + (i - (len(names) - 1) / 2) * width for j in range(len(labels))]
            ax.bar(xs, values, width=width, label=n)
            for x, v in zip(xs, values, strict=True):
                ax.text(x, v, f"{v}", ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(labels)), labels, rotation=15, ha="right")
        ax.set_ylabel("cities")
        ax.set_title("Cities by their best port", loc="left", fontsize=10, fontweight="bold")
        ax.legend(frameon=False, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        return svg_of(fig)


# ---------------------------------------------------------------------------------------
# Project appraisal.

_WAYS = ("alone", "removed")
_SAVED = (("hours_saved", "hours"), ("cost_usd_per_t_saved", "usd_per_t"), ("km_saved", "km"))


def appraisal_brief(G: nx.MultiGraph, a: pd.DataFrame) -> AnalysisBrief:
    """Make the brief of a project appraisal.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph the appraisal was computed on.
    a : pandas.DataFrame
        From `routes.appraise`.

    Returns
    -------
    AnalysisBrief
        ``data["projects"]``: every project ranked, ``alone`` and ``removed`` each with
        the pairs improved and connected, the weighted savings, the countries that gain
        and the pairs that gain most, and ``links``, the project's unbuilt links;
        ``data["elements"]``: those links with their figures and sources by number.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> b = routes.appraisal_brief(G, routes.appraise(G, ["wakhan-road"]))
    >>> b.kind, b.data["projects"][0]["project"]
    ('appraisal', 'wakhan-road')
    """
    links = _link_facts(G)
    numbering = Numbering(G)
    projects = []
    elements = []
    for r in a.to_dict("records"):
        project = str(r["project"])
        members = [k for k, (_, _, d) in links.items() if d["corridor"] == project and d["status"] != "operational"]
        projects.append(
            {
                "rank": int(r["rank"]),
                "project": project,
                "status": str(r["status"]),
                "new_km": _num(r["new_km"], "km"),
                **{
                    way: {
                        "pairs_improved": int(r[f"{way}_pairs_improved"]),
                        "pairs_connected": int(r[f"{way}_pairs_connected"]),
                        **{f: _num(r[f"{way}_{f}"], unit) for f, unit in _SAVED},
                        "countries": [c for c in str(r[f"{way}_countries"]).split(", ") if c],
                        "top_pairs": [x for x in str(r[f"{way}_top_pairs"]).split("; ") if x],
                    }
                    for way in _WAYS
                },
                "links": members,
            }
        )
        for k in members:
            u, v, d = links[k]
            elements.append(
                {
                    "element": k,
                    "type": "link",
                    "name": d["name"],
                    "corridor": project,
                    "from": u,
                    "to": v,
                    "mode": d["mode"],
                    "status": d["status"],
                    "length_km": _num(d["length_km"], "km"),
                    "dwell": [],
                    "sources": numbering.cite(list(d.get("sources", ())), f"link {k}"),
                }
            )
    attrs = a.attrs
    question = {
        "od": attrs.get("od_set", "hubs"),
        "od_places": [_place(G, p) for p in attrs.get("od", ()) if p in G],
        "weights": attrs.get("weights", "uniform"),
        "by": attrs.get("by", "time"),
        "scenarios": list(attrs.get("scenarios", [attrs.get("scenario", "baseline")])),
    }
    return AnalysisBrief(
        kind="appraisal",
        title="Project appraisal: " + " + ".join(question["scenarios"]),
        question=question,
        table=a,
        top=len(projects),
        data={"projects": projects, "elements": elements},
        bibliography=numbering.entries(),
    )


def _appraisal_table(b: AnalysisBrief) -> str:
    def n(value: float | None, digits: int) -> str:
        return "–" if value is None else f"{value:,.{digits}f}"

    head = (
        "<tr><th class='num'>#</th><th>project</th><th>status</th><th class='num'>new km</th>"
        "<th class='num'>alone: pairs better/new</th><th class='num'>hours saved</th><th class='num'>USD/t saved</th>"
        "<th class='num'>removed: pairs better/new</th><th class='num'>hours saved</th>"
        "<th class='num'>USD/t saved</th><th>who gains</th></tr>"
    )
    rows = []
    for x in b.data["projects"]:
        cells = [f"<td class='num'>{x['rank']}</td><td>{e(x['project'])}</td><td>{e(x['status'])}</td>",
                 f"<td class='num'>{n(x['new_km'], 0)}</td>"]  # fmt: skip
        for way in _WAYS:
            g = x[way]
            cells.append(
                f"<td class='num'>{g['pairs_improved']}/{g['pairs_connected']}</td>"
                f"<td class='num'>{n(g['hours_saved'], 1)}</td><td class='num'>{n(g['cost_usd_per_t_saved'], 1)}</td>"
            )
        gains = x["alone"]["countries"] or x["removed"]["countries"]
        cells.append(f"<td>{e(', '.join(gains))}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    best = next((x for x in b.data["projects"] if x["alone"]["top_pairs"]), None)
    pairs = (
        f"<p>Pairs that gain most from {e(best['project'])} alone: {e('; '.join(best['alone']['top_pairs']))}</p>"
        if best
        else ""
    )
    return (
        f"<table id='ranked-table'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{pairs}"
        "<p class='small'>“Alone”: the project built on its own on top of the scenario; “removed”: taken out of "
        "all-proposals-built. Savings are weighted sums over the OD pairs whose best route improves; “new” "
        "counts pairs that had no route before (not in the sums).</p>"
    )


def _appraisal_chart(b: AnalysisBrief) -> str:
    rows = b.data["projects"][:10]
    names = [f"#{x['rank']} {x['project']}" for x in rows]
    with figure(9.0, 1.4 + 0.45 * max(len(rows), 1)) as fig:
        ax = fig.subplots()
        for i, (way, colour) in enumerate((("alone", "#4e79a7"), ("removed", "#f28e2b"))):
            values = [x[way]["hours_saved"] or 0.0 for x in rows]
            ys = [j + (i - 0.5) * 0.38 for j in range(len(rows))]
            ax.barh(ys, values, height=0.36, color=colour, label=f"{way}")
            for y, v in zip(ys, values, strict=True):
                ax.text(v, y, f"  {v:,.1f}", va="center", fontsize=7)
        ax.set_yticks(range(len(rows)), names)
        ax.invert_yaxis()
        top = max([x[w]["hours_saved"] or 0.0 for x in rows for w in _WAYS] + [1.0])
        ax.set_xlim(0, top * 1.2)
        ax.set_xlabel("hours saved, weighted sum over the OD pairs that improve")
        ax.set_title("Hours saved: built alone, and removed from all-proposals-built", loc="left", fontsize=10,
                     fontweight="bold")  # fmt: skip
        ax.legend(frameon=False, fontsize=8, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        return svg_of(fig)


# ---------------------------------------------------------------------------------------
# Gateway ports to world markets (``routes ports --to``).

#: What each link rule of rules.toml is, for people, and the unit of its value.
_LINK_RULES = {
    "road_speed_kmh": ("truck speed", "km/h"),
    "road_speed_kmh_by_class": ("truck speed on this class of road", "km/h"),
    "rail_speed_kmh": ("train speed", "km/h"),
    "sea_speed_kmh": ("ship speed at sea", "km/h"),
    "road_cost_usd_per_tkm": ("road transport cost", "USD per tonne-km"),
    "rail_cost_usd_per_tkm": ("rail transport cost", "USD per tonne-km"),
    "sea_cost_usd_per_tkm": ("sea freight rate", "USD per tonne-km"),
    "air_cost_usd_per_tkm": ("air cargo rate", "USD per tonne-km"),
}
#: Stop rules a dwell's basis names as ``rules.toml [section]``.
_STOP_RULES = {
    "handling": "port handling where the port gives no figure",
    "handling_air": "airport handling",
    "transfer": "transfer between truck and train",
    "transshipment": "transshipment at a break of gauge",
    "air_connection": "connection between two flights",
}
_UNIT_WORDS = {"km": "km", "hours": "h", "cost_usd_per_t": "USD/t"}


def _rule_entry(rules: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The rules.toml table at a dotted key (``sea_speed_kmh.SEA``), or None."""
    node: Any = rules
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, dict) else None


def _rule_figures(key: str, entry: dict[str, Any]) -> str:
    section = key.split(".", maxsplit=1)[0]
    if section in _LINK_RULES:
        what, unit = _LINK_RULES[section]
        text = f"{what}: {entry['value']:g} {unit}"
    else:
        what = _STOP_RULES.get(section, section)
        text = (
            f"{what}: {entry.get('hours', 0):g} h, {entry.get('cost_usd', 0):g} USD per {entry.get('cost_basis', 't')}"
        )
    if entry.get("year"):
        text += f" ({entry['year']})"
    if entry.get("estimate"):
        text += "; estimate: " + str(entry.get("method", ""))
    return text


def _gateway_answer(pairs: Sequence[dict[str, Any]], names: Sequence[str], by: str, G: nx.MultiGraph) -> str:
    """The answer in sentences, from the numbers of the pairs."""
    unit = {"distance": "km", "time": "hours", "cost": "cost_usd_per_t"}[by]
    digits = 0 if unit == "km" else 1
    first = [p["by_scenario"][0] for p in pairs]
    counts: dict[str, int] = {}
    for r in first:
        if r["best_gateway"] is not None:
            counts[r["best_gateway"]] = counts.get(r["best_gateway"], 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], G.nodes[kv[0]]["name"]))
    total = len(pairs)
    noun = "city–market pair" if total == 1 else "city–market pairs"
    if ranked:
        gw, n = ranked[0]
        text = f"Under {names[0]}, the best gateway by {by} is {G.nodes[gw]['name']} for {n} of {total} {noun}"
        text += "".join(f", {G.nodes[g]['name']} for {k}" for g, k in ranked[1:])
    else:
        text = f"Under {names[0]}, no gateway leads to the market for any of the {total} {noun}"
    unreached = sum(r["best_gateway"] is None for r in first)
    if unreached and ranked:
        text += f"; {unreached} have no route"
    sentences = [text + "."]
    for i, name in enumerate(names[1:], start=1):
        rows = [(p["by_scenario"][0], p["by_scenario"][i]) for p in pairs]
        switched = sum(r["switches"] for _, r in rows)
        cut = sum(r["cut_off"] for _, r in rows)
        both = [(a[f"best_{unit}"], b[f"best_{unit}"]) for a, b in rows
                if a["best_gateway"] is not None and b["best_gateway"] is not None]  # fmt: skip
        text = (
            f"Under {name}, {switched} {'pair switches' if switched == 1 else 'pairs switch'} gateway and "
            f"{cut} {'is' if cut == 1 else 'are'} cut off"
        )
        change = sum(b - a for a, b in both) / len(both) if both else 0.0
        if both and round(change, digits) == 0:
            reached = f"{len(both)} {'pair' if len(both) == 1 else 'pairs'}"
            text += f"; over the {reached} reached under both, the best {by} is unchanged"
        elif both:
            text += (
                f"; the best routes take {abs(change):,.{digits}f} {_UNIT_WORDS[unit]} "
                f"{'more' if change >= 0 else 'less'} on average than under {names[0]} over the {len(both)} "
                f"{'pair' if len(both) == 1 else 'pairs'} reached under both"
            )
        sentences.append(text + ".")
    return " ".join(sentences)


def gateways_brief(
    G: nx.MultiGraph,
    t: pd.DataFrame,
    *,
    month: int | None = None,
    modes: Sequence[str] | None = None,
    switches_only: bool = False,
) -> AnalysisBrief:
    """Make the brief of a `routes.market_gateways` table: the best gateway port to each market.

    Each best route (through the best gateway, exactly as the table's ``best_*`` figures)
    is found again with `routes.shortest_route`, to list what it rests on: the rules of
    ``rules.toml`` its links and stops apply, the ports, sea passages and border crossings
    it passes with the time and cost spent there, and its sea lanes, each with its sources.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph the table was computed on.
    t : pandas.DataFrame
        From `routes.market_gateways`.
    month, modes
        As given to `routes.market_gateways` (to find the same routes).
    switches_only : bool
        Keep only the city-market pairs that switch gateway or are cut off.

    Returns
    -------
    AnalysisBrief
        Kind ``market_gateways``. ``question`` and ``data["pairs"]`` are those of
        ``routes ports --to --json``; ``data["answer"]`` says the result in sentences;
        ``data["scenarios"]`` describes each scenario compared; ``data["elements"]``
        lists the rules, places and sea lanes the best routes rest on, with the pairs
        using each under each scenario and their sources by number.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> t = routes.market_gateways(G, ["Rotterdam"], ["baseline", "red-sea-closed"], cities=["Dushanbe"])
    >>> b = routes.gateways_brief(G, t)
    >>> b.kind, b.data["pairs"][0]["by_scenario"][0]["best_gateway"]
    ('market_gateways', 'chabahar-port')
    """
    from routes.errors import RoutesError  # noqa: PLC0415
    from routes.routing import shortest_route  # noqa: PLC0415
    from routes.scenarios import apply_scenario, resolve_scenario  # noqa: PLC0415

    gateways: list[str] = list(t.attrs["gateways"])
    markets: list[str] = list(t.attrs["markets"])
    names: list[str] = list(t.attrs["scenarios"])
    by = t.attrs["by"]
    changed = t[t.switches | t.cut_off]
    keys = set(zip(changed.city, changed.market, strict=True))
    shown = t[[(c, m) in keys for c, m in zip(t.city, t.market, strict=True)]] if switches_only else t
    lanes = {g: [k for _, _, k, d in G.edges(g, keys=True, data=True) if d["mode"] == "sea"] for g in gateways}
    applied = {n: apply_scenario(G, n.split("+")) for n in names}
    rules: dict[str, Any] = dict(G.graph.get("rules", {}))
    # What the best routes rest on: element id -> (type, name, figures, citations), and who uses it.
    found: dict[str, tuple[str, str, list[str], list[dict[str, Any]]]] = {}
    users: dict[str, dict[str, set[tuple[str, str]]]] = {}

    def use(eid: str, scenario: str, pair: tuple[str, str]) -> None:
        users.setdefault(eid, {}).setdefault(scenario, set()).add(pair)

    def place(pid: str) -> None:
        if pid not in found:
            d = G.nodes[pid]
            found[pid] = (d["kind"], d["name"], [], list(d.get("sources", ())))

    for pid in gateways + markets:
        place(pid)
    pairs = []
    for (city, market), group in shown.groupby(["city", "market"], sort=False):
        results = []
        for r in group.to_dict("records"):
            best = r["best_gateway"] if isinstance(r["best_gateway"], str) else None
            results.append(
                {
                    "scenarios": r["scenario"].split("+"),
                    "best_gateway": best,
                    **{f"best_{u}": _num(r[f"best_{u}"], unit) for u, unit in _UNITS},
                    **{f"door_{u}": _num(r[f"door_{u}"], unit) for u, unit in _UNITS},
                    "via_several": bool(r["via_several"]),
                    "switches": bool(r["switches"]),
                    "cut_off": bool(r["cut_off"]),
                    "gateways": [
                        {"gateway": g, **{f"total_{u}": _num(r[f"{u}_via_{g}"], unit) for u, unit in _UNITS}}
                        for g in gateways
                    ],
                }
            )
            if best is None:
                continue
            name, pair = r["scenario"], (str(city), str(market))
            other = [k for g in gateways if g != best for k in lanes[g]]
            try:
                route = shortest_route(G, pair[0], pair[1], scenario=name.split("+"), by=by, month=month,
                                       modes=modes, avoid_links=other)  # fmt: skip
            except RoutesError:  # the table found it; a route the search refuses is left out, not guessed
                continue
            H = applied[name]
            for leg in route.legs:
                d = H.edges[leg.from_id, leg.to_id, leg.link]
                for basis in (d.get("speed_basis"), d.get("cost_rate_basis")):
                    if isinstance(basis, str) and basis.startswith("rules.toml "):
                        key = basis.removeprefix("rules.toml ")
                        entry = _rule_entry(rules, key)
                        if entry is not None:
                            found.setdefault(key, ("rule", key, [_rule_figures(key, entry)],
                                                   [{"id": s} for s in entry.get("sources", ())]))  # fmt: skip
                            use(key, name, pair)
                if leg.mode == "sea":
                    if leg.link not in found:
                        figures = f"{d['length_km']:,.0f} km ({d.get('length_basis')})"
                        found[leg.link] = ("sea lane", d["name"], [figures], list(d.get("sources", ())))
                    use(leg.link, name, pair)
            passed = [p.id for p in route.places if p.kind in ("passage", "seaport", "airport")]
            for pid in [*passed, *route.border_crossings]:
                place(pid)
                use(pid, name, pair)
            for stop in route.stops:
                place(stop.place)
                use(stop.place, name, pair)
                figures = f"{stop.detail}: {stop.hours:,.1f} h, {stop.cost_usd:,.1f} USD/t ({stop.basis})"
                _, _, texts, cites = found[stop.place]
                if figures not in texts:
                    texts.append(figures)
                cites.extend({"id": s} for s in stop.sources)
                for section in re.findall(r"rules\.toml \[(\w+)\]", stop.basis):
                    entry = _rule_entry(rules, section)
                    if entry is not None:
                        found.setdefault(section, ("rule", section, [_rule_figures(section, entry)],
                                                   [{"id": s} for s in entry.get("sources", ())]))  # fmt: skip
                        use(section, name, pair)
        pairs.append({"city": _place(G, str(city)), "market": _place(G, str(market)), "by_scenario": results})
    order = {"seaport": 0, "passage": 1, "crossing": 2, "airport": 3, "sea lane": 4, "rule": 5}
    ends = gateways + markets
    ordered = ends + sorted((k for k in found if k not in ends), key=lambda k: (order.get(found[k][0], 6), found[k][1]))
    numbering = Numbering(G)
    elements = []
    for eid in ordered:
        kind, label, texts, cites = found[eid]
        elements.append(
            {
                "element": eid,
                "type": kind,
                "name": label,
                "figures": texts,
                "pairs": [{"scenarios": n.split("+"), "pairs": len(users.get(eid, {}).get(n, ()))} for n in names],
                "sources": numbering.cite(cites, f"{kind} {eid}"),
            }
        )
    scenarios = []
    for n in names:
        sc = resolve_scenario(G, n.split("+"))
        scenarios.append(
            {
                "scenarios": n.split("+"),
                "title": sc.title or n,
                "description": " ".join(sc.description.split()),
                "changes": sc.describe(),
                "sources": numbering.cite(
                    [{"id": sid, "quote": q} if q else {"id": sid} for sid, q in sc.sources], f"scenario {n}"
                ),
            }
        )
    question = {
        "by": by,
        "month": month,
        "compared": [{"scenarios": n.split("+")} for n in names],
        "gateways": [_place(G, g) for g in gateways],
        "markets": [_place(G, m) for m in markets],
        "switches_only": switches_only,
    }
    return AnalysisBrief(
        kind="market_gateways",
        title="Gateway ports to world markets: " + " vs ".join(names),
        question=question,
        table=shown,
        top=len(pairs),
        data={
            "answer": _gateway_answer(pairs, names, by, G),
            "pairs": pairs,
            "scenarios": scenarios,
            "elements": elements,
        },
        bibliography=numbering.entries(),
    )


def _gateways_table(b: AnalysisBrief, G: nx.MultiGraph) -> str:
    by = b.question["by"]
    names = ["+".join(x["scenarios"]) for x in b.question["compared"]]
    head = "".join(f"<th>{e(n)} (gateway, {_BEST_UNITS[by][2]})</th>" for n in names)
    several = " <span class='small'>(ship calls at another gateway too)</span>"
    rows = []
    for p in b.data["pairs"]:
        cells = [
            _best_cell(r, "best_gateway", by, G, none="no route", note=several if r["via_several"] else "")
            for r in p["by_scenario"]
        ]
        rows.append(
            f"<tr><td>{e(p['city']['name'])}</td><td>{e(p['city']['country'])}</td>"
            f"<td>{e(p['market']['name'])}</td>{''.join(cells)}</tr>"
        )
    return (
        f"<table id='ranked-table'><thead><tr><th>city</th><th>country</th><th>market</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p class='small'>Door to door by {e(b.question['by'])}: the gateway is the port whose ship the best "
        f"route boards (the other gateways' sea lanes taken away); a pair “switches” when its gateway differs "
        f"from the one under {e(names[0])}, and is “cut off” when no gateway leads to the market any more.</p>"
    )


def _gateways_chart(b: AnalysisBrief, G: nx.MultiGraph) -> str:
    """Pairs per best gateway, and the mean best figure to each market, under each scenario."""
    unit, label = {"distance": ("km", "km"), "time": ("hours", "hours"), "cost": ("cost_usd_per_t", "USD/t")}[
        b.question["by"]
    ]
    gateways = [g["id"] for g in b.question["gateways"]]
    markets = [m["id"] for m in b.question["markets"]]
    names = ["+".join(x["scenarios"]) for x in b.question["compared"]]
    width = 0.8 / max(len(names), 1)
    with figure(9.0, 5.6) as fig:
        top, bottom = fig.subplots(2, 1)
        labels = [G.nodes[g]["name"] for g in gateways] + ["no route"]
        for i, n in enumerate(names):
            counts = dict.fromkeys([*gateways, None], 0)
            for p in b.data["pairs"]:
                counts[p["by_scenario"][i]["best_gateway"]] += 1
            xs = [j + (i - (len(names) - 1) / 2) * width for j in range(len(labels))]
            values = [counts[g] for g in [*gateways, None]]
            top.bar(xs, values, width=width, label=n)
            for x, v in zip(xs, values, strict=True):
                top.text(x, v, f"{v}", ha="center", va="bottom", fontsize=8)
        top.set_xticks(range(len(labels)), labels, rotation=12, ha="right")
        top.set_ylabel("city–market pairs")
        top.set_title("Pairs by their best gateway", loc="left", fontsize=10, fontweight="bold")
        top.legend(frameon=False, fontsize=8)
        market_labels = [G.nodes[m]["name"] for m in markets]
        for i, n in enumerate(names):
            means: list[float] = []
            for m in markets:
                values = [p["by_scenario"][i][f"best_{unit}"] for p in b.data["pairs"] if p["market"]["id"] == m]
                reached = [v for v in values if v is not None]
                means.append(sum(reached) / len(reached) if reached else 0.0)
            ys = [j + (i - (len(names) - 1) / 2) * width for j in range(len(markets))]
            bottom.barh(ys, means, height=width, label=n)
            for y, mean in zip(ys, means, strict=True):
                bottom.text(mean, y, f"  {mean:,.1f}" if mean else "  no route", va="center", fontsize=7)
        bottom.set_yticks(range(len(markets)), market_labels)
        bottom.invert_yaxis()
        bottom.set_xlim(0, max([1.0, *bottom.get_xlim()[1:]]) * 1.15)
        bottom.set_xlabel(f"{label}, door to door through the best gateway (mean over the cities reaching it)")
        bottom.set_title("To each market", loc="left", fontsize=10, fontweight="bold")
        for ax in (top, bottom):
            ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        return svg_of(fig)


def _scenarios_html(b: AnalysisBrief) -> str:
    items = []
    for s in b.data["scenarios"]:
        changes = "".join(f"<li>{e(c)}</li>" for c in s["changes"])
        items.append(
            f"<h3>{e('+'.join(s['scenarios']))}: {e(s['title'])} {refs(s['sources'])}</h3>"
            + (f"<p>{e(s['description'])}</p>" if s["description"] else "")
            + f"<ul class='small'>{changes}</ul>"
        )
    return "".join(items)


def _gateway_elements_html(b: AnalysisBrief) -> str:
    names = ["+".join(x["scenarios"]) for x in b.question["compared"]]
    rows = []
    for x in b.data["elements"]:
        figures = "<br>".join(e(f) for f in x["figures"]) or (
            "no time or cost spent here" if any(u["pairs"] for u in x["pairs"]) else "on no best route"
        )
        used = "; ".join(f"{n}: {u['pairs']}" for n, u in zip(names, x["pairs"], strict=True))
        rows.append(
            f"<tr><td>{e(x['name'])}</td><td><code>{e(x['element'])}</code></td><td>{e(x['type'])}</td>"
            f"<td>{figures}</td><td class='small'>{e(used)}</td><td>{refs(x['sources'])}</td></tr>"
        )
    return (
        "<table id='elements-table'><colgroup><col style='width:15%'><col style='width:13%'><col style='width:10%'>"
        "<col style='width:36%'><col style='width:14%'><col style='width:12%'></colgroup>"
        "<thead><tr><th>element</th><th>id</th><th>type</th><th>figures</th>"
        f"<th>pairs using it</th><th>sources</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


# ---------------------------------------------------------------------------------------
# The page.


def _question_html(b: AnalysisBrief) -> str:
    q = b.question
    month = f"month {q['month']}" if q.get("month") else "any month (seasonal closures by each scenario's own month)"
    if b.kind == "criticality":
        places = ", ".join(p["name"] for p in q["od_places"])
        items = [
            ("OD set", f"{q['od']}: {len(q['od_places'])} places ({places})"),
            ("Weights", q["weights"]),
            ("Scenario", " + ".join(q["scenarios"])),
            ("Taken away", "every link and border crossing" + (", and every corridor" if q["corridors"] else "")),
        ]
    elif b.kind == "market_gateways":
        items = [
            ("Pairs", f"{len(b.data['pairs'])} city–market pairs"
             + (" that switch gateway or are cut off" if q["switches_only"] else "")),
            ("Cities", ", ".join(dict.fromkeys(p["city"]["name"] for p in b.data["pairs"])) or "none"),
            ("Markets", ", ".join(m["name"] for m in q["markets"])),
            ("Gateways", ", ".join(g["name"] for g in q["gateways"])),
            ("Scenarios", " vs ".join(" + ".join(x["scenarios"]) for x in q["compared"])),
        ]  # fmt: skip
    elif b.kind == "appraisal":
        places = ", ".join(p["name"] for p in q["od_places"])
        items = [
            ("OD set", f"{q['od']}: {len(q['od_places'])} places ({places})"),
            ("Weights", q["weights"]),
            ("Context", " + ".join(q["scenarios"])),
            ("Projects", f"{len(b.data['projects'])}, each built alone and removed from all-proposals-built"),
        ]
    else:
        items = [
            ("Cities", f"{len(b.data['cities'])}" + (" that switch port or are cut off" if q["switches_only"] else "")),
            ("Ports", ", ".join(p["name"] for p in q["ports"])),
            ("Scenarios", " vs ".join(" + ".join(x["scenarios"]) for x in q["compared"])),
        ]
    items += [("Best by", q["by"])] + ([("When", month)] if "month" in q else [])
    return "<dl class='question'>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in items) + "</dl>"


def analysis_brief_html(brief: AnalysisBrief, G: nx.MultiGraph) -> str:
    """Return the brief as one self-contained HTML page (no network requests).

    Parameters
    ----------
    brief : AnalysisBrief
        From `criticality_brief` or `ports_brief`.
    G : networkx.MultiGraph
        The graph it was made on (for the map and the names).
    """
    from routes.analysis_maps import appraisal_map, catchment_map, criticality_map, gateway_map  # noqa: PLC0415
    from routes.maps import render_html  # noqa: PLC0415

    if brief.kind == "criticality":
        map_page = render_html(criticality_map(brief.table, G, title=brief.title))
        table, chart = _criticality_table(brief), _criticality_chart(brief)
        shown = brief.data["elements"][: brief.top]
        caption = (
            "Added hours over the OD pairs still connected (#: the element's rank in the table). Pairs an "
            "element cuts off are counted in the table, not in the hours."
        )
        concerned = "The links and crossings in the table"
    elif brief.kind == "market_gateways":
        return _gateways_page(brief, G, render_html(gateway_map(brief.table, G)))
    elif brief.kind == "appraisal":
        map_page = render_html(appraisal_map(brief.table, G))
        table, chart = _appraisal_table(brief), _appraisal_chart(brief)
        shown = brief.data["elements"]
        caption = "Hours saved by each project, built alone and removed from all-proposals-built."
        concerned = "The projects' unbuilt links"
    else:
        map_page = render_html(catchment_map(brief.table, G))
        table, chart = _ports_table(brief, G), _ports_chart(brief, G)
        shown = brief.data["elements"]
        caption = "Cities whose best port is each seaport, under each scenario."
        concerned = "The seaports, and the border crossings on the cities' best routes"
    last = max((n for x in shown for n in x["sources"]), default=0)
    cited = [c for c in brief.bibliography if c.number <= last]
    sections = [
        f"<section id='ranking'><h2>The ranking</h2>{table}</section>",
        "<section id='map'><h2>Map</h2>"
        f"<iframe class='map' title='Map of the analysis' srcdoc=\"{e(map_page)}\"></iframe></section>",
        f"<section id='charts'><h2>At a glance</h2><figure id='chart'>{chart}"
        f"<figcaption class='small'>{e(caption)}</figcaption></figure></section>",
        f"<section id='elements'><h2>{e(concerned)}</h2>{_elements_html(shown, G)}</section>",
        f"<section id='sources'><h2>Sources</h2>{bibliography_html(cited)}</section>",
    ]
    footer = (
        "Made with routes from its sourced network: every figure above cites its source. Costs are transport "
        "and border costs per tonne on CPMM's 20-tonne basis."
    )
    command = {"criticality": "criticality", "port_catchment": "ports", "appraisal": "appraise"}[brief.kind]
    return page(brief.title, f"routes {command} brief",
                _question_html(brief), sections, footer)  # fmt: skip


#: The gateways page's wide tables fit the A4 width: fixed columns whose text wraps anywhere.
_GATEWAYS_CSS = (
    "<style>#ranked-table,#elements-table{width:100%;table-layout:fixed;}"
    "#ranked-table td,#elements-table td{overflow-wrap:anywhere;}</style>"
)


def _gateways_page(brief: AnalysisBrief, G: nx.MultiGraph, map_page: str) -> str:
    last = "+".join(brief.question["compared"][-1]["scenarios"])
    sections = [
        f"<section id='answer'>{_GATEWAYS_CSS}<h2>The answer</h2><p>{e(brief.data['answer'])}</p></section>",
        f"<section id='ranking'><h2>Best gateway for each city and market</h2>{_gateways_table(brief, G)}</section>",
        "<section id='map'><h2>Map</h2>"
        f"<iframe class='map' title='Map of the gateways' srcdoc=\"{e(map_page)}\"></iframe>"
        f"<p class='small'>Cities coloured by their best gateway under {e(last)}, one layer per market.</p></section>",
        f"<section id='charts'><h2>At a glance</h2><figure id='chart'>{_gateways_chart(brief, G)}"
        "<figcaption class='small'>City–market pairs per best gateway, and the mean door-to-door figure to each "
        "market, under each scenario.</figcaption></figure></section>",
        f"<section id='scenarios'><h2>The scenarios</h2>{_scenarios_html(brief)}</section>",
        "<section id='elements'><h2>What the best routes rest on: rules, ports, passages, crossings, sea lanes"
        f"</h2>{_gateway_elements_html(brief)}</section>",
        f"<section id='sources'><h2>Sources</h2>{bibliography_html(brief.bibliography)}</section>",
    ]
    footer = (
        "Made with routes from its sourced network: every figure above cites its source. Costs are transport, "
        "border and port costs per tonne; a container rate is taken per tonne on rules.toml's payload basis."
    )
    return page(brief.title, "routes ports --to brief", _question_html(brief), sections, footer)


def save_analysis_brief(
    brief: AnalysisBrief, G: nx.MultiGraph, path: str | Path, *, stdout: IO[str] | None = None
) -> Path:
    """Write the brief page to ``path`` and return the path.

    Written as `routes.io.write_output` does: ``"-"`` is standard output, a file is replaced
    atomically keeping its permissions, a link is followed, a named pipe is written directly.
    """
    from routes.io import write_output  # noqa: PLC0415

    write_output(path, analysis_brief_html(brief, G), stdout=stdout)
    return Path(path)
