"""routes: an open connectivity and transit route planner for Pakistan and Central Asia.

The public API, all of it::

    G = routes.load_network()                        # the corridor network (networkx)
    routes.find_place(G, "Khorugh")                  # -> "khorog"
    r = routes.shortest_route(G, "Dushanbe", "Karachi", by="time",
                              scenario="afghanistan-closed")
    routes.alternative_routes(G, "Dushanbe", "Karachi", k=3)
    routes.compare(G, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed"])
    H = routes.apply_scenario(G, ["afghanistan-closed", "winter"])
    O = routes.operational_graph(G)                  # today's network, for plain networkx
    places, links = routes.graph_to_gdfs(G)          # and routes.graph_from_gdfs(places, links)
    routes.to_graphml(G, "network.graphml")          # nx.write_graphml cannot store G as is
    routes.network_map(G); routes.route_map(r); routes.comparison_map(c)

Plain networkx works on the graphs too: edges carry ``length`` in metres and a shapely
``geometry``, nodes ``x``/``y`` (OSMnx's conventions). ``G`` holds every link whatever
its status, proposed ones included; route on `operational_graph` (or use
`shortest_route`, which applies the scenario).

Network-wide analyses on the compiled engine (scipy is imported only by these)::

    routes.od_matrix(G, origins, destinations, by="time")   # DataFrame
    routes.criticality(G)                                     # n-1 link and crossing ranking
    routes.port_catchment(G, scenario=["baseline", "afghanistan-closed"])
    routes.appraise(G)                                        # proposals, built alone / removed
    b = routes.criticality_brief(G, routes.criticality(G))    # or routes.ports_brief(G, table)
    routes.save_analysis_brief(b, G, "criticality-brief.html")  # one offline page

Heavy libraries (geopandas, folium, shapely) are imported only by the functions that need
them; the map functions, the analyses and `validate` load their modules on first use.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from routes.analysis import Comparison, ScenarioResult, compare
from routes.brief import Brief, brief_html, make_brief, save_brief
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
from routes.export import to_graphml
from routes.network import find_place, load_network
from routes.results import Leg, PlaceRef, Route
from routes.routing import alternative_routes, shortest_route
from routes.scenarios import (
    Scenario,
    apply_scenario,
    builtin_scenarios,
    compose,
    load_scenario,
    operational_graph,
)

if TYPE_CHECKING:
    from routes.analysis_brief import (
        AnalysisBrief,
        analysis_brief_html,
        appraisal_brief,
        criticality_brief,
        gateways_brief,
        ports_brief,
        save_analysis_brief,
    )
    from routes.appraisal import appraise, projects
    from routes.catchment import gateway_ports, market_gateways, port_catchment, world_ports
    from routes.critical_links import criticality, criticality_to_gdf, hub_places
    from routes.engine import compile_graph
    from routes.maps import comparison_map, network_map, route_map, save_map
    from routes.matrix import od_matrix, od_totals
    from routes.seeds import seed_coverage
    from routes.validation import validate

__version__ = "0.1.0"

__all__ = [
    "AmbiguousPlaceError",
    "AnalysisBrief",
    "Brief",
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
    "analysis_brief_html",
    "apply_scenario",
    "appraisal_brief",
    "appraise",
    "brief_html",
    "builtin_scenarios",
    "compare",
    "comparison_map",
    "compile_graph",
    "compose",
    "criticality",
    "criticality_brief",
    "criticality_to_gdf",
    "find_place",
    "gateway_ports",
    "gateways_brief",
    "graph_from_gdfs",
    "graph_to_gdfs",
    "hub_places",
    "load_network",
    "load_scenario",
    "make_brief",
    "market_gateways",
    "network_map",
    "od_matrix",
    "od_totals",
    "operational_graph",
    "port_catchment",
    "ports_brief",
    "projects",
    "route_map",
    "save_analysis_brief",
    "save_brief",
    "save_map",
    "seed_coverage",
    "shortest_route",
    "to_graphml",
    "validate",
    "world_ports",
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
    "market_gateways": "routes.catchment",
    "gateway_ports": "routes.catchment",
    "world_ports": "routes.catchment",
    "appraise": "routes.appraisal",
    "projects": "routes.appraisal",
    "AnalysisBrief": "routes.analysis_brief",
    "analysis_brief_html": "routes.analysis_brief",
    "appraisal_brief": "routes.analysis_brief",
    "criticality_brief": "routes.analysis_brief",
    "gateways_brief": "routes.analysis_brief",
    "ports_brief": "routes.analysis_brief",
    "save_analysis_brief": "routes.analysis_brief",
}


class _LazyModule(types.ModuleType):
    """The ``routes`` module, loading the map functions, the analyses and `validate` on first use.

    A module subclass rather than a module-level ``__getattr__`` (PEP 562), so that
    ``help(routes)`` lists the API and not the loader; ``dir(routes)`` lists all of it.
    """

    def __getattr__(self, name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'routes' has no attribute {name!r}")
        import importlib  # noqa: PLC0415

        value = getattr(importlib.import_module(module), name)
        setattr(self, name, value)
        return value

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(__all__))


sys.modules[__name__].__class__ = _LazyModule
