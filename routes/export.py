"""Writing the network to GeoJSON or GeoPackage (readable by QGIS), safely (see `routes.io`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import networkx as nx

from routes.io import open_output, write_output_via

__all__ = ["export_network", "network_feature_collection"]


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
        props.update({kk: _jsonable(v) for kk, v in d.items() if kk != "coords"})
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
    fmt : {"geojson", "gpkg"}
        GeoJSON: one FeatureCollection (places and links, told apart by ``layer``).
        GeoPackage: layers ``places``, ``links`` and ``energy``, through pyogrio.
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

        from routes.convert import graph_to_gdfs  # noqa: PLC0415

        places, links = graph_to_gdfs(G)
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

        write_output_via(path, write, suffix=".gpkg")
    else:
        raise ValueError(f"unknown export format {fmt!r}; use geojson or gpkg")
    return {"places": G.number_of_nodes(), "links": G.number_of_edges()}
