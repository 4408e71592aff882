"""Sea lanes, chokepoints and flights on the real network: generation, rules, scenarios, maps."""

from __future__ import annotations

import csv
import importlib.util
import io
import itertools
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pytest

import routes
from routes.cli import main
from routes.maps import _line_geometry, render_html
from routes.schema import BORDERLESS_MODES, haversine_km

ROOT = Path(__file__).resolve().parent.parent
WORLD_PORTS = (
    "jebel-ali-port",
    "salalah-port",
    "jeddah-port",
    "mundra-port",
    "nhava-sheva-port",
    "colombo-port",
    "singapore-port",
    "shanghai-port",
    "busan-port",
    "rotterdam-port",
    "hamburg-port",
    "piraeus-port",
    "mersin-port",
)
REGION_PORTS = ("port-of-karachi", "port-qasim", "gwadar-port", "bandar-abbas", "chabahar-port")
PASSAGES = {
    "red-sea-closed": ("suez-canal", "bab-el-mandeb"),
    "hormuz-closed": ("strait-of-hormuz",),
}


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_sea_lanes", ROOT / "scripts" / "build_sea_lanes.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_sea_files_are_current() -> None:
    """Regenerating the lanes with searoute gives the committed files byte for byte."""
    pytest.importorskip("searoute")
    pytest.importorskip("global_land_mask")
    builder = _builder()
    places, links = builder.build(ROOT / "geodata")
    for kind, features in (("places", places), ("links", links)):
        committed = (ROOT / "geodata" / kind / "sea.geojson").read_text(encoding="utf-8")
        assert builder.feature_collection_text(features) == committed, (
            f"geodata/{kind}/sea.geojson is stale: run python scripts/build_sea_lanes.py"
        )


def test_sea_files_keep_one_feature_per_line() -> None:
    for kind in ("places", "links"):
        lines = (ROOT / "geodata" / kind / "sea.geojson").read_text(encoding="utf-8").splitlines()
        assert lines[0] == '{"type": "FeatureCollection", "features": ['
        assert lines[-1] == "]}"
        for line in lines[1:-1]:
            assert json.loads(line.rstrip(","))["type"] == "Feature"


def test_every_world_port_is_reachable_by_sea_from_every_region_port(G: nx.MultiGraph) -> None:
    for origin in REGION_PORTS:
        for destination in WORLD_PORTS:
            r = routes.shortest_route(G, origin, destination, modes=["sea"])
            assert r.total_km > 100
            assert {leg.mode for leg in r.legs} == {"sea"}


def test_every_port_sails_out_towards_its_destination(G: nx.MultiGraph) -> None:
    """Between any two of the region's ports the lane is under 1.5 times the great-circle distance.

    The guard against a port joined to the lanes far off its way: searoute alone snaps
    Chabahar to a lane vertex 225 km south-east, which made Chabahar-Gwadar (170 km apart)
    a 555 km lane.
    """
    for a, b in itertools.combinations(REGION_PORTS, 2):
        r = routes.shortest_route(G, a, b, modes=["sea"])
        crow_km = haversine_km(G.nodes[a]["x"], G.nodes[a]["y"], G.nodes[b]["x"], G.nodes[b]["y"])
        assert crow_km <= r.total_km < 1.5 * crow_km, (a, b, r.total_km, crow_km)


def test_every_sea_link_is_at_least_as_long_as_the_great_circle(G: nx.MultiGraph) -> None:
    for u, v, k, d in G.edges(keys=True, data=True):
        if d["mode"] == "sea":
            crow_km = haversine_km(G.nodes[u]["x"], G.nodes[u]["y"], G.nodes[v]["x"], G.nodes[v]["y"])
            assert d["length_km"] >= crow_km, k


def test_sea_and_air_links_cross_no_border(G: nx.MultiGraph) -> None:
    """The rule: ships and planes are cleared at the port or airport, never at a border post."""
    borderless = [(k, d) for _, _, k, d in G.edges(keys=True, data=True) if d["mode"] in BORDERLESS_MODES]
    assert len(borderless) > 50
    for k, d in borderless:
        assert d["countries"] == (), k
        for end in (d["from"], d["to"]):
            assert G.nodes[end]["kind"] in ("seaport", "passage", "airport"), (k, end)


def test_door_to_door_to_rotterdam(G: nx.MultiGraph) -> None:
    r = routes.shortest_route(G, "Dushanbe", "Rotterdam")
    assert r.legs[0].mode == "road"
    assert r.legs[-1].mode == "sea"
    assert r.border_crossings, "the land legs cross borders"
    handling = [s for s in r.stops if s.event == "handling"]
    # Loaded onto a ship at the gateway port, unloaded at Rotterdam.
    assert len(handling) == 2
    assert G.nodes[handling[0].place]["kind"] == "seaport"
    assert handling[-1].place == "rotterdam-port"
    # No border post at sea: every border stop is at a land crossing.
    assert all(G.nodes[s.place].get("border") for s in r.stops if s.event == "border")
    sea_km = sum(leg.km for leg in r.legs if leg.mode == "sea")
    assert 10_000 < sea_km < 13_000
    assert {"suez-canal", "bab-el-mandeb"} <= {p.id for p in r.places}


def test_every_mode_change_onto_a_ship_or_plane_is_a_handling_at_a_port_or_airport(G: nx.MultiGraph) -> None:
    for origin in ("Dushanbe", "Tashkent", "Almaty", "Kabul"):
        for destination in ("Rotterdam", "Shanghai", "Jebel Ali", "Islamabad"):
            r = routes.shortest_route(G, origin, destination, by="time", modes=["road", "rail", "sea", "air"])
            for before, after in zip(r.legs, r.legs[1:], strict=False):
                if before.mode != after.mode and {before.mode, after.mode} & BORDERLESS_MODES:
                    at = [s for s in r.stops if s.place == before.to_id and s.event == "handling"]
                    assert at, (origin, destination, before.to_id)
                    assert G.nodes[before.to_id]["kind"] in ("seaport", "airport")


def test_red_sea_closed_goes_round_the_cape(G: nx.MultiGraph) -> None:
    base = routes.shortest_route(G, "Dushanbe", "Rotterdam")
    closed = routes.shortest_route(G, "Dushanbe", "Rotterdam", scenario="red-sea-closed")
    ids = {p.id for p in closed.places}
    assert "cape-of-good-hope" in ids
    assert not ids & {"suez-canal", "bab-el-mandeb"}
    assert closed.total_km > base.total_km + 5_000
    assert closed.total_hours > base.total_hours


def test_compare_tashkent_shanghai_under_three_scenarios(G: nx.MultiGraph) -> None:
    c = routes.compare(G, "Tashkent", "Shanghai", ["baseline", "afghanistan-closed", "red-sea-closed"])
    frame = c.to_frame()
    assert list(frame.index) == ["baseline", "afghanistan-closed", "red-sea-closed"]
    assert (frame["total_km"] > 5_000).all()
    # Shanghai is east: closing the Red Sea changes nothing; closing Afghanistan makes it longer,
    # and (on the cheapest routes) never cheaper.
    assert frame.loc["red-sea-closed", "total_km"] == frame.loc["baseline", "total_km"]
    assert frame.loc["afghanistan-closed", "total_km"] > frame.loc["baseline", "total_km"]
    by_cost = routes.compare(G, "Tashkent", "Shanghai", ["baseline", "afghanistan-closed"], by="cost").to_frame()
    assert by_cost.loc["afghanistan-closed", "total_cost_usd"] >= by_cost.loc["baseline", "total_cost_usd"]


@pytest.mark.parametrize("scenario", sorted(PASSAGES))
def test_a_closed_passage_gives_a_detour_or_an_explained_no_route(G: nx.MultiGraph, scenario: str) -> None:
    """Never a 0 km route (searoute's behaviour when blocked): a detour, or a no-route naming the passage."""
    closed = PASSAGES[scenario]
    names = [G.nodes[p]["name"] for p in closed]
    for origin in REGION_PORTS:
        for destination in WORLD_PORTS:
            try:
                r = routes.shortest_route(G, origin, destination, scenario=scenario, modes=["sea"])
            except routes.NoRouteError as exc:
                reasons = exc.closures
            else:
                assert r.total_km > 0
                assert not {p.id for p in r.places} & set(closed)
                continue
            assert any(name in c for c in reasons for name in names), reasons


def test_jeddah_and_the_gulf_are_cut_off_with_their_reason(G: nx.MultiGraph) -> None:
    with pytest.raises(routes.NoRouteError, match="Bab-el-Mandeb is closed"):
        routes.shortest_route(G, "Port of Karachi", "Jeddah", scenario="red-sea-closed")
    with pytest.raises(routes.NoRouteError, match="Strait of Hormuz is closed"):
        routes.shortest_route(G, "Tashkent", "Jebel Ali", scenario="hormuz-closed")
    # Bandar Abbas keeps its road and rail, but not the sea.
    with pytest.raises(routes.NoRouteError, match="Strait of Hormuz is closed"):
        routes.shortest_route(G, "Bandar Abbas", "Rotterdam", scenario="hormuz-closed", modes=["sea"])
    detour = routes.shortest_route(G, "Mashhad", "Rotterdam", scenario="hormuz-closed")
    assert "bandar-abbas" not in [leg.from_id for leg in detour.legs if leg.mode == "sea"]


#: The ports inside the Strait of Hormuz: closing it cuts them off from every port outside.
GULF_PORTS = ("bandar-abbas", "jebel-ali-port")


def _ports_outside_the_gulf(G: nx.MultiGraph) -> list[str]:
    return sorted(n for n, d in G.nodes(data=True) if d["kind"] == "seaport" and n not in GULF_PORTS)


def test_hormuz_closed_cuts_the_gulf_ports_off_by_sea_and_says_why(G: nx.MultiGraph) -> None:
    """Bandar Abbas and Jebel Ali reach every other port by sea, until the strait closes: then a no-route naming it."""
    for gulf in GULF_PORTS:
        for port in _ports_outside_the_gulf(G):
            for a, b in ((gulf, port), (port, gulf)):
                assert routes.shortest_route(G, a, b, modes=["sea"]).total_km > 0
                with pytest.raises(routes.NoRouteError) as info:
                    routes.shortest_route(G, a, b, modes=["sea"], scenario="hormuz-closed")
                assert "Strait of Hormuz is closed (hormuz-closed)" in info.value.closures, (a, b)
                assert "Strait of Hormuz is closed" in str(info.value)


def test_hormuz_closed_leaves_the_sea_outside_the_gulf_as_it_was(G: nx.MultiGraph) -> None:
    for a, b in itertools.combinations(_ports_outside_the_gulf(G), 2):
        base = routes.shortest_route(G, a, b, modes=["sea"])
        closed = routes.shortest_route(G, a, b, modes=["sea"], scenario="hormuz-closed")
        assert "strait-of-hormuz" not in {p.id for p in closed.places}, (a, b)
        if "strait-of-hormuz" in {p.id for p in base.places}:
            assert closed.total_km > base.total_km, (a, b)
        else:
            assert closed.total_km == pytest.approx(base.total_km), (a, b)


def test_the_cli_explains_bandar_abbas_cut_off_by_sea() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["route", "Bandar Abbas", "Rotterdam", "-s", "hormuz-closed", "--mode", "sea"], out=out, err=err)
    assert code == 3, err.getvalue()
    assert out.getvalue() == ""
    assert "No route from Bandar Abbas (Shahid Rajaee port) to Rotterdam under hormuz-closed" in err.getvalue()
    assert "Strait of Hormuz is closed (hormuz-closed)" in err.getvalue()
    assert "Traceback" not in err.getvalue()


#: Published extra distances of a closed passage, in tests/data/published_detours.csv. Columns:
#: ``origin``, ``destination`` (place names); ``scenario`` (a built-in scenario); ``extra_km_low``,
#: ``extra_km_high`` (the published extra distance of the scenario's sea route over the baseline's,
#: km, nautical miles converted at 1.852; equal unless the source gives a range); ``notes`` (the
#: source's words, verbatim, and the conversion); ``source_title``, ``source_url``, ``source_date``.
DETOURS_CSV = ROOT / "tests" / "data" / "published_detours.csv"

#: Published detours the network misses, each with why (strict: a fix makes them pass).
KNOWN_DETOUR_GAPS = {
    ("Port of Karachi", "Rotterdam", "red-sea-closed"): (
        "the published 3,500 km is below any sailable detour: the great circles Karachi - Cape Agulhas - "
        "Rotterdam alone measure 18,040 km, 6,550 km more than the 11,487 km Suez lane; it is most likely the "
        "Far East's 'about 3,500 nautical miles' with the unit changed (the network's detour is 8,858 km, "
        "within the 4,000-6,000 nm FIEO gives for India's trade)"
    ),
}


def _published_detours() -> list[dict[str, str]]:
    with DETOURS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _published_detour_params() -> list[Any]:
    params = []
    for r in _published_detours():
        gap = KNOWN_DETOUR_GAPS.get((r["origin"], r["destination"], r["scenario"]))
        marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
        params.append(pytest.param(r, marks=marks, id=f"{r['origin']}-{r['destination']}-{r['scenario']}"))
    return params


def test_published_detours_are_sourced_and_some_are_matched(G: nx.MultiGraph) -> None:
    rows = _published_detours()
    scenarios = set(routes.builtin_scenarios(G))
    for r in rows:
        assert r["scenario"] in scenarios, r
        assert 0 < float(r["extra_km_low"]) <= float(r["extra_km_high"]), r
        assert r["source_url"].startswith(("http://", "https://")), r
        assert "'" in r["notes"], f"no verbatim quote in the notes of {r['origin']}-{r['destination']}"
    keys = {(r["origin"], r["destination"], r["scenario"]) for r in rows}
    assert set(KNOWN_DETOUR_GAPS) <= keys, "a known gap without its row"
    assert any(k[2] == "red-sea-closed" and k not in KNOWN_DETOUR_GAPS for k in keys)


@pytest.mark.parametrize("row", _published_detour_params())
def test_published_detours_within_ten_percent(G: nx.MultiGraph, row: dict[str, str]) -> None:
    """Closing the passages lengthens the sea route by the published detour, within 10% of its range."""
    base = routes.shortest_route(G, row["origin"], row["destination"], modes=["sea"])
    closed = routes.shortest_route(G, row["origin"], row["destination"], modes=["sea"], scenario=row["scenario"])
    extra_km = closed.total_km - base.total_km
    low_km, high_km = float(row["extra_km_low"]), float(row["extra_km_high"])
    assert 0.9 * low_km <= extra_km <= 1.1 * high_km, (extra_km, low_km, high_km, row["source_title"])


def test_closing_a_passage_never_shortens_a_route(G: nx.MultiGraph) -> None:
    for destination in ("Rotterdam", "Piraeus", "Shanghai", "Jebel Ali", "Mundra"):
        base = routes.shortest_route(G, "Kabul", destination, by="cost")
        for scenario in PASSAGES:
            try:
                r = routes.shortest_route(G, "Kabul", destination, by="cost", scenario=scenario)
            except routes.NoRouteError:
                continue
            assert r.total_cost_usd >= base.total_cost_usd - 1e-9


def test_air_only_when_asked(G: nx.MultiGraph) -> None:
    """Freight stays on the surface by default; --mode ...,air lets it fly."""
    for by in ("distance", "time", "cost"):
        r = routes.shortest_route(G, "Dushanbe", "Islamabad", by=by, scenario=["afghanistan-closed", "kkh-closed"])
        assert "air" not in {leg.mode for leg in r.legs}
    flown = routes.shortest_route(
        G, "Dushanbe", "Islamabad", by="time", scenario=["afghanistan-closed", "kkh-closed"], modes=["road", "air"]
    )
    assert [leg.mode for leg in flown.legs] == ["road", "air", "road"]
    assert flown.legs[1].link == "air-dushanbe-airport-islamabad-airport"
    assert flown.legs[1].hours == pytest.approx(1.5)  # the block time
    airports = [s for s in flown.stops if s.event == "handling"]
    assert [s.place for s in airports] == ["dushanbe-airport", "islamabad-airport"]
    assert flown.border_crossings == ()


def test_a_suspended_service_is_not_flown_and_says_so(G: nx.MultiGraph) -> None:
    H = routes.apply_scenario(G, "baseline")
    assert not H.has_edge("dushanbe-airport", "lahore-airport")
    labels = [c.label for c in H.graph["closures"] if "suspended" in c.label]
    assert labels == [
        "Flight: Dushanbe International Airport – Allama Iqbal International Airport (Somon Air) is suspended "
        '(since 2024-06-27; a scenario that restores it: [build] links = ["air-dushanbe-airport-lahore-airport"])'
    ]
    r = routes.shortest_route(G, "Dushanbe Airport", "Lahore Airport", modes=["air"])
    assert "air-dushanbe-airport-lahore-airport" not in [leg.link for leg in r.legs]
    with pytest.raises(routes.NoRouteError, match="is suspended"):
        # Lahore's other flights are to Ürümqi, Almaty, Doha, Dubai and Istanbul: without them only the
        # suspended one is left.
        routes.shortest_route(
            G, "Dushanbe Airport", "Lahore Airport", modes=["air"], avoid_countries=["CHN", "KAZ", "QAT", "ARE", "TUR"]
        )


def test_world_countries_are_accepted_and_avoidable(G: nx.MultiGraph) -> None:
    with pytest.raises(routes.NoRouteError, match="United Arab Emirates is avoided"):
        routes.shortest_route(G, "Karachi", "Jebel Ali", avoid_countries=["ARE"])
    r = routes.shortest_route(G, "Karachi", "Rotterdam", avoid_countries=["EGY"])
    assert "cape-of-good-hope" in {p.id for p in r.places}


def test_lines_never_wrap_the_globe() -> None:
    geom = _line_geometry([(178.0, 10.0), (-178.0, 12.0), (-170.0, 14.0)])
    assert geom["type"] == "MultiLineString"
    first, second = geom["coordinates"]
    assert first[-1] == [180.0, 11.0]
    assert second[0] == [-180.0, 11.0]
    assert all(abs(a[0] - b[0]) <= 180 for part in geom["coordinates"] for a, b in itertools.pairwise(part))
    assert _line_geometry([(60.0, 25.0), (70.0, 20.0)])["type"] == "LineString"


def test_network_map_draws_lanes_passages_and_flights(G: nx.MultiGraph) -> None:
    html = render_html(routes.network_map(G))
    assert "Sea lanes: operational (" in html
    assert "Flights: operational (" in html
    assert "Flights: suspended service (1)" in html
    assert "Sea passages (6)" in html
    assert "Airports (" in html
    H = routes.apply_scenario(G, "red-sea-closed")
    closed = render_html(routes.network_map(G, scenario=H))
    assert json.dumps("closed: Suez Canal")[1:-1] in closed


def test_flying_on_is_a_connection_at_the_airport(G: nx.MultiGraph) -> None:
    r = routes.shortest_route(G, "Kashgar", "Doha Airport", by="time", modes=["road", "air"])
    assert [leg.mode for leg in r.legs] == ["road", "air", "air"]
    connections = [s for s in r.stops if s.event == "connection"]
    assert [s.place for s in connections] == ["islamabad-airport"]  # Qatar Airways flies Islamabad-Doha
    assert all(s.hours > 0 for s in connections)
    assert r.total_hours == pytest.approx(sum(leg.hours for leg in r.legs) + sum(s.hours for s in r.stops))


def test_a_port_with_a_measured_time_but_no_cost_takes_the_default_cost(G: nx.MultiGraph) -> None:
    """Rotterdam's handling record gives hours only: it must not make Rotterdam's handling free."""
    rotterdam = routes.shortest_route(G, "Port of Karachi", "Rotterdam", modes=["sea"])
    (stop,) = [s for s in rotterdam.stops if s.place == "rotterdam-port"]
    assert stop.hours == pytest.approx(163.2)
    assert stop.cost_usd > 0
    assert "cost: default" in stop.basis


def test_every_flight_has_a_plausible_block_speed_and_a_sourced_block_time(G: nx.MultiGraph) -> None:
    """Block times come from schedules: gate to gate, so slower than cruise and faster than a car."""
    flights = [(k, d) for _, _, k, d in G.edges(keys=True, data=True) if d["mode"] == "air"]
    assert len(flights) >= 13
    for k, d in flights:
        speed = d["length_km"] / d["block_time_h"]
        assert 150 <= speed <= 900, (k, speed)
        fields = {f for s in d["sources"] for f in s.get("fields", ())}
        assert {"block_time_h", "service_status", "airline"} <= fields, k


def test_the_issue_airports_are_in_and_reached_by_road_or_air(G: nx.MultiGraph) -> None:
    airports = {p for p, d in G.nodes(data=True) if d["kind"] == "airport"}
    assert {"kabul-airport", "peshawar-airport", "samarkand-airport", "dubai-airport"} <= airports
    for p in airports:
        modes = {d["mode"] for _, _, d in G.edges(p, data=True)}
        assert "air" in modes, p
    for p in ("kabul-airport", "peshawar-airport", "samarkand-airport"):
        city = p.removesuffix("-airport")
        assert G.has_edge(city, p), p  # a region's airport is reached by truck from its city


def test_pakistani_ports_handle_by_the_measure_of_the_other_ports(G: nx.MultiGraph) -> None:
    """Port Qasim's own Doing Business terminal time; Karachi, with none, takes the same default."""
    qasim = routes.shortest_route(G, "Dushanbe", "Port Qasim")
    (stop,) = [s for s in qasim.stops if s.event == "handling"]
    assert stop.hours == 65
    assert "measured here 2016" in stop.basis
    karachi = routes.shortest_route(G, "Dushanbe", "Port of Karachi")
    (stop,) = [s for s in karachi.stops if s.event == "handling"]
    assert stop.hours == 65
    assert "default" in stop.basis
