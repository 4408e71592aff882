"""Folium maps of the network, of routes and of scenario comparisons.

The functions here return a ``folium.Map`` and never write files; `save_map` and
`routes.gallery.write_gallery` (and the command line) write, through `routes.io`'s safe writers.
Every text that comes from data is escaped in Python before it reaches the page, and the
page's data travel as JSON that `script_json` makes safe inside ``<script>``: a
place named ``<img src=x onerror=alert(1)>`` shows that text and runs nothing.

Output is deterministic: element ids are numbered in order instead of random, so the
same data give the same bytes (the committed gallery in ``maps/`` relies on it).
"""

from __future__ import annotations

import base64
import functools
import html
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from routes import costs
from routes.results import Leg, Route, months_text
from routes.schema import REGION_BOX

STATIC = Path(__file__).resolve().parent / "static"

if TYPE_CHECKING:
    import folium

    from routes.analysis import Comparison

__all__ = ["comparison_map", "network_map", "route_map", "save_map", "script_json"]

MODE_COLOURS = {"road": "#b2182b", "rail": "#2166ac", "sea": "#1b7837", "air": "#6a3d9a"}
MODE_NAMES = {"road": "Roads", "rail": "Railways", "sea": "Sea lanes", "air": "Flights"}
#: Layer statuses in drawing order; "suspended" is a scheduled air service not flying today.
LAYER_STATUSES = ("operational", "under_construction", "planned", "suspended")
STATUS_DASH = {
    "operational": None,
    "under_construction": "10 6",
    "planned": "2 6",
    "proposed": "2 6",
    "suspended": "2 6",
}
STATUS_LABEL = {
    "operational": "operational",
    "under_construction": "under construction",
    "planned": "planned or proposed",
    "proposed": "planned or proposed",
    "suspended": "suspended service",
}
KIND_MARKERS = {
    # kind: (symbol, colour, legend label)
    "seaport": ("⚓", "#08519c", "seaport"),
    "airport": ("✈", "#6a3d9a", "airport"),
    "passage": ("⧗", "#1b7837", "sea passage (chokepoint)"),
    "dry_port": ("▣", "#0a7f7f", "dry port"),
    "crossing": ("◆", "#d7301f", "border crossing"),
    "pass": ("▲", "#7f4f24", "mountain pass"),
    "tunnel": ("◗", "#6a51a3", "tunnel"),
    "rail_terminal": ("■", "#2166ac", "rail terminal"),
    "junction": ("•", "#525252", "junction"),
    "city": ("●", "#252525", "city or town"),
}
KIND_LAYERS = (
    ("Cities and towns", ("city", "junction")),
    ("Ports and terminals", ("seaport", "dry_port", "rail_terminal")),
    ("Airports", ("airport",)),
    ("Sea passages", ("passage",)),
    ("Border crossings", ("crossing",)),
    ("Passes and tunnels", ("pass", "tunnel")),
)
ROUTE_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
ENERGY_COLOURS = {"power_line": "#ff7f00", "gas_pipeline": "#984ea3", "oil_pipeline": "#4d4d4d"}

_CSS = """
<style>
.leaflet-container{background:#cfe3ef;}
.rt-country{font:italic 13px sans-serif;color:#6d5f86;white-space:nowrap;transform:translate(-50%,-50%);
  text-shadow:0 0 3px #f2efe9,0 0 3px #f2efe9;}
.rt-m{font:bold 14px/14px sans-serif;text-align:center;text-shadow:0 0 2px #fff,0 0 2px #fff;}
.rt-label{font:11px sans-serif;background:rgba(255,255,255,.85);border:0;box-shadow:none;padding:0 3px;}
.rt-box{position:fixed;z-index:9999;background:#fff;border:1px solid #999;border-radius:4px;
  padding:6px 8px;font:12px/1.35 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:560px;}
.rt-box table{border-collapse:collapse;} .rt-box td,.rt-box th{padding:1px 6px;text-align:left;}
.rt-box .num{text-align:right;}
.rt-sw{display:inline-block;width:22px;height:0;border-top:3px solid;vertical-align:middle;}
.rt-pop{font:12px/1.35 sans-serif;max-width:420px;} .rt-pop h4{margin:0 0 4px;font-size:13px;}
.rt-pop table{border-collapse:collapse;} .rt-pop td{padding:0 6px 0 0;vertical-align:top;}
.rt-pop blockquote{margin:2px 0 4px 8px;padding-left:6px;border-left:3px solid #ccc;font-style:italic;}
@media print{.leaflet-control-layers,.leaflet-control-zoom{display:none;}}
</style>
"""

_ON_EACH = """function(feature, layer) {
    var p = feature.properties;
    if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 440, maxHeight: 380}); }
    if (p.label) {
        layer.bindTooltip(p.label, {permanent: true, direction: 'right', className: 'rt-label'});
    } else if (p.tooltip) {
        layer.bindTooltip(p.tooltip);
    }
}"""

_POINT_TO_LAYER = """function(feature, latlng) {
    var p = feature.properties;
    var icon = L.divIcon({className: 'rt-m rt-' + p.kind, html: p.icon, iconSize: [16, 16], iconAnchor: [8, 8]});
    return L.marker(latlng, {icon: icon, title: p.title});
}"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _num(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _round_coords(coords: Iterable[tuple[float, float]]) -> list[list[float]]:
    # ~10 m at these latitudes: plenty for display, and it keeps the page small.
    out: list[list[float]] = []
    for x, y in coords:
        pt = [round(x, 4), round(y, 4)]
        if not out or out[-1] != pt:
            out.append(pt)
    return out


def _line_geometry(coords: Iterable[tuple[float, float]]) -> dict[str, Any]:
    """A GeoJSON line that never wraps the globe: split where it crosses the antimeridian.

    A lane from 179°E to 179°W is two lines, one ending at 180°E and one starting at 180°W
    (at the latitude interpolated between the two points), not one line across every meridian.
    """
    parts: list[list[list[float]]] = [[]]
    prev: list[float] | None = None
    for pt in _round_coords(coords):
        if prev is not None and abs(pt[0] - prev[0]) > 180:
            side = 180.0 if prev[0] > 0 else -180.0
            span = (pt[0] + 360 * (1 if side > 0 else -1)) - prev[0]
            lat = prev[1] + (pt[1] - prev[1]) * (side - prev[0]) / span if span else pt[1]
            parts[-1].append([side, round(lat, 4)])
            parts.append([[-side, round(lat, 4)]])
        parts[-1].append(pt)
        prev = pt
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def _sources_html(G: nx.MultiGraph, cites: Iterable[dict[str, Any]]) -> str:
    bib: dict[str, dict[str, Any]] = G.graph.get("sources", {})
    items = []
    for c in cites:
        entry = bib.get(c["id"], {})
        title = entry.get("title", c["id"])
        who = entry.get("publisher") or entry.get("author") or ""
        url = str(entry.get("url", ""))
        label = _e(title)
        if url.startswith(("http://", "https://")):
            label = f'<a href="{_e(url)}" target="_blank" rel="noopener">{label}</a>'
        extra = ", ".join(_e(x) for x in (who, entry.get("date", "")) if x)
        what = ""
        if c.get("fields"):
            what = f" <i>({_e(', '.join(c['fields']) if isinstance(c['fields'], list) else c['fields'])})</i>"
        note = f"<br>{_e(c['note'])}" if c.get("note") else ""
        quote = f"<blockquote>“{_e(' '.join(str(c['quote']).split()))}”</blockquote>" if c.get("quote") else ""
        items.append(f"<li>{label}{' — ' + extra if extra else ''}{what}{note}{quote}</li>")
    return "<b>Sources</b><ul style='margin:2px 0 0 16px;padding:0'>" + "".join(items) + "</ul>" if items else ""


def _rows(pairs: Sequence[tuple[str, Any]]) -> str:
    return (
        "<table>"
        + "".join(f"<tr><td><b>{_e(k)}</b></td><td>{_e(v)}</td></tr>" for k, v in pairs if v not in (None, "", ()))
        + "</table>"
    )


def _crossing_dwell(G: nx.MultiGraph, pid: str, d: dict[str, Any]) -> list[tuple[str, str]]:
    border = d.get("border")
    if not border:
        return []
    try:
        rules = costs.Rules.from_dict(G.graph.get("rules", {}))
    except Exception:  # noqa: BLE001 - a map of odd data still shows what it can
        return []
    out = []
    for a, b in ((border[0], border[1]), (border[1], border[0])):
        try:
            h1, c1, b1, _ = costs.border_post(pid, d, "exit", a, "road", rules)
            h2, c2, b2, _ = costs.border_post(pid, d, "entry", b, "road", rules)
        except costs.RuleMissingError:
            continue
        out.append((f"{a} → {b} (road)", f"{h1 + h2:,.1f} h, {c1 + c2:,.1f} USD/t ({b1}; {b2})"))
    return out


def _place_popup(G: nx.MultiGraph, pid: str, d: dict[str, Any]) -> str:
    season = None
    if d.get("open_months"):
        season = f"{months_text(d['open_months'])}" + (f" — {d['season_note']}" if d.get("season_note") else "")
    pairs: list[tuple[str, Any]] = [
        ("id", pid),
        ("kind", d["kind"].replace("_", " ")),
        ("country", d["country"]),
        ("border", " / ".join(d["border"]) if d.get("border") else None),
        ("also called", ", ".join(d.get("aliases", ()))),
        ("elevation", f"{_num(d.get('elevation_m'))} m" if d.get("elevation_m") is not None else None),
        ("open", season),
        ("status", d.get("status") if d.get("status") != "operational" else None),
        ("region", d.get("region")),
        ("programmes", ", ".join(d.get("systems", ()))),
    ]
    pairs += _crossing_dwell(G, pid, d)
    note = f"<p>{_e(d['note'])}</p>" if d.get("note") else ""
    cites = list(d.get("sources", ()))
    for rec in d.get("dwell", ()):
        cites.extend(rec.get("sources", ()))
    return f"<div class='rt-pop'><h4>{_e(d['name'])}</h4>{_rows(pairs)}{note}{_sources_html(G, cites)}</div>"


def _link_popup(G: nx.MultiGraph, k: str, d: dict[str, Any]) -> str:
    status = d["status"].replace("_", " ") + (f" ({d['status_year']})" if d.get("status_year") else "")
    length = f"{d['length_km']:,.1f} km" + (" (estimate)" if d.get("length_basis") == "estimate" else "")
    pairs: list[tuple[str, Any]] = [
        ("id", k),
        ("corridor", d["corridor"]),
        ("mode", d["mode"]),
        ("status", status),
        ("length", length),
        ("estimated by", d.get("length_method")),
        ("class", (d.get("road_class") or "").replace("_", " ") or None),
        ("gauge", f"{d['gauge_mm']} mm" if d.get("gauge_mm") else None),
        ("speed", f"{d['speed_kmh']:,.0f} km/h ({d.get('speed_basis')})" if d.get("speed_kmh") else None),
        ("travel time", f"{d['time_h']:,.1f} h" if d.get("time_h") is not None else None),
        ("cost", f"{d['cost_usd']:,.1f} USD/t" if d.get("cost_usd") is not None else None),
        ("highest point", f"{_num(d.get('max_elevation_m'))} m"),
        (
            "open",
            months_text(d["open_months"]) + (f" — {d['season_note']}" if d.get("season_note") else "")
            if d.get("open_months")
            else None,
        ),
        ("countries", ", ".join(d.get("countries", ()))),
        ("programmes", ", ".join(d.get("systems", ()))),
        ("region", d.get("region")),
    ]
    note = f"<p>{_e(d['note'])}</p>" if d.get("note") else ""
    sources = _sources_html(G, d.get("sources", ()))
    return f"<div class='rt-pop'><h4>{_e(d['name'])}</h4>{_rows(pairs)}{note}{sources}</div>"


def _place_label(d: dict[str, Any]) -> str | None:
    if d["kind"] not in ("pass", "tunnel"):
        return None
    parts = [d["name"]]
    if d.get("elevation_m") is not None:
        parts.append(f"{d['elevation_m']:,.0f} m")
    parts.append(months_text(d["open_months"]) if d.get("open_months") else "all year")
    return _e(" · ".join(parts))


def _place_tooltip(G: nx.MultiGraph, pid: str, d: dict[str, Any]) -> str:
    text = f"{d['name']} ({d['country']}, {d['kind'].replace('_', ' ')})"
    dwell = _crossing_dwell(G, pid, d)
    if dwell:
        text += " — " + "; ".join(f"{k.split(' (')[0]}: {v.split(' (')[0]}" for k, v in dwell)
    return _e(text)


def _place_feature(G: nx.MultiGraph, pid: str, d: dict[str, Any]) -> dict[str, Any]:
    symbol, colour, _ = KIND_MARKERS.get(d["kind"], KIND_MARKERS["city"])
    props = {
        "kind": d["kind"],
        "icon": f"<span style='color:{colour}'>{symbol}</span>",
        "title": d["name"],
        "popup": _place_popup(G, pid, d),
        "tooltip": _place_tooltip(G, pid, d),
    }
    label = _place_label(d)
    if label:
        props["label"] = label
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(d["x"], 5), round(d["y"], 5)]},
        "properties": props,
    }


def _line_style(
    mode: str, status: str, *, weight: float = 3, colour: str | None = None, opacity: float = 0.85
) -> dict[str, Any]:
    style: dict[str, Any] = {"color": colour or MODE_COLOURS.get(mode, "#333"), "weight": weight, "opacity": opacity}
    dash = STATUS_DASH.get(status)
    if dash:
        style["dashArray"] = dash
    return style


def script_json(value: Any) -> str:
    """Return ``value`` as compact JSON that is safe inside an HTML ``<script>`` element.

    Jinja's ``tojson`` escapes every ``<``, ``>``, ``&`` and ``'`` and every non-ASCII
    character; for popups that are mostly HTML that made up a third of the network map.
    Inside a script element only ``<`` matters (a script ends at ``</script`` and ``<!--``
    changes how it is parsed), so only ``<`` is escaped, as a JSON unicode escape; JSON has no
    ``<`` outside a string, so the result is still valid JSON and JavaScript. A place named
    ``</script><script>alert(1)</script>`` stays one string.
    """
    import json  # noqa: PLC0415

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c")


_GEOJSON_JS = """
{% macro script(this, kwargs) %}
    var {{ this.get_name() }} = L.geoJson(null, {
        {%- if this.point_to_layer %}
        pointToLayer: {{ this.point_to_layer }},
        {%- endif %}
        {%- if this.on_each_feature %}
        onEachFeature: {{ this.on_each_feature }},
        {%- endif %}
        {%- if not this.interactive %}
        interactive: false,
        {%- endif %}
        style: function (feature) { return feature.properties.style; }
    });
    {{ this.get_name() }}.addData({{ this.data_js }});
{% endmacro %}
"""


def _geojson_layer(
    features: list[dict[str, Any]],
    name: str,
    *,
    show: bool = True,
    points: bool = False,
    interactive: bool = True,
) -> Any:
    """A GeoJSON overlay whose features style themselves (``properties.style``).

    Popups and tooltips come from ``properties.popup``/``tooltip``/``label`` (HTML escaped
    in Python), points are drawn as symbols (``properties.icon``). The data are embedded
    with `script_json`, which keeps the pages small.
    """
    from folium.map import Layer  # noqa: PLC0415
    from jinja2 import Template  # noqa: PLC0415

    layer = Layer(name=name, overlay=True, control=True, show=show)
    layer._name = "GeoJson"
    layer._template = Template(_GEOJSON_JS)
    layer.data_js = script_json({"type": "FeatureCollection", "features": features})  # type: ignore[attr-defined]
    layer.point_to_layer = _POINT_TO_LAYER if points else None  # type: ignore[attr-defined]
    layer.on_each_feature = _ON_EACH if interactive else None  # type: ignore[attr-defined]
    layer.interactive = interactive  # type: ignore[attr-defined]
    return layer


def _new_map(G: nx.MultiGraph, title: str) -> folium.Map:
    """An empty map that works offline: Leaflet inlined, country outlines as the base layer.

    The page makes no request of its own: Leaflet's script and style are inlined from
    ``routes/static/leaflet`` (folium's CDN links are dropped, with the Bootstrap, jQuery and
    Font Awesome links these maps do not use), and the base layer is the shipped basemap
    (`routes.basemap`). OpenStreetMap tiles stay available as a second base layer for when
    the page is online.
    """
    import folium  # noqa: PLC0415

    xs = [d["x"] for _, d in G.nodes(data=True)] or [68.0]
    ys = [d["y"] for _, d in G.nodes(data=True)] or [35.0]
    m = folium.Map(
        location=[round((min(ys) + max(ys)) / 2, 3), round((min(xs) + max(xs)) / 2, 3)],
        zoom_start=5,
        zoom_snap=0.25,
        tiles=None,
        control_scale=True,
    )
    m.default_js = []
    m.default_css = []
    root: Any = m.get_root()  # a branca Figure
    root.header.add_child(folium.Element(_offline_assets()))
    root.header.add_child(folium.Element(_CSS))
    root.header.add_child(folium.Element(f"<title>{_e(title)}</title>"))
    _basemap_layer().add_to(m)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=False, show=False).add_to(m)
    return m


@functools.cache
def _offline_assets() -> str:
    """Leaflet's style and script, inlined; the style's images as data: URLs."""
    folder = STATIC / "leaflet"
    css = (folder / "leaflet.css").read_text(encoding="utf-8")
    for name in ("layers.png", "layers-2x.png", "marker-icon.png"):
        data = base64.b64encode((folder / "images" / name).read_bytes()).decode("ascii")
        css = css.replace(f"url(images/{name})", f"url(data:image/png;base64,{data})")
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    # A script element ends at the first "</script"; Leaflet has none, and this keeps it so.
    js = js.replace("</script", "<\\/script")
    return f"<style>{css}</style>\n<script>{js}</script>"


_BASEMAP_JS = """
{% macro script(this, kwargs) %}
    (function () {
        var map = {{ this._parent.get_name() }};
        ["rt-basemap", "rt-basemap-labels"].forEach(function (name, i) {
            var pane = map.createPane(name);
            pane.style.zIndex = 250 + i * 10;
            pane.style.pointerEvents = "none";
        });
    })();
    var {{ this.get_name() }} = L.featureGroup();
    (function () {
        var data = {{ this.data|tojson }};
        L.geoJSON(data, {
            pane: "rt-basemap", interactive: false,
            attribution: "Country outlines: Natural Earth",
            style: {color: "#a393bf", weight: 1.5, fillColor: "#f2efe9", fillOpacity: 1}
        }).addTo({{ this.get_name() }});
        var map = {{ this._parent.get_name() }}, labels = [];
        data.features.forEach(function (f) {
            var el = document.createElement("span");
            el.textContent = f.properties.name;
            labels.push({el: el, bounds: L.geoJSON(f).getBounds(), px: 6 * f.properties.name.length});
            L.marker([f.properties.label[1], f.properties.label[0]], {
                pane: "rt-basemap-labels", interactive: false, keyboard: false,
                icon: L.divIcon({className: "rt-country", html: el, iconSize: null})
            }).addTo({{ this.get_name() }});
        });
        // A country is named only where it is wide enough on screen for its name, so a
        // map zoomed out to a voyage to Europe is not a pile of names.
        function fit() {
            labels.forEach(function (l) {
                var sw = map.latLngToLayerPoint(l.bounds.getSouthWest());
                var ne = map.latLngToLayerPoint(l.bounds.getNorthEast());
                l.el.style.visibility = (ne.x - sw.x) >= l.px ? "" : "hidden";
            });
        }
        map.on("zoomend", fit);
        map.whenReady(fit);
    })();
{% endmacro %}
"""


def _basemap_layer() -> Any:
    """The country outlines and names, as a base layer drawn under everything else."""
    import json  # noqa: PLC0415

    from folium.map import Layer  # noqa: PLC0415
    from jinja2 import Template  # noqa: PLC0415

    from routes.basemap import basemap_geojson  # noqa: PLC0415

    layer = Layer(name="Countries (offline)", overlay=False, control=True, show=True)
    layer._name = "Basemap"
    layer._template = Template(_BASEMAP_JS)
    layer.data = json.loads(basemap_geojson())  # type: ignore[attr-defined]
    return layer


def _legend_html(kinds: Iterable[str], statuses: Iterable[str], modes: Iterable[str], extra: str = "") -> str:
    rows = []
    for mode in MODE_NAMES:
        if mode not in modes:
            continue
        for status in LAYER_STATUSES:
            if status not in statuses and not (status == "planned" and "proposed" in statuses):
                continue
            if status == "suspended" and mode != "air":
                continue
            dash = STATUS_DASH[status]
            line = "dashed" if status == "under_construction" else "dotted" if dash else "solid"
            style = f"border-top:3px {line} {MODE_COLOURS[mode]}"
            rows.append(
                f"<tr><td><span class='rt-sw' style='{style}'></span></td>"
                f"<td>{_e(mode)}, {_e(STATUS_LABEL[status])}</td></tr>"
            )
    for kind, (symbol, colour, label) in KIND_MARKERS.items():
        if kind in kinds:
            rows.append(
                f"<tr><td style='text-align:center;color:{colour};font-weight:bold'>{symbol}</td>"
                f"<td>{_e(label)}</td></tr>"
            )
    return f"<div class='rt-box' style='bottom:24px;left:10px'><b>Legend</b><table>{''.join(rows)}</table>{extra}</div>"


def _add_box(m: folium.Map, inner_html: str) -> None:
    import folium  # noqa: PLC0415

    root: Any = m.get_root()
    root.html.add_child(folium.Element(inner_html))


def _stabilize(m: folium.Map) -> folium.Map:
    """Number every element's id in tree order so the HTML is the same on every run."""
    counter = 0

    def walk(el: Any) -> None:
        nonlocal counter
        counter += 1
        el._id = f"{counter:08d}"
        for child in el._children.values():
            walk(child)

    root = m.get_root()
    walk(root)

    # Children dicts are keyed by the old names; rebuild them so order and keys match.
    def rekey(el: Any) -> None:
        from collections import OrderedDict  # noqa: PLC0415

        el._children = OrderedDict((c.get_name(), c) for c in el._children.values())
        for c in el._children.values():
            rekey(c)

    rekey(root)
    return m


def _energy_layer(G: nx.MultiGraph) -> Any:
    feats = []
    for feat in G.graph.get("energy", []):
        p = feat.get("properties", {})
        pairs = [
            ("kind", str(p.get("kind", "")).replace("_", " ")),
            ("status", str(p.get("status", "")).replace("_", " ")),
            ("length", f"{p['length_km']:,} km" if p.get("length_km") else None),
            ("capacity", p.get("capacity")),
            ("countries", ", ".join(p.get("countries", []))),
            ("via", ", ".join(p.get("waypoints", []))),
        ]
        cites = [{"id": c} if isinstance(c, str) else c for c in p.get("sources", [])]
        note = f"<p>{_e(p['note'])}</p>" if p.get("note") else ""
        popup = (
            f"<div class='rt-pop'><h4>{_e(p.get('name', ''))}</h4>{_rows(pairs)}{note}{_sources_html(G, cites)}</div>"
        )
        style = {"color": ENERGY_COLOURS.get(p.get("kind", ""), "#ff7f00"), "weight": 4, "opacity": 0.8}
        dash = STATUS_DASH.get(p.get("status", "operational"))
        if dash:
            style["dashArray"] = dash
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": _round_coords(feat["geometry"]["coordinates"])},
                "properties": {"popup": popup, "tooltip": _e(p.get("name", "")), "style": style},
            }
        )
    if not feats:
        return None
    return _geojson_layer(feats, "Energy corridors (CASA-1000, TAPI; not routable)", show=False)


def _network_layers(
    m: folium.Map, G: nx.MultiGraph, *, interactive: bool = True, faded: bool = False
) -> tuple[set[str], set[str], set[str]]:

    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for _, _, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        status = "planned" if d["status"] == "proposed" else d["status"]
        if d.get("service_status") == "suspended":
            status = "suspended"
        style = _line_style(d["mode"], status, weight=2 if faded else 3, opacity=0.35 if faded else 0.85)
        if faded:
            style["color"] = "#777"
        props: dict[str, Any] = {"style": style}
        if interactive:
            props["popup"] = _link_popup(G, k, d)
            props["tooltip"] = _e(d["name"])
        groups.setdefault((d["mode"], status), []).append(
            {
                "type": "Feature",
                "geometry": _line_geometry(d["coords"]),
                "properties": props,
            }
        )
    modes = {mode for mode, _ in groups}
    statuses = {status for _, status in groups}
    if faded:
        feats = [f for fs in groups.values() for f in fs]
        _geojson_layer(feats, "Network (context)", interactive=False).add_to(m)
        return modes, statuses, set()
    for mode, mode_name in MODE_NAMES.items():
        for status in LAYER_STATUSES:
            layer_feats = groups.get((mode, status))
            if layer_feats:
                _geojson_layer(layer_feats, f"{mode_name}: {STATUS_LABEL[status]} ({len(layer_feats)})").add_to(m)
    kinds: set[str] = set()
    for layer_name, layer_kinds in KIND_LAYERS:
        feats = [_place_feature(G, pid, d) for pid, d in sorted(G.nodes(data=True)) if d["kind"] in layer_kinds]
        if feats:
            kinds.update(layer_kinds)
            _geojson_layer(feats, f"{layer_name} ({len(feats)})", points=True).add_to(m)
    return modes, statuses, kinds


def network_map(G: nx.MultiGraph, *, scenario: nx.MultiGraph | None = None, title: str | None = None) -> folium.Map:
    """Return a Folium map of the network.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network` (every link, whatever its status).
    scenario : networkx.MultiGraph, optional
        A graph from `routes.apply_scenario`: the map then shows what that scenario
        leaves usable, with what it closed drawn as closed.
    title : str, optional
        Page title.

    Returns
    -------
    folium.Map
        One layer per mode and status (operational solid, under construction dashed,
        planned or proposed dotted), places by kind with distinct markers, passes
        labelled with elevation and season, crossings with dwell times, popups with
        attributes and sources (seed quotes in full), a legend, a layer control, and the
        energy corridors as a layer that starts hidden.
    """
    import folium  # noqa: PLC0415

    shown = scenario if scenario is not None else G
    name = "+".join(scenario.graph.get("scenario", ())) if scenario is not None else ""
    m = _new_map(G, title or ("Corridor network" + (f" under {name}" if name else "")))
    modes, statuses, kinds = _network_layers(m, shown)
    if scenario is not None:
        _closures_layer(m, scenario, name)
    energy = _energy_layer(G)
    if energy is not None:
        energy.add_to(m)
    heading = f"<b>{_e(title or 'Pakistan–Central Asia corridor network')}</b>"
    if name:
        heading += f"<br>scenario: {_e(name)}"
    stats = f"<br>{shown.number_of_nodes()} places, {shown.number_of_edges()} links"
    _add_box(m, f"<div class='rt-box' style='top:10px;left:54px'>{heading}{stats}</div>")
    _add_box(m, _legend_html(kinds, statuses, modes))
    folium.LayerControl(collapsed=False).add_to(m)
    # Fit the region's land network; the world ports stay reachable by panning out.
    x0, y0, x1, y1 = REGION_BOX
    inside = [(d["x"], d["y"]) for _, d in shown.nodes(data=True) if x0 <= d["x"] <= x1 and y0 <= d["y"] <= y1]
    xs = [x for x, _ in inside]
    ys = [y for _, y in inside]
    if xs:
        m.fit_bounds([[round(min(ys), 3), round(min(xs), 3)], [round(max(ys), 3), round(max(xs), 3)]])
    return _stabilize(m)


def _closures_layer(m: folium.Map, H: nx.MultiGraph, name: str, *, show: bool = True) -> int:
    """Draw what a scenario closed (grey dashed lines, crossed-out places). Returns features drawn."""
    feats = []
    for closure in H.graph.get("closures", ()):
        if " not built" in closure.label:
            continue
        for _, _, _, d in closure.edges:
            feats.append(
                {
                    "type": "Feature",
                    "geometry": _line_geometry(d["coords"]),
                    "properties": {
                        "style": {"color": "#444", "weight": 3, "opacity": 0.7, "dashArray": "6 6"},
                        "popup": f"<div class='rt-pop'><h4>Closed: {_e(d['name'])}</h4>{_e(closure.label)}</div>",
                        "tooltip": _e(f"closed: {d['name']}"),
                    },
                }
            )
        for _, d in closure.nodes:
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round(d["x"], 5), round(d["y"], 5)]},
                    "properties": {
                        "kind": "closed",
                        "icon": "<span style='color:#444'>✕</span>",
                        "title": f"closed: {d['name']}",
                        "popup": f"<div class='rt-pop'><h4>Closed: {_e(d['name'])}</h4>{_e(closure.label)}</div>",
                        "tooltip": _e(f"closed: {d['name']}"),
                    },
                }
            )
    if feats:
        _geojson_layer(feats, f"Closed under {name} ({len(feats)})", points=True, show=show).add_to(m)
    return len(feats)


def _route_feature(route: Route, colour: str, label: str, weight: float = 6) -> dict[str, Any]:
    coords: list[tuple[float, float]] = []
    for leg in route.legs:
        coords.extend(leg.coords if not coords else leg.coords[1:])
    crossings = ", ".join(route.border_crossings) or "none"
    popup = (
        f"<div class='rt-pop'><h4>{_e(route.origin.name)} → {_e(route.destination.name)}: {_e(label)}</h4>"
        + _rows(
            [
                ("distance", f"{route.total_km:,.0f} km"),
                ("time", f"{route.total_hours:,.1f} h ({route.total_days:.1f} days)"),
                ("cost", f"{route.total_cost_usd:,.1f} USD/t"),
                ("crossings", crossings),
                ("countries", " → ".join(route.countries)),
                ("max elevation", f"{_num(route.max_elevation_m)} m"),
                ("open", months_text(route.months_open)),
                ("unbuilt links", ", ".join(route.unbuilt) or "none"),
                ("via", " → ".join(p.name for p in route.places)),
                *((f"flight {leg.name}", _leg_block_time(leg)) for leg in route.legs if leg.mode == "air"),
            ]
        )
        + "</div>"
    )
    return {
        "type": "Feature",
        "geometry": _line_geometry(coords),
        "properties": {
            "style": {"color": colour, "weight": weight, "opacity": 0.9},
            "popup": popup,
            "tooltip": _e(label),
        },
    }


def _leg_block_time(leg: Leg) -> str:
    if leg.estimated_block_time:
        return f"{leg.hours:,.1f} h, ESTIMATED block time (no schedule found): {leg.block_time_method or 'no method'}"
    return f"{leg.hours:,.1f} h block time ({leg.block_time_basis or 'schedule'})"


def _route_stops(route: Route, colour: str) -> list[dict[str, Any]]:
    feats = []
    key_places = {route.origin.id: "origin", route.destination.id: "destination"}
    for c in route.border_crossings:
        key_places.setdefault(c, "border crossing")
    stops_at: dict[str, list[str]] = {}
    for s in route.stops:
        stops_at.setdefault(s.place, []).append(f"{s.detail}: {s.hours:,.1f} h, {s.cost_usd:,.1f} USD/t ({s.basis})")
    coords: dict[str, tuple[float, float]] = {}
    for leg in route.legs:
        coords.setdefault(leg.from_id, leg.coords[0])
        coords[leg.to_id] = leg.coords[-1]
    names = {p.id: p for p in route.places}
    for pid, role in key_places.items():
        if pid not in coords:
            continue
        p = names[pid]
        lines = "".join(f"<li>{_e(t)}</li>" for t in stops_at.get(pid, []))
        popup = (
            f"<div class='rt-pop'><h4>{_e(p.name)} ({_e(p.country)})</h4>{_e(role)}"
            f"<ul style='margin:2px 0 0 16px;padding:0'>{lines}</ul></div>"
        )
        symbol = "◆" if role == "border crossing" else "●"
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(coords[pid][0], 5), round(coords[pid][1], 5)]},
                "properties": {
                    "kind": role.replace(" ", "_"),
                    "icon": f"<span style='color:{colour}'>{symbol}</span>",
                    "title": p.name,
                    "popup": popup,
                    "tooltip": _e(f"{p.name}: {role}"),
                },
            }
        )
    return feats


def _summary_box(rows: Sequence[tuple[str, str, Route | None, str | None]], title: str) -> str:
    body = []
    for label, colour, route, reason in rows:
        sw = f"<span class='rt-sw' style='border-top-color:{colour}'></span>"
        if route is None:
            body.append(f"<tr><td>{sw} {_e(label)}</td><td colspan='4'>no route: {_e(reason or '')}</td></tr>")
            continue
        body.append(
            f"<tr><td>{sw} {_e(label)}</td><td class='num'>{route.total_km:,.0f}</td>"
            f"<td class='num'>{route.total_hours:,.1f}</td><td class='num'>{route.total_cost_usd:,.1f}</td>"
            f"<td class='num'>{len(route.border_crossings)}</td></tr>"
        )
    return (
        f"<div class='rt-box' style='top:10px;left:54px'><b>{_e(title)}</b><table><tr><th>scenario</th>"
        "<th>km</th><th>hours</th><th>USD/t</th><th>crossings</th></tr>" + "".join(body) + "</table></div>"
    )


def _fit(m: folium.Map, routes: Sequence[Route]) -> None:
    pts = [pt for r in routes for leg in r.legs for pt in leg.coords]
    if pts:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        m.fit_bounds([[round(min(ys), 4), round(min(xs), 4)], [round(max(ys), 4), round(max(xs), 4)]], padding=(20, 20))


def route_map(
    route: Route | Sequence[Route], *, G: nx.MultiGraph | None = None, title: str | None = None
) -> folium.Map:
    """Return a Folium map of one route or of alternative routes.

    Parameters
    ----------
    route : Route or sequence of Route
        From `routes.shortest_route` or `routes.alternative_routes`.
    G : networkx.MultiGraph, optional
        The base graph: draws the network faintly for context.
    title : str, optional

    Returns
    -------
    folium.Map
        Each route in its own colour and layer, its origin, destination and border
        crossings marked, a summary box with the totals, the view fitted to the routes.
    """
    import folium  # noqa: PLC0415

    routes = [route] if isinstance(route, Route) else list(route)
    if not routes:
        raise ValueError("route_map needs at least one route")
    first = routes[0]
    title = title or f"{first.origin.name} → {first.destination.name}"
    m = _new_map(G if G is not None else nx.MultiGraph(), title)
    if G is not None:
        _network_layers(m, G, interactive=False, faded=True)
    rows = []
    for i, r in enumerate(routes):
        colour = ROUTE_COLOURS[i % len(ROUTE_COLOURS)]
        label = "+".join(r.scenario) if len(routes) == 1 else f"route {i + 1} ({'+'.join(r.scenario)})"
        group = folium.FeatureGroup(name=f"{label}: {r.total_km:,.0f} km")
        weight = max(3.0, 10.0 - 2.5 * i)
        _geojson_layer([_route_feature(r, colour, label, weight)], f"{label} line").add_to(group)
        _geojson_layer(_route_stops(r, colour), f"{label} stops", points=True).add_to(group)
        group.add_to(m)
        rows.append((label, colour, r, None))
    _add_box(m, _summary_box(rows, title + f" (by {first.by})"))
    folium.LayerControl(collapsed=False).add_to(m)
    _fit(m, routes)
    return _stabilize(m)


def comparison_map(comparison: Comparison, *, G: nx.MultiGraph | None = None, title: str | None = None) -> folium.Map:
    """Return a Folium map comparing the best routes under several scenarios.

    Parameters
    ----------
    comparison : Comparison
        From `routes.compare`.
    G : networkx.MultiGraph, optional
        The base graph the comparison was made on: draws the network faintly and what
        each scenario closed (places and links) as closed.
    title : str, optional

    Returns
    -------
    folium.Map
        Each scenario's route in its own colour and layer, closures per scenario, a
        summary box with km, hours, USD/t and crossings per scenario (unreachable ones
        with their reason), the view fitted to the routes.
    """
    import folium  # noqa: PLC0415

    from routes.scenarios import apply_scenario  # noqa: PLC0415

    reachable = [r.route for r in comparison.results if r.route is not None]
    if G is not None:
        o, d = G.nodes[comparison.origin]["name"], G.nodes[comparison.destination]["name"]
    elif reachable:
        o, d = reachable[0].origin.name, reachable[0].destination.name
    else:
        o, d = comparison.origin, comparison.destination
    title = title or f"{o} → {d}: scenarios compared"
    m = _new_map(G if G is not None else nx.MultiGraph(), title)
    if G is not None:
        _network_layers(m, G, interactive=False, faded=True)
    rows = []
    for i, res in enumerate(comparison.results):
        colour = ROUTE_COLOURS[i % len(ROUTE_COLOURS)]
        if res.route is not None:
            group = folium.FeatureGroup(name=f"{res.name}: {res.route.total_km:,.0f} km")
            # Earlier scenarios are drawn wider, so routes that coincide show as stripes.
            weight = max(3.0, 10.0 - 2.5 * i)
            _geojson_layer([_route_feature(res.route, colour, res.name, weight)], f"{res.name} line").add_to(group)
            _geojson_layer(_route_stops(res.route, colour), f"{res.name} stops", points=True).add_to(group)
            group.add_to(m)
        if G is not None and any(p != "baseline" for p in res.scenario):
            H = apply_scenario(G, res.applied if res.applied is not None else list(res.scenario))
            _closures_layer(m, H, res.name)
        rows.append((res.name, colour, res.route, res.reason))
    _add_box(m, _summary_box(rows, title + f" (by {comparison.by})"))
    folium.LayerControl(collapsed=False).add_to(m)
    _fit(m, reachable)
    return _stabilize(m)


def render_html(m: folium.Map) -> str:
    """Return the full HTML page of a map."""
    return str(m.get_root().render())


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write a map's HTML page to ``path`` safely.

    Through `routes.io.write_output`: a file is replaced atomically (no partial file on
    failure) and keeps its permissions, a link is followed, a device or named pipe is
    written directly, ``"-"`` is standard output.

    Returns
    -------
    Path
        The path given.

    Raises
    ------
    routes.errors.OutputError
        If the path cannot be written (a folder, a missing folder, a full disk).
    """
    from routes.io import write_output  # noqa: PLC0415

    page = render_html(m)
    write_output(path, page)
    return Path(path)
