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

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
class Citation:
    """One numbered entry of a brief's bibliography."""

    number: int
    id: str
    entry: dict[str, Any]
    quotes: tuple[str, ...]
    cited_by: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as JSON-ready data."""
        return {
            "number": self.number,
            "id": self.id,
            **{k: v for k, v in self.entry.items() if isinstance(v, (str, int, float))},
            "quotes": list(self.quotes),
            "cited_by": list(self.cited_by),
        }


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


class _Numbering:
    """Numbers sources in order of first use and remembers what cites each."""

    def __init__(self, G: nx.MultiGraph) -> None:
        self.bib: dict[str, dict[str, Any]] = dict(G.graph.get("sources", {}))
        self.order: dict[str, int] = {}
        self.quotes: dict[str, list[str]] = {}
        self.users: dict[str, list[str]] = {}

    def cite(self, citations: Sequence[dict[str, Any]], user: str) -> list[int]:
        numbers = []
        for c in citations:
            sid = c["id"]
            if sid not in self.order:
                self.order[sid] = len(self.order) + 1
            quote = c.get("quote")
            if quote:
                text = " ".join(str(quote).split())
                if text not in self.quotes.setdefault(sid, []):
                    self.quotes[sid].append(text)
            if user not in self.users.setdefault(sid, []):
                self.users[sid].append(user)
            numbers.append(self.order[sid])
        return sorted(set(numbers))

    def entries(self) -> tuple[Citation, ...]:
        return tuple(
            Citation(n, sid, self.bib.get(sid, {}), tuple(self.quotes.get(sid, ())), tuple(self.users.get(sid, ())))
            for sid, n in sorted(self.order.items(), key=lambda kv: kv[1])
        )


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
    numbering = _Numbering(G)
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


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def chart_svg(brief: Brief) -> str:
    """Return the time and cost split per scenario as stacked horizontal bars, in SVG.

    The SVG is deterministic (no date, fixed ids) and keeps its text as text.
    """
    import matplotlib as mpl  # noqa: PLC0415

    mpl.use("Agg", force=False)
    from matplotlib.figure import Figure  # noqa: PLC0415

    rows = [b for b in brief.breakdown if b.get("reachable")]
    names = [b["scenario"] for b in rows]
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "routes-brief", "font.size": 9}):
        fig = Figure(figsize=(9.0, 1.2 + 0.45 * max(len(rows), 1) * 2))
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
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "routes"})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


_PAGE_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:1040px;margin:1.5em auto;
  padding:0 1em;}
h1{font-size:1.6em;margin:.2em 0;} h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid #ccc;}
table{border-collapse:collapse;margin:.3em 0;} th,td{padding:2px 8px;border-bottom:1px solid #e3e3e3;text-align:left;
  vertical-align:top;}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;}
.question{background:#f5f7fa;border-left:4px solid #4e79a7;padding:.5em .8em;}
.question dt{font-weight:bold;float:left;width:8em;} .question dd{margin:0 0 0 8.5em;}
.delta{color:#666;font-size:.9em;} .none{color:#a00;}
iframe.map{width:100%;max-width:1000px;height:560px;border:1px solid #ccc;}
figure{margin:0;} figure svg{width:100%;height:auto;}
ol.bib li{margin:.3em 0;overflow-wrap:anywhere;}
blockquote{margin:.2em 0 .3em 1em;padding-left:.6em;border-left:3px solid #ccc;
  font-style:italic;color:#444;}
.small{font-size:.85em;color:#555;}
@page{size:A4;margin:14mm;}
@media print{body{max-width:none;margin:0;font-size:10.5pt;}
  iframe.map{width:1000px;max-width:none;zoom:.66;} /* the map as on screen, scaled to the A4 width */
  section{break-inside:avoid-page;} #sources{break-before:page;} a{color:inherit;text-decoration:none;}
  h2{break-after:avoid;}}
"""


def _refs(numbers: Sequence[int]) -> str:
    return "".join(f"<a href='#src-{n}'>[{n}]</a>" for n in numbers)


def _comparison_table(brief: Brief) -> str:
    comp = brief.comparison
    deltas = comp.deltas()
    head = "".join(f"<th class='num'>{_e(r.name)}</th>" for r in comp.results)

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
            "<td class='num none'>no route</td>" if r.route is None else f"<td class='num'>{_e(fn(r.route))}</td>"
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
    body = "".join(f"<tr><th>{_e(label)}</th>{cells_}</tr>" for label, cells_ in rows)
    notes = []
    for res in comp.results:
        if res.route is None:
            cut = "".join(f"<li>{_e(c)}</li>" for c in res.closures)
            notes.append(
                f"<p><b>{_e(res.name)}</b>: no route. {_e(res.reason or '')}</p>" + (f"<ul>{cut}</ul>" if cut else "")
            )
    return (
        f"<table id='comparison-table'><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<p class='small'>Deltas in brackets are against {_e(comp.results[0].name)}.</p>" + "".join(notes)
    )


def _crossings_html(brief: Brief) -> str:
    parts = []
    for block in brief.crossings:
        rows = "".join(
            f"<tr><td>{_e(c['name'])}</td><td>{_e(c['detail'])}</td><td class='num'>{c['hours']:,.1f}</td>"
            f"<td class='num'>{c['cost_usd_per_t']:,.1f}</td><td>{_e(c['basis'])}</td>"
            f"<td>{_refs(c['sources'])}</td></tr>"
            for c in block["crossings"]
        )
        if not rows:
            rows = "<tr><td colspan='6'>no border crossing (or no route)</td></tr>"
        parts.append(
            f"<h3>{_e(block['scenario'])}</h3><table><thead><tr><th>crossing</th><th>posts</th>"
            f"<th class='num'>hours</th><th class='num'>USD/t</th><th>figures</th><th>sources</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    return "".join(parts)


def _unbuilt_html(brief: Brief) -> str:
    parts = []
    for block in brief.unbuilt:
        if not block["links"]:
            parts.append(f"<p><b>{_e(block['scenario'])}</b>: every link is operational today.</p>")
            continue
        rows = "".join(
            f"<tr><td>{_e(x['name'])}</td><td>{_e(x['corridor'])}</td><td>{_e(str(x['status']).replace('_', ' '))}"
            + (f" ({_e(x['year'])})" if x.get("year") else "")
            + f"</td><td class='num'>{x['km']:,.0f}</td></tr>"
            for x in block["links"]
        )
        parts.append(
            f"<h3>{_e(block['scenario'])}</h3><table><thead><tr><th>link</th><th>corridor</th><th>status</th>"
            f"<th class='num'>km</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    return "".join(parts)


def _bibliography_html(brief: Brief) -> str:
    items = []
    for c in brief.bibliography:
        e = c.entry
        who = e.get("publisher") or e.get("author") or ""
        text = _e(e.get("title", "(not in the bibliography)"))
        if who:
            text += f". {_e(who)}"
        if e.get("date"):
            text += f", {_e(e['date'])}"
        text += "."
        if e.get("url"):
            text += f" <a href='{_e(e['url'])}'>{_e(e['url'])}</a>"
        if e.get("seed"):
            text += f" (seed document seeds/{_e(e['seed'])})"
        quotes = "".join(f"<blockquote>“{_e(q)}”</blockquote>" for q in c.quotes)
        items.append(f"<li id='src-{c.number}' value='{c.number}'><code>{_e(c.id)}</code>: {text}{quotes}</li>")
    return f"<ol class='bib'>{''.join(items)}</ol>"


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
        f"<dt>From</dt><dd>{_e(brief.origin_name)} ({_e(G.nodes[brief.comparison.origin]['country'])})</dd>"
        f"<dt>To</dt><dd>{_e(brief.destination_name)} ({_e(G.nodes[brief.comparison.destination]['country'])})</dd>"
        f"<dt>Scenarios</dt><dd>{_e(', '.join(brief.scenarios))}</dd>"
        f"<dt>Best by</dt><dd>{_e(brief.by)}</dd><dt>When</dt><dd>{_e(month)}</dd></dl>"
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Brief: {_e(brief.title)}</title><style>{_PAGE_CSS}</style></head><body>"
        f"<header><p class='small'>routes brief</p><h1>{_e(brief.title)}</h1>{question}</header>"
        f"<section id='comparison'><h2>The routes compared</h2>{_comparison_table(brief)}</section>"
        "<section id='map'><h2>Map</h2>"
        f"<iframe class='map' title='Map of the routes' srcdoc=\"{_e(map_page)}\"></iframe></section>"
        "<section id='charts'><h2>Where the time and the money go</h2>"
        f"<figure id='chart'>{chart_svg(brief)}<figcaption class='small'>Moving: driving or rail time and "
        "transport cost; border: exit and entry posts; transfer: road–rail transfer and gauge-break "
        "transshipment; port: handling at seaports.</figcaption></figure></section>"
        f"<section id='crossings'><h2>Border crossings</h2>{_crossings_html(brief)}</section>"
        f"<section id='unbuilt'><h2>Links the routes need that are not built today</h2>{_unbuilt_html(brief)}</section>"
        f"<section id='sources'><h2>Sources</h2>{_bibliography_html(brief)}</section>"
        "<footer class='small'><p>Made with routes from its sourced network: every figure above cites its "
        "source. Costs are transport and border costs per tonne on CPMM's 20-tonne basis.</p></footer>"
        "</body></html>\n"
    )


def save_brief(brief: Brief, G: nx.MultiGraph, path: str | Path, *, stdout: IO[str] | None = None) -> Path:
    """Write the brief page to ``path`` and return the path.

    Written as `routes.io.write_output` does: ``"-"`` is standard output, a file is replaced
    atomically keeping its permissions, a link is followed, a named pipe is written directly.
    """
    from routes.io import write_output  # noqa: PLC0415

    page = brief_html(brief, G)
    write_output(path, page, stdout=stdout)
    return Path(path)
