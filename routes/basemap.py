"""The offline basemap: country outlines and names drawn under every map.

Maps must be readable with no internet access (a ministry's locked-down network, a plane, a
map attached to an email), so the outlines ship with the package in
``routes/static/countries.geojson``: Natural Earth's 1:50m admin-0 countries (public domain),
as packaged in TopoJSON by the npm package ``world-atlas`` 2.0.2, simplified: finely in
the region, coarsely elsewhere (where sea lanes and flights go). `build_basemap` makes
that file from ``countries-50m.json``;
``tests/test_basemap.py`` rebuilds it and compares when the npm package is installed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["BASEMAP_BBOX", "BASEMAP_PATH", "basemap_geojson", "build_basemap", "decode_topojson"]

STATIC = Path(__file__).resolve().parent / "static"
BASEMAP_PATH = STATIC / "countries.geojson"

#: What the basemap covers: (west, south, east, north) in degrees, from the Eastern
#: Mediterranean and the Arabian Sea to western China, Mongolia and southern Siberia.
BASEMAP_BBOX = (25.0, 5.0, 105.0, 57.0)

#: Simplification tolerance in degrees (about 2 km): outlines stay true at the zoom levels
#: the maps open at, and the file stays small enough for every map to carry it.
SIMPLIFY_DEG = 0.02

#: Outside `BASEMAP_BBOX` (where sea lanes and flights go: Europe, East Asia, Africa's
#: cape) the outlines are coarser, about 30 km: enough to see the coasts a lane follows
#: at the zoom that shows a whole voyage. Antarctica is left out.
WORLD_SIMPLIFY_DEG = 0.3
WORLD_MIN_AREA_DEG2 = 0.2


def decode_topojson(topology: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """Decode one object of a TopoJSON topology into GeoJSON features.

    Parameters
    ----------
    topology : dict
        A parsed TopoJSON ``Topology`` (quantized or not).
    name : str
        The object to decode, e.g. ``"countries"``.

    Returns
    -------
    list of dict
        GeoJSON features with the geometries' ``properties`` and ``id``.
    """
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        points: list[tuple[float, float]] = []
        x = y = 0.0
        for pos in arc:
            if transform:
                x, y = x + pos[0], y + pos[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((float(pos[0]), float(pos[1])))
        arcs.append(points)

    def ring(indexes: Sequence[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    features = []
    for geom in topology["objects"][name]["geometries"]:
        kind = geom.get("type")
        if kind == "Polygon":
            coords: Any = [ring(r) for r in geom["arcs"]]
        elif kind == "MultiPolygon":
            coords = [[ring(r) for r in poly] for poly in geom["arcs"]]
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "id": geom.get("id"),
                "properties": dict(geom.get("properties") or {}),
                "geometry": {"type": kind, "coordinates": coords},
            }
        )
    return features


def build_basemap(
    topojson_path: str | Path,
    *,
    bbox: tuple[float, float, float, float] = BASEMAP_BBOX,
    tolerance_deg: float = SIMPLIFY_DEG,
    world_tolerance_deg: float = WORLD_SIMPLIFY_DEG,
) -> dict[str, Any]:
    """Cut world-atlas ``countries-50m.json`` into a small GeoJSON collection.

    Inside ``bbox`` outlines are simplified with ``tolerance_deg``; the rest of the world
    (where sea lanes and flights go) with the coarser ``world_tolerance_deg``. Each country
    keeps its name and a label point (inside its largest part within the box, or its
    largest part if it has none there). Coordinates are rounded to 0.01 degree in the box,
    0.1 degree outside.
    """
    from shapely.geometry import box, mapping, shape  # noqa: PLC0415

    topology = json.loads(Path(topojson_path).read_text(encoding="utf-8"))
    frame = box(*bbox)
    features: list[dict[str, Any]] = []
    for feat in decode_topojson(topology, "countries"):
        if feat["properties"].get("name") == "Antarctica":
            continue
        geom = shape(feat["geometry"]).buffer(0)
        inside = geom.intersection(frame).simplify(tolerance_deg, preserve_topology=True)
        outside = geom.difference(frame).simplify(world_tolerance_deg, preserve_topology=True)
        # Outside the box, islands under about 50 km across are left out, unless they are
        # all the country has (Singapore, Bahrain).
        islands = _polygons(outside)
        kept = [g for g in islands if g.area >= WORLD_MIN_AREA_DEG2] or islands
        parts = [(g, 2) for g in _polygons(inside)] + [(g, 1) for g in kept]
        if not parts:
            continue
        labelled = [g for g, digits in parts if digits == 2] or [g for g, _ in parts]
        largest = max(labelled, key=lambda g: g.area)
        label = largest.representative_point()
        polygons = [_rounded(mapping(g), digits)["coordinates"] for g, digits in parts]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": feat["properties"].get("name", ""),
                    "iso_n3": feat.get("id"),
                    "label": [round(label.x, 2), round(label.y, 2)],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    features.sort(key=lambda f: str(f["properties"]["name"]))
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m admin-0 countries (public domain) via the npm package world-atlas 2.0.2 "
        f"(countries-50m.json), simplified with a tolerance of {tolerance_deg} degrees inside {list(bbox)} "
        f"and {world_tolerance_deg} degrees elsewhere",
        "features": features,
    }


def _polygons(geom: Any) -> list[Any]:
    """The polygons of a geometry of area at least 0.01 square degree."""
    if geom.is_empty:
        return []
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
    polys += [p for g in getattr(geom, "geoms", []) if g.geom_type == "MultiPolygon" for p in g.geoms]
    return [p for p in polys if p.area >= 0.01]


def _rounded(geometry: Any, digits: int = 2) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(float(value[0]), digits), round(float(value[1]), digits)]
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


@cache
def basemap_geojson() -> str:
    """Return the shipped basemap as GeoJSON text (read once per process)."""
    return BASEMAP_PATH.read_text(encoding="utf-8")
