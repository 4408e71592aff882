"""Scenario files: parsing, errors with file, line and field, composition."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import routes
from routes.scenarios import compose, resolve_scenario


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_full_scenario(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """title = "Torkham slow"
description = "Torkham congested."
sources = ["fixture", {id = "fixture", note = "Table 1"}]
month = 3

[close]
links = ["kunduz-kabul"]

[build]
corridors = ["wakhan-road"]

[scale]
speed = {road = 0.5}
dwell_hours = 2.0

[[set]]
places = ["torkham"]
dwell_hours = 100
""",
    )
    sc = routes.load_scenario(path)
    assert sc.name == "mine"
    assert sc.month == 3
    assert sc.close_links == ("kunduz-kabul",)
    assert sc.build_corridors == ("wakhan-road",)
    assert sc.speed_scale == (("road", 0.5),)
    assert sc.dwell_hours_scale == 2.0
    assert sc.sets[0].places == ("torkham",)
    assert sc.sources == (("fixture", ""), ("fixture", "Table 1"))


def test_malformed_file_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """title = "bad"
month = 13

[close]
countries = ["AFG", "ATL"]
placez = ["x"]
""",
    )
    with pytest.raises(routes.ScenarioError) as info:
        routes.load_scenario(path)
    problems = {(p.field, p.line) for p in info.value.problems}
    assert ("month", 2) in problems
    assert ("close.countries", 5) in problems
    assert ("close.placez", 6) in problems
    text = str(info.value)
    assert f"{path}:2 | month: expected a month number 1-12, got 13" in text
    assert "unknown country 'ATL'" in text


def test_not_toml(tmp_path: Path) -> None:
    path = write(tmp_path, 'title = "x"\n[close\n')
    with pytest.raises(routes.ScenarioError, match="not valid TOML") as info:
        routes.load_scenario(path)
    assert info.value.problems[0].line == 2


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(routes.ScenarioError, match="does not exist"):
        routes.load_scenario(tmp_path / "nope.toml")


def test_unknown_name_lists_known(mini: nx.MultiGraph) -> None:
    with pytest.raises(routes.ScenarioError, match=r"Unknown scenario 'afganistan-closed'.*afghanistan-closed"):
        resolve_scenario(mini, "afganistan-closed")


def test_unknown_references_are_rejected_with_lines(mini: nx.MultiGraph, tmp_path: Path) -> None:
    path = write(tmp_path, '[close]\nplaces = ["atlantis"]\ncorridors = ["silk-road"]\n')
    with pytest.raises(routes.ScenarioError) as info:
        routes.apply_scenario(mini, path)
    text = str(info.value)
    assert f"{path}:2 | close.places: unknown place id 'atlantis'" in text
    assert f"{path}:3 | close.corridors: unknown corridor 'silk-road'" in text


def test_composition_precedence(mini: nx.MultiGraph, tmp_path: Path) -> None:
    a = routes.load_scenario(
        write(
            tmp_path,
            'month = 1\n[close]\ncountries = ["AFG"]\nexcept_regions = ["wakhan"]\n[scale]\nspeed = 0.5\n',
            "a.toml",
        )
    )
    b = routes.load_scenario(
        write(tmp_path, 'month = 7\n[close]\ncountries = ["AFG"]\n[scale]\nspeed = 0.5\n', "b.toml")
    )
    c = compose([a, b])
    assert c.name == "a+b"
    assert c.month == 7  # the later one wins
    assert c.close_countries == (("AFG", ()),)  # exemptions only where all parts grant them
    assert dict(c.speed_scale)["road"] == pytest.approx(0.25)  # scales multiply


def test_closures_win_over_builds(mini: nx.MultiGraph) -> None:
    H = routes.apply_scenario(mini, ["wakhan-built", "afghanistan-closed"])
    assert not H.has_edge("sarhad", "broghil")
    H2 = routes.apply_scenario(mini, ["wakhan-built", "afghanistan-mainland-closed"])
    assert H2.has_edge("sarhad", "broghil")


def test_scale_and_set_change_times(mini: nx.MultiGraph, tmp_path: Path) -> None:
    base = routes.shortest_route(mini, "Dushanbe", "Karachi", by="time")
    slow = write(tmp_path, "[scale]\nspeed = 0.5\n", "slow.toml")
    r = routes.shortest_route(mini, "Dushanbe", "Karachi", by="time", scenario=slow)
    assert sum(leg.hours for leg in r.legs) == pytest.approx(2 * sum(leg.hours for leg in base.legs))
    jam = write(tmp_path, '[[set]]\nplaces = ["torkham"]\ndwell_hours = 100\n', "jam.toml")
    r2 = routes.shortest_route(mini, "Dushanbe", "Karachi", scenario=jam)
    torkham = next(s for s in r2.stops if s.place == "torkham")
    assert torkham.hours == pytest.approx(200)  # 100 h at each of the two posts
    assert "set by scenario jam" in torkham.basis


def test_describe(mini: nx.MultiGraph) -> None:
    sc = resolve_scenario(mini, "afghanistan-mainland-closed")
    assert sc.describe() == ["closes country AFG (except region wakhan)"]
    assert resolve_scenario(mini, "baseline").describe() == ["changes nothing: today's operational network"]


def _view_signature(net: Any) -> tuple[Any, ...]:
    """Everything a search reads from a search view, in the order it reads it."""
    from routes.network import detached_edge_data

    def attrs(d: dict[str, Any]) -> dict[str, Any]:
        return dict(dict.items(detached_edge_data(d)))  # raw values: an unbuilt geometry stays unbuilt

    adj = {n: [(v, e.key, e.mode, e.country, e.gauge, e.metrics) for v, e in nbrs] for n, nbrs in net.adj.items()}
    return (
        list(net.adj),
        adj,
        {n: dict(d) for n, d in net.nodes.items()},
        [(k, attrs(d)) for k, d in net.edges],
        [(c.label, [n for n, _ in c.nodes], [(u, v, k, attrs(d)) for u, v, k, d in c.edges]) for c in net.closures],
        net.scenario,
    )


@pytest.mark.parametrize(
    "scenario",
    [
        *sorted(routes.builtin_scenarios(routes.load_network())),
        "winter+afghanistan-closed",
        "all-proposals-built+red-sea-closed",
    ],
)
def test_search_view_is_the_applied_graph(G: nx.MultiGraph, scenario: str) -> None:
    """Routing reads a view built from the base graph and the scenario's plan, never copying every link;
    it must hold exactly what the applied graph holds, in the same order (ties break alike)."""
    from routes.routing import _net, _plan_net
    from routes.scenarios import scenario_plan

    view = _plan_net(G, scenario_plan(G, scenario))
    applied = _net(routes.apply_scenario(G, scenario))
    assert _view_signature(view) == _view_signature(applied)


def test_search_view_follows_edits_of_the_base_graph(mini: nx.MultiGraph) -> None:
    """An edit of G after a route is seen by the next route, as it is by apply_scenario."""
    G = mini.copy()
    first = routes.shortest_route(G, "Dushanbe", "Karachi", by="time")
    leg = first.legs[0]
    G.edges[leg.from_id, leg.to_id, leg.link]["time_h"] += 1000.0
    again = routes.shortest_route(G, "Dushanbe", "Karachi", by="time")
    assert again.total_hours != first.total_hours
    assert (
        again.total_hours
        == routes.shortest_route(routes.apply_scenario(G), "Dushanbe", "Karachi", by="time").total_hours
    )


def test_editing_an_applied_graph_leaves_routes_on_the_base_alone(mini: nx.MultiGraph) -> None:
    """`apply_scenario` hands out a graph to change at will: routes on the base graph do not see the changes."""
    G = mini.copy()
    before = routes.shortest_route(G, "Dushanbe", "Karachi", by="time")
    H = routes.apply_scenario(G)
    for _, _, d in H.edges(data=True):
        d["time_h"] = 1e6
    assert routes.shortest_route(G, "Dushanbe", "Karachi", by="time").total_hours == before.total_hours
    assert routes.shortest_route(H, "Dushanbe", "Karachi", by="time").total_hours > 1e6
