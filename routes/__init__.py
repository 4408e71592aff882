"""routes: an open connectivity and transit route planner for Pakistan and Central Asia.

The public API, all of it::

    G = routes.load_network()                        # the corridor network (networkx)
    routes.find_place(G, "Khorugh")                  # -> "khorog"
    r = routes.shortest_route(G, "Dushanbe", "Karachi", by="time",
                              scenario="afghanistan-closed")
    routes.alternative_routes(G, "Dushanbe", "Karachi", k=3)
    routes.compare(G, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed"])
    H = routes.apply_scenario(G, ["afghanistan-closed", "winter"])
    places, links = routes.graph_to_gdfs(G)
    routes.network_map(G); routes.route_map(r); routes.comparison_map(c)

Network-wide analyses on the compiled engine (scipy is imported only by these)::

    routes.od_matrix(G, origins, destinations, by="time")   # DataFrame
    routes.criticality(G)                                     # n-1 link and crossing ranking
    routes.port_catchment(G, scenario=["baseline", "afghanistan-closed"])
    routes.appraise(G)                                        # proposals, built alone / removed

Heavy libraries (geopandas, folium) are imported only by the functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routes.analysis import Comparison, ScenarioResult, compare
from routes.convert import graph_from_gdfs, graph_to_gdfs
from routes.costs import Dwell
from routes.errors import (
    AmbiguousPlaceError,
    InvalidDataError,
    NoRouteError,
    Problem,
    RoutesError,
    ScenarioError,
    UnknownPlaceError,
)
from routes.network import find_place, load_network
from routes.results import Leg, PlaceRef, Route
from routes.routing import alternative_routes, shortest_route
from routes.scenarios import Scenario, apply_scenario, builtin_scenarios, compose, load_scenario

if TYPE_CHECKING:
    from routes.appraisal import appraise, projects
    from routes.catchment import port_catchment
    from routes.critical_links import criticality, criticality_to_gdf, hub_places
    from routes.engine import compile_graph
    from routes.maps import comparison_map, network_map, route_map, save_map
    from routes.matrix import od_matrix, od_totals
    from routes.seeds import seed_coverage
    from routes.validation import validate

__version__ = "0.1.0"

__all__ = [
    "AmbiguousPlaceError",
    "Comparison",
    "Dwell",
    "InvalidDataError",
    "Leg",
    "NoRouteError",
    "PlaceRef",
    "Problem",
    "Route",
    "RoutesError",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "UnknownPlaceError",
    "alternative_routes",
    "apply_scenario",
    "appraise",
    "builtin_scenarios",
    "compare",
    "comparison_map",
    "compile_graph",
    "compose",
    "criticality",
    "criticality_to_gdf",
    "find_place",
    "graph_from_gdfs",
    "graph_to_gdfs",
    "hub_places",
    "load_network",
    "load_scenario",
    "network_map",
    "od_matrix",
    "od_totals",
    "port_catchment",
    "projects",
    "route_map",
    "save_map",
    "seed_coverage",
    "shortest_route",
    "validate",
]

_LAZY = {
    "network_map": "routes.maps",
    "route_map": "routes.maps",
    "comparison_map": "routes.maps",
    "save_map": "routes.maps",
    "seed_coverage": "routes.seeds",
    "validate": "routes.validation",
    "compile_graph": "routes.engine",
    "od_matrix": "routes.matrix",
    "od_totals": "routes.matrix",
    "criticality": "routes.critical_links",
    "hub_places": "routes.critical_links",
    "criticality_to_gdf": "routes.critical_links",
    "port_catchment": "routes.catchment",
    "appraise": "routes.appraisal",
    "projects": "routes.appraisal",
}


def __getattr__(name: str) -> Any:
    # Maps pull in folium and the analyses numpy and scipy; load them only when asked for.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'routes' has no attribute {name!r}")
    import importlib  # noqa: PLC0415

    return getattr(importlib.import_module(module), name)
