"""Loading the graph, its contract, and finding places."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import routes
from routes.network import normalize_name


def test_contract_graph_level(mini: nx.MultiGraph) -> None:
    assert isinstance(mini, nx.MultiGraph)
    assert not mini.is_directed()
    assert mini.graph["crs"] == "EPSG:4326"
    assert mini.graph["scenario"] == ()
    assert "fixture" in mini.graph["sources"]


def test_contract_nodes_and_edges(mini: nx.MultiGraph) -> None:
    d = mini.nodes["khunjerab"]
    assert (d["x"], d["y"]) == (75.42, 36.85)
    assert d["elevation_m"] == 4693.0
    assert d["border"] == ("PAK", "CHN")
    assert d["open_months"] == (4, 5, 6, 7, 8, 9, 10, 11)
    e = mini.edges["khunjerab", "sost", "kkh-khunjerab-sost"]
    assert e["length_km"] == 75.0
    assert e["mode"] == "road"
    assert e["coords"][0] == (75.42, 36.85)
    # 75 km at the fixture's Pakistani road speed (25 km/h) and cost (0.055 USD/t-km).
    assert e["time_h"] == pytest.approx(3.0)
    assert e["cost_usd"] == pytest.approx(75 * 0.055)
    # A link's own sourced speed wins over the country default.
    m1 = mini.edges["islamabad", "peshawar", "m1-islamabad-peshawar"]
    assert m1["speed_kmh"] == 80
    assert m1["speed_basis"] == "link"


def test_base_graph_keeps_every_status(mini: nx.MultiGraph) -> None:
    statuses = {d["status"] for _, _, d in mini.edges(data=True)}
    assert statuses == {"operational", "proposed"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("khorog", "khorog"),
        ("Khorog", "khorog"),
        ("KHORUGH", "khorog"),
        ("Murghob", "murghab"),
        ("maghob", "murghab"),
        ("Sust", "sost"),
        ("Panji-Poyon Bridge", "panj-bridge"),
        ("ishkashim-tj", "ishkashim-tj"),
    ],
)
def test_find_place(mini: nx.MultiGraph, query: str, expected: str) -> None:
    assert routes.find_place(mini, query) == expected


def test_find_place_ignores_diacritics() -> None:
    assert normalize_name("Türkmenabat") == "turkmenabat"
    assert normalize_name("Qal'ai-Khumb") == "qalaikhumb"
    assert normalize_name("Qo‘qon") == "qoqon"


def test_unknown_place_suggests_nearest(mini: nx.MultiGraph) -> None:
    with pytest.raises(routes.UnknownPlaceError, match=r"Unknown place 'Karachy'.*Did you mean: Karachi") as info:
        routes.find_place(mini, "Karachy")
    assert info.value.suggestions[0] == "Karachi"


def test_ambiguous_place_lists_candidates(mini: nx.MultiGraph) -> None:
    with pytest.raises(routes.AmbiguousPlaceError, match="ambiguous") as info:
        routes.find_place(mini, "Ishkashim")
    assert {c[0] for c in info.value.candidates} == {"ishkashim", "ishkashim-tj"}
    assert "Ishkashim (TJK, id ishkashim-tj)" in str(info.value)


def test_round_trip_gdfs(mini: nx.MultiGraph) -> None:
    places, links = routes.graph_to_gdfs(mini)
    assert places.crs.to_string() == "EPSG:4326"
    assert len(places) == mini.number_of_nodes()
    assert len(links) == mini.number_of_edges()
    assert places.loc["kulma", "geometry"].x == 74.80
    H = routes.graph_from_gdfs(places, links)
    assert set(H.nodes) == set(mini.nodes)
    assert set(H.edges(keys=True)) == set(mini.edges(keys=True))
    for n, d in mini.nodes(data=True):
        assert H.nodes[n] == d, n
    for u, v, k, d in mini.edges(keys=True, data=True):
        assert H.edges[u, v, k] == d, k
    assert H.graph["crs"] == mini.graph["crs"]
    # And routing on the rebuilt graph gives the same answer.
    a = routes.shortest_route(mini, "dushanbe", "karachi")
    b = routes.shortest_route(H, "dushanbe", "karachi")
    assert [p.id for p in a.places] == [p.id for p in b.places]


def test_load_rejects_broken_data(mini_copy: Path) -> None:
    path = mini_copy / "links" / "mini.geojson"
    doc = json.loads(path.read_text())
    doc["features"][0]["properties"]["to"] = "atlantis"
    doc["features"][1]["properties"]["mode"] = "hovercraft"
    path.write_text(json.dumps(doc))
    with pytest.raises(routes.InvalidDataError) as info:
        routes.load_network(mini_copy)
    text = str(info.value)
    assert "m41-dushanbe-khorog | to: unknown place 'atlantis'" in text
    assert "m41-khorog-murghab | mode: unknown value 'hovercraft'" in text
    assert len(info.value.problems) == 2


def test_load_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(routes.InvalidDataError, match="does not exist"):
        routes.load_network(tmp_path / "nope")
    with pytest.raises(routes.InvalidDataError, match="no places/ folder"):
        routes.load_network(tmp_path)


def test_loading_imports_no_heavy_libraries() -> None:
    code = (
        "import sys, routes; routes.load_network(); "
        "bad = [m for m in ('geopandas', 'folium', 'shapely', 'pandas') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_speed_rules_precedence() -> None:
    from routes.costs import Rules, link_weights

    rules = Rules.from_dict({
        "road_speed_kmh": {"PAK": {"value": 25.2}},
        "road_speed_kmh_by_class": {"PAK": {"motorway": {"value": 80.0}}},
        "road_cost_usd_per_tkm": {"PAK": {"value": 0.05}},
    })  # fmt: skip
    base = {"mode": "road", "countries": ("PAK",), "length_km": 160.0, "road_class": "highway"}
    assert link_weights(base, rules)["speed_kmh"] == 25.2
    motorway = {**base, "road_class": "motorway"}
    w = link_weights(motorway, rules)
    assert w["speed_kmh"] == 80.0
    assert w["time_h"] == pytest.approx(2.0)
    assert w["speed_basis"] == "rules.toml road_speed_kmh_by_class.PAK.motorway"
    # A link's own sourced speed wins over both.
    assert link_weights({**motorway, "link_speed_kmh": 60.0}, rules)["speed_kmh"] == 60.0
    assert w["cost_usd"] == pytest.approx(160 * 0.05)
