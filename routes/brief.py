"""Briefs: one self-contained page an analyst can hand on.

A brief answers one question (from A to B, under these scenarios, minimising this, in this
month) with what a reader needs to check it: the comparison table with deltas, the map, a
chart per scenario splitting time and cost into moving, border, transfer and port, the
border crossings with their dwell and its source, the links each route needs that are not
built today, and every source the routes rest on as a numbered bibliography with the seed
documents' quotes in full.

`make_brief` computes it (a plain `Brief`; ``Brief.to_dict()`` is the ``--json`` of
``routes brief``); `brief_html` renders the page, which makes no network request: the map
inlines Leaflet and the offline basemap, the charts are inline SVG drawn by matplotlib.
`save_brief` writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from routes._page import Citation, Numbering, bibliography_html, e, figure, page, refs, svg_of

if TYPE_CHECKING:
    import networkx as nx

    from routes.analysis import Comparison
    from routes.results import Route
    from routes.scenarios import ScenarioSpec

__all__ = ["PARTS", "Brief", "brief_html", "make_brief", "save_brief"]

#: How a route's time and cost split, in the order the charts stack them.
PARTS = ("moving", "border", "transfer", "port")

#: Which part each kind of stop (`routes.costs.Dwell.event`) belongs to.
_PART_OF_EVENT = {"border": "border", "transfer": "transfer", "transshipment": "transfer", "handling": "port"}

_PART_COLOURS = {"moving": "#4e79a7", "border": "#e15759", "transfer": "#f28e2b", "port": "#76b7b2"}


@dataclass(frozen=True)
class Brief:
    """Everything a brief page shows, as data.

    Attributes
    ----------
    comparison : Comparison
        The routes under each scenario (the first is the reference for deltas).
    origin_name, destination_name : str
        The places as the network names them.
    scenarios : tuple of str
        The scenario names, one per column.
    by : str
        What the routes minimise.
    month : int or None
        Month of travel, if one was given.
    breakdown : tuple of dict
        Per scenario: hours and USD per tonne by part (`PARTS`).
    crossings : tuple of dict
        Per scenario: each border crossing with its dwell, cost, basis and source numbers.
    unbuilt : tuple of dict
        Per scenario: the links the route needs that are not operational today.
    bibliography : tuple of Citation
        Every source the routes rest on, numbered in order of first use.
    """

    comparison: Comparison
    origin_name: str
    destination_name: str
    scenarios: tuple[str, ...]
    by: str
    month: int | None
    breakdown: tuple[dict[str, Any], ...]
    crossings: tuple[dict[str, Any], ...]
    unbuilt: tuple[dict[str, Any], ...]
    bibliography: tuple[Citation, ...] = field(repr=False)

    @property
    def title(self) -> str:
        """The brief's heading."""
        return f"{self.origin_name} → {self.destination_name}"

    def to_dict(self) -> dict[str, Any]:
        """Return the brief as the ``--json`` of ``routes brief`` prints it (kind ``brief``).

        ``question`` holds the places (``{"id", "name", "country", "kind"}``), scenarios,
        objective and month; ``results`` is the comparison's, as ``routes compare --json``
        gives it; ``breakdown``, ``crossings`` and ``unbuilt`` are per scenario; numbers are
        rounded by `routes.results.PRECISION`.
        """
        from routes.results import rounded  # noqa: PLC0415

        comparison = self.comparison.to_dict()
        breakdown = [
            {
                **row,
                "hours": {k: rounded(v, "hours") for k, v in row["hours"].items()},
                "cost_usd_per_t": {k: rounded(v, "usd_per_t") for k, v in row["cost_usd_per_t"].items()},
            }
            for row in self.breakdown
        ]
        return {
            "question": {
                "origin": comparison["origin"],
                "destination": comparison["destination"],
                "scenarios": list(self.scenarios),
                "by": self.by,
                "month": self.month,
            },
            "results": comparison["results"],
            "breakdown": breakdown,
            "crossings": list(self.crossings),
            "unbuilt": list(self.unbuilt),
            "bibliography": [c.to_dict() for c in self.bibliography],
        }


def _split(route: Route) -> dict[str, dict[str, float]]:
    hours = dict.fromkeys(PARTS, 0.0)
    cost = dict.fromkeys(PARTS, 0.0)
    for leg in route.legs:
        hours["moving"] += leg.hours
        cost["moving"] += leg.cost_usd
    for stop in route.stops:
        part = _PART_OF_EVENT.get(stop.event, "transfer")
        hours[part] += stop.hours
        cost[part] += stop.cost_usd
    return {"hours": hours, "cost_usd_per_t": cost}


def make_brief(
    G: nx.MultiGraph,
    origin: str,
    destination: str,
    scenarios: Sequence[ScenarioSpec] | None = None,
    *,
    by: str = "distance",
    month: int | None = None,
    **constraints: Any,
) -> Brief:
    """Compare the routes between two places under several scenarios, as a brief.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network`.
    origin, destination : str
        Place ids, names or aliases.
    scenarios : sequence, optional
        As for `routes.compare` (default: baseline, afghanistan-closed, wakhan-built, winter).
    by : {"distance", "time", "cost"}
        What each route minimises.
    month : int, optional
        Month of travel.
    **constraints
        Passed to `routes.shortest_route` (``modes``, ``avoid_countries``, ...).

    Returns
    -------
    Brief

    Raises
    ------
    UnknownPlaceError, ScenarioError
        For bad places or scenarios.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> b = routes.make_brief(G, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed"])
    >>> b.title, len(b.breakdown), b.bibliography[0].number
    ('Dushanbe → Karachi', 2, 1)
    """
    from routes.analysis import compare  # noqa: PLC0415

    if scenarios is None:
        scenarios = ["baseline", "afghanistan-closed", "wakhan-built", "winter"]
    elif isinstance(scenarios, str):
        scenarios = [scenarios]
    comp = compare(G, origin, destination, list(scenarios), by=by, month=month, **constraints)
    numbering = Numbering(G)
    breakdown: list[dict[str, Any]] = []
    crossings: list[dict[str, Any]] = []
    unbuilt: list[dict[str, Any]] = []
    for res in comp.results:
        route = res.route
        if route is None:
            breakdown.append({"scenario": res.name, "reachable": False})
            crossings.append({"scenario": res.name, "crossings": []})
            unbuilt.append({"scenario": res.name, "links": []})
            continue
        breakdown.append({"scenario": res.name, "reachable": True, **_split(route)})
        for leg in route.legs:
            numbering.cite(G.edges[leg.from_id, leg.to_id, leg.link]["sources"], f"link {leg.link}")
        for place in route.places:
            if place.id in G:
                numbering.cite(G.nodes[place.id].get("sources", ()), f"place {place.id}")
        rows: list[dict[str, Any]] = []
        for stop in route.stops:
            cites = _stop_citations(G, stop.place, stop.sources)
            numbers = numbering.cite(cites, f"dwell at {stop.place}")
            if stop.event != "border":
                continue
            rows.append(
                {
                    "place": stop.place,
                    "name": G.nodes[stop.place]["name"] if stop.place in G else stop.place,
                    "detail": stop.detail,
                    "hours": round(stop.hours, 2),
                    "cost_usd_per_t": round(stop.cost_usd, 2),
                    "basis": stop.basis,
                    "sources": numbers,
                }
            )
        crossings.append({"scenario": res.name, "crossings": rows})
        links: list[dict[str, Any]] = []
        for leg in route.legs:
            if leg.link in route.unbuilt:
                d = G.edges[leg.from_id, leg.to_id, leg.link]
                links.append(
                    {
                        "link": leg.link,
                        "name": leg.name,
                        "status": leg.status,
                        "year": d.get("status_year") or d.get("year"),
                        "km": round(leg.km, 1),
                        "corridor": leg.corridor,
                    }
                )
        unbuilt.append({"scenario": res.name, "links": links})
    o, d = G.nodes[comp.origin], G.nodes[comp.destination]
    return Brief(
        comparison=comp,
        origin_name=o["name"],
        destination_name=d["name"],
        scenarios=tuple(res.name for res in comp.results),
        by=by,
        month=month,
        breakdown=tuple(breakdown),
        crossings=tuple(crossings),
        unbuilt=tuple(unbuilt),
        bibliography=numbering.entries(),
    )


def _stop_citations(G: nx.MultiGraph, place: str, source_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The citations behind a stop: the place's dwell records' own, else the bare ids."""
    found: list[dict[str, Any]] = []
    if place in G:
        for rec in G.nodes[place].get("dwell", ()):
            found.extend(c for c in rec.get("sources", ()) if c["id"] in source_ids)
    ids = {c["id"] for c in found}
    found.extend({"id": sid} for sid in source_ids if sid not in ids)
    return found


# ---------------------------------------------------------------------------------------
# The page.


def chart_svg(brief: Brief) -> str:
    """Return the time and cost split per scenario as stacked horizontal bars, in SVG.

    The SVG is deterministic (no date, fixed ids) and keeps its text as text.
    """
    rows = [b for b in brief.breakdown if b.get("reachable")]
    names = [b["scenario"] for b in rows]
    with figure(9.0, 1.2 + 0.45 * max(len(rows), 1) * 2) as fig:
        axes = fig.subplots(2, 1)
        for ax, key, unit in zip(axes, ("hours", "cost_usd_per_t"), ("hours", "US dollars per tonne"), strict=True):
            left = [0.0] * len(rows)
            for part in PARTS:
                values = [b[key][part] for b in rows]
                ax.barh(names, values, left=left, color=_PART_COLOURS[part], label=part, height=0.6)
                left = [a + v for a, v in zip(left, values, strict=True)]
            for y, total in enumerate(left):
                ax.text(total, y, f"  {total:,.1f}", va="center", fontsize=8)
            ax.set_xlabel(unit)
            ax.invert_yaxis()
            ax.set_xlim(0, max(left or [1.0]) * 1.15 or 1.0)
            ax.spines[["top", "right"]].set_visible(False)
        axes[0].set_title("Time", loc="left", fontsize=10, fontweight="bold")
        axes[1].set_title("Cost", loc="left", fontsize=10, fontweight="bold")
        axes[0].legend(ncols=len(PARTS), loc="lower right", bbox_to_anchor=(1.0, 1.02), frameon=False, fontsize=8)
        fig.tight_layout()
        return svg_of(fig)


def _comparison_table(brief: Brief) -> str:
    comp = brief.comparison
    deltas = comp.deltas()
    head = "".join(f"<th class='num'>{e(r.name)}</th>" for r in comp.results)

    def cells(attr: str, digits: int, key: str | None, unit: str = "") -> str:
        out = []
        for res, delta in zip(comp.results, deltas, strict=True):
            if res.route is None:
                out.append("<td class='num none'>no route</td>")
                continue
            text = f"{getattr(res.route, attr):,.{digits}f}{unit}"
            if key and delta is not None and res is not comp.results[0]:
                text += f" <span class='delta'>({delta[key]:+,.{digits}f})</span>"
            out.append(f"<td class='num'>{text}</td>")
        return "".join(out)

    def simple(fn: Any) -> str:
        return "".join(
            "<td class='num none'>no route</td>" if r.route is None else f"<td class='num'>{e(fn(r.route))}</td>"
            for r in comp.results
        )

    from routes.results import months_text  # noqa: PLC0415

    rows = [
        ("distance (km)", cells("total_km", 0, "km")),
        ("time (hours)", cells("total_hours", 1, "hours")),
        ("time (days)", cells("total_days", 1, None)),
        ("cost (USD per tonne)", cells("total_cost_usd", 1, "cost_usd")),
        ("border crossings", simple(lambda r: len(r.border_crossings))),
        ("countries", simple(lambda r: "–".join(r.countries))),
        ("highest point (m)", simple(lambda r: f"{r.max_elevation_m or 0:,.0f}")),
        ("months open", simple(lambda r: months_text(r.months_open))),
        ("links not built today", simple(lambda r: len(r.unbuilt))),
    ]
    body = "".join(f"<tr><th>{e(label)}</th>{cells_}</tr>" for label, cells_ in rows)
    notes = []
    for res in comp.results:
        if res.route is None:
            cut = "".join(f"<li>{e(c)}</li>" for c in res.closures)
            notes.append(
                f"<p><b>{e(res.name)}</b>: no route. {e(res.reason or '')}</p>" + (f"<ul>{cut}</ul>" if cut else "")
            )
    return (
        f"<table id='comparison-table'><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<p class='small'>Deltas in brackets are against {e(comp.results[0].name)}.</p>" + "".join(notes)
    )


def _crossings_html(brief: Brief) -> str:
    parts = []
    for block in brief.crossings:
        rows = "".join(
            f"<tr><td>{e(c['name'])}</td><td>{e(c['detail'])}</td><td class='num'>{c['hours']:,.1f}</td>"
            f"<td class='num'>{c['cost_usd_per_t']:,.1f}</td><td>{e(c['basis'])}</td>"
            f"<td>{refs(c['sources'])}</td></tr>"
            for c in block["crossings"]
        )
        if not rows:
            rows = "<tr><td colspan='6'>no border crossing (or no route)</td></tr>"
        parts.append(
            f"<h3>{e(block['scenario'])}</h3><table><thead><tr><th>crossing</th><th>posts</th>"
            f"<th class='num'>hours</th><th class='num'>USD/t</th><th>figures</th><th>sources</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    return "".join(parts)


def _unbuilt_html(brief: Brief) -> str:
    parts = []
    for block in brief.unbuilt:
        if not block["links"]:
            parts.append(f"<p><b>{e(block['scenario'])}</b>: every link is operational today.</p>")
            continue
        rows = "".join(
            f"<tr><td>{e(x['name'])}</td><td>{e(x['corridor'])}</td><td>{e(str(x['status']).replace('_', ' '))}"
            + (f" ({e(x['year'])})" if x.get("year") else "")
            + f"</td><td class='num'>{x['km']:,.0f}</td></tr>"
            for x in block["links"]
        )
        parts.append(
            f"<h3>{e(block['scenario'])}</h3><table><thead><tr><th>link</th><th>corridor</th><th>status</th>"
            f"<th class='num'>km</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    return "".join(parts)


def brief_html(brief: Brief, G: nx.MultiGraph) -> str:
    """Return the brief as one self-contained HTML page (no network requests).

    Parameters
    ----------
    brief : Brief
        From `make_brief`.
    G : networkx.MultiGraph
        The graph it was made on (for the map).
    """
    from routes.maps import comparison_map, render_html  # noqa: PLC0415

    map_page = render_html(comparison_map(brief.comparison, G=G, title=brief.title))
    month = f"month {brief.month}" if brief.month else "any month (seasonal closures by each scenario's own month)"
    question = (
        "<dl class='question'>"
        f"<dt>From</dt><dd>{e(brief.origin_name)} ({e(G.nodes[brief.comparison.origin]['country'])})</dd>"
        f"<dt>To</dt><dd>{e(brief.destination_name)} ({e(G.nodes[brief.comparison.destination]['country'])})</dd>"
        f"<dt>Scenarios</dt><dd>{e(', '.join(brief.scenarios))}</dd>"
        f"<dt>Best by</dt><dd>{e(brief.by)}</dd><dt>When</dt><dd>{e(month)}</dd></dl>"
    )
    sections = [
        f"<section id='comparison'><h2>The routes compared</h2>{_comparison_table(brief)}</section>",
        "<section id='map'><h2>Map</h2>"
        f"<iframe class='map' title='Map of the routes' srcdoc=\"{e(map_page)}\"></iframe></section>",
        "<section id='charts'><h2>Where the time and the money go</h2>"
        f"<figure id='chart'>{chart_svg(brief)}<figcaption class='small'>Moving: driving or rail time and "
        "transport cost; border: exit and entry posts; transfer: road–rail transfer and gauge-break "
        "transshipment; port: handling at seaports.</figcaption></figure></section>",
        f"<section id='crossings'><h2>Border crossings</h2>{_crossings_html(brief)}</section>",
        "<section id='unbuilt'><h2>Links the routes need that are not built today</h2>"
        f"{_unbuilt_html(brief)}</section>",
        f"<section id='sources'><h2>Sources</h2>{bibliography_html(brief.bibliography)}</section>",
    ]
    footer = (
        "Made with routes from its sourced network: every figure above cites its source. Costs are transport "
        "and border costs per tonne on CPMM's 20-tonne basis."
    )
    return page(brief.title, "routes brief", question, sections, footer)


def save_brief(brief: Brief, G: nx.MultiGraph, path: str | Path, *, stdout: IO[str] | None = None) -> Path:
    """Write the brief page to ``path`` and return the path.

    Written as `routes.io.write_output` does: ``"-"`` is standard output, a file is replaced
    atomically keeping its permissions, a link is followed, a named pipe is written directly.
    """
    from routes.io import write_output  # noqa: PLC0415

    write_output(path, brief_html(brief, G), stdout=stdout)
    return Path(path)
