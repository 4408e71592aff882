"""Shortest and alternative routes on the multimodal network.

The search is Dijkstra's algorithm over states ``(place, mode, country, gauge)``, so that
what a truck or train meets *at* a place is counted where it happens: the two border
posts of a crossing (per direction), a transfer between road and rail, a transshipment
at a gauge break. Handling at a seaport is added at the origin and destination.

Constraints (modes, avoided countries, places and links, statuses, maximum elevation,
month of travel) are filters on top of the scenario-applied graph. When nothing is left
that joins origin and destination, `NoRouteError` names the closures that cut them:
each closure is lifted in turn and the search retried.
"""

from __future__ import annotations

import heapq
import itertools
import math
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from routes import costs
from routes._versioned import graph_version
from routes.errors import NoRouteError, RoutesError, UnknownPlaceError
from routes.network import detached_edge_data, edge_items, find_place
from routes.results import MONTH_ABBR, Leg, PlaceRef, Route, months_text
from routes.scenarios import (
    Closure,
    ScenarioPlan,
    ScenarioSpec,
    applied_graph,
    country_name,
    scenario_plan,
)
from routes.schema import BORDERLESS_MODES, DEFAULT_MODES

__all__ = ["BY", "Constraints", "alternative_routes", "shortest_route"]

#: What a route can minimise, and the unit of each.
BY = {"distance": "km", "time": "hours", "cost": "USD per tonne"}
_METRIC = {"distance": 0, "time": 1, "cost": 2}


@dataclass(frozen=True)
class Constraints:
    """Filters a route must respect, on top of the scenario.

    Attributes
    ----------
    modes : frozenset of str or None
        Modes allowed (None: road, rail and sea; air only when named).
    avoid_countries, avoid_places, avoid_links : frozenset of str
        What the route must not touch.
    statuses : frozenset of str or None
        Link statuses allowed among those the scenario built (None: all of them).
    max_elevation_m : float or None
        Highest point allowed.
    month : int or None
        Month of travel; places and links closed that month are not used.
    """

    modes: frozenset[str] | None = None
    avoid_countries: frozenset[str] = frozenset()
    avoid_places: frozenset[str] = frozenset()
    avoid_links: frozenset[str] = frozenset()
    statuses: frozenset[str] | None = None
    max_elevation_m: float | None = None
    month: int | None = None


@dataclass(slots=True)
class _Edge:
    key: str
    mode: str
    country: str | None
    gauge: int | None
    metrics: tuple[float, float, float]
    attrs: dict[str, Any]


@dataclass
class _Net:
    """A compact, cached view of an applied graph for fast searching.

    Built from a graph of `routes.apply_scenario` (`_net`), or straight from a base
    graph and a scenario plan (`_plan_net`) without the applied graph's copy of every
    link: both give the same places, links, in the same order, with the same attributes.
    """

    G: nx.MultiGraph | None  # the applied graph viewed; None for a view of a base graph and a plan
    version: Any
    rules: costs.Rules
    adj: dict[str, list[tuple[str, _Edge]]]
    nodes: dict[str, dict[str, Any]]
    edges: list[tuple[str, dict[str, Any]]]
    closures: tuple[Closure, ...]
    scenario: tuple[str, ...]
    trans_cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    banned_cache: dict[tuple[Constraints, frozenset[str]], Any] = field(default_factory=dict)


_NETS: weakref.WeakKeyDictionary[nx.MultiGraph, _Net] = weakref.WeakKeyDictionary()


def _edge(key: str, d: dict[str, Any]) -> _Edge:
    # dict.__getitem__: the plain lookup, not EdgeData's (which checks for geometry);
    # this runs for every edge when a graph is first searched.
    get = dict.__getitem__
    countries = get(d, "countries")
    return _Edge(
        key,
        get(d, "mode"),
        countries[0] if len(countries) == 1 else None,
        dict.get(d, "gauge_mm"),
        (get(d, "length_km"), get(d, "time_h"), get(d, "cost_usd")),
        d,
    )


def _net(H: nx.MultiGraph) -> _Net:
    net = _NETS.get(H)
    version = graph_version(H)
    if net is None or net.version != version:
        adj: dict[str, list[tuple[str, _Edge]]] = {n: [] for n in H._node}
        edges = []
        for u, v, k, d in edge_items(H):
            e = _edge(k, d)
            adj[u].append((v, e))
            adj[v].append((u, e))
            edges.append((k, d))
        nodes = dict(H._node)
        doc = H.graph["rules"]
        parsed = H.graph.get("_rules")  # set by apply_scenario from the same dict
        rules = parsed[1] if parsed is not None and parsed[0] is doc else costs.Rules.from_dict(doc)
        net = _Net(H, version, rules, adj, nodes, edges, tuple(H.graph.get("closures", ())), _scenario_names(H))
        _NETS[H] = net
    return net


def _plan_net(G: nx.MultiGraph, plan: ScenarioPlan) -> _Net:
    """The search view of a scenario plan on the base graph G, built from G's own dicts (kept with the plan)."""
    net: _Net | None = plan.search_view
    if net is None:
        removed_links, removed = plan.removed_links, plan.removed_places
        updates = plan.link_updates
        adj: dict[str, list[tuple[str, _Edge]]] = {n: [] for n in G._node if n not in removed}
        edges = []
        # edge_items(G) less what the plan leaves out is the order edge_items meets the
        # applied graph's links in (graph_copy keeps G's order), so ties break alike.
        for u, v, k, d in edge_items(G):
            if k in removed_links or u in removed or v in removed:
                continue
            attrs = d
            if updates and (u, v, k) in updates:
                attrs = detached_edge_data(d)
                dict.update(attrs, updates[(u, v, k)])
            e = _edge(k, attrs)
            adj[u].append((v, e))
            adj[v].append((u, e))
            edges.append((k, attrs))
        place_updates = plan.place_updates
        nodes = {
            n: {**d, **place_updates[n]} if n in place_updates else d for n, d in G._node.items() if n not in removed
        }
        scenario = tuple(plan.graph_attrs["scenario"] or ("baseline",))
        net = _Net(None, None, plan.rules, adj, nodes, edges, plan.closures, scenario)
        plan.search_view = net
    return net


def _open_in(months: tuple[int, ...] | None, month: int | None) -> bool:
    return month is None or months is None or month in months


def _scales(node: dict[str, Any]) -> tuple[float, float]:
    scale: tuple[float, float] = node.get("dwell_scale", (1.0, 1.0))
    return scale


def _post(
    net: _Net, pid: str, node: dict[str, Any], event: str, country: str, mode: str
) -> tuple[float, float, str, tuple[str, ...]]:
    override = node.get("dwell_override")
    hs, cs = _scales(node)
    if override is not None and (override["hours"] is not None or override["cost_usd"] is not None):
        base = costs.border_post(pid, node, event, country, mode, net.rules)
        hours = override["hours"] if override["hours"] is not None else base[0]
        cost = (
            net.rules.per_tonne(override["cost_usd"], override["cost_basis"])
            if override["cost_usd"] is not None
            else base[1]
        )
        return hours * hs, cost * cs, f"{country} {event}: set by scenario {override['scenario']}", ()
    return costs.border_post(pid, node, event, country, mode, net.rules, hours_scale=hs, cost_scale=cs)


def _transition(
    net: _Net, pid: str, node: dict[str, Any], state: tuple[Any, ...], e: _Edge
) -> tuple[float, float, tuple[costs.Dwell, ...]] | None:
    """Hours, USD/t and stops of passing ``pid`` from the arrival ``state`` onto ``e``.

    None when the move is impossible (a border where there is no crossing, a change of
    mode where goods cannot be transferred, a gauge break with no transshipment).
    """
    _, mode_in, country_in, gauge_in = state
    if mode_in is None:
        return 0.0, 0.0, ()
    key = (pid, mode_in, country_in, gauge_in, e.mode, e.country, e.gauge)
    cached = net.trans_cache.get(key, False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    hours = usd = 0.0
    stops: list[costs.Dwell] = []
    result: tuple[float, float, tuple[costs.Dwell, ...]] | None
    try:
        if country_in is not None and e.country is not None and country_in != e.country:
            border = node.get("border")
            if not border or {country_in, e.country} != set(border):
                net.trans_cache[key] = None
                return None
            mode = e.mode if e.mode == mode_in else mode_in
            h1, c1, b1, s1 = _post(net, pid, node, "exit", country_in, mode)
            h2, c2, b2, s2 = _post(net, pid, node, "entry", e.country, mode)
            stops.append(
                costs.Dwell(
                    pid,
                    "border",
                    h1 + h2,
                    c1 + c2,
                    f"{country_in} exit + {e.country} entry at {node['name']}",
                    f"{b1}; {b2}",
                    s1 + s2,
                )
            )
            hours += h1 + h2
            usd += c1 + c2
        if mode_in != e.mode:
            event = mode_change_event(node, mode_in, e.mode)
            if event is None:
                net.trans_cache[key] = None
                return None
            hs, cs = _scales(node)
            h, c, b, s = costs.place_event(pid, node, event, e.mode, net.rules, hours_scale=hs, cost_scale=cs)
            what = f"{mode_in} to {e.mode} at {node['name']}"
            if event == "handling":
                what = f"{'port' if node.get('kind') == 'seaport' else 'airport'} handling, {what}"
            stops.append(costs.Dwell(pid, event, h, c, what, b, s))
            hours += h
            usd += c
        elif e.mode == "air":
            # Flights are point to point: flying on from an airport is a connection to another flight.
            hs, cs = _scales(node)
            h, c, b, s = costs.place_event(pid, node, "connection", "air", net.rules, hours_scale=hs, cost_scale=cs)
            stops.append(costs.Dwell(pid, "connection", h, c, f"connection between flights at {node['name']}", b, s))
            hours += h
            usd += c
        elif e.mode == "rail" and gauge_in is not None and e.gauge is not None and gauge_in != e.gauge:
            if not node.get("transshipment"):
                net.trans_cache[key] = None
                return None
            hs, cs = _scales(node)
            h, c, b, s = costs.place_event(
                pid, node, "transshipment", "rail", net.rules, hours_scale=hs, cost_scale=cs, gauges=(gauge_in, e.gauge)
            )
            stops.append(
                costs.Dwell(pid, "transshipment", h, c, f"gauge {gauge_in} to {e.gauge} mm at {node['name']}", b, s)
            )
            hours += h
            usd += c
    except costs.RuleMissingError as exc:
        raise RoutesError(f"The network data lacks a rule: {exc.message}") from None
    result = (hours, usd, tuple(stops))
    net.trans_cache[key] = result
    return result


#: Modes a place of a kind can always move goods between, whatever its ``transfer`` says.
#: Kinds of place where a journey that starts or ends there is handled (loaded or unloaded).
HANDLING_KINDS = frozenset({"seaport", "airport"})

KIND_MODES = {"seaport": frozenset({"road", "rail", "sea"}), "airport": frozenset({"road", "air"})}


def mode_change_event(node: dict[str, Any], mode_in: str, mode_out: str) -> str | None:
    """What changing from ``mode_in`` to ``mode_out`` at a place costs, or None if impossible.

    Road and rail meet at a ``transfer``. Goods move onto or off a ship or a plane only at a
    seaport or airport, through its ``handling``, which also clears them into or out of the
    country: sea lanes and flights cross no border post (see geodata/README.md).
    """
    allowed = set(node.get("transfer", ())) | KIND_MODES.get(node.get("kind", ""), frozenset())
    if not {mode_in, mode_out} <= allowed:
        return None
    return "handling" if {mode_in, mode_out} & BORDERLESS_MODES else "transfer"


@dataclass(frozen=True)
class _Lift:
    """What to put back for one retry when explaining a missing route."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: tuple[tuple[str, str, str, dict[str, Any]], ...] = ()
    unban_nodes: frozenset[str] = frozenset()
    unban_edges: frozenset[str] = frozenset()
    relax: frozenset[str] = frozenset()


def _banned(
    net: _Net, cons: Constraints, relax: frozenset[str] = frozenset()
) -> tuple[set[str], set[str], dict[str, str]]:
    """Nodes and edges the constraints exclude, and why (id -> group label).

    Cached per graph and constraints: callers must not change the sets they get.
    """
    cached = net.banned_cache.get((cons, relax))
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    why: dict[str, str] = {}
    nodes: set[str] = set()
    edges: set[str] = set()
    month = None if "month" in relax else cons.month
    for pid, d in net.nodes.items():
        reason = _node_reason(pid, d, cons, month, relax)
        if reason:
            nodes.add(pid)
            why[pid] = reason
    for k, d in net.edges:
        reason = _edge_reason(k, d, cons, month, relax)
        if reason:
            edges.add(k)
            why[k] = reason
    if len(net.banned_cache) > 256:
        net.banned_cache.clear()
    net.banned_cache[(cons, relax)] = (nodes, edges, why)
    return nodes, edges, why


def _node_reason(
    pid: str, d: dict[str, Any], cons: Constraints, month: int | None, relax: frozenset[str]
) -> str | None:
    if pid in cons.avoid_places and f"place:{pid}" not in relax:
        return f"place:{pid}"
    if d["country"] in cons.avoid_countries and f"country:{d['country']}" not in relax:
        return f"country:{d['country']}"
    if cons.max_elevation_m is not None and "elevation" not in relax:
        elev = d.get("elevation_m")
        if elev is not None and elev > cons.max_elevation_m:
            return "elevation"
    if month is not None and not _open_in(d.get("open_months"), month) and f"month:{pid}" not in relax:
        return f"month:{pid}"
    return None


def _edge_reason(k: str, d: dict[str, Any], cons: Constraints, month: int | None, relax: frozenset[str]) -> str | None:
    if k in cons.avoid_links and f"link:{k}" not in relax:
        return f"link:{k}"
    if d["mode"] not in (DEFAULT_MODES if cons.modes is None else cons.modes) and "modes" not in relax:
        return "modes"
    for c in d["countries"]:
        if c in cons.avoid_countries and f"country:{c}" not in relax:
            return f"country:{c}"
    if cons.statuses is not None and d["status"] not in cons.statuses and "statuses" not in relax:
        return "statuses"
    if cons.max_elevation_m is not None and d["max_elevation_m"] > cons.max_elevation_m and "elevation" not in relax:
        return "elevation"
    if month is not None and not _open_in(d.get("open_months"), month) and f"month:{k}" not in relax:
        return f"month:{k}"
    return None


#: Places where goods can begin or end a journey on any mode; elsewhere a journey begins
#: and ends on a truck (door to door), so rail there means a transfer at each end.
TERMINAL_KINDS = frozenset({"seaport", "dry_port", "rail_terminal"})
#: In the distance objective a change of mode weighs this many km: routes with fewer
#: changes always win, and among them the shortest (transfers have no length of their own).
_TRANSFER_KM = 1e6
#: The stops that are a change of mode.
_MODE_CHANGES = frozenset({"transfer", "handling"})

PathStep = tuple[tuple[Any, ...], "_Edge | None", tuple[costs.Dwell, ...], tuple[costs.Dwell, ...]]


def mode_changes(stops: Iterable[costs.Dwell]) -> int:
    """How many changes of mode a transition's stops are (what the distance objective counts).

    A transfer between road and rail, and a handling onto or off a ship or a plane, each
    count one; borders, gauge breaks and connections between flights count none.
    """
    return sum(1 for s in stops if s.event in _MODE_CHANGES)


def _step_weight(metric: int, edge_metric: float, trans: tuple[float, float, tuple[costs.Dwell, ...]]) -> float:
    if metric == 1:
        return edge_metric + trans[0]
    if metric == 2:
        return edge_metric + trans[1]
    return edge_metric + _TRANSFER_KM * mode_changes(trans[2])


def _search(
    net: _Net,
    origin: str,
    destination: str,
    metric: int,
    banned_nodes: set[str],
    banned_edges: set[str],
    lift: _Lift | None = None,
    *,
    door: bool = True,
) -> list[PathStep] | None:
    """Dijkstra over (place, mode, country, gauge); returns the state path or None.

    Each step is ``(state, edge, stops before the edge, stops after it)``; the stops after
    an edge are the final transfer to a truck at a destination that is not a terminal.
    ``door``: journeys start and end on the road (when road is an allowed mode).
    """
    adj = net.adj
    nodes = net.nodes
    extra: dict[str, list[tuple[str, _Edge]]] = {}
    if lift is not None and (lift.nodes or lift.edges):
        nodes = {**net.nodes, **lift.nodes}
        for u, v, k, d in lift.edges:
            e = _edge(k, d)
            extra.setdefault(u, []).append((v, e))
            extra.setdefault(v, []).append((u, e))
    node_attrs = nodes.get

    origin_node, dest_node = node_attrs(origin), node_attrs(destination)
    if origin_node is None or dest_node is None:
        return None
    start_mode = "road" if door and origin_node.get("kind") not in TERMINAL_KINDS else None
    end_by_road = door and dest_node.get("kind") not in TERMINAL_KINDS
    start = (origin, start_mode, None, None)
    best: dict[tuple[Any, ...], float] = {start: 0.0}
    prev: dict[tuple[Any, ...], tuple[tuple[Any, ...], _Edge, tuple[costs.Dwell, ...], tuple[costs.Dwell, ...]]] = {}
    counter = itertools.count()
    heap: list[tuple[float, int, tuple[Any, ...]]] = [(0.0, next(counter), start)]
    goal = None
    while heap:
        cost, _, state = heapq.heappop(heap)
        if cost > best.get(state, float("inf")):
            continue
        pid = state[0]
        if pid == destination:
            goal = state
            break
        node = nodes[pid]
        neighbours = adj.get(pid, ())
        if extra:
            neighbours = [*neighbours, *extra.get(pid, ())]
        for nbr, e in neighbours:
            if e.key in banned_edges or nbr in banned_nodes or nbr not in nodes:
                continue
            trans = _transition(net, pid, node, state, e)
            if trans is None:
                continue
            new = cost + _step_weight(metric, e.metrics[metric], trans)
            nstate = (nbr, e.mode, e.country, e.gauge)
            final: tuple[costs.Dwell, ...] = ()
            if nbr == destination and end_by_road and e.mode != "road":
                # Unload onto a truck at the destination, if goods can be transferred there.
                fin = _transition(net, nbr, dest_node, nstate, _road_edge(e.country))
                if fin is None:
                    continue
                new += _step_weight(metric, 0.0, fin)
                final = fin[2]
            if new < best.get(nstate, float("inf")):
                best[nstate] = new
                prev[nstate] = (state, e, trans[2], final)
                heapq.heappush(heap, (new, next(counter), nstate))
    if goal is None:
        return None
    path: list[PathStep] = []
    state = goal
    while state != start:
        pstate, e, stops, after = prev[state]
        path.append((state, e, stops, after))
        state = pstate
    path.append((start, None, (), ()))
    path.reverse()
    return path


def _road_edge(country: str | None) -> _Edge:
    """A zero-length road pseudo-edge: the truck that takes goods off a train."""
    return _Edge(key="", mode="road", country=country, gauge=None, metrics=(0.0, 0.0, 0.0), attrs={})


def _prepare(
    G: nx.MultiGraph, scenario: ScenarioSpec, month: int | None, cons: Constraints
) -> tuple[nx.MultiGraph, nx.MultiGraph, Constraints]:
    """As `_prepare_view`, with the applied graph (built if need be) instead of the view."""
    G, source, _, cons = _prepare_view(G, scenario, month, cons)
    return G, source if not isinstance(source, ScenarioPlan) else applied_graph(G, source), cons


def _prepare_view(
    G: nx.MultiGraph, scenario: ScenarioSpec, month: int | None, cons: Constraints
) -> tuple[nx.MultiGraph, nx.MultiGraph | ScenarioPlan, _Net, Constraints]:
    """The base graph, what the scenario makes of it, its search view, and the constraints with the month set.

    What the scenario makes of it is the graph given when it is an applied one, else the
    scenario's plan: a route needs no applied graph.
    """
    source: nx.MultiGraph | ScenarioPlan
    if G.graph.get("scenario"):
        if scenario is not None:
            raise RoutesError(
                "This graph already has a scenario applied; pass the base graph from "
                "load_network() together with scenario=..."
            )
        source = G
        base_ref = G.graph.get("_base")
        base = base_ref() if base_ref is not None else None
        G = base if base is not None else source
        net = _net(source)
        scenario_month = source.graph.get("month")
    else:
        # Routing needs no applied graph: its view is built from G and the plan.
        source = scenario_plan(G, scenario)
        net = _plan_net(G, source)
        scenario_month = source.graph_attrs["month"]
    effective_month = month if month is not None else scenario_month
    if effective_month is not None and not (isinstance(effective_month, int) and 1 <= effective_month <= 12):
        raise RoutesError(f"month must be a number from 1 to 12, got {effective_month!r}")
    cons = Constraints(
        modes=cons.modes,
        avoid_countries=cons.avoid_countries,
        avoid_places=cons.avoid_places,
        avoid_links=cons.avoid_links,
        statuses=cons.statuses,
        max_elevation_m=cons.max_elevation_m,
        month=effective_month,
    )
    return G, source, net, cons


def names_arg(value: str | Iterable[str], param: str) -> tuple[str, ...]:
    """Return a list-of-names argument as a tuple; a single string is a list of one.

    Without this, ``modes="road"`` would be read as the modes "r", "o", "a", "d".

    Raises
    ------
    RoutesError
        If ``value`` is neither a string nor an iterable of strings.
    """
    if isinstance(value, str):
        return (value,)
    try:
        items = tuple(value)
    except TypeError:
        raise RoutesError(f"{param} must be a name or a list of names, got {value!r}") from None
    bad = [item for item in items if not isinstance(item, str)]
    if bad:
        raise RoutesError(f"{param} must hold names (strings), got {bad[0]!r} in {value!r}")
    return items


def _constraints(
    G: nx.MultiGraph,
    modes: Iterable[str] | None,
    avoid_countries: Iterable[str],
    avoid_places: Iterable[str],
    avoid_links: Iterable[str],
    statuses: Iterable[str] | None,
    max_elevation_m: float | None,
) -> Constraints:
    from routes.schema import COUNTRIES, MODES, STATUSES  # noqa: PLC0415

    modes = None if modes is None else names_arg(modes, "modes")
    avoid_countries = names_arg(avoid_countries, "avoid_countries")
    avoid_places = names_arg(avoid_places, "avoid_places")
    avoid_links = names_arg(avoid_links, "avoid_links")
    statuses = None if statuses is None else names_arg(statuses, "statuses")
    if max_elevation_m is not None:
        if isinstance(max_elevation_m, bool) or not isinstance(max_elevation_m, int | float):
            raise RoutesError(f"max_elevation_m must be a number of metres, got {max_elevation_m!r}")
        if math.isnan(max_elevation_m):
            raise RoutesError("max_elevation_m is NaN; give a number of metres, or None for no limit")
    mode_set = None if modes is None else frozenset(modes)
    if mode_set is not None and not mode_set <= MODES:
        raise RoutesError(f"Unknown mode(s) {', '.join(sorted(mode_set - MODES))}; use road, rail, sea or air.")
    countries = frozenset(c.upper() for c in avoid_countries)
    if not countries <= COUNTRIES:
        raise RoutesError(
            f"Unknown country code(s) {', '.join(sorted(countries - COUNTRIES))}; use ISO3: "
            + ", ".join(sorted(COUNTRIES))
        )
    status_set = None if statuses is None else frozenset(statuses)
    if status_set is not None and not status_set <= set(STATUSES):
        raise RoutesError(
            f"Unknown status(es) {', '.join(sorted(status_set - set(STATUSES)))}; use {', '.join(STATUSES)}."
        )
    avoid_links = tuple(avoid_links)
    links = {k for _, _, k in G.edges(keys=True)} if avoid_links else set()
    bad_links = [lk for lk in avoid_links if lk not in links]
    if bad_links:
        raise RoutesError(f"Unknown link id(s) to avoid: {', '.join(bad_links)}.")
    return Constraints(
        modes=mode_set,
        avoid_countries=countries,
        avoid_places=frozenset(find_place(G, p) for p in avoid_places),
        avoid_links=frozenset(avoid_links),
        statuses=status_set,
        max_elevation_m=max_elevation_m,
    )


def _build_route(G: nx.MultiGraph, net: _Net, path: list[Any], by: str, month: int | None) -> Route:
    def ref(pid: str) -> PlaceRef:
        d = G.nodes[pid] if pid in G else net.nodes[pid]
        return PlaceRef(pid, d["name"], d["country"], d["kind"])

    places = [ref(path[0][0][0])]
    legs: list[Leg] = []
    stops: list[costs.Dwell] = []
    prev_pid = path[0][0][0]
    final_stops: tuple[costs.Dwell, ...] = ()
    leg_attrs: list[dict[str, Any]] = []
    for state, e, trans_stops, after in path[1:]:
        assert e is not None
        d = e.attrs
        leg_attrs.append(d)
        stops.extend(trans_stops)
        final_stops = after
        pid = state[0]
        coords = d["coords"] if d["from"] == prev_pid else tuple(reversed(d["coords"]))
        legs.append(
            Leg(
                from_id=prev_pid,
                to_id=pid,
                link=e.key,
                name=d["name"],
                mode=d["mode"],
                corridor=d["corridor"],
                status=d["status"],
                km=d["length_km"],
                hours=d["time_h"],
                cost_usd=d["cost_usd"],
                speed_kmh=d["speed_kmh"],
                countries=d["countries"],
                max_elevation_m=d["max_elevation_m"],
                sources=tuple(c["id"] for c in d["sources"]),
                coords=coords,
                block_time_basis=d.get("block_time_basis"),
                block_time_method=d.get("block_time_method"),
            )
        )
        places.append(ref(pid))
        prev_pid = pid
    stops.extend(final_stops)
    # Handling at seaports and airports where the cargo is loaded or unloaded.
    if legs:
        ends = ((places[0].id, legs[0].mode, "origin"), (places[-1].id, legs[-1].mode, "destination"))
        for pid, mode, where in ends:
            node = net.nodes[pid] if pid in net.nodes else G.nodes[pid]
            if node.get("kind") not in HANDLING_KINDS:
                continue
            hs, cs = _scales(node)
            h, c, b, s = costs.place_event(pid, node, "handling", mode, net.rules, hours_scale=hs, cost_scale=cs)
            what = "port" if node["kind"] == "seaport" else "airport"
            stop = costs.Dwell(pid, "handling", h, c, f"{what} handling at {node['name']} ({where})", b, s)
            if where == "origin":
                stops.insert(0, stop)
            else:
                stops.append(stop)
    total_km = sum(leg.km for leg in legs)
    total_hours = sum(leg.hours for leg in legs) + sum(s.hours for s in stops)
    total_cost = sum(leg.cost_usd for leg in legs) + sum(s.cost_usd for s in stops)
    countries: list[str] = []
    km_by_country: dict[str, float] = {}
    for leg in legs:
        # A sea lane or a flight belongs to no country: the route is in the countries of
        # the ports or airports it leaves and reaches, not of the straits it passes (its
        # km count for no country).
        passed = leg.countries or tuple(
            G.nodes[p]["country"] for p in (leg.from_id, leg.to_id) if G.nodes[p].get("kind") != "passage"
        )
        for iso in passed:
            if not countries or countries[-1] != iso:
                countries.append(iso)
        for iso in leg.countries:
            km_by_country[iso] = km_by_country.get(iso, 0.0) + leg.km / len(leg.countries)
    elevations = [leg.max_elevation_m for leg in legs]
    elevations += [G.nodes[p.id]["elevation_m"] for p in places if G.nodes[p.id].get("elevation_m") is not None]
    months = set(range(1, 13))
    for p in places:
        om = G.nodes[p.id].get("open_months")
        if om:
            months &= set(om)
    for attrs in leg_attrs:
        om = attrs.get("open_months")
        if om:
            months &= set(om)
    sources: dict[str, None] = {}
    for p in places:
        for cite in G.nodes[p.id]["sources"]:
            sources.setdefault(cite["id"], None)
    for leg in legs:
        for sid in leg.sources:
            sources.setdefault(sid, None)
    for stop in stops:
        for sid in stop.sources:
            sources.setdefault(sid, None)
    return Route(
        origin=places[0],
        destination=places[-1],
        by=by,
        scenario=net.scenario,
        month=month,
        places=tuple(places),
        legs=tuple(legs),
        stops=tuple(stops),
        total_km=total_km,
        total_hours=total_hours,
        total_cost_usd=total_cost,
        border_crossings=tuple(stop.place for stop in stops if stop.event == "border"),
        countries=tuple(countries),
        km_by_country=km_by_country,
        max_elevation_m=max(elevations) if elevations else None,
        months_open=tuple(sorted(months)),
        unbuilt=tuple(leg.link for leg in legs if leg.status != "operational"),
        sources=tuple(sources),
    )


def _scenario_names(H: nx.MultiGraph) -> tuple[str, ...]:
    parts = tuple(H.graph.get("scenario") or ("baseline",))
    return parts


def _month_label(pid_or_link: str, d: dict[str, Any], month: int) -> str:
    window = months_text(d.get("open_months") or ())
    note = d.get("season_note")
    name = d.get("name", pid_or_link)
    return f"{name} is closed in {MONTH_ABBR[month - 1]} (open {window}" + (f": {note}" if note else "") + ")"


def _explain(G: nx.MultiGraph, net: _Net, origin: str, destination: str, cons: Constraints) -> list[str]:
    """Name the closures that cut origin from destination."""
    banned_nodes, banned_edges, why = _banned(net, cons)
    groups: list[tuple[str, _Lift]] = []
    for closure in net.closures:
        assert isinstance(closure, Closure)
        groups.append((closure.label, _Lift(nodes=dict(closure.nodes), edges=closure.edges)))
    by_reason: dict[str, list[str]] = {}
    for item, reason in why.items():
        by_reason.setdefault(reason, []).append(item)
    for reason in sorted(by_reason):
        kind, _, what = reason.partition(":")
        if kind == "month":
            d = net.nodes[what] if what in net.nodes else next(dd for k, dd in net.edges if k == what)
            assert cons.month is not None
            label = _month_label(what, d, cons.month)
        elif kind == "country":
            label = f"{country_name(what)} is avoided (--avoid-country {what})"
        elif kind == "place":
            label = f"{net.nodes[what]['name'] if what in net.nodes else what} is avoided"
        elif kind == "link":
            label = f"link {what} is avoided"
        elif kind == "modes" and cons.modes is None:
            label = "freight stays on the surface unless asked (--mode road,rail,sea,air lets it fly)"
        elif kind == "modes":
            label = f"only modes {', '.join(sorted(cons.modes or ()))} are allowed"
        elif kind == "statuses":
            label = f"only statuses {', '.join(sorted(cons.statuses or ()))} are allowed"
        else:
            label = f"the route may not climb above {cons.max_elevation_m:,.0f} m"
        groups.append((label, _Lift(relax=frozenset({reason}))))

    # Find the ways that would exist without the closures, best first, and name the
    # closures that block each: lift every closure, take the best path, record the
    # closures it crosses, keep those closed, and look again.
    explanations: list[str] = []
    kept: set[int] = set()
    for _ in range(4):
        lifts = [lf for i, (_, lf) in enumerate(groups) if i not in kept]
        path = _lifted_search(net, origin, destination, cons, lifts, banned_nodes, banned_edges)
        if path is None:
            break
        hit = _hit_groups(path, groups, kept, why)
        if not hit:
            break
        # Keep only the closures this way really needs lifted: drop one, look again, and
        # keep the drop when the way found still needs nothing else.
        for i in list(hit):
            trial = [lf for j, (_, lf) in enumerate(groups) if j not in kept and j != i]
            alt = _lifted_search(net, origin, destination, cons, trial, banned_nodes, banned_edges)
            if alt is not None:
                alt_hit = _hit_groups(alt, groups, kept | {i}, why)
                if set(alt_hit) <= set(hit) - {i}:
                    hit.remove(i)
                    path = alt
        labels = [groups[i][0] for i in hit]
        crossings = [(G.nodes[p]["name"] if p in G else p) for p in _path_crossings(path)]
        via = f" (the way via {', '.join(crossings)})" if crossings else ""
        explanations.append(" and ".join(labels) + via)
        kept.update(hit)
    return explanations


def _hit_groups(path: list[Any], groups: list[tuple[str, _Lift]], kept: set[int], why: dict[str, str]) -> list[int]:
    """Indices of the closure groups (not yet accounted for) that a path runs through."""
    used_nodes = {step[0][0] for step in path}
    used_edges = {step[1].key for step in path if step[1] is not None}
    return [i for i, (_, lf) in enumerate(groups) if i not in kept and _hits(lf, used_nodes, used_edges, why)]


def _hits(lf: _Lift, nodes: set[str], edges: set[str], why: dict[str, str]) -> bool:
    if any(n in nodes for n in lf.nodes):
        return True
    if any(k in edges for _, _, k, _ in lf.edges):
        return True
    return any(why.get(item) in lf.relax for item in nodes | edges)


def _path_crossings(path: list[Any]) -> list[str]:
    return [s.place for step in path for s in step[2] if s.event == "border"]


def _lifted_search(
    net: _Net,
    origin: str,
    destination: str,
    cons: Constraints,
    lifts: Sequence[_Lift],
    banned_nodes: set[str],
    banned_edges: set[str],
) -> list[Any] | None:
    relax = frozenset().union(*(lf.relax for lf in lifts)) if lifts else frozenset()
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for lf in lifts:
        nodes.update(lf.nodes)
        edges.extend(lf.edges)
    bn, be = (banned_nodes, banned_edges) if not relax else _banned(net, cons, relax)[:2]
    # Edges of a lifted closure whose places are still closed by another one stay unusable.
    door = _door(cons, relax)
    return _search(net, origin, destination, 0, bn, be, _Lift(nodes=nodes, edges=tuple(edges)), door=door)


def _door(cons: Constraints, relax: frozenset[str] = frozenset()) -> bool:
    """Whether journeys start and end on a truck: whenever road is an allowed mode."""
    return cons.modes is None or "road" in cons.modes or "modes" in relax


def _context(net: _Net, cons: Constraints) -> str:
    parts = "+".join(net.scenario)
    if cons.month is not None:
        parts += f" in {MONTH_ABBR[cons.month - 1]}"
    return parts


def shortest_route(
    G: nx.MultiGraph,
    origin: str,
    destination: str,
    *,
    by: str = "distance",
    scenario: ScenarioSpec = None,
    month: int | None = None,
    modes: Iterable[str] | None = None,
    avoid_countries: Iterable[str] = (),
    avoid_places: Iterable[str] = (),
    avoid_links: Iterable[str] = (),
    statuses: Iterable[str] | None = None,
    max_elevation_m: float | None = None,
) -> Route:
    """Find the best route between two places.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network` (or one from `routes.apply_scenario`,
        then with ``scenario=None``).
    origin, destination : str
        Place ids, names or aliases (case and diacritics ignored).
    by : {"distance", "time", "cost"}
        What to minimise: km, hours (travel plus dwell), or USD per tonne. Totals always
        report all three.
    scenario : str, Path, Scenario or list of them, optional
        Scenario(s) applied on top of ``baseline`` (see `routes.apply_scenario`).
    month : int, optional
        Month of travel 1-12; overrides the scenario's. Places and links closed that
        month are not used. Default: the scenario's month, else seasons are ignored.
    modes : str or iterable of str, optional
        Modes allowed ("road", "rail", "sea", "air"); one string is one mode. Default:
        road, rail and sea; air only when named.
    avoid_countries, avoid_places, avoid_links : str or iterable of str
        ISO3 codes, place names/ids, link ids the route must not touch; one string is
        one name (``avoid_countries="AFG"``).
    statuses : str or iterable of str, optional
        Link statuses allowed (among those the scenario built).
    max_elevation_m : float, optional
        Highest point allowed (NaN is refused).

    Returns
    -------
    Route

    Raises
    ------
    UnknownPlaceError
        If a place is unknown (with the nearest names) or ambiguous (with candidates).
    NoRouteError
        If nothing joins them; the error names the closures that cut them (also when
        the origin or destination is itself closed by the scenario).
    ScenarioError
        If a scenario is unknown or malformed.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> r = routes.shortest_route(G, "Dushanbe", "Karachi")
    >>> "AFG" in r.countries
    True
    """
    q = _query(G, origin, destination, by, scenario, month, modes, avoid_countries, avoid_places, avoid_links,
               statuses, max_elevation_m)  # fmt: skip
    banned_nodes, banned_edges, _ = _banned(q.net, q.cons)
    path = _search(q.net, q.o, q.d, _METRIC[by], banned_nodes, banned_edges, door=_door(q.cons))
    if path is None:
        raise q.no_route()
    return _build_route(q.G, q.net, path, by, q.cons.month)


@dataclass
class _Query:
    """A validated routing request: graphs, constraints and resolved places."""

    G: nx.MultiGraph
    source: nx.MultiGraph | ScenarioPlan
    net: _Net
    cons: Constraints
    o: str
    d: str

    @property
    def H(self) -> nx.MultiGraph:  # noqa: N802 (the name the analyses use for an applied graph)
        """The applied graph, built on first use (a route needs only `net`)."""
        if isinstance(self.source, ScenarioPlan):
            return applied_graph(self.G, self.source)
        return self.source

    def no_route(self) -> NoRouteError:
        return NoRouteError(
            self.o,
            self.d,
            _explain(self.G, self.net, self.o, self.d, self.cons),
            _context(self.net, self.cons),
            names=(self.G.nodes[self.o]["name"], self.G.nodes[self.d]["name"]),
        )


def _query(
    G: nx.MultiGraph,
    origin: str,
    destination: str,
    by: str,
    scenario: ScenarioSpec,
    month: int | None,
    modes: Iterable[str] | None,
    avoid_countries: Iterable[str],
    avoid_places: Iterable[str],
    avoid_links: Iterable[str],
    statuses: Iterable[str] | None,
    max_elevation_m: float | None,
) -> _Query:
    if by not in BY:
        raise RoutesError(f"by must be one of {', '.join(BY)}, got {by!r}")
    cons = _constraints(G, modes, avoid_countries, avoid_places, avoid_links, statuses, max_elevation_m)
    G, source, net, cons = _prepare_view(G, scenario, month, cons)
    o = _find(G, net, origin, destination, cons, is_origin=True)
    d = _find(G, net, destination, origin, cons, is_origin=False)
    if o == d:
        raise RoutesError(f"Origin and destination are the same place ({o}); give two different places.")
    for end, pid in (("origin", o), ("destination", d)):
        if pid in cons.avoid_places:
            raise RoutesError(
                f"The {end} {G.nodes[pid]['name']} ({pid}) cannot be avoided: every route starts and ends "
                "there. Drop it from --avoid-place (avoid_places), or route from or to another place."
            )
    return _Query(G, source, net, cons, o, d)


def _find(G: nx.MultiGraph, net: _Net, query: str, other: str, cons: Constraints, *, is_origin: bool) -> str:
    """Resolve a place; one the scenario closed is reported as closed, not as unknown.

    On a graph from `routes.apply_scenario` the closed places are gone, so a plain lookup
    would call Kabul "unknown" under ``afghanistan-closed``; on the base graph it would
    be found, and the search would then explain the missing route by what lies beyond.
    """
    closures = net.closures
    present = net.nodes
    is_closed_id = any(cid == query and cid not in present for closure in closures for cid, _ in closure.nodes)
    unknown: UnknownPlaceError | None = None
    if is_closed_id:
        pid = query  # an id names one place: a closed one is not another place's name
    else:
        try:
            pid = find_place(G, query)
        except UnknownPlaceError as exc:
            unknown = exc
        else:
            if pid in present:
                return pid  # the usual case: nothing more to look at
    closed = nx.MultiGraph()
    label: dict[str, str] = {}
    for closure in closures:
        for cid, attrs in closure.nodes:
            if cid not in present:
                closed.add_node(cid, **attrs)
                label.setdefault(cid, closure.label)
    if unknown is not None:
        try:
            pid = find_place(closed, query)
        except UnknownPlaceError:
            raise unknown from None
    if pid not in label:
        return pid
    name = closed.nodes[pid]["name"]
    context = _context(net, cons)
    why = [f"{name} ({pid}) exists but is closed under {context}: {label[pid]}"]
    if is_origin:
        raise NoRouteError(pid, other, why, context, names=(name, other))
    raise NoRouteError(other, pid, why, context, names=(other, name))


def alternative_routes(
    G: nx.MultiGraph,
    origin: str,
    destination: str,
    k: int = 3,
    *,
    by: str = "distance",
    scenario: ScenarioSpec = None,
    month: int | None = None,
    modes: Iterable[str] | None = None,
    avoid_countries: Iterable[str] = (),
    avoid_places: Iterable[str] = (),
    avoid_links: Iterable[str] = (),
    statuses: Iterable[str] | None = None,
    max_elevation_m: float | None = None,
) -> list[Route]:
    """Find up to ``k`` genuinely different routes, best first.

    Routes differ by the border crossings or corridors they use, not by small detours:
    each alternative is the best route left when one crossing (or, on a route with no
    crossing, one corridor) of an earlier route is taken away, in the manner of Yen's
    algorithm but on crossings and corridors instead of single links.

    Parameters
    ----------
    G, origin, destination, by, scenario, month, modes, avoid_countries, avoid_places,
    avoid_links, statuses, max_elevation_m
        As for `shortest_route`.
    k : int
        How many routes at most.

    Returns
    -------
    list of Route
        At least one route; fewer than ``k`` when the network has no more distinct ones.

    Raises
    ------
    UnknownPlaceError, NoRouteError, ScenarioError
        As for `shortest_route`.
    """
    if k < 1:
        raise RoutesError(f"k must be at least 1, got {k}")
    q = _query(G, origin, destination, by, scenario, month, modes, avoid_countries, avoid_places, avoid_links,
               statuses, max_elevation_m)  # fmt: skip
    G, net, cons, o, d = q.G, q.net, q.cons, q.o, q.d
    base_nodes, base_edges, _ = _banned(net, cons)
    metric = _METRIC[by]

    def run(ban_nodes: frozenset[str], ban_corridors: frozenset[str]) -> Route | None:
        edges = set(base_edges)
        if ban_corridors:
            edges |= {k for k, dd in net.edges if dd["corridor"] in ban_corridors}
        path = _search(net, o, d, metric, base_nodes | set(ban_nodes), edges, door=_door(cons))
        return None if path is None else _build_route(G, net, path, by, cons.month)

    def signature(r: Route) -> tuple[Any, ...]:
        return (r.border_crossings, r.corridors)

    first = run(frozenset(), frozenset())
    if first is None:
        raise q.no_route()
    chosen: list[tuple[Route, frozenset[str], frozenset[str]]] = [(first, frozenset(), frozenset())]
    seen_sigs = {signature(first)}
    tried: set[tuple[frozenset[str], frozenset[str]]] = {(frozenset(), frozenset())}
    candidates: list[tuple[float, int, Route, frozenset[str], frozenset[str]]] = []
    counter = itertools.count()
    idx = 0
    while len(chosen) < k:
        while idx < len(chosen):
            route, bn, bc = chosen[idx]
            idx += 1
            features: list[tuple[frozenset[str], frozenset[str]]] = [
                (bn | {c}, bc) for c in route.border_crossings if c not in (o, d)
            ]
            features += [(bn, bc | {c}) for c in route.corridors]
            for nb, cb in features:
                if (nb, cb) in tried:
                    continue
                tried.add((nb, cb))
                alt = run(nb, cb)
                if alt is not None:
                    value = (alt.total_km, alt.total_hours, alt.total_cost_usd)[metric]
                    heapq.heappush(candidates, (value, next(counter), alt, nb, cb))
        picked = None
        while candidates:
            _, _, alt, nb, cb = heapq.heappop(candidates)
            if signature(alt) not in seen_sigs:
                picked = (alt, nb, cb)
                break
        if picked is None:
            break
        seen_sigs.add(signature(picked[0]))
        chosen.append(picked)
    return [r for r, _, _ in chosen]
