"""The offline basemap and the inlined Leaflet: what ships is what the sources give."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import routes
from routes.basemap import BASEMAP_BBOX, BASEMAP_PATH, build_basemap, decode_topojson
from routes.maps import STATIC, render_html

ASSETS = Path(os.environ.get("ROUTES_BROWSER_ASSETS", Path.home() / ".cache" / "routes-browser-assets"))
NODE_MODULES = ASSETS / "node_modules"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _npm(path: str) -> Path:
    file = NODE_MODULES / path
    if not file.exists():
        if IN_CI:
            pytest.fail(f"CI=true but {file} is missing (.ci/run installs tests/browser/package.json)")
        pytest.skip(f"{file} is not installed")
    return file


def test_decode_topojson_quantized_and_reversed_arcs() -> None:
    # Two squares sharing an edge; the second walks the shared arc backwards (~0).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [[[2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2], [2, 0]], [[2, 0], [2, 0], [0, 2], [-2, 0]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "1", "properties": {"name": "West"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "id": "2", "properties": {"name": "East"}},
                ],
            }
        },
    }
    west, east = decode_topojson(topology, "countries")
    assert west["properties"] == {"name": "West"}
    assert west["geometry"]["coordinates"][0] == [(11, 20), (11, 21), (10, 21), (10, 20), (11, 20)]
    assert east["geometry"]["coordinates"][0] == [(11, 20), (12, 20), (12, 21), (11, 21), (11, 20)]


def test_shipped_basemap_covers_the_network(G) -> None:
    from shapely.geometry import Point, shape

    doc = json.loads(BASEMAP_PATH.read_text(encoding="utf-8"))
    countries = {f["properties"]["name"]: shape(f["geometry"]) for f in doc["features"]}
    for name in ("Pakistan", "Afghanistan", "Tajikistan", "Uzbekistan", "Kyrgyzstan", "Turkmenistan", "Kazakhstan",
                 "China", "Iran"):  # fmt: skip
        assert name in countries
    # Every place of the network lies on land of the basemap, or near its coast (ports):
    # within 6 km in the region at its 2 km simplification (Doha's airport is on reclaimed
    # land), 50 km outside at 30 km. The
    # sea passages (straits, the Cape route) are at sea.
    land = list(countries.values())
    west, south, east, north = BASEMAP_BBOX
    for pid, d in G.nodes(data=True):
        if d["kind"] == "passage":
            continue
        p = Point(d["x"], d["y"])
        near = 0.06 if west <= d["x"] <= east and south <= d["y"] <= north else 0.5
        assert any(c.distance(p) < near for c in land), f"{pid} is off the basemap"
    assert BASEMAP_PATH.stat().st_size < 300_000


def test_basemap_rebuilds_from_world_atlas() -> None:
    built = build_basemap(_npm("world-atlas/countries-50m.json"))
    shipped = json.loads(BASEMAP_PATH.read_text(encoding="utf-8"))
    assert built == shipped, "rebuild routes/static/countries.geojson with routes.basemap.build_basemap"


@pytest.mark.parametrize("name", ["leaflet.js", "leaflet.css", "images/layers.png", "images/marker-icon.png"])
def test_inlined_leaflet_is_the_npm_release(name: str) -> None:
    assert (STATIC / "leaflet" / name).read_bytes() == _npm(f"leaflet/dist/{name}").read_bytes()


def test_maps_load_nothing_from_the_network(G) -> None:
    page = render_html(routes.network_map(G))
    assert "<script src=" not in page
    assert '<link rel="stylesheet" href="http' not in page
    assert "Countries (offline)" in page
    assert "OpenStreetMap (online)" in page
