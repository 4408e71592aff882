"""The compiled routing engine: the search's state graph as arrays, for batch questions.

`routes.routing` searches lazily over states ``(place, mode, country, gauge)``. For one
route that is fast; for thousands (an OD matrix, n-1 criticality) it is not. This
module expands an applied scenario graph once into the explicit state graph, with the
very transitions and costs the search uses (`routes.routing._transition`: border exit
and entry posts per direction, road-rail transfer, gauge breaks, handling onto and off
ships and planes as `routes.routing.mode_change_event` says, connections between flights,
no border post on a sea lane or a flight; the final transfer to a truck at a destination
that is not a terminal), and stores it as arrays: edge sources, targets, the link each
edge travels, km, hours and USD per tonne, and one weight array per objective (the
distance objective counts each change of mode as 10^6 km, as the search does, with
`routes.routing.mode_changes`). Shortest paths run in ``scipy.sparse.csgraph.dijkstra``, many sources at
once.

Every place has a *source* state (where a journey starts: on a truck, or free at a
terminal or when road is not allowed) and a *sink* state (where it ends). Constraints
are masks over the edges, never a rebuild: a banned link masks its edges, a banned place
the edges into its states (a journey may still start there, as in the search).

The compiled graph is cached per applied graph and version (`routes._versioned`), so an
edit of the graph compiles it again. scipy is imported here only, never on the path of
``routes route``.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from routes import costs
from routes._versioned import graph_version
from routes.errors import RoutesError
from routes.routing import (
    _METRIC,
    _TRANSFER_KM,
    HANDLING_KINDS,
    TERMINAL_KINDS,
    Constraints,
    _banned,
    _door,
    _net,
    _road_edge,
    _scales,
    _search,
    _transition,
    mode_changes,
)

if TYPE_CHECKING:
    import networkx as nx
    from numpy.typing import NDArray

__all__ = ["CompiledGraph", "PathTotals", "compile_graph"]

#: Every mode a state can arrive by (`routes.schema.MODES`), in a fixed order for the codes.
_MODES = ("road", "rail", "sea", "air")
_MODE_CODE = {m: i for i, m in enumerate(_MODES)}
#: Edge kinds: travel on a link; the end of a journey that must finish on a truck; the
#: end of one that may finish on any mode.
_LINK, _SINK_DOOR, _SINK_FREE = 0, 1, 2


@dataclass
class PathTotals:
    """Totals of the best routes between origins and destinations (one row per origin).

    Attributes
    ----------
    objective : numpy.ndarray
        What was minimised (km, hours or USD per tonne; for distance with 10^6 per mode
        change); ``inf`` where no route exists.
    km, hours, cost_usd : numpy.ndarray
        The totals ``shortest_route`` reports for the same query; ``nan`` where no route.
    """

    objective: NDArray[np.float64]
    km: NDArray[np.float64]
    hours: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    #: ``(origin row, link index)`` and ``(origin row, place index)`` of every link and
    #: place the chosen paths use (only when asked for with ``collect=True``).
    used_links: NDArray[np.int64] | None = None
    used_places: NDArray[np.int64] | None = None

    @property
    def reachable(self) -> NDArray[np.bool_]:
        """Where a route exists."""
        return np.isfinite(self.objective)


@dataclass
class _Masked:
    """The state graph under one mask, deduplicated per objective, ready for scipy."""

    matrix: Any  # scipy.sparse.csr_matrix
    keys: NDArray[np.int64]  # src * n + dst of each CSR entry, sorted
    edge: NDArray[np.int64]  # the edge chosen for each CSR entry


@dataclass
class CompiledGraph:
    """The explicit state graph of one applied scenario graph.

    Build it with `compile_graph`; the arrays are the engine's, the graph stays the
    user's view. Indices: ``places[i]`` is a place id, ``links[j]`` a link id.
    """

    H: nx.MultiGraph
    version: Hashable
    places: tuple[str, ...]
    place_index: dict[str, int]
    links: tuple[str, ...]
    link_index: dict[str, int]
    n_states: int
    state_place: NDArray[np.int64]
    state_mode: NDArray[np.int64]
    source_door: NDArray[np.int64]
    source_free: NDArray[np.int64]
    sink: NDArray[np.int64]
    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    link: NDArray[np.int64]
    kind: NDArray[np.int64]
    km: NDArray[np.float64]
    hours: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    weights: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]
    terminal: NDArray[np.bool_]  # seaports and airports: handling where a journey starts or ends
    handling: dict[tuple[int, int], tuple[float, float]] = field(default_factory=dict)
    _order: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    _starts: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    _group_keys: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    _indptr: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    _indices: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    _cache: dict[Any, Any] = field(default_factory=dict)
    #: The states of each place (padded with -1), for the checks of `_passes_before`.
    _place_states: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 0), np.int64))

    # -----------------------------------------------------------------------------
    # Masks

    def mask(self, cons: Constraints) -> NDArray[np.bool_]:
        """Edges usable under ``cons`` (the search's filters, the same sets)."""
        key = ("mask", cons)
        cached = self._cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        banned_nodes, banned_edges, _ = _banned(_net(self.H), cons)
        ok = np.ones(len(self.src), dtype=bool)
        if banned_edges:
            bad_links = np.zeros(len(self.links) + 1, dtype=bool)
            for k in banned_edges:
                j = self.link_index.get(k)
                if j is not None:
                    bad_links[j] = True
            ok &= ~bad_links[self.link]  # link -1 (sinks) reads the extra False at the end
        if banned_nodes:
            bad_places = np.zeros(len(self.places), dtype=bool)
            for p in banned_nodes:
                i = self.place_index.get(p)
                if i is not None:
                    bad_places[i] = True
            ok &= ~((self.kind == _LINK) & bad_places[self.state_place[self.dst]])
        ok &= self.kind != (_SINK_FREE if _door(cons) else _SINK_DOOR)
        ok.flags.writeable = False
        if len(self._cache) > 512:
            self._cache.clear()
        self._cache[key] = ok
        return ok

    def link_edges(self, link_ids: Sequence[str]) -> NDArray[np.int64]:
        """Indices of the state-graph edges that travel any of these links."""
        js = [self.link_index[k] for k in link_ids if k in self.link_index]
        return np.flatnonzero(np.isin(self.link, js)) if js else np.zeros(0, np.int64)

    def place_edges(self, place_ids: Sequence[str]) -> NDArray[np.int64]:
        """Indices of the edges into the states of these places (closing the places)."""
        idx = [self.place_index[p] for p in place_ids if p in self.place_index]
        if not idx:
            return np.zeros(0, np.int64)
        return np.flatnonzero((self.kind == _LINK) & np.isin(self.state_place[self.dst], idx))

    # -----------------------------------------------------------------------------
    # Shortest paths

    def masked(self, metric: int, ok: NDArray[np.bool_]) -> _Masked:
        """The CSR matrix of one objective under a mask (parallel edges: the cheapest)."""
        from scipy.sparse import csr_matrix  # noqa: PLC0415

        w = np.where(ok, self.weights[metric], np.inf)[self._order]
        gmin = np.minimum.reduceat(w, self._starts)
        # The first edge (in the search's order) among the cheapest of each group.
        first_at_min = np.where(w == np.repeat(gmin, np.diff(np.append(self._starts, len(w)))), self._order, 1 << 62)
        chosen = np.minimum.reduceat(first_at_min, self._starts)
        finite = np.isfinite(gmin)
        data = np.where(finite, gmin, np.inf)
        matrix = csr_matrix((data, self._indices, self._indptr), shape=(self.n_states, self.n_states))
        return _Masked(matrix, self._group_keys, np.where(finite, chosen, -1))

    def edges_without(
        self, cons: Constraints, without_links: Sequence[str] = (), without_places: Sequence[str] = ()
    ) -> NDArray[np.bool_]:
        """The mask of ``cons`` with some links and places taken away as well."""
        ok = self.mask(cons)
        if not without_links and not without_places:
            return ok
        ok = ok.copy()
        ok[self.link_edges(without_links)] = False
        ok[self.place_edges(without_places)] = False
        return ok

    def run(
        self,
        metric: int,
        cons: Constraints,
        origins: Sequence[int] | NDArray[np.int64],
        destinations: Sequence[int] | NDArray[np.int64],
        *,
        without_links: Sequence[str] = (),
        without_places: Sequence[str] = (),
        masked: _Masked | None = None,
        collect: bool = False,
        changed_from: NDArray[np.float64] | None = None,
    ) -> PathTotals:
        """Best routes from each origin to each destination (place indices).

        ``without_links`` and ``without_places`` are taken away on top of ``cons``
        (as ``avoid_links`` and ``avoid_places`` would). ``masked``: a matrix from
        `masked` for the same mask, to reuse. Origin == destination gives 0 (the search
        refuses that query). ``collect``: also record the links and places the paths
        use. ``changed_from``: an objective matrix of the same shape; totals are summed
        only where the new objective differs from it (elsewhere km, hours and cost are
        nan), which is what a sweep over many small changes needs.
        """
        from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

        door = _door(cons)
        if masked is None:
            masked = self.masked(metric, self.edges_without(cons, without_links, without_places))
        o = np.asarray(origins, dtype=np.int64)
        d = np.asarray(destinations, dtype=np.int64)
        if len(o) == 0 or len(d) == 0:
            empty = np.zeros((len(o), len(d)))
            return PathTotals(empty, empty.copy(), empty.copy(), empty.copy())
        sources = (self.source_door if door else self.source_free)[o]
        dist, pred = dijkstra(masked.matrix, directed=True, indices=sources, return_predecessors=True)
        sinks = self.sink[d]
        if changed_from is not None:
            objective = dist[:, sinks]
            differs = ~np.isclose(objective, changed_from, rtol=0.0, atol=1e-9) & np.isfinite(objective)
            totals, revisit = self._walk(masked, pred, sources, sinks, objective, only=differs)
        elif collect or len(o) * len(d) < 2000:
            totals, revisit = self._walk(masked, pred, sources, sinks, dist[:, sinks], collect=collect)
        else:
            totals, revisit = self._lift(masked, pred, sources, sinks, dist[:, sinks])
        same = o[:, None] == d[None, :]
        for arr in (totals.objective, totals.km, totals.hours, totals.cost_usd):
            arr[same] = 0.0
        revisit &= ~same
        if revisit.any():
            self._redo_with_search(totals, revisit, metric, cons, o, d, without_links, without_places)
        return totals

    def _walk(
        self,
        m: _Masked,
        pred: NDArray[np.int32],
        sources: NDArray[np.int64],
        sinks: NDArray[np.int64],
        objective: NDArray[np.float64],
        *,
        collect: bool = False,
        only: NDArray[np.bool_] | None = None,
    ) -> tuple[PathTotals, NDArray[np.bool_]]:
        """Sum km, hours and cost along each chosen path, walking predecessors back.

        All pairs walk together, one step per hop, in numpy. Records the mode of the
        first and last leg (for port handling) and whether a path passes through its
        destination before ending there (which the search never does: see `run`).
        """
        n_o, n_d = objective.shape
        rows = np.repeat(np.arange(n_o), n_d)
        cur = np.tile(sinks, n_o)
        dest_place = self.state_place[cur]
        km = np.zeros(len(cur))
        hours = np.zeros(len(cur))
        cost = np.zeros(len(cur))
        first_mode = np.full(len(cur), -1)
        last_mode = np.full(len(cur), -1)
        revisit = np.zeros(len(cur), dtype=bool)
        active = np.isfinite(objective.ravel())
        if only is not None:
            active &= only.ravel()
        done_pairs = active.copy()
        step = 0
        n = self.n_states
        used_links: list[NDArray[np.int64]] = []
        used_places: list[NDArray[np.int64]] = []
        while True:
            idx = np.flatnonzero(active)
            if len(idx) == 0:
                break
            c = cur[idx]
            p = pred[rows[idx], c].astype(np.int64)
            done = p < 0
            if done.any():
                active[idx[done]] = False
                idx, c, p = idx[~done], c[~done], p[~done]
                if len(idx) == 0:
                    break
            e = m.edge[np.searchsorted(m.keys, p * n + c)]
            km[idx] += self.km[e]
            hours[idx] += self.hours[e]
            cost[idx] += self.cost_usd[e]
            if step == 0:
                last_mode[idx] = self.state_mode[p]
            else:
                revisit[idx] |= self.state_place[p] == dest_place[idx]
            if collect:
                r = rows[idx]
                used_links.append(r * (len(self.links) + 1) + self.link[e] + 1)
                used_places.append(r * len(self.places) + self.state_place[p])
            at_source = p == sources[rows[idx]]
            first_mode[idx[at_source]] = self.state_mode[c[at_source]]
            cur[idx] = p
            step += 1
        # Handling at seaports and airports where cargo is loaded or unloaded, on the mode of the leg.
        reached = done_pairs
        ends = (
            (self.state_place[sources][rows], first_mode),
            (np.tile(self.state_place[sinks], n_o), last_mode),
        )
        for places, modes in ends:
            at_port = reached & self.terminal[places] & (modes >= 0)
            for place, mode in {(int(a), int(b)) for a, b in zip(places[at_port], modes[at_port], strict=True)}:
                h, c_usd = self.handling_at(place, mode)
                hit = at_port & (places == place) & (modes == mode)
                hours[hit] += h
                cost[hit] += c_usd
        shape = objective.shape
        totals = PathTotals(objective.copy(), km.reshape(shape), hours.reshape(shape), cost.reshape(shape))
        skipped = ~done_pairs.reshape(shape)
        totals.km[skipped] = np.nan
        totals.hours[skipped] = np.nan
        totals.cost_usd[skipped] = np.nan
        if collect:
            nl, npl = len(self.links) + 1, len(self.places)
            ul = np.unique(np.concatenate(used_links)) if used_links else np.zeros(0, np.int64)
            up = np.unique(np.concatenate(used_places)) if used_places else np.zeros(0, np.int64)
            ul = ul[ul % nl != 0]  # sink edges travel no link
            totals.used_links = np.stack([ul // nl, ul % nl - 1], axis=1)
            totals.used_places = np.stack([up // npl, up % npl], axis=1)
        return totals, revisit.reshape(shape)

    def _lift(
        self,
        m: _Masked,
        pred: NDArray[np.int32],
        sources: NDArray[np.int64],
        sinks: NDArray[np.int64],
        objective: NDArray[np.float64],
    ) -> tuple[PathTotals, NDArray[np.bool_]]:
        """The same sums as `_walk`, by pointer doubling over the shortest-path trees.

        Each state's totals are its predecessor's plus the edge between them; doubling
        the jump (``anc = anc[anc]``) sums a whole path in log2(hops) numpy steps instead
        of one step per hop. The table of jumps answers "does the path to this
        destination pass through it before?" by binary lifting.
        """
        n_o = objective.shape[0]
        n = self.n_states
        rows = np.arange(n_o)[:, None]
        p = pred.astype(np.int64)
        has = p >= 0
        v = np.broadcast_to(np.arange(n), p.shape)
        e = np.where(has, m.edge[np.searchsorted(m.keys, np.where(has, p, 0) * n + v)], 0)
        km = np.where(has, self.km[e], 0.0)
        hours = np.where(has, self.hours[e], 0.0)
        cost = np.where(has, self.cost_usd[e], 0.0)
        depth = has.astype(np.int64)
        first = np.where(has & (p == sources[:, None]), self.state_mode[None, :], -1)
        anc = np.where(has, p, v) + rows * n  # flat; roots and unreached point at themselves
        table = [anc]
        while True:
            km = km + km.ravel()[anc]
            hours = hours + hours.ravel()[anc]
            cost = cost + cost.ravel()[anc]
            depth = depth + depth.ravel()[anc]
            first = np.where(first < 0, first.ravel()[anc], first)
            nxt = anc.ravel()[anc]
            if np.array_equal(nxt, anc):
                break
            anc = nxt
            table.append(anc)
        # The sums above double-count: after k rounds each state holds the sum over
        # 2^k ancestors' own edges, and the root's is 0, so once every jump has reached
        # its root the sum is exact (adding a root's zero changes nothing).
        arrive = p[:, sinks]  # the last state before each sink
        reached = np.isfinite(objective)
        flat_sink = sinks[None, :] + rows * n
        out_km = km.ravel()[flat_sink]
        out_hours = hours.ravel()[flat_sink]
        out_cost = cost.ravel()[flat_sink]
        last_mode = np.where(reached, self.state_mode[np.where(arrive >= 0, arrive, 0)], -1)
        first_mode = first.ravel()[flat_sink]
        o_places = np.broadcast_to(self.state_place[sources][:, None], objective.shape)
        d_places = np.broadcast_to(self.state_place[sinks][None, :], objective.shape)
        for places, modes in ((o_places, first_mode), (d_places, last_mode)):
            at_port = reached & self.terminal[places] & (modes >= 0)
            for place, mode in {(int(a), int(b)) for a, b in zip(places[at_port], modes[at_port], strict=True)}:
                h, c_usd = self.handling_at(place, mode)
                hit = at_port & (places == place) & (modes == mode)
                out_hours[hit] += h
                out_cost[hit] += c_usd
        revisit = self._passes_before(table, depth, arrive, rows, d_places, reached)
        totals = PathTotals(objective.copy(), out_km, out_hours, out_cost)
        for arr in (totals.km, totals.hours, totals.cost_usd):
            arr[~reached] = np.nan
        return totals, revisit

    def _passes_before(
        self,
        table: list[NDArray[np.int64]],
        depth: NDArray[np.int64],
        arrive: NDArray[np.int64],
        rows: NDArray[np.int64],
        d_places: NDArray[np.int64],
        reached: NDArray[np.bool_],
    ) -> NDArray[np.bool_]:
        """Whether a state of the destination is a strict ancestor of the final arrival."""
        n = self.n_states
        revisit = np.zeros(arrive.shape, dtype=bool)
        cand = self._place_states[d_places]  # (o, d, k) candidate states, -1 padded
        a_flat = np.where(reached, arrive, 0) + rows * n
        a_depth = depth.ravel()[a_flat]
        for k in range(cand.shape[2]):
            u = cand[:, :, k]
            u_flat = np.where(u >= 0, u, 0) + rows * n
            u_depth = depth.ravel()[u_flat]
            diff = a_depth - u_depth
            check = reached & (u >= 0) & (u != arrive) & (diff > 0)
            if not check.any():
                continue
            cur = a_flat.copy()
            for bit, jump in enumerate(table):
                take = check & ((diff >> bit) & 1).astype(bool)
                cur = np.where(take, jump.ravel()[cur], cur)
            revisit |= check & (cur == u_flat)
        return revisit

    def handling_at(self, place: int, mode: int) -> tuple[float, float]:
        """Hours and USD per tonne of handling at a seaport or airport for a leg of a mode."""
        key = (place, mode)
        got = self.handling.get(key)
        if got is None:
            pid = self.places[place]
            node = self.H.nodes[pid]
            hs, cs = _scales(node)
            rules = _net(self.H).rules
            try:
                h, c, _, _ = costs.place_event(
                    pid, node, "handling", _MODES[mode], rules, hours_scale=hs, cost_scale=cs
                )
            except costs.RuleMissingError as exc:
                raise RoutesError(f"The network data lacks a rule: {exc.message}") from None
            got = (h, c)
            self.handling[key] = got
        return got

    def _redo_with_search(
        self,
        totals: PathTotals,
        revisit: NDArray[np.bool_],
        metric: int,
        cons: Constraints,
        o: NDArray[np.int64],
        d: NDArray[np.int64],
        without_links: Sequence[str],
        without_places: Sequence[str],
    ) -> None:
        """Redo, with the search itself, the rare pairs whose path passes its destination.

        The search stops at the destination the first time it reaches it, so it never
        drives through and comes back (say, by rail through a town that cannot unload a
        train, to unload further on and drive back). The state graph has no such stop.
        """
        net = _net(self.H)
        banned_nodes, banned_edges, _ = _banned(net, cons)
        banned_nodes = banned_nodes | set(without_places)
        banned_edges = banned_edges | set(without_links)
        for i, j in zip(*np.nonzero(revisit), strict=True):
            path = _search(
                net, self.places[o[i]], self.places[d[j]], metric, banned_nodes, banned_edges, door=_door(cons)
            )
            if path is None:
                totals.objective[i, j] = np.inf
                totals.km[i, j] = totals.hours[i, j] = totals.cost_usd[i, j] = np.nan
                continue
            obj, km, hours, usd = _path_totals(self, path, metric)
            totals.objective[i, j] = obj
            totals.km[i, j], totals.hours[i, j], totals.cost_usd[i, j] = km, hours, usd


def _path_totals(cg: CompiledGraph, path: list[Any], metric: int) -> tuple[float, float, float, float]:
    """Objective, km, hours and USD/t of a search path, as `shortest_route` sums them."""
    km = hours = usd = obj = 0.0
    stops: list[costs.Dwell] = []
    first_mode = last_mode = None
    for _, e, trans, after in path[1:]:
        assert e is not None
        km += e.metrics[0]
        hours += e.metrics[1]
        usd += e.metrics[2]
        stops.extend(trans)
        stops.extend(after)
        first_mode = first_mode or e.mode
        last_mode = e.mode
        obj += e.metrics[metric]
    for s in stops:
        hours += s.hours
        usd += s.cost_usd
        if metric:
            obj += (s.hours, s.cost_usd)[metric - 1]
    if not metric:
        obj += _TRANSFER_KM * mode_changes(stops)
    ends = ((path[0][0][0], first_mode), (path[-1][0][0], last_mode))
    for pid, mode in ends:
        i = cg.place_index[pid]
        if cg.terminal[i] and mode is not None:
            h, c = cg.handling_at(i, _MODE_CODE[mode])
            hours += h
            usd += c
    return obj, km, hours, usd


_COMPILED: weakref.WeakKeyDictionary[nx.MultiGraph, CompiledGraph] = weakref.WeakKeyDictionary()


def compile_graph(H: nx.MultiGraph) -> CompiledGraph:
    """Compile an applied scenario graph into its state graph (cached per graph version).

    Parameters
    ----------
    H : networkx.MultiGraph
        A graph from `routes.apply_scenario`.

    Returns
    -------
    CompiledGraph

    Raises
    ------
    RoutesError
        If the graph has no scenario applied, or its data lacks a rule the costs need.
    """
    if not H.graph.get("scenario"):
        raise RoutesError("compile_graph() needs an applied graph: pass routes.apply_scenario(G, scenario).")
    version = graph_version(H)
    cg = _COMPILED.get(H)
    if cg is not None and cg.version == version:
        return cg
    cg = _compile(H, version)
    _COMPILED[H] = cg
    return cg


def _compile(H: nx.MultiGraph, version: Hashable) -> CompiledGraph:
    net = _net(H)
    places = tuple(net.nodes)
    place_index = {p: i for i, p in enumerate(places)}
    links = tuple(k for k, _ in net.edges)
    link_index = {k: j for j, k in enumerate(links)}
    states: dict[tuple[Any, ...], int] = {}
    state_place: list[int] = []
    state_mode: list[int] = []

    def state(s: tuple[Any, ...]) -> int:
        sid = states.get(s)
        if sid is None:
            sid = len(state_place)
            states[s] = sid
            state_place.append(place_index[s[0]])
            state_mode.append(-1 if s[1] is None else _MODE_CODE[s[1]])
        return sid

    # States: the arrivals over each incident link, and the two ways of starting.
    at_place: list[list[tuple[Any, ...]]] = [[] for _ in places]
    source_door = np.zeros(len(places), dtype=np.int64)
    source_free = np.zeros(len(places), dtype=np.int64)
    for i, pid in enumerate(places):
        node = net.nodes[pid]
        seen: dict[tuple[Any, ...], None] = {}
        for _, e in net.adj[pid]:
            seen.setdefault((pid, e.mode, e.country, e.gauge), None)
        door_mode = "road" if node.get("kind") not in TERMINAL_KINDS else None
        seen.setdefault((pid, door_mode, None, None), None)
        seen.setdefault((pid, None, None, None), None)
        at_place[i] = list(seen)
        for s in seen:
            state(s)
        source_door[i] = states[(pid, door_mode, None, None)]
        source_free[i] = states[(pid, None, None, None)]
    sink = np.arange(len(state_place), len(state_place) + len(places), dtype=np.int64)
    state_place.extend(range(len(places)))
    state_mode.extend([-1] * len(places))

    src: list[int] = []
    dst: list[int] = []
    link: list[int] = []
    kind: list[int] = []
    km: list[float] = []
    hours: list[float] = []
    usd: list[float] = []
    w_dist: list[float] = []

    def add(a: int, b: int, j: int, k: int, e_km: float, e_h: float, e_c: float, transfers: int) -> None:
        src.append(a)
        dst.append(b)
        link.append(j)
        kind.append(k)
        km.append(e_km)
        hours.append(e_h)
        usd.append(e_c)
        w_dist.append(e_km + _TRANSFER_KM * transfers)

    for i, pid in enumerate(places):
        node = net.nodes[pid]
        terminal = node.get("kind") in TERMINAL_KINDS
        for s in at_place[i]:
            a = states[s]
            for nbr, e in net.adj[pid]:
                trans = _transition(net, pid, node, s, e)
                if trans is None:
                    continue
                b = states[(nbr, e.mode, e.country, e.gauge)]
                add(
                    a,
                    b,
                    link_index[e.key],
                    _LINK,
                    e.metrics[0],
                    e.metrics[1] + trans[0],
                    e.metrics[2] + trans[1],
                    mode_changes(trans[2]),
                )
            if s[1] is None:
                continue  # a start state is not an arrival
            add(a, int(sink[i]), -1, _SINK_FREE, 0.0, 0.0, 0.0, 0)
            if terminal or s[1] == "road":
                add(a, int(sink[i]), -1, _SINK_DOOR, 0.0, 0.0, 0.0, 0)
            else:
                fin = _transition(net, pid, node, s, _road_edge(s[2]))
                if fin is not None:
                    add(a, int(sink[i]), -1, _SINK_DOOR, 0.0, fin[0], fin[1], mode_changes(fin[2]))

    src_a = np.array(src, dtype=np.int64)
    dst_a = np.array(dst, dtype=np.int64)
    km_a = np.array(km)
    hours_a = np.array(hours)
    usd_a = np.array(usd)
    n_states = len(state_place)
    # Group parallel edges (same source and target state); order within a group keeps
    # the search's order, which breaks ties among equal parallel edges the same way.
    keys = src_a * n_states + dst_a
    order = np.lexsort((np.arange(len(keys)), keys))
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
    group_keys = sorted_keys[starts]
    group_src = group_keys // n_states
    indptr = np.searchsorted(group_src, np.arange(n_states + 1))
    cg = CompiledGraph(
        H=H,
        version=version,
        places=places,
        place_index=place_index,
        links=links,
        link_index=link_index,
        n_states=n_states,
        state_place=np.array(state_place, dtype=np.int64),
        state_mode=np.array(state_mode, dtype=np.int64),
        source_door=source_door,
        source_free=source_free,
        sink=sink,
        src=src_a,
        dst=dst_a,
        link=np.array(link, dtype=np.int64),
        kind=np.array(kind, dtype=np.int64),
        km=km_a,
        hours=hours_a,
        cost_usd=usd_a,
        weights=(np.array(w_dist), hours_a, usd_a),
        terminal=np.array([net.nodes[p].get("kind") in HANDLING_KINDS for p in places], dtype=bool),
        _order=order,
        _starts=starts,
        _group_keys=group_keys,
        _indptr=indptr,
        _indices=group_keys % n_states,
    )
    width = max((len(x) for x in at_place), default=0)
    place_states = np.full((len(places), max(width, 1)), -1, dtype=np.int64)
    for i, group in enumerate(at_place):
        place_states[i, : len(group)] = [states[st] for st in group]
    cg._place_states = place_states
    return cg


def metric_of(by: str) -> int:
    """The weight index of an objective name."""
    if by not in _METRIC:
        raise RoutesError(f"by must be one of distance, time, cost, got {by!r}")
    return _METRIC[by]


@dataclass
class Prepared:
    """An analysis request, validated: graphs, constraints and the compiled engine."""

    G: nx.MultiGraph
    H: nx.MultiGraph
    cons: Constraints
    engine: CompiledGraph
    metric: int

    def places(self, queries: Sequence[str] | None, default: Sequence[str]) -> list[str]:
        """Resolve place names, aliases or ids (``None``: ``default``), keeping order."""
        from routes.network import find_place  # noqa: PLC0415

        if queries is None:
            return list(default)
        if isinstance(queries, str):
            queries = [queries]
        out: dict[str, None] = {}
        for q in queries:
            out.setdefault(find_place(self.G, q), None)
        return list(out)

    def run(
        self,
        origins: Sequence[str],
        destinations: Sequence[str],
        *,
        without_links: Sequence[str] = (),
        without_places: Sequence[str] = (),
    ) -> PathTotals:
        """Totals between place ids; places the scenario removed are unreachable (nan)."""
        cg = self.engine
        oi = np.array([cg.place_index.get(p, -1) for p in origins], dtype=np.int64)
        di = np.array([cg.place_index.get(p, -1) for p in destinations], dtype=np.int64)
        ok_o, ok_d = oi >= 0, di >= 0
        inner = cg.run(
            self.metric, self.cons, oi[ok_o], di[ok_d], without_links=without_links, without_places=without_places
        )
        shape = (len(origins), len(destinations))
        full = PathTotals(
            np.full(shape, np.inf), np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
        )
        sel = np.ix_(np.flatnonzero(ok_o), np.flatnonzero(ok_d))
        full.objective[sel] = inner.objective
        full.km[sel] = inner.km
        full.hours[sel] = inner.hours
        full.cost_usd[sel] = inner.cost_usd
        return full


def prepare(
    G: nx.MultiGraph,
    *,
    by: str = "distance",
    scenario: Any = None,
    month: int | None = None,
    modes: Sequence[str] | None = None,
    avoid_countries: Sequence[str] = (),
    avoid_places: Sequence[str] = (),
    avoid_links: Sequence[str] = (),
    statuses: Sequence[str] | None = None,
    max_elevation_m: float | None = None,
) -> Prepared:
    """Validate an analysis request as `routes.shortest_route` does and compile its graph.

    Raises
    ------
    RoutesError, ScenarioError, UnknownPlaceError
        For a bad objective, scenario, month, mode, country, link or place.
    """
    from routes.routing import _constraints, _prepare  # noqa: PLC0415

    metric = metric_of(by)
    cons = _constraints(G, modes, avoid_countries, avoid_places, avoid_links, statuses, max_elevation_m)
    G, H, cons = _prepare(G, scenario, month, cons)
    return Prepared(G, H, cons, compile_graph(H), metric)


def cities_and_ports(G: nx.MultiGraph) -> list[str]:
    """Ids of every city and seaport of a graph, in the graph's order."""
    return [p for p, d in G.nodes(data=True) if d.get("kind") in ("city", "seaport")]
