"""Converting the graph to GeoDataFrames and back.

`graph_to_gdfs` and `graph_from_gdfs` are inverse: ``graph_from_gdfs(*graph_to_gdfs(G))``
has the same nodes, edges and attributes as ``G``. `graph_from_gdfs` also rebuilds a
graph from the layers of ``routes export --format gpkg`` read back with
``geopandas.read_file``, reprojects GeoDataFrames in another CRS to EPSG:4326, and checks
its input: a row it cannot use raises `InvalidDataError` naming the row and the field.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from routes.errors import InvalidDataError, Problem

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["graph_from_gdfs", "graph_to_gdfs"]

#: Attributes that hold sequences; a GeoPackage stores them as JSON text.
_TUPLE_FIELDS = frozenset({"aliases", "border", "open_months", "systems", "transfer", "countries", "dwell_scale"})
_JSON_FIELDS = _TUPLE_FIELDS | {"sources", "dwell", "dwell_override"}
#: Integer attributes that pandas turns into floats when some rows have none.
_INT_FIELDS = frozenset({"status_year", "gauge_mm"})
#: What routing reads from every place and link (see `routes.network`).
_NODE_REQUIRED = ("name", "country", "kind")
_EDGE_REQUIRED = ("name", "corridor", "mode", "status", "length_km", "max_elevation_m", "countries")
#: Every attribute of the graph contract: kept even where empty (as None). Other columns
#: (e.g. a scenario's ``dwell_override``) are kept only on rows that have a value.
_NODE_FIELDS = frozenset(
    {"name", "aliases", "country", "kind", "x", "y", "elevation_m", "border", "open_months", "season_note", "status",
     "status_year", "region", "systems", "transfer", "transshipment", "dwell", "note", "sources"}
)  # fmt: skip
_EDGE_FIELDS = frozenset(
    {"id", "name", "corridor", "mode", "status", "status_year", "from", "to", "length_km", "length_basis",
     "length_method", "road_class", "surface", "gauge_mm", "link_speed_kmh", "open_months", "season_note",
     "max_elevation_m", "countries", "region", "systems", "coords", "geometry_method", "note", "sources", "length",
     "speed_kmh", "speed_basis", "time_h", "cost_usd", "cost_rate_basis", "airline", "service_status", "service_date",
     "block_time_h", "block_time_basis", "block_time_method"}
)  # fmt: skip
#: Graph attributes a GeoPackage's ``graph`` layer carries (JSON text per key).
GRAPH_LAYER_KEYS = ("crs", "name", "data_dir", "rules", "scenario", "month")


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
        One row per link, indexed by ``(u, v, key)``, LineString geometry (the edge's
        ``geometry``), every other edge attribute as a column except ``coords``, which
        the geometry holds.

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
    from shapely import LineString, Point  # noqa: PLC0415

    crs = G.graph.get("crs", "EPSG:4326")
    node_ids = list(G.nodes)
    node_rows = [dict(G.nodes[n]) for n in node_ids]
    places = gpd.GeoDataFrame(
        node_rows,
        index=gpd.pd.Index(node_ids, name="id", dtype=object),
        geometry=[Point(r["x"], r["y"]) for r in node_rows],
        crs=crs,
    )
    edge_keys = []
    edge_rows = []
    geoms = []
    for u, v, k, d in G.edges(keys=True, data=True):
        edge_keys.append((u, v, k))
        row = {kk: d[kk] for kk in d if kk not in ("geometry", "coords")}
        edge_rows.append(row)
        geom = d.get("geometry")
        geoms.append(geom if geom is not None else LineString(d["coords"]))
    links = gpd.GeoDataFrame(
        edge_rows,
        index=gpd.pd.MultiIndex.from_tuples(edge_keys, names=["u", "v", "key"]),
        geometry=geoms,
        crs=crs,
    )
    places.attrs["graph"] = {k: v for k, v in G.graph.items() if not k.startswith("_")}
    return places, links


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _thaw(field: str, value: Any) -> Any:
    """Turn a column value back into the graph contract's type (None, tuple, int)."""
    if _missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar -> Python
    if field in _JSON_FIELDS and isinstance(value, str):
        value = json.loads(value)
    if field in _TUPLE_FIELDS and isinstance(value, list | tuple):
        return tuple(value)
    if field in ("sources", "dwell") and isinstance(value, list | tuple):
        items = tuple(dict(v) for v in value)
        if field == "dwell":
            items = tuple({**rec, "sources": tuple(rec.get("sources") or ())} for rec in items)
        return items
    if field in _INT_FIELDS and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _row_attrs(
    row: pd.Series, skip: set[str], fields: frozenset[str], layer: str, where: str, problems: list[Problem]
) -> dict[str, Any]:
    """A row's attributes in the graph contract's types; unreadable ones become problems."""
    attrs: dict[str, Any] = {}
    for key, raw in row.items():
        field = str(key)
        if field in skip:
            continue
        try:
            value = _thaw(field, raw)
        except (ValueError, TypeError, AttributeError) as exc:
            problems.append(Problem(layer, where, field, f"cannot read {raw!r}: {exc}"))
            continue
        if value is not None or field in fields:
            attrs[field] = value
    return attrs


def _to_wgs84(frame: gpd.GeoDataFrame, layer: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise InvalidDataError(
            [Problem(layer, "", "crs", "the GeoDataFrame has no CRS; set the one its coordinates are in, "
                     "e.g. frame.set_crs('EPSG:4326')")]
        )  # fmt: skip
    if frame.crs.to_epsg() == 4326:
        return frame
    from pyproj.exceptions import CRSError, ProjError  # noqa: PLC0415

    try:
        out = frame.to_crs("EPSG:4326")
    except (CRSError, ProjError, ValueError) as exc:
        raise InvalidDataError(
            [Problem(layer, "", "crs", f"cannot reproject from {frame.crs.to_string()!r} to EPSG:4326 ({exc})")]
        ) from None
    bad = [i for i, g in zip(out.index, out.geometry, strict=True) if g is not None and not g.is_empty
           and not all(math.isfinite(c) for c in g.bounds)]  # fmt: skip
    if bad:
        raise InvalidDataError(
            [Problem(layer, str(bad[0]), "geometry", f"reprojecting from {frame.crs.to_string()} to EPSG:4326 gave "
                     f"non-finite coordinates ({len(bad)} row(s)); is the CRS right?")]
        )  # fmt: skip
    return out


def _place_ids(places: gpd.GeoDataFrame) -> list[Any]:
    if "id" in places.columns:
        return list(places["id"])
    return list(places.index)


def _link_keys(links: gpd.GeoDataFrame, problems: list[Problem]) -> list[tuple[Any, Any, Any]] | None:
    index_names = list(links.index.names)
    if index_names == ["u", "v", "key"]:
        return [tuple(t) for t in links.index]
    cols = set(links.columns)
    for u, v, k in (("u", "v", "key"), ("u", "v", "link_id"), ("from", "to", "id")):
        if {u, v, k} <= cols:
            return list(zip(links[u], links[v], links[k], strict=True))
    problems.append(
        Problem("links", "", "index", "links need an (u, v, key) index, or columns u, v and key (or link_id), "
                "or from, to and id")
    )  # fmt: skip
    return None


def _graph_attrs(places: gpd.GeoDataFrame, graph_attrs: Mapping[str, Any] | pd.DataFrame | None) -> dict[str, Any]:
    import pandas as pd  # noqa: PLC0415

    from routes._paths import default_data_dir  # noqa: PLC0415
    from routes.network import Bibliography  # noqa: PLC0415

    if isinstance(graph_attrs, pd.DataFrame):
        if not {"key", "value"} <= set(graph_attrs.columns):
            raise InvalidDataError([Problem("graph", "", "key", "the graph table needs columns key and value")])
        attrs: dict[str, Any] = {}
        for i, (key, text) in enumerate(zip(graph_attrs["key"], graph_attrs["value"], strict=True)):
            try:
                attrs[str(key)] = json.loads(text)
            except (TypeError, json.JSONDecodeError) as exc:
                raise InvalidDataError([Problem("graph", f"row {i} ({key})", "value", f"not JSON: {exc}")]) from None
    elif graph_attrs is not None:
        attrs = dict(graph_attrs)
    else:
        attrs = dict(places.attrs.get("graph") or {})
    if "scenario" in attrs:
        attrs["scenario"] = tuple(attrs["scenario"] or ())
    # Without rules and a data folder (for scenarios) the graph could not be routed: take
    # the data folder's rules, by default the shipped network's.
    data_dir = Path(attrs.get("data_dir") or default_data_dir())
    attrs["data_dir"] = str(data_dir)
    if "rules" not in attrs:
        rules_file = data_dir / "rules.toml"
        try:
            attrs["rules"] = tomllib.loads(rules_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidDataError(
                [Problem("graph", "", "rules", f"no rules given, and {rules_file} cannot be read ({exc}); "
                         "pass graph_attrs={'rules': ...} or a data_dir that has rules.toml")]
            ) from None  # fmt: skip
    if "sources" not in attrs:
        attrs["sources"] = Bibliography(data_dir)
    attrs.setdefault("name", "network")
    attrs.setdefault("energy", [])
    attrs.setdefault("scenario", ())
    attrs.setdefault("month", None)
    attrs.setdefault("closures", ())
    attrs["crs"] = "EPSG:4326"
    return attrs


def graph_from_gdfs(
    places: gpd.GeoDataFrame,
    links: gpd.GeoDataFrame,
    graph_attrs: Mapping[str, Any] | pd.DataFrame | None = None,
) -> nx.MultiGraph:
    """Build a graph from places and links GeoDataFrames (the inverse of `graph_to_gdfs`).

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Point geometry; ids in the index or in an ``id`` column.
    links : geopandas.GeoDataFrame
        LineString geometry from the ``u`` place to the ``v`` place; indexed by
        ``(u, v, key)``, or with columns ``u``, ``v`` and ``key`` (or ``link_id``, as
        ``routes export --format gpkg`` writes them), or ``from``, ``to`` and ``id``.
        Sequence attributes may be lists or JSON text (as in a GeoPackage).
    graph_attrs : dict or pandas.DataFrame, optional
        The graph attributes (``rules``, ``data_dir``, ``scenario``...), or the
        ``graph`` layer of an exported GeoPackage (columns ``key`` and ``value``).
        Default: ``places.attrs["graph"]`` (set by `graph_to_gdfs`), else the time and
        cost rules and scenarios of the shipped network.

    Returns
    -------
    networkx.MultiGraph
        In EPSG:4326 whatever the CRS of the input (it is reprojected). Node ``x``/``y``
        and edge ``coords`` come from the geometries, edge ``length`` (m) from
        ``length_km``; ``time_h`` and ``cost_usd``, when missing, from the rules.

    Raises
    ------
    InvalidDataError
        If the input has no CRS or one that cannot be reprojected, or a row lacks what
        routing needs (an id, a field, a geometry of the right type, a link end that is a
        place); every problem is listed with its row and field.

    Examples
    --------
    >>> import geopandas as gpd, routes
    >>> G = routes.load_network()
    >>> places, links = routes.graph_to_gdfs(G)
    >>> H = routes.graph_from_gdfs(places.to_crs(3857), links.to_crs(3857))
    >>> H.graph["crs"], round(H.nodes["karachi"]["x"], 6) == G.nodes["karachi"]["x"]
    ('EPSG:4326', True)
    """
    import geopandas as gpd  # noqa: PLC0415

    from routes import costs  # noqa: PLC0415
    from routes.network import edge_geometry_attrs, new_graph  # noqa: PLC0415

    for frame, layer in ((places, "places"), (links, "links")):
        if not isinstance(frame, gpd.GeoDataFrame):
            raise InvalidDataError([Problem(layer, "", "", f"expected a GeoDataFrame, got {type(frame).__name__}")])
    places = _to_wgs84(places, "places")
    links = _to_wgs84(links, "links")
    attrs_g = _graph_attrs(places, graph_attrs)
    rules = costs.Rules.from_dict(attrs_g["rules"])
    problems: list[Problem] = []
    G = new_graph(**attrs_g)

    pgeom = places.geometry.name
    skip_cols = {pgeom, "id"} if "id" in places.columns else {pgeom}
    for i, (pid, (_, row)) in enumerate(zip(_place_ids(places), places.iterrows(), strict=True)):
        where = f"place {pid!r}"
        if _missing(pid) or not isinstance(pid, str) or not pid:
            problems.append(Problem("places", f"row {i}", "id", f"missing or not a string: {pid!r}"))
            continue
        if pid in G:
            problems.append(Problem("places", where, "id", "duplicate id"))
            continue
        geom = row[pgeom]
        if geom is None or geom.is_empty or geom.geom_type != "Point":
            kind = "none" if geom is None else ("empty" if geom.is_empty else geom.geom_type)
            problems.append(Problem("places", where, "geometry", f"must be a Point, got {kind}"))
            continue
        attrs = _row_attrs(row, skip_cols, _NODE_FIELDS, "places", where, problems)
        problems.extend(
            Problem("places", where, f, "missing (routing needs it)") for f in _NODE_REQUIRED if attrs.get(f) is None
        )
        attrs.setdefault("sources", ())
        attrs["x"], attrs["y"] = float(geom.x), float(geom.y)
        G.add_node(pid, **attrs)

    keys = _link_keys(links, problems)
    lgeom = links.geometry.name
    key_cols = {"u", "v", "key", "link_id"} & set(links.columns)
    seen: set[Any] = set()
    for i, ((u, v, k), (_, row)) in enumerate(zip(keys or [], links.iterrows(), strict=True)):
        where = f"link {k!r}"
        if _missing(k) or not isinstance(k, str) or not k:
            problems.append(Problem("links", f"row {i}", "key", f"missing or not a string: {k!r}"))
            continue
        if k in seen:
            problems.append(Problem("links", where, "key", "duplicate link id"))
            continue
        seen.add(k)
        for end, pid in (("u", u), ("v", v)):
            if pid not in G:
                problems.append(Problem("links", where, end, f"no place with id {pid!r} (add it to places)"))
        geom = row[lgeom]
        if geom is None or geom.is_empty or geom.geom_type != "LineString":
            kind = "none" if geom is None else ("empty" if geom.is_empty else geom.geom_type)
            problems.append(Problem("links", where, "geometry", f"must be a LineString, got {kind}"))
            continue
        attrs = _row_attrs(row, key_cols | {lgeom}, _EDGE_FIELDS, "links", where, problems)
        bad = [f for f in _EDGE_REQUIRED if attrs.get(f) is None]
        problems.extend(Problem("links", where, f, "missing (routing needs it)") for f in bad)
        length = attrs.get("length_km")
        if not isinstance(length, int | float) or isinstance(length, bool) or not length > 0:
            if "length_km" not in bad:
                problems.append(Problem("links", where, "length_km", f"must be a positive number, got {length!r}"))
            continue
        if bad or u not in G or v not in G:
            continue
        attrs.setdefault("id", k)
        attrs.setdefault("from", u)
        attrs.setdefault("to", v)
        attrs.setdefault("sources", ())
        attrs["coords"] = tuple((float(c[0]), float(c[1])) for c in geom.coords)
        attrs.update(edge_geometry_attrs(attrs["coords"], float(length)))
        attrs["geometry"] = geom  # already built: no need to build it again
        if attrs.get("time_h") is None or attrs.get("cost_usd") is None:
            try:
                attrs.update(costs.link_weights(attrs, rules))
            except costs.RuleMissingError as exc:
                problems.append(exc.problem("links", k))
                continue
        G.add_edge(u, v, key=k, **attrs)
    if problems:
        raise InvalidDataError(problems)
    return G


def graph_table(G: nx.MultiGraph) -> pd.DataFrame:
    """Return the graph attributes a GeoPackage keeps, as a ``key``/``value`` (JSON) table."""
    import pandas as pd  # noqa: PLC0415

    rows = [
        {"key": key, "value": json.dumps(G.graph[key], ensure_ascii=False)}
        for key in GRAPH_LAYER_KEYS
        if key in G.graph
    ]
    return pd.DataFrame(rows, columns=["key", "value"])
