"""The air layer's data: the issue's airports, their roads, and how block times are sourced.

Routing by air (handling, connections, suspended services) is tested in ``test_sea.py``;
this file checks the rules the data itself keeps, over every flight in the network.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pytest

import routes
from routes.schema import haversine_km

ROOT = Path(__file__).resolve().parent.parent
AIR_LINKS = ROOT / "geodata" / "links" / "air.geojson"
FIT_SOURCE = "est-air-block-time-fit"

#: The airports issue 12 names, and the hubs the region flies through.
ISSUE_AIRPORTS = {
    "dushanbe-airport",
    "khujand-airport",
    "islamabad-airport",
    "lahore-airport",
    "karachi-airport",
    "peshawar-airport",
    "gwadar-airport",
    "tashkent-airport",
    "samarkand-airport",
    "almaty-airport",
    "bishkek-airport",
    "osh-airport",
    "ashgabat-airport",
    "kabul-airport",
    "kashgar-airport",
    "urumqi-airport",
    "dubai-airport",
    "doha-airport",
    "istanbul-airport",
}
#: Airports whose city is not a place of the land network: reached by air only.
AIR_ONLY = {"dubai-airport", "doha-airport", "istanbul-airport", "urumqi-airport"}


def _fit_script() -> ModuleType:
    path = ROOT / "scripts" / "fit_air_block_times.py"
    spec = importlib.util.spec_from_file_location("fit_air_block_times", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve the module by name
    spec.loader.exec_module(module)
    return module


def _flights() -> list[dict[str, Any]]:
    """The flights' properties as the data file has them."""
    features = json.loads(AIR_LINKS.read_text(encoding="utf-8"))["features"]
    return [f["properties"] for f in features if f["properties"]["mode"] == "air"]


def _cited_fields(d: dict[str, Any], source_id: str | None = None) -> set[str]:
    return {f for s in d["sources"] if source_id in (None, s["id"]) for f in s.get("fields", ())}


def test_every_issue_airport_is_in_and_reached_by_truck_from_its_city(G: nx.MultiGraph) -> None:
    airports = {p for p, d in G.nodes(data=True) if d["kind"] == "airport"}
    assert airports >= ISSUE_AIRPORTS
    for p in airports:
        modes = {d["mode"] for _, _, d in G.edges(p, data=True)}
        assert "air" in modes, p
        if p in AIR_ONLY:
            assert modes == {"air"}, p
            continue
        roads = [(q, d) for _, q, d in G.edges(p, data=True) if d["mode"] == "road"]
        assert len(roads) == 1, (p, roads)
        (end, road), here = roads[0], G.nodes[p]
        there = G.nodes[end]
        assert there["kind"] in ("city", "seaport"), (p, end)
        assert there["country"] == here["country"], p
        # A short urban road: an estimate from the straight line, as every airport road.
        straight_km = haversine_km(there["x"], there["y"], here["x"], here["y"])
        assert road["length_basis"] == "estimate", p
        assert straight_km <= road["length_km"] <= 1.31 * straight_km + 0.1, (p, road["length_km"], straight_km)


def test_the_region_flies_to_each_hub_and_between_its_capitals(G: nx.MultiGraph) -> None:
    H = routes.apply_scenario(G, "baseline")
    flown = nx.Graph((u, v) for u, v, d in H.edges(data=True) if d["mode"] == "air")
    for hub in ("dubai-airport", "doha-airport", "istanbul-airport", "urumqi-airport"):
        assert flown.degree(hub) >= 3, hub
    assert nx.is_connected(flown)  # every airport can reach every other by operating flights


def test_every_flight_cites_its_block_time_from_a_schedule_or_the_fit(G: nx.MultiGraph) -> None:
    flights = _flights()
    assert {d["id"] for d in flights} == {k for _, _, k, d in G.edges(keys=True, data=True) if d["mode"] == "air"}
    estimates = [d for d in flights if d.get("block_time_basis") == "estimate"]
    scheduled = [d for d in flights if d.get("block_time_basis", "schedule") == "schedule"]
    assert len(estimates) + len(scheduled) == len(flights)
    assert len(estimates) < len(scheduled)  # an estimate fills a gap, never the bulk of the layer
    for d in scheduled:
        assert "block_time_h" not in _cited_fields(d, FIT_SOURCE), d["id"]
        assert "block_time_h" in _cited_fields(d), d["id"]
    for d in estimates:
        assert _cited_fields(d, FIT_SOURCE) == {"block_time_h"}, d["id"]
        assert "scripts/fit_air_block_times.py" in d["block_time_method"], d["id"]
        assert {"service_status", "service_date", "airline"} <= _cited_fields(d), d["id"]


def test_each_estimated_block_time_is_the_fit_of_the_scheduled_flights() -> None:
    """Adding a sourced flight moves the line: rerun scripts/fit_air_block_times.py --write."""
    script = _fit_script()
    result = script.fit(script.flight_properties(AIR_LINKS))
    assert result.n_flights == sum(1 for d in _flights() if d.get("block_time_basis") != "estimate")
    assert result.r_squared > 0.9  # block time is close to linear in length: the method holds
    assert 0.3 < result.intercept_h < 1.0  # taxi, climb and descent
    assert 600 < 1 / result.slope_h_per_km < 900  # a jet's cruise, km/h
    for d in _flights():
        if d.get("block_time_basis") == "estimate":
            assert d["block_time_h"] == result.predict_h(d["length_km"]), d["id"]


def test_rewriting_the_estimates_changes_only_their_lines(tmp_path: Path) -> None:
    script = _fit_script()
    path = tmp_path / "air.geojson"
    shutil.copy(AIR_LINKS, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if '"block_time_basis": "estimate"' in line)
    feature = json.loads(lines[target].rstrip(","))
    feature["properties"]["block_time_h"] = 9.99
    lines[target] = json.dumps(feature, ensure_ascii=False) + ("," if lines[target].endswith(",") else "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = script.fit(script.flight_properties(path))
    assert script.rewrite_estimates(path, result) == 1
    assert path.read_text(encoding="utf-8") == AIR_LINKS.read_text(encoding="utf-8")
    assert script.rewrite_estimates(path, result) == 0


def test_a_block_time_method_belongs_to_an_estimate_only(mini_copy: Path) -> None:
    def add_flights(features: list[dict[str, Any]]) -> None:
        road = next(f for f in features if f["properties"]["mode"] == "road")
        for fid, extra in (
            ("estimate-without-method", {"block_time_basis": "estimate"}),
            ("method-without-estimate", {"block_time_method": "a guess"}),
            ("unknown-basis", {"block_time_basis": "rumour"}),
        ):
            flight = json.loads(json.dumps(road))
            props = flight["properties"]
            props.pop("road_class", None)
            props.pop("surface", None)
            props.update(
                id=fid,
                mode="air",
                countries=[],
                airline="Test Air",
                service_status="operating",
                service_date="2025",
                block_time_h=1.0,
                **extra,
            )
            features.append(flight)

    path = mini_copy / "links" / "mini.geojson"
    doc = json.loads(path.read_text())
    add_flights(doc["features"])
    path.write_text(json.dumps(doc))
    msgs = [str(p) for p in routes.validate(mini_copy)]
    for needle in (
        "estimate-without-method | block_time_method: missing",
        "method-without-estimate | block_time_method: only an estimated block time",
        "unknown-basis | block_time_basis: unknown value 'rumour'",
    ):
        assert any(needle in m for m in msgs), (needle, msgs)


@pytest.mark.parametrize(
    ("origin", "destination", "flight"),
    [
        ("Tashkent", "Istanbul", "air-istanbul-airport-tashkent-airport"),
        ("Ashgabat", "Dubai Airport", "air-ashgabat-airport-dubai-airport"),
        ("Osh", "Dubai Airport", "air-dubai-airport-osh-airport"),
        ("Lahore", "Istanbul", "air-istanbul-airport-lahore-airport"),
        ("Bishkek", "Istanbul", "air-istanbul-airport-bishkek-airport"),
        ("Karachi", "Dubai Airport", "air-dubai-airport-karachi-airport"),
    ],
)
def test_the_new_services_are_flown_door_to_door(origin: str, destination: str, flight: str, G: nx.MultiGraph) -> None:
    r = routes.shortest_route(G, origin, destination, by="time", modes=["road", "air"], scenario="afghanistan-closed")
    assert [leg.link for leg in r.legs if leg.mode == "air"] == [flight]
    (leg,) = [leg for leg in r.legs if leg.mode == "air"]
    assert leg.hours == pytest.approx(G.edges[leg.from_id, leg.to_id, flight]["block_time_h"])
    assert r.border_crossings == ()


def test_a_journey_starting_or_ending_at_an_airport_is_handled_there(G: nx.MultiGraph) -> None:
    """As at a seaport: cargo that starts or ends at an airport is loaded or unloaded there."""
    r = routes.shortest_route(G, "Dushanbe Airport", "Almaty Airport", modes=["road", "air"], by="time")
    handled = [s.place for s in r.stops if s.event == "handling"]
    assert handled[0] == r.origin.id
    assert handled[-1] == r.destination.id


# --- where a flight's block time comes from, carried to every leg --------------------------


def _flight_props() -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in _flights()}


def test_every_edge_carries_its_block_time_basis(G: nx.MultiGraph) -> None:
    """The graph keeps what the data says of each flight's block time; other links have none."""
    props = _flight_props()
    for _, _, k, d in G.edges(keys=True, data=True):
        if d["mode"] != "air":
            assert d["block_time_basis"] is None, k
            assert d["block_time_method"] is None, k
            continue
        assert d["block_time_basis"] == props[k].get("block_time_basis", "schedule"), k
        assert d["block_time_method"] == props[k].get("block_time_method"), k
        assert (d["block_time_method"] is not None) == (d["block_time_basis"] == "estimate"), k
    assert sum(d["block_time_basis"] == "estimate" for _, _, d in G.edges(data=True)) == sum(
        p.get("block_time_basis") == "estimate" for p in props.values()
    )


def test_every_air_leg_of_a_route_says_its_basis(G: nx.MultiGraph) -> None:
    """Flown between the ends of each service, every leg says where its hours come from."""
    flagged = 0
    for u, v, d in G.edges(data=True):
        if d["mode"] != "air" or d["service_status"] != "operating":
            continue
        r = routes.shortest_route(G, u, v, modes=["air"], by="time")
        for leg in r.legs:
            edge = G.edges[leg.from_id, leg.to_id, leg.link]
            assert leg.block_time_basis == edge["block_time_basis"] in ("schedule", "estimate"), leg.link
            assert leg.block_time_method == edge["block_time_method"], leg.link
            assert leg.to_dict()["block_time_basis"] == leg.block_time_basis
            assert leg.to_dict()["block_time_method"] == leg.block_time_method
            flagged += leg.estimated_block_time
        assert r.legs_frame()["block_time_basis"].tolist() == [leg.block_time_basis for leg in r.legs]
    assert flagged >= 1
    surface = routes.shortest_route(G, "Dushanbe", "Karachi")
    assert {leg.to_dict()["block_time_basis"] for leg in surface.legs} == {None}


def test_converting_the_graph_and_back_keeps_the_basis(G: nx.MultiGraph) -> None:
    places, links = routes.graph_to_gdfs(G)
    H = routes.graph_from_gdfs(places, links)
    for u, v, k, d in G.edges(keys=True, data=True):
        if d["mode"] == "air":
            h = H.edges[u, v, k]
            assert (h["block_time_basis"], h["block_time_method"]) == (d["block_time_basis"], d["block_time_method"]), k
    r = routes.shortest_route(H, "Dushanbe Airport", "Khujand Airport", modes=["air"])
    assert [leg.block_time_basis for leg in r.legs] == ["estimate"]


def _run(*argv: str) -> tuple[int, str, str]:
    import io

    from routes.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_an_estimated_block_time_is_marked_in_the_table_json_and_map(G: nx.MultiGraph, tmp_path: Path) -> None:
    flight = G.edges["dushanbe-airport", "khujand-airport", "air-dushanbe-airport-khujand-airport"]
    assert flight["block_time_basis"] == "estimate"
    argv = ("route", "Dushanbe Airport", "Khujand Airport", "--mode", "air")
    code, out, err = _run(*argv, "--map", str(tmp_path / "r.html"))
    assert code == 0, err
    (line,) = [x for x in out.splitlines() if "air-routes" in x or " air " in x]
    assert f"{flight['block_time_h']:.1f}*" in line
    assert f"* estimated block time (no schedule found): {flight['block_time_method']}" in out
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "ESTIMATED block time (no schedule found)" in page
    code, out, err = _run(*argv, "--json")
    assert code == 0, err
    (leg,) = json.loads(out)["routes"][0]["legs"]
    assert (leg["block_time_basis"], leg["block_time_method"]) == ("estimate", flight["block_time_method"])
    # A scheduled flight is neither marked nor footnoted.
    code, out, err = _run("route", "Dushanbe Airport", "Tashkent Airport", "--mode", "air")
    assert code == 0, err
    assert "*" not in out
    assert "estimated block time" not in out
