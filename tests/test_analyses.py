"""The network-wide analyses: OD matrix, criticality, their command lines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import routes
from routes.cli import main
from routes.cli._common import SCHEMA_VERSION
from routes.critical_links import criticality, hub_places, od_weights
from routes.results import rounded

MINI = str(Path(__file__).resolve().parent / "data" / "mini")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# --- od_matrix -------------------------------------------------------------------------


def test_od_matrix_equals_shortest_route_on_samples(G: nx.MultiGraph) -> None:
    origins = ["Dushanbe", "Tashkent", "Kashgar", "Herat"]
    dests = ["Karachi", "Gwadar", "Chabahar", "Bandar Abbas", "Peshawar"]
    for by, attr in (("distance", "total_km"), ("time", "total_hours"), ("cost", "total_cost_usd")):
        m = routes.od_matrix(G, origins, dests, by=by, scenario="afghanistan-mainland-closed")
        for o in origins:
            for d in dests:
                oid, did = routes.find_place(G, o), routes.find_place(G, d)
                try:
                    want = getattr(routes.shortest_route(G, o, d, by=by, scenario="afghanistan-mainland-closed"), attr)
                except routes.NoRouteError:
                    assert np.isnan(m.loc[oid, did])
                    continue
                assert m.loc[oid, did] == pytest.approx(want, rel=1e-9)


def test_od_matrix_defaults_to_every_city_and_port(mini: nx.MultiGraph) -> None:
    m = routes.od_matrix(mini)
    kinds = {mini.nodes[p]["kind"] for p in m.index}
    assert kinds <= {"city", "seaport"}
    assert list(m.index) == list(m.columns)
    assert np.all(np.diag(m.to_numpy()) == 0)
    assert m.attrs["unit"] == "km"


def test_od_matrix_rejects_unknown_places(mini: nx.MultiGraph) -> None:
    with pytest.raises(routes.UnknownPlaceError):
        routes.od_matrix(mini, ["Atlantis"])


def test_matrix_cli_text_json_csv() -> None:
    code, out, err = run("matrix", "--data", MINI, "--origins", "Dushanbe,Kabul", "--destinations", "Karachi")
    assert code == 0, err
    assert "Dushanbe" in out
    assert "Karachi" in out
    code, out, _ = run("matrix", "--data", MINI, "--origins", "Dushanbe", "--destinations", "Karachi", "--json")
    doc = json.loads(out)
    assert doc["kind"] == "od_matrix"
    assert doc["schema_version"] == SCHEMA_VERSION
    r = routes.shortest_route(routes.load_network(MINI), "Dushanbe", "Karachi")
    assert doc["total_km"][0][0] == rounded(r.total_km, "km")
    assert doc["total_hours"][0][0] == rounded(r.total_hours, "hours")
    code, out, _ = run("matrix", "--data", MINI, "--origins", "Dushanbe", "--destinations", "Karachi,Kabul", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(x["origin"], x["destination"]) for x in rows] == [("dushanbe", "karachi"), ("dushanbe", "kabul")]
    assert float(rows[0]["total_cost_usd_per_t"]) == rounded(r.total_cost_usd, "usd_per_t")
    code, _, err = run("matrix", "--data", MINI, "--origins", "Atlantis")
    assert code == 2
    assert "Atlantis" in err
    assert "Traceback" not in err


# --- criticality -----------------------------------------------------------------------


def test_hubs_are_the_seaports_and_the_largest_cities(G: nx.MultiGraph) -> None:
    hubs = hub_places(G)
    ports = routes.gateway_ports(G)
    assert len(ports) == 5
    assert hubs[: len(ports)] == ports
    assert len(hubs) == len(ports) + 25
    assert {"karachi", "lahore", "tashkent", "kabul", "dushanbe"} <= set(hubs)


def _mode_changes(r: routes.Route) -> int:
    return sum(s.event in ("transfer", "handling") for s in r.stops)


def test_criticality_invariants_on_the_real_network(G: nx.MultiGraph) -> None:
    for by, unit in (("distance", "km"), ("time", "hours")):
        c = criticality(G, by=by)
        if by == "time":
            assert (c[f"added_{unit}_total"] >= -1e-9).all()
            assert (c[f"added_{unit}_worst"] >= -1e-9).all()
        else:
            # By distance the search minimises the changes of mode first, then km: losing a
            # road can send cargo onto a ship, fewer km for one more change. Check one pair.
            hubs = hub_places(G)
            element = str(c[c.added_km_total < -1e-9].element.iloc[0]) if (c.added_km_total < -1e-9).any() else None
            if element is not None:
                shorter = 0
                for a in hubs:
                    for b in hubs:
                        if a == b:
                            continue
                        before = routes.shortest_route(G, a, b)
                        if element not in {leg.link for leg in before.legs}:
                            continue
                        try:
                            after = routes.shortest_route(G, a, b, avoid_links=[element])
                        except routes.NoRouteError:
                            continue
                        if after.total_km < before.total_km - 1e-9:
                            shorter += 1
                            assert _mode_changes(after) > _mode_changes(before), (element, a, b)
                assert shorter > 0, element
        assert (c["pairs_lengthened"] + c["pairs_disconnected"] <= c.attrs["pairs"]).all()
        # An element whose loss changes nothing has nothing added.
        idle = c[(c.pairs_lengthened == 0) & (c.pairs_disconnected == 0)]
        assert (idle[f"added_{unit}_total"] == 0).all()
        assert list(c["rank"]) == list(range(1, len(c) + 1))


def test_criticality_matches_avoid_links(G: nx.MultiGraph) -> None:
    od = ["Dushanbe", "Tashkent", "Karachi", "Peshawar", "Quetta"]
    c = criticality(G, od=od, by="time")
    top = c[c.type == "link"].iloc[0]
    total = 0.0
    for o in od:
        for d in od:
            if o == d:
                continue
            base = routes.shortest_route(G, o, d, by="time").total_hours
            try:
                cut = routes.shortest_route(G, o, d, by="time", avoid_links=[top.element]).total_hours
            except routes.NoRouteError:
                continue
            total += max(0.0, cut - base)
    assert top.added_hours_total == pytest.approx(total, rel=1e-9)


def test_salang_is_critical_for_central_asia_to_pakistan(G: nx.MultiGraph) -> None:
    od = ["Dushanbe", "Tashkent", "Mazar-i-Sharif", "Kunduz", "Karachi", "Port Qasim", "Peshawar", "Lahore"]
    c = criticality(G, od=od, by="distance")
    top = set(c.head(10).element)
    salang = {k for _, _, k, d in G.edges(keys=True, data=True) if "salang" in k or "Salang" in d["name"]}
    assert salang & top, c.head(10)


def test_population_weights_are_gravity_and_sum_to_the_pairs(G: nx.MultiGraph) -> None:
    hubs = hub_places(G)
    w = od_weights(G, hubs, "population")
    n = len(hubs)
    assert w.sum() == pytest.approx(n * (n - 1))
    i, j = hubs.index("karachi"), hubs.index("lahore")
    k = hubs.index("dushanbe")
    assert w[i, j] > w[i, k] > 0
    assert np.allclose(w, w.T)


def test_weights_csv_errors_name_the_line(tmp_path: Path, mini: nx.MultiGraph) -> None:
    bad = tmp_path / "w.csv"
    bad.write_text("origin,destination,weight\nDushanbe,Karachi,abc\n", encoding="utf-8")
    with pytest.raises(routes.RoutesError, match=r"w\.csv:2"):
        criticality(mini, od=["Dushanbe", "Karachi"], weights=bad)


def test_criticality_cli(tmp_path: Path) -> None:
    code, out, err = run("criticality", "--data", MINI, "--od", "cities", "--top", "5")
    assert code == 0, err
    assert "n-1 criticality" in out
    code, out, _ = run("criticality", "--data", MINI, "--od", "cities", "--json", "--corridors")
    doc = json.loads(out)
    assert doc["kind"] == "criticality"
    assert {e["type"] for e in doc["elements"]} >= {"link", "corridor"}
    code, _, err = run("criticality", "--data", MINI, "--weights", str(tmp_path / "missing.csv"))
    assert code == 2
    assert "missing.csv" in err


# --- port catchments -------------------------------------------------------------------


def test_port_catchment_best_is_the_minimum_and_equals_shortest_route(G: nx.MultiGraph) -> None:
    t = routes.port_catchment(G, ["baseline", "afghanistan-closed"], by="distance", cities=["Dushanbe", "Lahore"])
    ports = t.attrs["ports"]
    for r in t.to_dict("records"):
        kms = {p: r[f"km_to_{p}"] for p in ports}
        reachable = {p: v for p, v in kms.items() if not np.isnan(v)}
        if r["best_port"] is None:
            assert not reachable
            continue
        assert r["best_km"] == min(reachable.values())
        want = routes.shortest_route(G, r["city"], r["best_port"], scenario=r["scenario"]).total_km
        assert r["best_km"] == pytest.approx(want, rel=1e-9)
    dushanbe = t[(t.city == "dushanbe") & (t.scenario == "afghanistan-closed")].iloc[0]
    assert bool(dushanbe.switches) == (dushanbe.best_port != t[t.city == "dushanbe"].iloc[0].best_port)


def test_ports_cli() -> None:
    code, out, err = run("ports", "--data", MINI, "-s", "baseline", "-s", "afghanistan-closed")
    assert code == 0, err
    assert "Best seaport by time" in out
    code, out, _ = run("ports", "--data", MINI, "--json", "--cities", "Dushanbe")
    doc = json.loads(out)
    assert doc["kind"] == "port_catchment"
    assert doc["cities"][0]["city"]["id"] == "dushanbe"
    code, out, _ = run("ports", "--data", MINI, "--csv")
    assert out.startswith("scenarios,city,")


# --- appraisal -------------------------------------------------------------------------


def test_building_a_project_alone_never_worsens_a_pair(G: nx.MultiGraph) -> None:
    from routes.appraisal import projects
    from routes.critical_links import hub_places
    from routes.engine import prepare
    from routes.scenarios import Scenario

    hubs = hub_places(G)
    for by, attr in (("time", "hours"), ("cost", "cost_usd"), ("distance", "km")):
        base = prepare(G, by=by).run(hubs, hubs)
        for project in projects(G):
            build = Scenario(f"build-{project}", build_corridors=(project,), parts=(f"build-{project}",))
            after = prepare(G, by=by, scenario=[build]).run(hubs, hubs)
            assert np.all(after.reachable[base.reachable])
            b, a = getattr(base, attr), getattr(after, attr)
            if by == "distance":
                b, a = base.objective, after.objective  # fewest mode changes first, then km
            assert np.all(a[base.reachable] <= b[base.reachable] + 1e-6), project


def test_appraise_reports_savings_that_match_shortest_route(G: nx.MultiGraph) -> None:
    a = routes.appraise(G, ["wakhan-road", "wakhan-valley-road", "pakistan-motorways"], by="cost")
    assert set(a.project) == {"wakhan-road", "wakhan-valley-road", "pakistan-motorways"}
    assert (a["alone_cost_usd_per_t_saved"] >= 0).all()
    assert (a["removed_cost_usd_per_t_saved"] >= 0).all()
    motorway = a[a.project == "pakistan-motorways"].iloc[0]
    top = motorway.alone_top_pairs.split("; ")[0]
    o, rest = top.split(" → ")
    d, saved = rest.rsplit(" (−", 1)
    by_name = {data["name"]: n for n, data in G.nodes(data=True)}  # names as shown, not looked up
    o, d = by_name[o], by_name[d]
    before = routes.shortest_route(G, o, d, by="cost").total_cost_usd
    build = routes.Scenario("b", build_corridors=("pakistan-motorways",), parts=("b",))
    after = routes.shortest_route(G, o, d, by="cost", scenario=[build]).total_cost_usd
    assert before - after == pytest.approx(float(saved.rstrip(")").replace(",", "")), abs=0.06)


def test_appraise_rejects_unknown_projects(mini: nx.MultiGraph) -> None:
    with pytest.raises(routes.RoutesError, match="Unknown project"):
        routes.appraise(mini, ["hyperloop"])


def test_appraise_cli() -> None:
    code, out, err = run("appraise", "--data", MINI, "--od", "cities")
    assert code == 0, err
    assert "Project appraisal" in out
    code, out, _ = run("appraise", "--data", MINI, "--od", "cities", "--json")
    doc = json.loads(out)
    assert doc["kind"] == "appraisal"
    assert all("alone" in p and "removed" in p for p in doc["projects"])
    code, _, err = run("appraise", "--data", MINI, "--projects", "hyperloop")
    assert code == 2
    assert "hyperloop" in err


# --- gateways to world markets ---------------------------------------------------------


def test_gateways_are_the_ports_land_reaches_and_markets_the_rest(G: nx.MultiGraph) -> None:
    gateways, markets = routes.gateway_ports(G), routes.world_ports(G)
    seaports = {p for p, d in G.nodes(data=True) if d["kind"] == "seaport"}
    assert set(gateways) | set(markets) == seaports
    assert not set(gateways) & set(markets)
    for p in gateways:
        assert any(d["mode"] in ("road", "rail") for _, _, d in G.edges(p, data=True)), p
    for p in markets:
        assert {d["mode"] for _, _, d in G.edges(p, data=True)} == {"sea"}, p
    assert {"port-of-karachi", "gwadar-port", "chabahar-port", "bandar-abbas"} <= set(gateways)
    assert {"rotterdam-port", "shanghai-port", "jebel-ali-port"} <= set(markets)
    assert hub_places(G)[: len(gateways)] == gateways


@pytest.mark.parametrize("by", ["time", "cost", "distance"])
def test_market_gateways_equal_shortest_route_door_to_door(G: nx.MultiGraph, by: str) -> None:
    scenarios = ["baseline", "red-sea-closed", "hormuz-closed", "afghanistan-closed"]
    cities = ["Dushanbe", "Tashkent", "Lahore", "Kashgar"]
    markets = ["Rotterdam", "Shanghai", "Jebel Ali"]
    t = routes.market_gateways(G, markets, scenarios, by=by, cities=cities)
    gateways = t.attrs["gateways"]
    assert len(t) == len(scenarios) * len(cities) * len(markets)
    lanes = {g: [k for _, _, k, d in G.edges(g, keys=True, data=True) if d["mode"] == "sea"] for g in gateways}
    value = {"time": "hours", "cost": "cost_usd_per_t", "distance": "km"}[by]
    for r in t.to_dict("records"):
        try:
            door = routes.shortest_route(G, r["city"], r["market"], by=by, scenario=r["scenario"])
        except routes.NoRouteError:
            assert np.isnan(r["door_hours"])
            assert not isinstance(r["best_gateway"], str)
            continue
        assert r["door_hours"] == pytest.approx(door.total_hours, rel=1e-9)
        assert r["door_cost_usd_per_t"] == pytest.approx(door.total_cost_usd, rel=1e-9)
        # The door-to-door route boards its ship at a gateway: the reported best one.
        boarding = next(leg.from_id for leg in door.legs if leg.mode == "sea")
        assert boarding == r["best_gateway"] or r["via_several"], (r, boarding)
        best = r["best_gateway"]
        other = [k for g in gateways if g != best for k in lanes[g]]
        forced = routes.shortest_route(G, r["city"], r["market"], by=by, scenario=r["scenario"], avoid_links=other)
        assert r["best_km"] == pytest.approx(forced.total_km, rel=1e-9)
        assert r["best_hours"] == pytest.approx(forced.total_hours, rel=1e-9)
        via = [r[f"{value}_via_{g}"] for g in gateways if not np.isnan(r[f"{value}_via_{g}"])]
        if by != "distance":  # distance ranks first by the changes of mode, then km
            assert r[f"best_{value}"] == pytest.approx(min(via), rel=1e-9)
    # Closing Hormuz cuts Jebel Ali off; closing the Red Sea sends Europe round the Cape.
    jebel = t[(t.market == "jebel-ali-port") & (t.scenario == "hormuz-closed")]
    assert jebel.best_gateway.isna().all()
    assert jebel.cut_off.all()
    rot = t[t.market == "rotterdam-port"].set_index(["scenario", "city"])
    for city in rot.loc["baseline"].index:
        assert rot.loc[("red-sea-closed", city), "best_km"] > rot.loc[("baseline", city), "best_km"]


def test_market_gateways_refuse_a_market_that_is_not_a_world_port(G: nx.MultiGraph) -> None:
    with pytest.raises(routes.RoutesError, match=r"Not a world market: .*Karachi.*Rotterdam"):
        routes.market_gateways(G, ["Port of Karachi"], cities=["Dushanbe"])


def test_ports_to_markets_cli(tmp_path: Path) -> None:
    code, out, err = run(
        "ports", "--to", "Rotterdam,Shanghai", "--cities", "Dushanbe,Tashkent", "-s", "baseline", "-s",
        "hormuz-closed", "--map", str(tmp_path / "gw.html"),
    )  # fmt: skip
    assert code == 0, err
    assert "Best gateway port by time, door to door" in out
    for name in ("Dushanbe", "Tashkent", "Rotterdam", "Shanghai"):
        assert name in out
    assert "hormuz-closed (gateway, h)" in out
    assert (tmp_path / "gw.html").stat().st_size > 10_000
    code, out, err = run("ports", "--to", "Rotterdam", "--cities", "Dushanbe", "--csv")
    assert code == 0, err
    assert out.startswith("scenarios,city,city_name,country,market,market_name,best_gateway,")
    code, out, err = run("ports", "--to", "Rotterdam", "--cities", "Dushanbe", "--json")
    assert code == 0, err
    assert '"kind": "market_gateways"' in out
    code, out, err = run("ports", "--to", "Rotterdam", "--cities", "Dushanbe", "--brief", str(tmp_path / "b.html"))
    assert code == 0, err
    assert out.endswith(f"Brief written to {tmp_path / 'b.html'}\n")
    assert "Rotterdam" in (tmp_path / "b.html").read_text(encoding="utf-8")
    code, out, err = run("ports", "--to", "Karachi")
    assert code != 0
    assert "Not a world market" in err
    assert "Traceback" not in err
