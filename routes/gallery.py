"""The gallery: the project's front page (``maps/index.html``) and the pages it links to.

For each headline question the front page shows the question in words, the comparison
table, a small static sketch of the routes over the country outlines (inline SVG: no
script, no request) and links to its map and to its brief; then the network-wide
analyses (criticality, port catchments, project appraisal) with their top rows. Every page
is written through `routes.io.output_folder`, so the gallery changes as a whole.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from routes.analysis import Comparison
    from routes.io import OutputFolder

__all__ = ["ANALYSES", "GALLERY", "Headline", "gallery_files", "sketch_svg", "write_gallery"]


@dataclass(frozen=True)
class Headline:
    """One headline question of the gallery: a comparison with its map and its brief."""

    slug: str
    question: str
    origin: str
    destination: str
    scenarios: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def files(self) -> tuple[str, str]:
        """The map page and the brief page this question writes."""
        return f"{self.slug}.html", f"{self.slug}-brief.html"


GALLERY: tuple[Headline, ...] = (
    Headline(
        "dushanbe-karachi",
        "What is the best way from Dushanbe to the sea at Karachi, and what changes if Afghanistan closes, "
        "if the Wakhan road is built, or in winter?",
        "Dushanbe",
        "Karachi",
        ("baseline", "afghanistan-closed", "wakhan-built", "winter"),
    ),
    Headline(
        "kashgar-gwadar",
        "How does western China reach the port of Gwadar, and what if the Karakoram Highway closes, or in winter?",
        "Kashgar",
        "Gwadar Port",
        ("baseline", "kkh-closed", "winter"),
    ),
    Headline(
        "tashkent-karachi",
        "From Tashkent to Karachi: what if Afghanistan closes, or only the Chaman crossing?",
        "Tashkent",
        "Karachi",
        ("baseline", "afghanistan-closed", "chaman-closed"),
    ),
    Headline(
        "almaty-karachi",
        "From Almaty to Karachi: what if Afghanistan or the Karakoram Highway closes?",
        "Almaty",
        "Karachi",
        ("baseline", "afghanistan-closed", "kkh-closed"),
    ),
    # Central Asia to Europe: road to the Arabian Sea, then by sea through Suez or round the Cape.
    Headline(
        "dushanbe-rotterdam",
        "From Central Asia to Europe by sea: Dushanbe to Rotterdam through Suez, and round the Cape "
        "if the Red Sea closes",
        "Dushanbe",
        "Rotterdam",
        ("baseline", "red-sea-closed"),
    ),
    Headline(
        "termez-peshawar-rail",
        "By rail from Termez to Peshawar: what would the Trans-Afghan railway change?",
        "Termez",
        "Peshawar",
        ("baseline", "trans-afghan-rail-built"),
        {"modes": ["rail"], "by": "time"},
    ),
)

#: The network-wide analysis pages, in the order the front page shows them.
ANALYSES = ("criticality.html", "ports.html", "appraisal.html")


def gallery_files() -> list[str]:
    """Return the names of the files `write_gallery` writes, in the order it writes them."""
    return ["network.html", *(name for h in GALLERY for name in h.files), *ANALYSES, "index.html"]


def write_gallery(G: nx.MultiGraph, folder: str | Path) -> list[Path]:
    """Regenerate the gallery: the front page, the network map, each headline's map and brief.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph.
    folder : str or Path
        Where to write (the repository keeps it in ``maps/``).

    Returns
    -------
    list of Path
        The files written, in the order of `gallery_files`. The same data give the same bytes.

    Raises
    ------
    routes.errors.OutputError
        If the folder cannot be written; the gallery is then as it was.

    Notes
    -----
    The gallery changes as a whole (`routes.io.output_folder`): every page is built in a
    temporary folder inside ``folder`` and the pages are renamed into place together once
    all are built, so an error or Ctrl-C midway leaves the old gallery, never some new
    maps and an old index. Files of ``folder`` that are not gallery pages (a screenshot,
    notes) are not touched, nor are pages of an older gallery that this one no longer has.
    """
    from routes.io import output_folder  # noqa: PLC0415

    with output_folder(folder) as gallery:
        return _build_gallery(G, gallery)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _build_gallery(G: nx.MultiGraph, gallery: OutputFolder) -> list[Path]:
    from routes import maps  # noqa: PLC0415 - through the module, so tests can stand in for a builder
    from routes.brief import brief_html, make_brief  # noqa: PLC0415

    written = [gallery.write("network.html", maps.render_html(maps.network_map(G)))]
    sections = []
    for h in GALLERY:
        options = dict(h.options)
        brief = make_brief(G, h.origin, h.destination, list(h.scenarios), **options)
        comp = brief.comparison
        map_name, brief_name = h.files
        written.append(gallery.write(map_name, maps.render_html(maps.comparison_map(comp, G=G))))
        written.append(gallery.write(brief_name, brief_html(brief, G)))
        sections.append(_headline_section(G, h, comp))
    sections.extend(_analysis_sections(G, gallery, written))
    written.append(gallery.write("index.html", _front_page(G, sections)))
    return written


# ---------------------------------------------------------------------------------------
# The front page.

_PAGE_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:1040px;margin:1.5em auto;
  padding:0 1em;}
h1{font-size:1.7em;margin:.2em 0;} h2{font-size:1.2em;margin:0 0 .3em;}
nav ol{columns:2;margin:.4em 0;padding-left:1.4em;} nav li{break-inside:avoid;}
section.q{border-top:1px solid #ccc;padding:1em 0;}
.how{color:#555;margin:.1em 0 .6em;font-size:.92em;}
.row{display:flex;flex-wrap:wrap;gap:1em 1.4em;align-items:flex-start;}
figure.sketch{margin:0;flex:0 1 330px;min-width:0;} figure.sketch svg{display:block;max-width:100%;height:auto;
  border:1px solid #ccc;background:#fff;}
figcaption{font-size:.8em;color:#666;}
.facts{flex:1 1 420px;min-width:0;}
table{border-collapse:collapse;font-size:.92em;} th,td{padding:2px 7px;border-bottom:1px solid #e3e3e3;
  text-align:left;vertical-align:top;}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;}
.delta{color:#666;font-size:.88em;} table.comparison td:first-child{white-space:nowrap;}
.sw{display:inline-block;width:18px;height:0;border-top:4px solid;
  vertical-align:middle;margin-right:4px;}
.links a{font-weight:600;margin-right:1em;}
.small{font-size:.85em;color:#555;}
@page{size:A4;margin:14mm;}
@media print{body{max-width:none;margin:0;font-size:10pt;} section.q{break-inside:avoid-page;}
  a{color:inherit;text-decoration:none;} nav{display:none;} figure.sketch{flex-basis:62mm;}}
"""


def _front_page(G: nx.MultiGraph, sections: Sequence[str]) -> str:
    from routes.schema import REGION_BOX  # noqa: PLC0415

    toc = "".join(f"<li><a href='#{_e(h.slug)}'>{_e(h.question)}</a></li>" for h in GALLERY) + "".join(
        f"<li><a href='#{_e(name[:-5])}'>{_e(_ANALYSIS_QUESTIONS[name])}</a></li>" for name in ANALYSES
    )
    lines = [
        (d["coords"], _MODE_COLOURS.get(d["mode"], "#555"), 1.0, None if d["status"] == "operational" else "2 2")
        for _, _, d in G.edges(data=True)
        if d["mode"] in ("road", "rail")
    ]
    network = sketch_svg(lines, [], box=REGION_BOX, label="The corridor network: roads in red, railways in blue")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>routes: Pakistan–Central Asia corridors</title><style>{_PAGE_CSS}</style></head><body>"
        "<header><h1>Pakistan–Central Asia corridors</h1>"
        "<p>What is the best way from Central Asia to the sea, and what happens when a border, a pass or a "
        "strait closes? Each question below is answered on the sourced network in <code>geodata/</code>: the "
        "comparison table, a sketch of the routes, an interactive map, and a brief to hand on (table, map, "
        "charts, border crossings and every source, printable as A4). Routes are the shortest by road "
        "distance unless stated; hours include border, transfer and port dwell; costs are US dollars per "
        "tonne. Every page here opens offline.</p>"
        f"<nav><b>Questions</b><ol>{toc}</ol></nav></header>"
        "<section class='q' id='network'><h2>The network</h2><div class='row'>"
        f"<figure class='sketch'>{network}<figcaption>Roads (red) and railways (blue) of the region; dotted: "
        "not operational today. Country outlines: Natural Earth.</figcaption></figure>"
        f"<div class='facts'><p>{G.number_of_nodes()} places and {G.number_of_edges()} links: roads, "
        "railways, sea lanes to the world's ports and scheduled flights, every status (operational, under "
        "construction, planned or proposed), each with its sources.</p>"
        "<p class='links'><a href='network.html'>Map of the network</a></p></div></div></section>"
        + "".join(sections)
        + "<footer class='small'><p>Generated by <code>routes map --gallery</code>; "
        "a test checks that this folder is up to date with the data.</p></footer></body></html>\n"
    )


def _scenario_colour(i: int) -> str:
    from routes.maps import ROUTE_COLOURS  # noqa: PLC0415

    return ROUTE_COLOURS[i % len(ROUTE_COLOURS)]


def _headline_section(G: nx.MultiGraph, h: Headline, comp: Comparison) -> str:
    deltas = comp.deltas()
    first = comp.results[0]
    rows = []
    lines: list[tuple[Sequence[tuple[float, float]], str, float, str | None]] = []
    for i, (res, delta) in enumerate(zip(comp.results, deltas, strict=True)):
        colour = _scenario_colour(i)
        name = f"<td><span class='sw' style='border-top-color:{colour}'></span>{_e(res.name)}</td>"
        r = res.route
        if r is None:
            rows.append(f"<tr>{name}<td colspan='5'>no route: {_e(res.reason or '')}</td></tr>")
            continue

        def cell(value: float, digits: int, key: str, delta: dict[str, float] | None = delta, res: Any = res) -> str:
            text = f"{value:,.{digits}f}"
            if delta is not None and res is not first:
                text += f" <span class='delta'>({delta[key]:+,.{digits}f})</span>"
            return f"<td class='num'>{text}</td>"

        crossings = ", ".join(G.nodes[c]["name"] if c in G else c for c in r.border_crossings) or "none"
        rows.append(
            f"<tr>{name}{cell(r.total_km, 0, 'km')}{cell(r.total_hours, 1, 'hours')}"
            f"<td class='num'>{r.total_days:,.1f}</td>{cell(r.total_cost_usd, 1, 'cost_usd')}"
            f"<td>{_e(crossings)}</td></tr>"
        )
        coords = [pt for leg in r.legs for pt in leg.coords]
        lines.append((coords, colour, max(1.5, 5.0 - 1.2 * i), None))
    o, d = G.nodes[comp.origin], G.nodes[comp.destination]
    points = [(o["x"], o["y"], "#222", 3.5, o["name"]), (d["x"], d["y"], "#222", 3.5, d["name"])]
    how = f"shortest by {comp.by}"
    if h.options.get("modes"):
        how += f", {' and '.join(h.options['modes'])} only"
    label = f"Sketch of the routes from {o['name']} to {d['name']} under {', '.join(r.name for r in comp.results)}"
    sketch = sketch_svg(lines, points, context=_context_lines(G), label=label)
    map_name, brief_name = h.files
    return (
        f"<section class='q' id='{_e(h.slug)}'><h2>{_e(h.question)}</h2>"
        f"<p class='how'>{_e(o['name'])} ({_e(o['country'])}) → {_e(d['name'])} ({_e(d['country'])}) · "
        f"{_e(how)}</p><div class='row'>"
        f"<figure class='sketch'>{sketch}<figcaption>The best route under each scenario, in the colours of "
        "the table (wider lines first, so shared stretches show as stripes).</figcaption></figure>"
        "<div class='facts'><table class='comparison'><thead><tr><th>scenario</th><th class='num'>km</th>"
        "<th class='num'>hours</th><th class='num'>days</th><th class='num'>USD/t</th><th>border crossings</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p class='small'>Changes in brackets are against {_e(first.name)}.</p>"
        f"<p class='links'><a href='{_e(map_name)}'>Map</a><a href='{_e(brief_name)}'>Brief</a></p>"
        "</div></div></section>"
    )


_ANALYSIS_QUESTIONS = {
    "criticality.html": "Which single link or border crossing would hurt most if it were lost?",
    "ports.html": "Which seaport serves each inland city, and which cities switch port if Afghanistan closes?",
    "appraisal.html": "Which proposed or unfinished project is worth most?",
}


def _analysis_sections(G: nx.MultiGraph, gallery: OutputFolder, written: list[Path]) -> list[str]:
    """Write the network-wide analysis maps of the gallery; return their front-page sections."""
    from routes.analysis_maps import appraisal_map, catchment_map, criticality_map  # noqa: PLC0415
    from routes.appraisal import appraise  # noqa: PLC0415
    from routes.catchment import port_catchment  # noqa: PLC0415
    from routes.critical_links import criticality  # noqa: PLC0415
    from routes.maps import render_html  # noqa: PLC0415

    c = criticality(G)
    written.append(gallery.write("criticality.html", render_html(criticality_map(c, G))))
    t = port_catchment(G, ["baseline", "afghanistan-closed"], by="distance")
    written.append(gallery.write("ports.html", render_html(catchment_map(t, G))))
    a = appraise(G, by="cost")
    written.append(gallery.write("appraisal.html", render_html(appraisal_map(a, G))))
    return [_criticality_section(G, c), _ports_section(G, t), _appraisal_section(G, a)]


def _analysis_section(name: str, how: str, sketch: str, caption: str, table: str, text: str) -> str:
    return (
        f"<section class='q' id='{_e(name[:-5])}'><h2>{_e(_ANALYSIS_QUESTIONS[name])}</h2>"
        f"<p class='how'>{_e(how)}</p><div class='row'>"
        f"<figure class='sketch'>{sketch}<figcaption>{_e(caption)}</figcaption></figure>"
        f"<div class='facts'><p>{_e(text)}</p>{table}"
        f"<p class='links'><a href='{_e(name)}'>Map</a></p></div></div></section>"
    )


def _table(head: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]]) -> str:
    """A table of already escaped cells; ``head`` is (title, numeric) per column."""
    ths = "".join(f"<th class='num'>{_e(t)}</th>" if num else f"<th>{_e(t)}</th>" for t, num in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{cell}</td>" if num else f"<td>{cell}</td>"
            for cell, (_, num) in zip(row, head, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table class='analysis'><thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table>"


def _criticality_section(G: nx.MultiGraph, c: pd.DataFrame) -> str:
    top = [{str(k): v for k, v in r.items()} for r in c.head(10).to_dict("records")]
    edges = {k: d for _, _, k, d in G.edges(keys=True, data=True)}
    lines: list[tuple[Sequence[tuple[float, float]], str, float, str | None]] = []
    points: list[tuple[float, float, str, float, str]] = []
    for r in top:
        if r["type"] == "link" and r["element"] in edges:
            d = edges[r["element"]]
            lines.append((d["coords"], "#b10026", 3.5, None))
            x, y = d["coords"][len(d["coords"]) // 2]
            points.append((x, y, "#b10026", 0.0, str(r["rank"])))
        elif r["element"] in G:
            n = G.nodes[r["element"]]
            points.append((n["x"], n["y"], "#b10026", 3.5, str(r["rank"])))
    rows = [
        [
            str(int(r["rank"])),
            _e(r["name"]),
            _e(r["type"]),
            _e(r["countries"]),
            f"{int(r['pairs_lengthened']):,}",
            f"{int(r['pairs_disconnected']):,}",
            f"{r['added_km_total']:,.0f}",
        ]
        for r in top
    ]
    table = _table(
        [("#", True), ("element", False), ("type", False), ("countries", False), ("longer", True), ("cut", True),
         ("+km", True)],
        rows,
    )  # fmt: skip
    scenario = c.attrs.get("scenario", "baseline")
    by = c.attrs.get("by", "distance")
    return _analysis_section(
        "criticality.html",
        f"n-1 criticality · {scenario} · routes by {by} · the main hubs",
        sketch_svg(lines, points, context=_context_lines(G), label="The ten most critical links and crossings"),
        "The ten most critical elements, numbered by rank.",
        table,
        "Every link and border crossing taken away in turn; “longer” and “cut” count the hub pairs whose best "
        "route gets longer or is cut, +km sums the detours over the pairs still connected.",
    )


#: How many of the cities that switch port the front page lists (the map shows them all).
_PORT_ROWS = 12


def _ports_section(G: nx.MultiGraph, t: pd.DataFrame) -> str:
    from routes.analysis_maps import PORT_COLOURS  # noqa: PLC0415
    from routes.schema import REGION_BOX  # noqa: PLC0415

    scenarios = list(dict.fromkeys(t["scenario"]))
    last = scenarios[-1]
    ports = [p for p, d in G.nodes(data=True) if d.get("kind") == "seaport"]
    colour = {p: PORT_COLOURS[i % len(PORT_COLOURS)] for i, p in enumerate(ports)}
    rows_last = [{str(k): v for k, v in r.items()} for r in t[t["scenario"] == last].to_dict("records")]
    first = {
        r["city"]: r
        for r in ({str(k): v for k, v in x.items()} for x in t[t["scenario"] == scenarios[0]].to_dict("records"))
    }
    points: list[tuple[float, float, str, float, str]] = []
    for r in rows_last:
        best = r["best_port"] if isinstance(r["best_port"], str) else ""
        n = G.nodes[r["city"]]
        points.append((n["x"], n["y"], colour.get(best, "#000"), 3.5 if r["switches"] or r["cut_off"] else 2.0, ""))
    x0, y0, x1, y1 = REGION_BOX
    region = [p for p in ports if x0 <= G.nodes[p]["x"] <= x1 and y0 <= G.nodes[p]["y"] <= y1]
    points.extend((G.nodes[p]["x"], G.nodes[p]["y"], colour[p], 5.0, G.nodes[p]["name"]) for p in region)

    def port(r: dict[str, Any]) -> str:
        best = r["best_port"] if isinstance(r["best_port"], str) else ""
        if not best:
            return "no port"
        sw = f"<span class='sw' style='border-top-color:{colour.get(best, '#000')}'></span>"
        return f"{sw}{_e(r['best_port_name'])} ({r['best_km']:,.0f} km)"

    changed = [r for r in rows_last if r["switches"] or r["cut_off"]]
    rows = [
        [_e(r["city_name"]), _e(r["country"]), port(first[r["city"]]), port(r)]
        for r in changed[:_PORT_ROWS]
        if r["city"] in first
    ]
    table = _table([("city", False), ("country", False), (scenarios[0], False), (last, False)], rows)
    if len(changed) > _PORT_ROWS:
        table += f"<p class='small'>… and {len(changed) - _PORT_ROWS} more: see the map.</p>"
    return _analysis_section(
        "ports.html",
        f"best seaport by {t.attrs.get('by', 'distance')} · {' against '.join(scenarios)}",
        sketch_svg(
            [], points, context=_context_lines(G), box=_fit_box([p[:2] for p in points]), label=f"Best port, {last}"
        ),
        f"Cities coloured by their best seaport under {last}; larger dots switch port or are cut off.",
        table,
        f"{len(changed)} of {len(rows_last)} inland cities switch port or are cut off under {last}:",
    )


def _appraisal_section(G: nx.MultiGraph, a: pd.DataFrame) -> str:
    records = [{str(k): v for k, v in r.items()} for r in a.to_dict("records")]
    rank = {str(r["project"]): int(r["rank"]) for r in records}
    lines: list[tuple[Sequence[tuple[float, float]], str, float, str | None]] = []
    for _, _, d in G.edges(data=True):
        n = rank.get(d["corridor"])
        if n is None or d["status"] == "operational" or d["mode"] not in ("road", "rail"):
            continue
        colour = "#b10026" if n <= 3 else "#fc4e2a" if n <= 6 else "#feb24c" if n <= 10 else "#888"
        lines.append((d["coords"], colour, 3.0, "4 3"))
    by = a.attrs.get("by", "cost")
    rows = [
        [
            str(int(r["rank"])),
            _e(r["project"]),
            _e(str(r["status"]).replace("_", " ")),
            f"{r['new_km']:,.0f}",
            f"{r['alone_hours_saved']:,.1f}",
            f"{r['alone_cost_usd_per_t_saved']:,.1f}",
        ]
        for r in records[:10]
    ]
    table = _table(
        [("#", True), ("project", False), ("status", False), ("new km", True), ("h saved", True),
         ("USD/t saved", True)],
        rows,
    )  # fmt: skip
    return _analysis_section(
        "appraisal.html",
        f"project appraisal · {a.attrs.get('scenario', 'baseline')} · routes by {by} · the main hubs",
        sketch_svg(lines, [], context=_context_lines(G), label="The unbuilt links of the appraised projects"),
        "The unbuilt links of each project, darker for a higher rank.",
        table,
        "Each project built alone on today's network: what it saves summed over the hub pairs.",
    )


# ---------------------------------------------------------------------------------------
# Sketches: routes over country outlines, as small static SVG.

_MODE_COLOURS = {"road": "#b2182b", "rail": "#2166ac", "sea": "#1b7837", "air": "#6a3d9a"}
SKETCH_WIDTH = 360


@cache
def _countries() -> tuple[tuple[str, tuple[float, float], tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """The basemap's countries: name, label point, rings."""
    import json  # noqa: PLC0415

    from routes.basemap import basemap_geojson  # noqa: PLC0415

    out = []
    for f in json.loads(basemap_geojson())["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        rings = tuple(tuple((float(x), float(y)) for x, y in ring) for poly in polys for ring in poly)
        label = f["properties"].get("label") or rings[0][0]
        out.append((str(f["properties"].get("name", "")), (float(label[0]), float(label[1])), rings))
    return tuple(out)


def _context_lines(G: nx.MultiGraph) -> list[Sequence[tuple[float, float]]]:
    return [d["coords"] for _, _, d in G.edges(data=True) if d["mode"] in ("road", "rail")]


class _Projection:
    """Equirectangular, shrunk by the cosine of the middle latitude, onto a fixed width."""

    def __init__(self, box: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = box
        self.k = math.cos(math.radians((y0 + y1) / 2))
        self.x0, self.y1 = x0, y1
        self.scale = SKETCH_WIDTH / ((x1 - x0) * self.k)
        self.height = round((y1 - y0) * self.scale)

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.x0) * self.k * self.scale, (self.y1 - y) * self.scale


def _fit_box(pts: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """A box around the points with a margin, between 0.5 and 1.2 times as high as wide."""
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    pad = max(x1 - x0, y1 - y0, 2.0) * 0.08
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    k = math.cos(math.radians((y0 + y1) / 2))
    w, h = (x1 - x0) * k, y1 - y0
    if h < 0.5 * w:
        grow = (0.5 * w - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    elif h > 1.2 * w:
        grow = (h / 1.2 - w) / k / 2
        x0, x1 = x0 - grow, x1 + grow
    return x0, y0, x1, y1


def _clip_ring(ring: list[tuple[float, float]], w: float, h: float, m: float) -> list[tuple[float, float]]:
    """Clip a closed ring to the box (-m, -m, w + m, h + m) (Sutherland–Hodgman)."""
    edges = ((0, -m, 1), (0, w + m, -1), (1, -m, 1), (1, h + m, -1))
    out = ring
    for axis, limit, sign in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            cur_in = (cur[axis] - limit) * sign >= 0
            prev_in = (prev[axis] - limit) * sign >= 0
            if cur_in != prev_in:
                t = (limit - prev[axis]) / (cur[axis] - prev[axis])
                cut = (prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1]))
                out.append(cut)
            if cur_in:
                out.append(cur)
            prev = cur
    return out


def _d(points: Sequence[tuple[float, float]], *, step: float, digits: int, closed: bool = False) -> str:
    """SVG path data for projected points, dropping points closer than ``step`` to the last kept."""
    out: list[tuple[float, float]] = []
    for px, py in points:
        if out and abs(px - out[-1][0]) < step and abs(py - out[-1][1]) < step:
            continue
        out.append((px, py))
    if not closed and out and out[-1] != points[-1]:
        out.append(points[-1])
    if len(out) < (3 if closed else 2):
        return ""
    d = "M" + "L".join(f"{x:.{digits}f},{y:.{digits}f}" for x, y in out)
    return d + ("Z" if closed else "")


def _line_d(coords: Sequence[tuple[float, float]], proj: _Projection, *, step: float, digits: int) -> str:
    """Path data of a line, in runs that leave out what lies well outside the sketch."""
    m = 20.0
    pts = [proj(x, y) for x, y in coords]
    inside = [-m <= x <= SKETCH_WIDTH + m and -m <= y <= proj.height + m for x, y in pts]
    runs: list[list[tuple[float, float]]] = [[]]
    for i, pt in enumerate(pts):
        near = inside[i] or (i > 0 and inside[i - 1]) or (i + 1 < len(pts) and inside[i + 1])
        if near:
            runs[-1].append(pt)
        elif runs[-1]:
            runs.append([])
    return "".join(_d(run, step=step, digits=digits) for run in runs if len(run) > 1)


def sketch_svg(
    lines: Sequence[tuple[Sequence[tuple[float, float]], str, float, str | None]],
    points: Sequence[tuple[float, float, str, float, str]],
    *,
    label: str,
    context: Sequence[Sequence[tuple[float, float]]] = (),
    box: tuple[float, float, float, float] | None = None,
) -> str:
    """Return a small static map as inline SVG: lines and points over the country outlines.

    Parameters
    ----------
    lines : sequence of (coords, colour, width, dash)
        Lines to draw, first drawn first; ``coords`` in lon/lat, ``width`` in SVG units
        (the sketch is `SKETCH_WIDTH` wide), ``dash`` an SVG dash array or None.
    points : sequence of (lon, lat, colour, radius, label)
        Dots (radius 0 draws only the label), drawn over the lines.
    label : str
        What the sketch shows, for readers of the page without sight of it.
    context : sequence of coords, optional
        Lines drawn faintly under everything (e.g. the network).
    box : (west, south, east, north), optional
        What to show; by default the lines and points with a margin.

    Returns
    -------
    str
        An ``<svg>`` element: no script, no external reference, text escaped.
    """
    from routes.basemap import BASEMAP_BBOX  # noqa: PLC0415

    pts = [pt for coords, *_ in lines for pt in coords] + [(p[0], p[1]) for p in points]
    box = box or _fit_box(pts or [(60.0, 25.0), (80.0, 45.0)])
    proj = _Projection(box)
    w, h = SKETCH_WIDTH, proj.height
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}' width='{w}' height='{h}' role='img' "
        f"aria-label='{_e(label)}'><title>{_e(label)}</title><rect width='{w}' height='{h}' fill='#fff'/>"
    ]

    shapes = []
    names = []
    taken: list[tuple[float, float, float, float]] = []
    for name, (lx, ly), rings in _countries():
        clipped = [_clip_ring([proj(x, y) for x, y in r], w, h, 4.0) for r in rings]
        d = "".join(_d(r, step=1.5, digits=0, closed=True) for r in clipped)
        if not d:
            continue
        shapes.append(d)
        # A name only where the country is large enough on the sketch to hold it, and clear
        # of the names already placed: small sketches of wide areas stay readable.
        px, py = proj(lx, ly)
        half = 2.6 * len(name)
        spread = max((max(x for x, _ in r) - min(x for x, _ in r), max(y for _, y in r) - min(y for _, y in r))
                     for r in clipped if r)  # fmt: skip
        rect = (px - half, py - 9, px + half, py + 2)
        if (
            spread[0] >= 2 * half + 6
            and spread[1] >= 16
            and rect[0] > 2
            and rect[2] < w - 2
            and rect[1] > 2
            and rect[3] < h - 2
            and not any(rect[0] < t[2] and t[0] < rect[2] and rect[1] < t[3] and t[1] < rect[3] for t in taken)
        ):
            taken.append(rect)
            names.append(f"<text x='{px:.0f}' y='{py:.0f}'>{_e(name)}</text>")
    parts.append(f"<path fill='#f2efe9' stroke='#a393bf' stroke-width='.7' d='{''.join(shapes)}'/>")
    parts.append(
        "<g font-family='sans-serif' font-size='9' font-style='italic' fill='#8a7fa3' text-anchor='middle'>"
        + "".join(names)
        + "</g>"
    )
    if context:
        ctx = "".join(_line_d(c, proj, step=2.0, digits=0) for c in context)
        parts.append(f"<path fill='none' stroke='#999' stroke-width='.6' stroke-opacity='.6' d='{ctx}'/>")
    # Lines of one style go into one path, in the order their style first appears.
    styles: dict[tuple[str, float, str | None], list[str]] = {}
    for coords, colour, width, dash in lines:
        styles.setdefault((colour, width, dash), []).append(_line_d(coords, proj, step=1.0, digits=1))
    for (colour, width, dash), ds in styles.items():
        dash_attr = f" stroke-dasharray='{_e(dash)}'" if dash else ""
        parts.append(
            f"<path fill='none' stroke='{_e(colour)}' stroke-width='{width:g}' stroke-linejoin='round' "
            f"stroke-linecap='round' stroke-opacity='.9'{dash_attr} d='{''.join(ds)}'/>"
        )
    labels = []
    for x, y, colour, radius, text in points:
        px, py = proj(x, y)
        if radius > 0:
            parts.append(
                f"<circle cx='{px:.1f}' cy='{py:.1f}' r='{radius:g}' fill='{_e(colour)}' stroke='#fff' "
                "stroke-width='.8'/>"
            )
        if text:
            right = px < w - 70
            anchor = "start" if right else "end"
            dx = radius + 3 if right else -(radius + 3)
            labels.append(f"<text x='{px + dx:.1f}' y='{py + 3:.1f}' text-anchor='{anchor}'>{_e(text)}</text>")
    if labels:
        parts.append(
            "<g font-family='sans-serif' font-size='10' font-weight='bold' fill='#222' stroke='#fff' "
            "stroke-width='2.5' paint-order='stroke'>" + "".join(labels) + "</g>"
        )
    if box[0] < BASEMAP_BBOX[0] or box[1] < BASEMAP_BBOX[1] or box[2] > BASEMAP_BBOX[2] or box[3] > BASEMAP_BBOX[3]:
        parts.append(
            f"<text x='4' y='{h - 4}' font-family='sans-serif' font-size='8' fill='#777'>"
            "Country outlines cover the region only</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
