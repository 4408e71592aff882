"""The notebook API: arguments as people type them, networkx conventions, exact round trips."""

from __future__ import annotations

import copy
import itertools
import math
import pickle
import pydoc
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import routes
from routes.cli import main
from routes.export import export_network
from routes.network import EdgeData, _LazyLine

MINI = Path(__file__).resolve().parent / "data" / "mini"

# Cities and ports spread over every country of the network: many OD pairs, both ways.
CITIES = ["Dushanbe", "Karachi", "Kashgar", "Tashkent", "Gwadar", "Peshawar", "Termez", "Osh", "Quetta", "Mashhad"]


@pytest.fixture(scope="module")
def OD_PAIRS(G: nx.MultiGraph) -> list[tuple[str, str]]:  # noqa: N802 - a constant, computed once
    """Place ids of every ordered pair of CITIES (90 pairs)."""
    return list(itertools.permutations([routes.find_place(G, c) for c in CITIES], 2))


def _signature(r: routes.Route) -> tuple[object, ...]:
    return (
        [p.id for p in r.places],
        [leg.link for leg in r.legs],
        round(r.total_km, 6),
        round(r.total_hours, 6),
        round(r.total_cost_usd, 6),
    )


def _routes(G: nx.MultiGraph, pairs: list[tuple[str, str]], **kw: object) -> dict[tuple[str, str], object]:
    out: dict[tuple[str, str], object] = {}
    for o, d in pairs:
        try:
            out[o, d] = _signature(routes.shortest_route(G, o, d, **kw))  # type: ignore[arg-type]
        except routes.NoRouteError:
            out[o, d] = "no route"
    return out


# --- One string where a list of names is expected ---------------------------------------


@pytest.mark.parametrize(
    ("param", "value"),
    [("modes", "road"), ("avoid_countries", "AFG"), ("avoid_places", "kabul"), ("avoid_links", "m41-dushanbe-kulob")],
)
def test_a_string_is_a_list_of_one(G: nx.MultiGraph, param: str, value: str) -> None:
    as_str = routes.shortest_route(G, "Dushanbe", "Karachi", **{param: value})  # type: ignore[arg-type]
    as_list = routes.shortest_route(G, "Dushanbe", "Karachi", **{param: [value]})  # type: ignore[arg-type]
    assert _signature(as_str) == _signature(as_list)
    alt_str = routes.alternative_routes(G, "Dushanbe", "Karachi", k=2, **{param: value})  # type: ignore[arg-type]
    alt_list = routes.alternative_routes(G, "Dushanbe", "Karachi", k=2, **{param: [value]})  # type: ignore[arg-type]
    assert [_signature(r) for r in alt_str] == [_signature(r) for r in alt_list]
    cmp = routes.compare(G, "Dushanbe", "Karachi", ["baseline"], **{param: value})  # type: ignore[arg-type]
    assert cmp.results[0].route is not None
    assert _signature(cmp.results[0].route) == _signature(as_list)


def test_string_constraints_really_constrain(G: nx.MultiGraph) -> None:
    r = routes.shortest_route(G, "Dushanbe", "Karachi", avoid_countries="AFG")
    assert "AFG" not in r.countries
    r = routes.shortest_route(G, "Termez", "Peshawar", modes="rail", scenario="trans-afghan-rail-built")
    assert {leg.mode for leg in r.legs} == {"rail"}


def test_compare_takes_one_scenario_as_a_string(G: nx.MultiGraph) -> None:
    c = routes.compare(G, "Dushanbe", "Karachi", "baseline")
    assert [res.name for res in c.results] == ["baseline"]
    c = routes.compare(G, "Dushanbe", "Karachi", "afghanistan-closed+winter")
    assert [res.scenario for res in c.results] == [("afghanistan-closed", "winter")]
    assert [res.name for res in routes.compare(G, "Dushanbe", "Karachi").results] == ["baseline"]


def test_compose_takes_one_scenario_and_refuses_names(G: nx.MultiGraph) -> None:
    winter = routes.load_scenario(Path(G.graph["data_dir"]) / "scenarios" / "winter.toml")
    assert routes.compose(winter) == winter
    assert routes.compose([winter]) == winter
    with pytest.raises(routes.ScenarioError, match=r"compose\(\) takes Scenario objects.*got str 'winter'"):
        routes.compose("winter")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"modes": 3}, "modes must be a name or a list of names, got 3"),
        ({"avoid_places": ["kabul", None]}, r"avoid_places must hold names \(strings\), got None"),
        ({"max_elevation_m": math.nan}, "max_elevation_m is NaN"),
        ({"max_elevation_m": "4000"}, "max_elevation_m must be a number of metres, got '4000'"),
    ],
)
def test_bad_arguments_are_refused(G: nx.MultiGraph, kw: dict[str, object], message: str) -> None:
    with pytest.raises(routes.RoutesError, match=message):
        routes.shortest_route(G, "Dushanbe", "Karachi", **kw)  # type: ignore[arg-type]
    with pytest.raises(routes.RoutesError, match=message):
        routes.compare(G, "Dushanbe", "Karachi", "baseline", **kw)  # type: ignore[arg-type]


def test_wrong_keyword_to_compare_names_compare(G: nx.MultiGraph) -> None:
    with pytest.raises(TypeError, match=r"^compare\(\) got an unexpected keyword argument 'avoid_country'"):
        routes.compare(G, "Dushanbe", "Karachi", "baseline", avoid_country="AFG")  # type: ignore[call-arg]


# --- Closed places on a scenario-applied graph --------------------------------------------


@pytest.mark.parametrize("fresh", [True, False])
def test_closed_place_is_closed_not_unknown(G: nx.MultiGraph, fresh: bool) -> None:
    # The same answer whether routing has met this applied graph before or not, and on
    # the base graph with scenario=.
    H = routes.apply_scenario(routes.load_network() if fresh else G, "afghanistan-closed")
    expected = r"Kabul \(kabul\) exists but is closed under afghanistan-closed: Afghanistan is closed"
    with pytest.raises(routes.NoRouteError, match=expected) as info:
        routes.shortest_route(H, "Kabul", "Karachi")
    assert str(info.value).startswith("No route from Kabul to Karachi under afghanistan-closed.")
    with pytest.raises(routes.NoRouteError, match=expected) as info:
        routes.shortest_route(H, "Karachi", "kabul")
    assert str(info.value).startswith("No route from Karachi to Kabul")
    with pytest.raises(routes.NoRouteError, match=expected):
        routes.alternative_routes(H, "Kabul", "Karachi")
    with pytest.raises(routes.NoRouteError, match=expected):
        routes.shortest_route(G, "Kabul", "Karachi", scenario="afghanistan-closed")
    # A place that does not exist at all is still unknown.
    with pytest.raises(routes.UnknownPlaceError, match="Unknown place 'Atlantis'"):
        routes.shortest_route(H, "Atlantis", "Karachi")


def test_every_closed_place_is_reported_as_closed(G: nx.MultiGraph) -> None:
    H = routes.apply_scenario(G, ["afghanistan-closed", "kkh-closed"])
    closed = {pid for closure in H.graph["closures"] for pid, _ in closure.nodes}
    assert closed
    for pid in sorted(closed):
        with pytest.raises(routes.NoRouteError, match=f"\\({pid}\\) exists but is closed under"):
            routes.shortest_route(H, pid, "karachi" if pid != "karachi" else "dushanbe")


# --- What plain networkx sees --------------------------------------------------------------


def test_every_edge_has_length_in_metres_and_geometry(G: nx.MultiGraph) -> None:
    from shapely import LineString

    for u, v, k, d in G.edges(keys=True, data=True):
        assert d["length"] == pytest.approx(d["length_km"] * 1000), k
        geom = d["geometry"]
        assert isinstance(geom, LineString), k
        assert tuple(geom.coords) == d["coords"], k
        for end, pid in ((geom.coords[0], d["from"]), (geom.coords[-1], d["to"])):
            assert math.dist(end, (G.nodes[pid]["x"], G.nodes[pid]["y"])) < 1e-4, (k, pid)
        assert {u, v} == {d["from"], d["to"]}
    for n, d in G.nodes(data=True):
        assert -180 <= d["x"] <= 180, n
        assert -90 <= d["y"] <= 90, n


def test_networkx_length_is_a_lower_bound_of_routes(G: nx.MultiGraph, OD_PAIRS: list[tuple[str, str]]) -> None:
    O = routes.operational_graph(G)  # noqa: E741 - O for operational, as G for graph
    assert {d["status"] for _, _, d in O.edges(data=True)} == {"operational"}
    assert O.number_of_edges() < G.number_of_edges()
    for o, d in OD_PAIRS[:40]:
        r = routes.shortest_route(G, o, d)
        # networkx ignores where goods can change mode, so it can only be as short or shorter.
        assert nx.shortest_path_length(O, o, d, weight="length") <= r.total_km * 1000 + 1e-6
        # The raw graph holds proposed links too: never longer than the operational one.
        assert nx.shortest_path_length(G, o, d, weight="length") <= nx.shortest_path_length(O, o, d, weight="length")
    r = routes.shortest_route(G, "Dushanbe", "Karachi")
    assert nx.shortest_path_length(O, "dushanbe", "karachi", weight="length") == pytest.approx(r.total_km * 1000)
    hops = nx.shortest_path_length(O, "dushanbe", "karachi")
    assert hops < 100 < nx.shortest_path_length(O, "dushanbe", "karachi", weight="length")


def test_routing_does_not_import_shapely() -> None:
    code = (
        "import sys, routes; G = routes.load_network(); "
        "routes.shortest_route(G, 'Dushanbe', 'Karachi', scenario='afghanistan-closed'); "
        "routes.alternative_routes(G, 'Dushanbe', 'Karachi', k=2); "
        "print(sorted(m for m in ('shapely', 'numpy', 'geopandas', 'folium', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_edge_data_behaves_as_a_dict(mini: nx.MultiGraph) -> None:
    from shapely import LineString

    H = routes.load_network(MINI)  # a fresh graph: nothing built yet
    u, v, k, d = next(iter(H.edges(keys=True, data=True)))
    assert isinstance(d, EdgeData)
    assert isinstance(dict.get(d, "geometry"), _LazyLine)
    lazy_copy = d.copy()
    assert isinstance(dict.get(lazy_copy, "geometry"), _LazyLine)  # copies stay lazy
    for view in (dict(d), {**d}, copy.deepcopy(d), pickle.loads(pickle.dumps(d))):
        assert isinstance(view["geometry"], LineString)
        assert view == d
    assert isinstance(dict.get(d, "geometry"), LineString)  # built once, kept
    assert "LINESTRING" in repr(lazy_copy)
    assert lazy_copy == d
    geoms = {(a, b, key): g for a, b, key, g in H.edges(keys=True, data="geometry")}
    assert geoms[u, v, k].equals(d["geometry"])
    again = pickle.loads(pickle.dumps(H))
    assert again.edges[u, v, k] == d
    assert nx.utils.edges_equal(H.copy().edges(keys=True, data=True), H.edges(keys=True, data=True))
    # Scenario graphs keep their edges lazy (copying them does not build geometries).
    fresh = routes.load_network(MINI)
    applied = routes.apply_scenario(fresh, "baseline")
    assert all(isinstance(dict.get(dd, "geometry"), _LazyLine) for _, _, dd in applied.edges(data=True))


# --- GraphML ---------------------------------------------------------------------------------


def test_to_graphml_reads_back_with_networkx(G: nx.MultiGraph, tmp_path: Path, OD_PAIRS: list[tuple[str, str]]) -> None:
    with pytest.raises(nx.NetworkXError):
        nx.write_graphml(G, tmp_path / "raw.graphml")  # why to_graphml exists
    path = tmp_path / "network.graphml"
    routes.to_graphml(G, path)
    H = nx.read_graphml(path, force_multigraph=True)
    assert set(H.nodes) == set(G.nodes)
    assert {(frozenset((u, v)), k) for u, v, k in H.edges(keys=True)} == {
        (frozenset((u, v)), k) for u, v, k in G.edges(keys=True)
    }
    for u, v, k, d in H.edges(keys=True, data=True):
        g = G.edges[u, v, k]
        assert (d["length"], d["time_h"], d["mode"]) == (g["length"], g["time_h"], g["mode"]), k
        assert d["geometry"].startswith("LINESTRING"), k
    assert H.nodes["khunjerab-pass"]["elevation_m"] == 4693.0
    assert H.graph["crs"] == "EPSG:4326"
    for o, d in OD_PAIRS[:20]:
        assert nx.shortest_path_length(H, o, d, weight="length") == nx.shortest_path_length(G, o, d, weight="length")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_cli_exports_graphml(tmp_path: Path) -> None:
    import io

    target = tmp_path / "mini.graphml"
    out, err = io.StringIO(), io.StringIO()
    code = main(["export", "--format", "graphml", "-o", str(target), "--data", str(MINI)], out=out, err=err)
    assert code == 0, err.getvalue()
    assert "Wrote" in out.getvalue()
    H = nx.read_graphml(target, force_multigraph=True)
    assert H.number_of_edges() == routes.load_network(MINI).number_of_edges()


# --- graph_from_gdfs ---------------------------------------------------------------------------


def _read_gpkg(path: Path) -> tuple[object, object, object]:
    import geopandas as gpd

    return (
        gpd.read_file(path, layer="places"),
        gpd.read_file(path, layer="links"),
        gpd.read_file(path, layer="graph"),
    )


@pytest.mark.slow
def test_gpkg_export_reads_back_to_the_same_graph_and_routes(
    G: nx.MultiGraph, tmp_path: Path, OD_PAIRS: list[tuple[str, str]]
) -> None:
    path = tmp_path / "network.gpkg"
    export_network(G, path, fmt="gpkg")
    places, links, table = _read_gpkg(path)
    H = routes.graph_from_gdfs(places, links, table)  # type: ignore[arg-type]
    assert set(H.nodes) == set(G.nodes)
    assert set(H.edges(keys=True)) == set(G.edges(keys=True))
    for n, d in G.nodes(data=True):
        assert H.nodes[n] == d, n
    for u, v, k, d in G.edges(keys=True, data=True):
        assert H.edges[u, v, k] == d, k
    assert H.graph["rules"] == G.graph["rules"]
    for by in ("distance", "time", "cost"):
        assert _routes(H, OD_PAIRS, by=by) == _routes(G, OD_PAIRS, by=by), by
    for scenario in ("afghanistan-closed", "wakhan-built+winter"):
        assert _routes(H, OD_PAIRS[:30], scenario=scenario) == _routes(G, OD_PAIRS[:30], scenario=scenario)
    # Without the graph layer the shipped rules apply: the same here.
    H2 = routes.graph_from_gdfs(places, links)  # type: ignore[arg-type]
    assert _routes(H2, OD_PAIRS[:30], by="cost") == _routes(G, OD_PAIRS[:30], by="cost")


def test_scenario_graph_export_reads_back(G: nx.MultiGraph, tmp_path: Path, OD_PAIRS: list[tuple[str, str]]) -> None:
    A = routes.apply_scenario(G, ["afghanistan-closed", "winter"])
    path = tmp_path / "closed.gpkg"
    export_network(A, path, fmt="gpkg")
    B = routes.graph_from_gdfs(*_read_gpkg(path))  # type: ignore[arg-type]
    assert B.graph["scenario"] == ("afghanistan-closed", "winter")
    assert B.graph["month"] == A.graph["month"] == 1
    assert _routes(B, OD_PAIRS[:30]) == _routes(A, OD_PAIRS[:30])


def test_gdfs_in_another_crs_are_reprojected(G: nx.MultiGraph, OD_PAIRS: list[tuple[str, str]]) -> None:
    places, links = routes.graph_to_gdfs(G)
    # World Mercator for the links: a UTM zone loses precision on the sea lanes to Europe.
    H = routes.graph_from_gdfs(places.to_crs(3857), links.to_crs(3395))
    assert H.graph["crs"] == "EPSG:4326"
    for n, d in G.nodes(data=True):
        assert H.nodes[n]["x"] == pytest.approx(d["x"], abs=1e-9)
        assert H.nodes[n]["y"] == pytest.approx(d["y"], abs=1e-9)
    for u, v, k, d in G.edges(keys=True, data=True):
        flat = [c for xy in d["coords"] for c in xy]
        assert [c for xy in H.edges[u, v, k]["coords"] for c in xy] == pytest.approx(flat, abs=1e-7), k
    assert _routes(H, OD_PAIRS[:30], by="time") == _routes(G, OD_PAIRS[:30], by="time")


def test_gdfs_without_crs_or_with_an_unusable_one_are_refused(mini: nx.MultiGraph) -> None:
    from pyproj import CRS

    places, links = routes.graph_to_gdfs(mini)
    with pytest.raises(routes.InvalidDataError, match=r"places \| crs: the GeoDataFrame has no CRS"):
        routes.graph_from_gdfs(places.set_crs(None, allow_override=True), links)
    local = CRS.from_wkt(
        'ENGCRS["site grid",EDATUM["site"],CS[Cartesian,2],AXIS["x",east,LENGTHUNIT["metre",1]],'
        'AXIS["y",north,LENGTHUNIT["metre",1]]]'
    )
    with pytest.raises(routes.InvalidDataError, match=r"links \| crs: cannot reproject from .*site grid"):
        routes.graph_from_gdfs(places, links.set_crs(local, allow_override=True))


def test_bad_rows_are_named(mini: nx.MultiGraph) -> None:
    from shapely import Point

    places, links = routes.graph_to_gdfs(mini)
    first, second, third = links.index[:3]
    links = links.reset_index()
    links.loc[0, "v"] = "atlantis"
    links.loc[1, "length_km"] = math.nan
    links.loc[2, "geometry"] = Point(70, 35)
    with pytest.raises(routes.InvalidDataError) as info:
        routes.graph_from_gdfs(places, links)
    text = str(info.value)
    assert f"links | link {first[2]!r} | v: no place with id 'atlantis'" in text
    assert f"links | link {second[2]!r} | length_km: missing" in text
    assert f"links | link {third[2]!r} | geometry: must be a LineString, got Point" in text
    doubled = places.iloc[[0, 0]]
    with pytest.raises(routes.InvalidDataError, match=rf"place {places.index[0]!r} \| id: duplicate id"):
        routes.graph_from_gdfs(doubled, links.iloc[:0])
    with pytest.raises(routes.InvalidDataError, match="places: expected a GeoDataFrame, got DataFrame"):
        routes.graph_from_gdfs(places.drop(columns="geometry"), links)  # type: ignore[arg-type]
    no_kind = places.drop(columns="kind")
    with pytest.raises(routes.InvalidDataError, match=r"place '\w[^']*' \| kind: missing \(routing needs it\)"):
        routes.graph_from_gdfs(no_kind, links.iloc[:0])


def test_unreadable_values_and_missing_rules_are_named(mini: nx.MultiGraph, tmp_path: Path) -> None:
    places, links = routes.graph_to_gdfs(mini)
    places = places.copy()
    places["aliases"] = places["aliases"].astype(object)
    places.iloc[0, places.columns.get_loc("aliases")] = "[not json"
    with pytest.raises(routes.InvalidDataError, match=rf"places \| place {places.index[0]!r} \| aliases: cannot read"):
        routes.graph_from_gdfs(places, links)
    with pytest.raises(
        routes.InvalidDataError, match=r"graph \| rules: no rules given, and .*rules.toml cannot be read"
    ):
        routes.graph_from_gdfs(*routes.graph_to_gdfs(mini), graph_attrs={"data_dir": str(tmp_path)})
    # The rules of the data folder named, not the shipped ones.
    H = routes.graph_from_gdfs(*routes.graph_to_gdfs(mini), graph_attrs={"data_dir": str(MINI)})
    assert H.graph["rules"] == mini.graph["rules"]


def test_links_without_weights_get_them_from_the_rules(mini: nx.MultiGraph) -> None:
    places, links = routes.graph_to_gdfs(mini)
    H = routes.graph_from_gdfs(places, links.drop(columns=["time_h", "cost_usd", "speed_kmh", "length"]))
    for u, v, k, d in mini.edges(keys=True, data=True):
        assert H.edges[u, v, k]["time_h"] == pytest.approx(d["time_h"]), k
        assert H.edges[u, v, k]["length"] == d["length"], k


# --- The module itself ---------------------------------------------------------------------------


def test_dir_and_help_show_the_api_not_the_loader() -> None:
    names = dir(routes)
    for name in routes.__all__:
        assert name in names, name
    text = pydoc.render_doc(routes, renderer=pydoc.plaintext)
    assert "__getattr__" not in text
    assert "__dir__" not in text
    assert "operational_graph" in text
    assert callable(routes.network_map)
    with pytest.raises(AttributeError, match="module 'routes' has no attribute 'shortest_path'"):
        routes.shortest_path  # noqa: B018
