"""Writing the network to GeoJSON, GeoPackage (readable by QGIS) or GraphML, safely (see `routes.io`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import networkx as nx

from routes.io import open_output, write_output_via

__all__ = ["export_network", "network_feature_collection", "to_graphml"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def network_feature_collection(G: nx.MultiGraph) -> dict[str, Any]:
    """Return places and links of a graph as one GeoJSON FeatureCollection.

    Each feature has a ``layer`` property (``"place"`` or ``"link"``) and the graph's
    attributes; list-valued attributes stay lists.
    """
    features = []
    for pid, d in G.nodes(data=True):
        props = {"layer": "place", "id": pid}
        props.update({k: _jsonable(v) for k, v in d.items() if k not in ("x", "y")})
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [d["x"], d["y"]]},
                "properties": props,
            }
        )
    for _, _, k, d in G.edges(keys=True, data=True):
        props = {"layer": "link"}
        props.update({kk: _jsonable(d[kk]) for kk in d if kk not in ("coords", "geometry")})
        props["id"] = k
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in d["coords"]]},
                "properties": props,
            }
        )
    return {
        "type": "FeatureCollection",
        "name": G.graph.get("name", "network"),
        "scenario": list(G.graph.get("scenario") or ("base network, every status",)),
        "features": features,
    }


def _flat(frame: Any) -> Any:
    # GeoPackage columns hold scalars: lists, tuples and dicts become JSON text.
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        if frame[col].map(lambda v: isinstance(v, list | tuple | dict)).any():
            frame[col] = frame[col].map(
                lambda v: json.dumps(_jsonable(v), ensure_ascii=False) if isinstance(v, list | tuple | dict) else v
            )
    return frame


def export_network(G: nx.MultiGraph, path: str | Path, *, fmt: str, stdout: IO[str] | None = None) -> dict[str, int]:
    """Write the network to a file, safely (a failure leaves no partial file).

    The path follows the rules of `routes.io.write_output`: a file is replaced atomically
    and keeps its permissions, a link is followed, a device or named pipe is written
    directly; ``"-"`` is standard output for GeoJSON (not for GeoPackage, a database file).

    Parameters
    ----------
    G : networkx.MultiGraph
        Base graph or a scenario-applied one.
    path : str or Path
        Output file.
    fmt : {"geojson", "gpkg", "graphml"}
        GeoJSON: one FeatureCollection (places and links, told apart by ``layer``).
        GeoPackage: layers ``places``, ``links``, ``energy`` and ``graph`` (the graph
        attributes as key/JSON rows), through pyogrio; read back with
        ``routes.graph_from_gdfs(places, links, graph)`` after ``geopandas.read_file``
        of each layer. GraphML: see `to_graphml`.
    stdout : text stream, optional
        What ``"-"`` means (default: ``sys.stdout``).

    Returns
    -------
    dict
        Counts of places and links written.

    Raises
    ------
    routes.errors.OutputError
        If the path cannot be written, or writing failed.
    """
    if fmt == "geojson":
        doc = network_feature_collection(G)
        with open_output(path, stdout=stdout) as fh:
            json.dump(doc, fh, ensure_ascii=False)
            fh.write("\n")
    elif fmt == "gpkg":
        import geopandas as gpd  # noqa: PLC0415
        import pyogrio  # noqa: PLC0415

        from routes.convert import graph_table, graph_to_gdfs  # noqa: PLC0415

        places, links = graph_to_gdfs(G)
        table = graph_table(G)
        places = _flat(places.reset_index())
        links = _flat(links.reset_index().rename(columns={"key": "link_id"}))
        places.attrs = {}
        links.attrs = {}
        energy = None
        if G.graph.get("energy"):
            energy = _flat(gpd.GeoDataFrame.from_features(G.graph["energy"], crs="EPSG:4326"))

        def write(tmp: Path) -> None:
            places.to_file(tmp, layer="places", driver="GPKG", engine="pyogrio")
            links.to_file(tmp, layer="links", driver="GPKG", engine="pyogrio", mode="a")
            if energy is not None:
                energy.to_file(tmp, layer="energy", driver="GPKG", engine="pyogrio", mode="a")
            pyogrio.write_dataframe(table, tmp, layer="graph", driver="GPKG", append=True)

        write_output_via(path, write, suffix=".gpkg")
    elif fmt == "graphml":
        to_graphml(G, path)
    else:
        raise ValueError(f"unknown export format {fmt!r}; use geojson, gpkg or graphml")
    return {"places": G.number_of_nodes(), "links": G.number_of_edges()}


def _graphml_value(value: Any) -> Any:
    """One attribute as GraphML can hold it: str, int, float or bool; None is left out."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if hasattr(value, "wkt"):  # a shapely geometry
        return value.wkt
    return json.dumps(_jsonable(value), ensure_ascii=False)


def to_graphml(G: nx.MultiGraph, path: str | Path) -> None:
    """Write a graph as GraphML, flattening what GraphML cannot store, safely.

    GraphML holds only strings, numbers and booleans, so ``nx.write_graphml(G, path)``
    fails on the network's tuples, citation dicts and shapely geometries. Here tuples,
    lists and dicts become JSON text, ``geometry`` its WKT, and empty (None) attributes
    are left out; numbers (``length``, ``length_km``, ``time_h``, ``cost_usd``, ``x``,
    ``y``...) stay numbers, so ``nx.read_graphml`` gives a graph on which
    ``nx.shortest_path_length(H, a, b, weight="length")`` works. The graph attributes
    kept are ``crs``, ``name``, ``scenario`` and ``month``.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph or a scenario-applied one (not changed).
    path : str or Path
        Output file, written as `routes.io.write_output_via` does: a failure leaves
        no partial file, a link is followed, a named pipe is written directly.

    Examples
    --------
    >>> import networkx as nx, routes, tempfile, pathlib
    >>> G = routes.load_network()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     routes.to_graphml(G, pathlib.Path(tmp) / "network.graphml")
    ...     H = nx.read_graphml(pathlib.Path(tmp) / "network.graphml", force_multigraph=True)
    >>> H.number_of_edges() == G.number_of_edges(), H.edges["dushanbe", "kulob", "m41-dushanbe-kulob"]["length"]
    (True, 203000.0)
    """
    H = nx.MultiGraph()
    for key in ("crs", "name", "scenario", "month"):
        value = _graphml_value(G.graph.get(key))
        if value is not None:
            H.graph[key] = value
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: fv for k, v in d.items() if (fv := _graphml_value(v)) is not None})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{kk: fv for kk, vv in d.items() if (fv := _graphml_value(vv)) is not None})

    def write(tmp: Path) -> None:
        nx.write_graphml(H, tmp)

    write_output_via(path, write, suffix=".graphml")
