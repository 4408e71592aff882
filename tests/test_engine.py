"""The compiled engine gives the totals `shortest_route` gives, on every pair."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import pytest

import routes
from routes.engine import cities_and_ports, compile_graph, prepare

#: Four scenarios, each with its own objective and constraints, covering border posts,
#: closures, builds, seasons, gauge breaks and journeys that may not start on a truck.
QUERIES: list[dict[str, Any]] = [
    {"scenario": None, "by": "distance"},
    {"scenario": "afghanistan-closed", "by": "time"},
    {"scenario": "all-proposals-built", "by": "cost"},
    {"scenario": ["winter", "trans-afghan-rail-built"], "by": "time", "avoid_countries": ["IRN"]},
]


def _check_all_pairs(
    G: nx.MultiGraph, query: dict[str, Any], places: list[str], pairs: list[tuple[int, int]] | None = None
) -> int:
    q = prepare(G, **query)
    totals = q.run(places, places)
    kwargs = dict(query)
    checked = 0
    if pairs is None:
        pairs = [(i, j) for i in range(len(places)) for j in range(len(places))]
    for i, j in pairs:
        a, b = places[i], places[j]
        if a == b:
            continue
        try:
            r = routes.shortest_route(G, a, b, **kwargs)
        except routes.NoRouteError:
            assert not totals.reachable[i, j], (a, b, query)
            continue
        got = (totals.km[i, j], totals.hours[i, j], totals.cost_usd[i, j])
        want = (r.total_km, r.total_hours, r.total_cost_usd)
        assert all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(got, want, strict=True)), (
            a,
            b,
            query,
            got,
            want,
        )
        checked += 1
    return checked


@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q['scenario']}-{q['by']}")
def test_engine_equals_shortest_route_on_every_city_and_port_pair(G: nx.MultiGraph, query: dict[str, Any]) -> None:
    places = cities_and_ports(G)
    assert len(places) > 100
    checked = _check_all_pairs(G, query, places)
    assert checked > 0


ALL_MODES = ["road", "rail", "sea", "air"]
#: Sea and air: world ports, airports, flights and closed passages, every objective.
WORLD_QUERIES: list[dict[str, Any]] = [
    {"scenario": None, "by": "time", "modes": ALL_MODES},
    {"scenario": "red-sea-closed", "by": "time", "modes": ALL_MODES},
    {"scenario": "hormuz-closed", "by": "cost", "modes": ALL_MODES},
    {"scenario": "afghanistan-closed", "by": "distance", "modes": ALL_MODES},
    {"scenario": ["afghanistan-closed", "red-sea-closed"], "by": "cost"},
    {"scenario": "hormuz-closed", "by": "distance"},
    {"scenario": "red-sea-closed", "by": "time", "modes": ["sea", "air"]},
    {"scenario": "afghanistan-closed", "by": "time", "modes": ["road", "air"], "month": 1},
]


def _world_places(G: nx.MultiGraph) -> list[str]:
    """Cities, region and world ports and airports: every place a door-to-door trip may join."""
    return [p for p, d in G.nodes(data=True) if d["kind"] in ("city", "seaport", "airport")]


@pytest.mark.parametrize("query", WORLD_QUERIES, ids=lambda q: f"{q['scenario']}-{q['by']}-{q.get('modes')}")
def test_engine_equals_shortest_route_on_random_world_pairs(G: nx.MultiGraph, query: dict[str, Any]) -> None:
    places = _world_places(G)
    kinds = {G.nodes[p]["kind"] for p in places}
    assert kinds == {"city", "seaport", "airport"}
    rng = np.random.default_rng(12)
    n = len(places)
    # Random pairs, plus every pair among the airports and the ports (the new layers).
    pairs = [(int(a), int(b)) for a, b in rng.integers(0, n, size=(150, 2))]
    special = [i for i, p in enumerate(places) if G.nodes[p]["kind"] in ("seaport", "airport")]
    pairs += [(a, b) for a in special for b in special if rng.random() < 0.25]
    checked = _check_all_pairs(G, query, places, pairs)
    assert checked > 50


@pytest.mark.parametrize(
    "query",
    [
        {"scenario": None, "by": "distance"},
        {"scenario": None, "by": "time", "avoid_countries": ["AFG"]},
        {"scenario": None, "by": "cost", "modes": ["rail"]},
        {"scenario": None, "by": "time", "max_elevation_m": 3000},
        {"scenario": None, "by": "distance", "month": 1},
    ],
)
def test_engine_equals_shortest_route_on_the_fixture(mini: nx.MultiGraph, query: dict[str, Any]) -> None:
    _check_all_pairs(mini, query, list(mini.nodes))


def test_compiled_graph_follows_edits_of_the_applied_graph(mini: nx.MultiGraph) -> None:
    G = mini.copy()
    H = routes.apply_scenario(G)
    first = compile_graph(H)
    assert compile_graph(H) is first
    u, v, k = next(iter(H.edges(keys=True)))
    H.edges[u, v, k]["length_km"] += 10
    second = compile_graph(H)
    assert second is not first
    j = second.link_index[k]
    assert np.allclose(second.km[second.link == j], first.km[first.link == j] + 10)


def test_removing_a_link_never_shortens_and_masks_equal_avoid_links(G: nx.MultiGraph) -> None:
    q = prepare(G, by="time")
    hubs = ["dushanbe", "tashkent", "kabul", "karachi", "peshawar", "quetta"]
    hubs = [h for h in hubs if h in G]
    base = q.run(hubs, hubs)
    for link in ["salang-tunnel-north", *list(q.engine.links[:40])]:
        if link not in q.engine.link_index:
            continue
        cut = q.run(hubs, hubs, without_links=[link])
        assert np.all((cut.objective >= base.objective - 1e-9) | ~np.isfinite(base.objective))
        avoid = prepare(G, by="time", avoid_links=[link]).run(hubs, hubs)
        assert np.array_equal(np.isfinite(avoid.objective), np.isfinite(cut.objective))
        np.testing.assert_allclose(avoid.hours[avoid.reachable], cut.hours[cut.reachable], rtol=1e-12)
