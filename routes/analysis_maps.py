"""Maps of the network-wide analyses: criticality, port catchments, OD matrices.

Each function returns a ``folium.Map`` and never saves it (`routes.maps.save_map` does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routes.maps import _add_box, _e, _geojson_layer, _new_map, _round_coords, _stabilize

if TYPE_CHECKING:
    import folium
    import networkx as nx
    import pandas as pd

__all__ = ["appraisal_map", "catchment_map", "criticality_map", "gateway_map", "matrix_map"]

#: Colours of the gateway seaports on catchment maps.
PORT_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
_RANK_COLOURS = ((10, "#b10026"), (25, "#fc4e2a"), (50, "#feb24c"))


def _point(G: nx.MultiGraph, pid: str, colour: str, tooltip: str, radius: float = 6) -> dict[str, Any]:
    d = G.nodes[pid]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(d["x"], 5), round(d["y"], 5)]},
        "properties": {
            "kind": "analysis",
            "icon": f"<span style='color:{colour};font-size:{int(radius * 2.4)}px;line-height:16px'>●</span>",
            "title": tooltip,
            "tooltip": tooltip,
            "popup": f"<b>{_e(d['name'])}</b><br>{_e(tooltip)}",
        },
    }


def criticality_map(c: pd.DataFrame, G: nx.MultiGraph, *, title: str | None = None) -> folium.Map:
    """Links and crossings coloured by their criticality rank; the top ten labelled.

    Parameters
    ----------
    c : pandas.DataFrame
        A result of `routes.criticality`.
    G : networkx.MultiGraph
        The base graph (for geometry).
    """
    import folium  # noqa: PLC0415

    title = title or f"n-1 criticality ({c.attrs.get('scenario', 'baseline')}, by {c.attrs.get('by', 'distance')})"
    m = _new_map(G, title)
    records: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in c.to_dict("records")]
    rank = {r["element"]: (int(r["rank"]), r) for r in records}
    features = []
    labels = []
    for _, _, k, d in G.edges(keys=True, data=True):
        got = rank.get(k)
        if got is None:
            continue
        n, r = got
        affected = r["pairs_lengthened"] + r["pairs_disconnected"]
        colour = next((col for limit, col in _RANK_COLOURS if n <= limit), "#999999" if affected else "#cccccc")
        text = (
            f"#{n} {d['name']}: {r['pairs_lengthened']} pairs longer, {r['pairs_disconnected']} cut, "
            f"+{r['added_km_total']:,.0f} km, +{r['added_hours_total']:,.1f} h in total"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": _round_coords(d["coords"])},
                "properties": {
                    "tooltip": text,
                    "popup": _e(text),
                    "style": {"color": colour, "weight": 6 if n <= 10 else 4 if affected else 2, "opacity": 0.9},
                },
            }
        )
        if n <= 10:
            mid = d["coords"][len(d["coords"]) // 2]
            labels.append((n, mid))
    features.extend(
        _point(G, r["element"], "#b10026" if r["rank"] <= 10 else "#555", f"#{r['rank']} {r['name']}")
        for r in records
        if r["type"] == "crossing" and r["element"] in G and (r["pairs_lengthened"] + r["pairs_disconnected"]) > 0
    )
    # The rank labels are points of the same layer, drawn as div icons from the start: a
    # folium.Marker is made with Leaflet's default image icon first, which an offline page
    # then fails to load (marker-icon.png) before setIcon replaces it.
    features.extend(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(x, 5), round(y, 5)]},
            "properties": {
                "kind": "rank",
                "icon": f"<div class='rt-label' style='font-weight:bold;color:#b10026'>{n}</div>",
                "title": f"#{n}",
            },
        }
        for n, (x, y) in sorted(labels)
    )
    _geojson_layer(features, "criticality", points=True).add_to(m)
    rows = "".join(
        f"<tr><td>{int(r['rank'])}</td><td>{_e(r['name'])}</td>"
        f"<td>{r['pairs_lengthened']}/{r['pairs_disconnected']}</td></tr>"
        for r in records[:10]
    )
    _add_box(
        m,
        f"<div class='rt-box' style='top:10px;right:10px'><b>{_e(title)}</b><br>top 10 (pairs longer/cut)"
        f"<table>{rows}</table><span style='color:#b10026'>■</span> top 10 "
        f"<span style='color:#fc4e2a'>■</span> 11-25 <span style='color:#feb24c'>■</span> 26-50</div>",
    )
    folium.LayerControl(collapsed=True).add_to(m)
    return _stabilize(m)


def catchment_map(table: pd.DataFrame, G: nx.MultiGraph, *, scenario: str | None = None) -> folium.Map:
    """Inland cities coloured by their best seaport under one scenario of a catchment."""
    import folium  # noqa: PLC0415

    scenarios = list(dict.fromkeys(table["scenario"]))
    scenario = scenario or scenarios[-1]
    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in table[table["scenario"] == scenario].to_dict("records")
    ]
    ports = list(table.attrs.get("ports") or [])
    if not ports:
        from routes.catchment import gateway_ports  # noqa: PLC0415

        ports = gateway_ports(G)
    colour = {p: PORT_COLOURS[i % len(PORT_COLOURS)] for i, p in enumerate(ports)}
    title = f"Best seaport by {table.attrs.get('by', 'time')} under {scenario}"
    m = _new_map(G, title)
    feats = []
    for r in rows:
        best = r["best_port"] if isinstance(r["best_port"], str) else ""
        switches = bool(r.get("switches", False))
        text = f"{r['city_name']}: {G.nodes[best]['name'] if best else 'no port'}"
        if len(scenarios) > 1 and switches:
            text += " (switches port)"
        feats.append(_point(G, r["city"], colour.get(best, "#000"), text, radius=8 if switches else 6))
    feats.extend(_point(G, p, colour[p], G.nodes[p]["name"], radius=11) for p in ports if p in G)
    _geojson_layer(feats, "catchments", points=True).add_to(m)
    legend = "".join(f"<tr><td style='color:{colour[p]}'>●</td><td>{_e(G.nodes[p]['name'])}</td></tr>" for p in ports)
    _add_box(m, f"<div class='rt-box' style='top:10px;right:10px'><b>{_e(title)}</b><table>{legend}</table></div>")
    folium.LayerControl(collapsed=True).add_to(m)
    return _stabilize(m)


def gateway_map(table: pd.DataFrame, G: nx.MultiGraph, *, scenario: str | None = None) -> folium.Map:
    """Inland cities coloured by their best gateway port to each world market (one layer each).

    ``table`` comes from `routes.market_gateways`; the map shows one scenario (default:
    the last), the first market's layer on top, the others a click away.
    """
    import folium  # noqa: PLC0415

    scenarios = list(dict.fromkeys(table["scenario"]))
    scenario = scenario or scenarios[-1]
    gateways: list[str] = list(table.attrs["gateways"])
    markets: list[str] = list(table.attrs["markets"])
    colour = {p: PORT_COLOURS[i % len(PORT_COLOURS)] for i, p in enumerate(gateways)}
    title = f"Best gateway port by {table.attrs.get('by', 'time')}, door to door, under {scenario}"
    m = _new_map(G, title)
    rows = table[table["scenario"] == scenario]
    for n, market in enumerate(markets):
        feats = []
        market_name = G.nodes[market]["name"]
        for r in rows[rows["market"] == market].to_dict("records"):
            best = r["best_gateway"] if isinstance(r["best_gateway"], str) else ""
            changed = bool(r.get("switches") or r.get("cut_off"))
            text = f"{r['city_name']} to {market_name}: " + (
                f"via {G.nodes[best]['name']}" if best else "no route to any gateway"
            )
            if len(scenarios) > 1 and changed:
                text += f" (changed from {scenarios[0]})"
            feats.append(_point(G, str(r["city"]), colour.get(best, "#000"), text, radius=8 if changed else 6))
        _geojson_layer(feats, f"to {market_name}", show=n == 0, points=True).add_to(m)
    ports = [_point(G, p, colour[p], G.nodes[p]["name"], radius=11) for p in gateways if p in G]
    _geojson_layer(ports, "gateway ports", points=True).add_to(m)
    legend = "".join(
        f"<tr><td style='color:{colour[p]}'>●</td><td>{_e(G.nodes[p]['name'])}</td></tr>" for p in gateways
    )
    legend += "<tr><td style='color:#000'>●</td><td>no route</td></tr>"
    _add_box(
        m,
        f"<div class='rt-box' style='top:10px;right:10px'><b>{_e(title)}</b><br>one layer per market"
        f"<table>{legend}</table></div>",
    )
    folium.LayerControl(collapsed=False).add_to(m)
    return _stabilize(m)


def matrix_map(matrix: pd.DataFrame, G: nx.MultiGraph) -> folium.Map:
    """Origins sized and coloured by their mean best-route value to the destinations."""
    import folium  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    unit = matrix.attrs.get("unit", "km")
    title = f"Mean {unit} to {len(matrix.columns)} destinations ({matrix.attrs.get('scenario', 'baseline')})"
    m = _new_map(G, title)
    values = matrix.to_numpy(dtype=float)
    means = np.array([np.nanmean(row[row > 0]) if np.any(row > 0) else np.nan for row in values])
    finite = means[np.isfinite(means)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    feats = []
    for pid, mean in zip(matrix.index, means, strict=True):
        if not np.isfinite(mean):
            feats.append(_point(G, pid, "#000", f"{G.nodes[pid]['name']}: no route"))
            continue
        t = 0.0 if hi == lo else (mean - lo) / (hi - lo)
        colour = f"#{int(255 * t):02x}{int(160 * (1 - t)):02x}40"
        feats.append(_point(G, pid, colour, f"{G.nodes[pid]['name']}: mean {mean:,.1f} {unit}"))
    _geojson_layer(feats, "origins", points=True).add_to(m)
    _add_box(m, f"<div class='rt-box' style='top:10px;right:10px'><b>{_e(title)}</b><br>green: near, red: far</div>")
    folium.LayerControl(collapsed=True).add_to(m)
    return _stabilize(m)


def appraisal_map(a: pd.DataFrame, G: nx.MultiGraph) -> folium.Map:
    """The appraised projects' unbuilt links, coloured by rank, with their savings."""
    import folium  # noqa: PLC0415

    title = f"Project appraisal ({a.attrs.get('scenario', 'baseline')}, by {a.attrs.get('by', 'time')})"
    m = _new_map(G, title)
    records = {str(r["project"]): r for r in a.to_dict("records")}
    feats = []
    for _, _, k, d in G.edges(keys=True, data=True):
        r = records.get(d["corridor"])
        if r is None or d["status"] == "operational":
            continue
        n = int(r["rank"])
        colour = next((col for limit, col in ((3, "#b10026"), (6, "#fc4e2a"), (10, "#feb24c")) if n <= limit), "#888")
        text = (
            f"#{n} {r['project']} ({d['name']}): alone {r['alone_pairs_improved']} pairs better, "
            f"{r['alone_hours_saved']:,.0f} h saved; removed from all built {r['removed_hours_saved']:,.0f} h"
        )
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": _round_coords(d["coords"])},
                "properties": {
                    "tooltip": text,
                    "popup": _e(text) + f"<br>{_e(k)}",
                    "style": {"color": colour, "weight": 6, "opacity": 0.9, "dashArray": "8 6"},
                },
            }
        )
    _geojson_layer(feats, "projects").add_to(m)
    rows = "".join(
        f"<tr><td>{int(r['rank'])}</td><td>{_e(r['project'])}</td><td>{r['alone_hours_saved']:,.0f}</td>"
        f"<td>{r['removed_hours_saved']:,.0f}</td></tr>"
        for r in list(records.values())[:10]
    )
    _add_box(
        m,
        f"<div class='rt-box' style='top:10px;right:10px'><b>{_e(title)}</b>"
        f"<table><tr><th>#</th><th>project</th><th>h alone</th><th>h removed</th></tr>{rows}</table></div>",
    )
    folium.LayerControl(collapsed=True).add_to(m)
    return _stabilize(m)
