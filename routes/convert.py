"""Converting the graph to GeoDataFrames and back.

`graph_to_gdfs` and `graph_from_gdfs` are inverse: ``graph_from_gdfs(*graph_to_gdfs(G))``
has the same nodes, edges and attributes as ``G``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["graph_from_gdfs", "graph_to_gdfs"]

_NODE_GEOM = ("x", "y")


def graph_to_gdfs(G: nx.MultiGraph) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the places and links of a graph as two GeoDataFrames.

    Parameters
    ----------
    G : networkx.MultiGraph
        A graph from `routes.load_network` or `routes.apply_scenario`.

    Returns
    -------
    places : geopandas.GeoDataFrame
        One row per place, indexed by id, Point geometry, every node attribute as a
        column (``x``/``y`` kept as well).
    links : geopandas.GeoDataFrame
        One row per link, indexed by ``(u, v, key)``, LineString geometry, every edge
        attribute as a column.

    Notes
    -----
    The graph-level attributes (``crs``, ``rules``, ``sources``, ``scenario``, ...) travel in
    ``places.attrs["graph"]`` so that `graph_from_gdfs` can restore them.

    Examples
    --------
    >>> import routes
    >>> places, links = routes.graph_to_gdfs(routes.load_network())
    >>> places.crs.to_string()
    'EPSG:4326'
    """
    import geopandas as gpd  # noqa: PLC0415
    from shapely.geometry import LineString, Point  # noqa: PLC0415

    crs = G.graph.get("crs", "EPSG:4326")
    node_ids = list(G.nodes)
    node_rows = [dict(G.nodes[n]) for n in node_ids]
    places = gpd.GeoDataFrame(
        node_rows,
        index=gpd.pd.Index(node_ids, name="id"),
        geometry=[Point(r["x"], r["y"]) for r in node_rows],
        crs=crs,
    )
    edge_keys = []
    edge_rows = []
    geoms = []
    for u, v, k, d in G.edges(keys=True, data=True):
        edge_keys.append((u, v, k))
        edge_rows.append(dict(d))
        geoms.append(LineString(d["coords"]))
    links = gpd.GeoDataFrame(
        edge_rows,
        index=gpd.pd.MultiIndex.from_tuples(edge_keys, names=["u", "v", "key"]),
        geometry=geoms,
        crs=crs,
    )
    places.attrs["graph"] = {k: v for k, v in G.graph.items() if not k.startswith("_")}
    return places, links


def _clean(value: Any) -> Any:
    # pandas turns missing values into NaN; the graph contract uses None.
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def graph_from_gdfs(places: gpd.GeoDataFrame, links: gpd.GeoDataFrame) -> nx.MultiGraph:
    """Build a graph from places and links GeoDataFrames (the inverse of `graph_to_gdfs`).

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Indexed by place id, Point geometry.
    links : geopandas.GeoDataFrame
        Indexed by ``(u, v, key)``, LineString geometry.

    Returns
    -------
    networkx.MultiGraph
        Node ``x``/``y`` and edge ``coords`` come from the geometries.
    """
    G = nx.MultiGraph()
    G.graph.update(places.attrs.get("graph", {"crs": str(places.crs)}))
    geom_col = places.geometry.name
    for pid, row in places.iterrows():
        attrs = {k: _clean(v) for k, v in row.items() if k != geom_col}
        attrs["x"], attrs["y"] = float(row[geom_col].x), float(row[geom_col].y)
        G.add_node(pid, **attrs)
    lgeom = links.geometry.name
    for (u, v, k), row in links.iterrows():
        attrs = {kk: _clean(vv) for kk, vv in row.items() if kk != lgeom}
        attrs["coords"] = tuple((float(x), float(y)) for x, y, *_ in row[lgeom].coords)
        G.add_edge(u, v, key=k, **attrs)
    return G
