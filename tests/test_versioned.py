"""Editing a graph never gives a stale answer: the caches see every change (issue 10)."""

from __future__ import annotations

import copy
import pickle

import networkx as nx
import pytest

import routes
from routes._versioned import VersionedMultiGraph, graph_version


def _first_leg(r: routes.Route) -> tuple[str, str, str]:
    leg = r.legs[0]
    return leg.from_id, leg.to_id, leg.link


@pytest.mark.parametrize("plain", [False, True], ids=["loaded", "plain-multigraph"])
def test_edits_after_a_route_are_seen(mini_dir, plain: bool) -> None:
    G = routes.load_network(mini_dir)
    if plain:
        G = nx.MultiGraph(G)
        assert not isinstance(G, VersionedMultiGraph)
    first = routes.shortest_route(G, "Dushanbe", "Karachi")
    u, v, k = _first_leg(first)
    G.edges[u, v, k]["length_km"] += 100
    second = routes.shortest_route(G, "Dushanbe", "Karachi")
    assert second.total_km == pytest.approx(first.total_km + 100) or second.total_km < first.total_km + 100
    assert second.total_km != pytest.approx(first.total_km)
    # Removing a place on the route: the next answer avoids it, or says there is no route.
    G.remove_node(first.places[2].id)
    try:
        third = routes.shortest_route(G, "Dushanbe", "Karachi")
    except routes.NoRouteError:
        return
    assert first.places[2].id not in {p.id for p in third.places}


def test_removing_a_link_and_adding_it_back(mini_dir) -> None:
    G = routes.load_network(mini_dir)
    r = routes.shortest_route(G, "Dushanbe", "Karachi")
    u, v, k = _first_leg(r)
    data = dict(G.edges[u, v, k])
    G.remove_edge(u, v, key=k)
    try:
        without = routes.shortest_route(G, "Dushanbe", "Karachi")
    except routes.NoRouteError:
        pass
    else:
        assert k not in [leg.link for leg in without.legs]
        assert without.total_km >= r.total_km
    G.add_edge(u, v, key=k, **data)
    assert routes.shortest_route(G, "Dushanbe", "Karachi").total_km == pytest.approx(r.total_km)


def test_version_changes_on_every_kind_of_edit(mini) -> None:
    G = copy.deepcopy(mini)
    seen = {graph_version(G)}

    def changed() -> None:
        v = graph_version(G)
        assert v not in seen
        seen.add(v)

    node = next(iter(G.nodes))
    G.nodes[node]["elevation_m"] = 1.0
    changed()
    u, v, k = next(iter(G.edges(keys=True)))
    G.edges[u, v, k]["time_h"] = 99.0
    changed()
    G.edges[u, v, k].update(cost_usd=1.0)
    changed()
    G.add_edge(u, v, key="new-link", **dict(G.edges[u, v, k]))
    changed()
    G.remove_edge(u, v, key="new-link")
    changed()
    G.graph["rules"] = dict(G.graph["rules"])
    changed()
    G.remove_node(node)
    changed()
    # Private cache entries of G.graph are not edits.
    before = graph_version(G)
    G.graph["_name_index"] = None
    assert graph_version(G) == before


def test_versioned_graphs_pickle_and_copy(mini) -> None:
    for H in (pickle.loads(pickle.dumps(mini)), copy.deepcopy(mini), mini.copy()):
        assert isinstance(H, VersionedMultiGraph)
        before = graph_version(H)
        H.nodes["kabul"]["elevation_m"] = 2.0
        assert graph_version(H) != before
        assert routes.shortest_route(H, "Dushanbe", "Karachi").total_km == pytest.approx(
            routes.shortest_route(mini, "Dushanbe", "Karachi").total_km
        )
