"""Routing on the fixture network: paths, totals, dwell, constraints, alternatives, errors."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import routes


def ids(route: routes.Route) -> list[str]:
    return [p.id for p in route.places]


def test_baseline_goes_through_afghanistan(mini: nx.MultiGraph) -> None:
    r = routes.shortest_route(mini, "Dushanbe", "Karachi")
    assert ids(r) == ["dushanbe", "panj-bridge", "kunduz", "kabul", "torkham", "peshawar", "islamabad", "karachi"]
    assert r.total_km == pytest.approx(190 + 60 + 335 + 226 + 53 + 155 + 1410)
    assert r.countries == ("TJK", "AFG", "PAK")
    assert r.border_crossings == ("panj-bridge", "torkham")
    assert r.scenario == ("baseline",)
    assert r.km_by_country == pytest.approx({"TJK": 190, "AFG": 621, "PAK": 1618})


def test_border_dwell_per_direction_and_defaults(mini: nx.MultiGraph) -> None:
    r = routes.shortest_route(mini, "Dushanbe", "Karachi")
    panj = next(s for s in r.stops if s.place == "panj-bridge")
    # TJK exit measured at the bridge (2.1 h, 20 USD per 20-t truck) + AFG entry default (19.5 h, 240 USD).
    assert panj.hours == pytest.approx(2.1 + 19.5)
    assert panj.cost_usd == pytest.approx((20 + 240) / 20)
    assert "TJK exit measured here 2022" in panj.basis
    # The other way, the bridge's own TJK entry figure applies (7.4 h, 185 USD).
    back = routes.shortest_route(mini, "Kunduz", "Dushanbe")
    entry = next(s for s in back.stops if s.place == "panj-bridge")
    assert entry.hours == pytest.approx(19.5 + 7.4)
    assert entry.cost_usd == pytest.approx((240 + 185) / 20)


def test_port_handling_at_destination(mini: nx.MultiGraph) -> None:
    r = routes.shortest_route(mini, "Dushanbe", "Karachi")
    handling = [s for s in r.stops if s.event == "handling"]
    assert [(s.place, s.hours, s.cost_usd) for s in handling] == [("karachi", 48.0, 6.0)]


def test_totals_are_legs_plus_dwell(mini: nx.MultiGraph) -> None:
    r = routes.shortest_route(mini, "Dushanbe", "Karachi", by="time")
    assert r.total_hours == pytest.approx(sum(leg.hours for leg in r.legs) + sum(s.hours for s in r.stops))
    assert r.total_cost_usd == pytest.approx(sum(leg.cost_usd for leg in r.legs) + sum(s.cost_usd for s in r.stops))
    assert r.total_days == pytest.approx(r.total_hours / 24)


def test_mode_transfer_costs_time(mini: nx.MultiGraph) -> None:
    # By cost, the railway Peshawar-Karachi wins despite a transfer at Peshawar.
    r = routes.shortest_route(mini, "Dushanbe", "Karachi", by="cost")
    modes = [leg.mode for leg in r.legs]
    assert modes[-1] == "rail"
    transfer = [s for s in r.stops if s.event == "transfer"]
    assert [(s.place, s.hours) for s in transfer] == [("peshawar", 24.0)]
    road_only = routes.shortest_route(mini, "Dushanbe", "Karachi", by="cost", modes=["road"])
    assert {leg.mode for leg in road_only.legs} == {"road"}
    assert road_only.total_cost_usd > r.total_cost_usd


def test_afghanistan_closed_goes_through_china(mini: nx.MultiGraph) -> None:
    base = routes.shortest_route(mini, "Dushanbe", "Karachi")
    r = routes.shortest_route(mini, "Dushanbe", "Karachi", scenario="afghanistan-closed")
    assert ids(r)[:6] == ["dushanbe", "khorog", "murghab", "kulma", "tashkurgan", "khunjerab"]
    assert "AFG" not in r.countries
    assert r.total_km - base.total_km > 1000
    assert r.months_open == (5, 6, 7, 8, 9, 10, 11)
    assert r.max_elevation_m == 4693


def test_winter_closes_passes_and_names_them(mini: nx.MultiGraph) -> None:
    with pytest.raises(routes.NoRouteError) as info:
        routes.shortest_route(mini, "Dushanbe", "Karachi", scenario=["afghanistan-closed", "winter"])
    msg = str(info.value)
    assert "Kulma Pass is closed in Jan" in msg
    assert "Khunjerab Pass is closed in Jan" in msg
    assert "Afghanistan is closed" in msg
    assert len(info.value.closures) == 2


def test_month_argument_overrides_scenario(mini: nx.MultiGraph) -> None:
    r = routes.shortest_route(mini, "Dushanbe", "Karachi", scenario=["afghanistan-closed", "winter"], month=7)
    assert r.month == 7
    with pytest.raises(routes.NoRouteError, match="closed in Dec"):
        routes.shortest_route(mini, "Dushanbe", "Karachi", scenario="afghanistan-closed", month=12)


def test_wakhan_built_with_mainland_closed_uses_broghil(mini: nx.MultiGraph) -> None:
    r = routes.shortest_route(mini, "Dushanbe", "Karachi", scenario=["afghanistan-mainland-closed", "wakhan-built"])
    assert "broghil" in ids(r)
    assert "sarhad" in ids(r)
    assert set(r.unbuilt) == {"wakhan-sarhad-broghil", "broghil-chitral"}
    # Without the road built, the Wakhan leads nowhere: Broghil is only proposed.
    r2 = routes.shortest_route(mini, "Dushanbe", "Karachi", scenario="afghanistan-mainland-closed")
    assert "broghil" not in ids(r2)


def test_no_route_names_unbuilt_corridor(mini: nx.MultiGraph) -> None:
    with pytest.raises(routes.NoRouteError, match="wakhan-road is proposed, not built"):
        routes.shortest_route(mini, "Sarhad-e Broghil", "Chitral", avoid_places=["Ishkashim bridge"])


def test_closed_origin_is_explained(mini: nx.MultiGraph) -> None:
    with pytest.raises(routes.NoRouteError, match="Afghanistan is closed"):
        routes.shortest_route(mini, "Kabul", "Karachi", scenario="afghanistan-closed")


def test_constraints(mini: nx.MultiGraph) -> None:
    r = routes.shortest_route(mini, "Dushanbe", "Karachi", avoid_countries=["AFG"])
    assert "AFG" not in r.countries
    low = routes.shortest_route(mini, "Dushanbe", "Karachi", max_elevation_m=3500)
    assert low.max_elevation_m is not None
    assert low.max_elevation_m <= 3500
    with pytest.raises(routes.NoRouteError, match="may not climb above 3,000 m"):
        routes.shortest_route(mini, "Dushanbe", "Karachi", max_elevation_m=3000, avoid_countries=["AFG"])
    with pytest.raises(routes.RoutesError, match="Unknown country code"):
        routes.shortest_route(mini, "Dushanbe", "Karachi", avoid_countries=["ATL"])
    with pytest.raises(routes.RoutesError, match="by must be one of"):
        routes.shortest_route(mini, "Dushanbe", "Karachi", by="beauty")


def test_alternatives_are_genuinely_different(mini: nx.MultiGraph) -> None:
    alts = routes.alternative_routes(mini, "Dushanbe", "Karachi", k=3)
    assert len(alts) == 3
    sigs = {(r.border_crossings, r.corridors) for r in alts}
    assert len(sigs) == 3
    assert alts[0].total_km <= alts[1].total_km <= alts[2].total_km
    assert any("kulma" in r.border_crossings for r in alts)


def test_apply_scenario_does_not_change_base(mini: nx.MultiGraph) -> None:
    before_nodes = dict(mini.nodes(data=True))
    n_edges = mini.number_of_edges()
    H = routes.apply_scenario(mini, ["afghanistan-closed", "wakhan-built"])
    assert "kabul" not in H
    assert "kabul" in mini
    assert mini.number_of_edges() == n_edges
    assert dict(mini.nodes(data=True)) == before_nodes
    assert H.graph["scenario"] == ("afghanistan-closed", "wakhan-built")


def test_routing_on_applied_graph(mini: nx.MultiGraph) -> None:
    H = routes.apply_scenario(mini, "afghanistan-closed")
    r = routes.shortest_route(H, "Dushanbe", "Karachi")
    assert r.scenario == ("afghanistan-closed",)
    with pytest.raises(routes.RoutesError, match="already has a scenario"):
        routes.shortest_route(H, "Dushanbe", "Karachi", scenario="winter")


def test_compare_reports_unreachable_with_reason(mini: nx.MultiGraph) -> None:
    c = routes.compare(mini, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed", "afghanistan-closed+winter"])
    assert [r.reachable for r in c.results] == [True, True, False]
    assert "Khunjerab Pass is closed in Jan" in (c.results[2].reason or "")
    deltas = c.deltas()
    assert deltas[0] == {"km": 0, "hours": 0, "cost_usd": 0}
    assert deltas[1] is not None
    assert deltas[1]["km"] > 1000
    assert deltas[2] is None
    payload = c.to_dict()
    assert payload["results"][2]["reachable"] is False
    assert payload["results"][2]["scenarios"] == ["afghanistan-closed", "winter"]
    frame = c.to_frame()
    assert list(frame.index) == ["baseline", "afghanistan-closed", "afghanistan-closed+winter"]


def test_route_conversions(mini: nx.MultiGraph) -> None:
    r = routes.shortest_route(mini, "Dushanbe", "Karachi")
    gdf = r.to_gdf()
    assert len(gdf) == len(r.legs)
    assert gdf.crs.to_string() == "EPSG:4326"
    assert gdf.geometry.iloc[0].coords[0] == (68.78, 38.54)
    legs = r.legs_frame()
    assert legs["km"].sum() == pytest.approx(r.total_km)
    summary = r.summary_frame()
    assert summary.loc["baseline", "border_crossings"] == 2
    html = r._repr_html_()
    assert "<table>" in html
    assert "Dushanbe" in html
    d = r.to_dict()
    assert d["legs"][0]["from"] == "dushanbe"
    assert d["origin"] == {"id": "dushanbe", "name": "Dushanbe", "country": "TJK", "kind": "city"}


def test_legs_follow_direction_of_travel(mini: nx.MultiGraph) -> None:
    # The link is stored Torkham -> Peshawar; travelled backwards its geometry reverses.
    there = routes.shortest_route(mini, "Torkham", "Peshawar")
    back = routes.shortest_route(mini, "Peshawar", "Torkham")
    assert there.legs[0].coords == tuple(reversed(back.legs[0].coords))
    assert there.legs[0].coords[0] == (71.08, 34.11)


# ---------------------------------------------------------------------------------------
# Properties.

PLACES = ["dushanbe", "khorog", "kashgar", "karachi", "peshawar", "kunduz", "sost", "chitral", "tashkurgan"]
SCENARIOS = ["baseline", "afghanistan-closed", "kkh-closed", "torkham-closed", "wakhan-built", "winter"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    o=st.sampled_from(PLACES),
    d=st.sampled_from(PLACES),
    by=st.sampled_from(["distance", "time", "cost"]),
    close=st.sampled_from(
        [("place", p) for p in PLACES[1:]]
        + [("country", c) for c in ("AFG", "CHN", "TJK")]
        + [("link", k) for k in ("kunduz-kabul", "m1-islamabad-peshawar", "kkh-sost-islamabad")]
    ),
)
def test_closing_never_makes_a_route_cheaper(
    mini: nx.MultiGraph, o: str, d: str, by: str, close: tuple[str, str]
) -> None:
    kind, what = close
    if o == d or (kind == "place" and what in (o, d)):  # an endpoint cannot be avoided (tested elsewhere)
        return
    kwargs = {
        "place": {"avoid_places": [what]},
        "country": {"avoid_countries": [what]},
        "link": {"avoid_links": [what]},
    }[kind]
    try:
        base = routes.shortest_route(mini, o, d, by=by)
    except routes.NoRouteError:
        with pytest.raises(routes.NoRouteError):
            routes.shortest_route(mini, o, d, by=by, **kwargs)
        return
    try:
        closed = routes.shortest_route(mini, o, d, by=by, **kwargs)
    except routes.NoRouteError:
        return
    metric = {"distance": "total_km", "time": "total_hours", "cost": "total_cost_usd"}[by]
    assert getattr(closed, metric) >= getattr(base, metric) - 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    o=st.sampled_from(PLACES),
    d=st.sampled_from(PLACES),
    by=st.sampled_from(["distance", "time", "cost"]),
    scenario=st.lists(st.sampled_from(SCENARIOS), min_size=1, max_size=3, unique=True),
)
def test_route_invariants(mini: nx.MultiGraph, o: str, d: str, by: str, scenario: list[str]) -> None:
    if o == d:
        return
    snapshot = (
        sorted(mini.nodes),
        sorted(mini.edges(keys=True)),
        {k: dict(dd) for _, _, k, dd in mini.edges(keys=True, data=True)},
    )
    closures: list[str] = []
    try:
        r = routes.shortest_route(mini, o, d, by=by, scenario=scenario)
    except routes.NoRouteError as exc:
        closures, r = exc.closures, None
    if r is None:
        assert closures, "a missing route must say what cut it"
    if r is not None:
        # Legs are contiguous and start and end at origin and destination.
        assert r.legs[0].from_id == o
        assert r.legs[-1].to_id == d
        for a, b in zip(r.legs, r.legs[1:], strict=False):
            assert a.to_id == b.from_id
            assert a.coords[-1] == b.coords[0]
        # Totals equal the sum of legs and dwell.
        assert r.total_km == pytest.approx(sum(leg.km for leg in r.legs))
        assert r.total_hours == pytest.approx(sum(leg.hours for leg in r.legs) + sum(s.hours for s in r.stops))
        assert r.total_cost_usd == pytest.approx(sum(leg.cost_usd for leg in r.legs) + sum(s.cost_usd for s in r.stops))
        assert len(r.places) == len(r.legs) + 1
    # The base graph is unchanged.
    after = (
        sorted(mini.nodes),
        sorted(mini.edges(keys=True)),
        {k: dict(dd) for _, _, k, dd in mini.edges(keys=True, data=True)},
    )
    assert after == snapshot


def test_door_to_door_transfers_at_both_ends(mini: nx.MultiGraph) -> None:
    # From the port (a terminal) the train leaves directly; at Peshawar, a city, goods go
    # onto a truck: a transfer after the last leg.
    r = routes.shortest_route(mini, "Karachi", "Peshawar", by="cost", modes=["road", "rail"])
    assert [leg.mode for leg in r.legs] == ["rail"]
    assert [(s.place, s.event) for s in r.stops] == [("karachi", "handling"), ("peshawar", "transfer")]
    # Rail only: the journey ends on the train.
    rail = routes.shortest_route(mini, "Karachi", "Peshawar", modes=["rail"])
    assert [s.event for s in rail.stops] == ["handling"]


def test_distance_prefers_fewer_changes_of_mode(mini_copy: Path) -> None:
    # A railway Islamabad-Karachi 110 km shorter than the motorway: by distance the route
    # still stays on the road, because a change of mode outweighs any saving in km.
    path = mini_copy / "links" / "mini.geojson"
    doc = json.loads(path.read_text())
    road = next(f for f in doc["features"] if f["properties"]["id"] == "m-islamabad-karachi")
    rail = json.loads(json.dumps(road))
    rail["properties"].update({"id": "rail-islamabad-karachi", "mode": "rail", "corridor": "ml-1", "length_km": 1300})
    rail["properties"].pop("road_class")
    rail["properties"]["gauge_mm"] = 1676
    doc["features"].append(rail)
    path.write_text(json.dumps(doc))
    G = routes.load_network(mini_copy)
    r = routes.shortest_route(G, "Dushanbe", "Karachi")
    assert {leg.mode for leg in r.legs} == {"road"}
    assert r.legs[-1].link == "m-islamabad-karachi"
    # Asked for rail from Islamabad, the shorter railway is used.
    by_rail = routes.shortest_route(G, "Islamabad", "Karachi", modes=["rail"])
    assert [leg.link for leg in by_rail.legs] == ["rail-islamabad-karachi"]
