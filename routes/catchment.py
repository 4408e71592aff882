"""Port catchments: which seaport serves each inland city, and which switch in a scenario.

Two questions. `port_catchment`: each inland city's best *gateway* port, the region's
seaports that land transport reaches (Karachi, Port Qasim, Gwadar, Bandar Abbas,
Chabahar). `market_gateways`: door to door from each inland city to each world market
(Rotterdam, Shanghai, Jebel Ali: the ports reached only by sea), through which gateway
the best route boards its ship. Both run on the compiled engine, so every figure is the
one `routes.shortest_route` gives for the same query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from routes.engine import prepare
from routes.errors import RoutesError

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["gateway_ports", "market_gateways", "port_catchment", "world_ports"]

_UNITS = (("km", "km"), ("hours", "hours"), ("cost_usd_per_t", "cost_usd"))
_LAND_MODES = frozenset({"road", "rail"})


def _reached_by_land(G: nx.MultiGraph, pid: str) -> bool:
    return any(d["mode"] in _LAND_MODES for _, _, d in G.edges(pid, data=True))


def gateway_ports(G: nx.MultiGraph) -> list[str]:
    """The seaports land transport reaches (a road or rail link), in the graph's order.

    These are the region's gateways: cargo arrives by truck or train and boards a ship.
    """
    return [p for p, d in G.nodes(data=True) if d.get("kind") == "seaport" and _reached_by_land(G, p)]


def world_ports(G: nx.MultiGraph) -> list[str]:
    """The seaports reached only by sea (the world markets), in the graph's order."""
    return [p for p, d in G.nodes(data=True) if d.get("kind") == "seaport" and not _reached_by_land(G, p)]


def port_catchment(
    G: nx.MultiGraph,
    scenarios: Sequence[Any] | str | None = None,
    *,
    by: str = "time",
    cities: Sequence[str] | None = None,
    month: int | None = None,
    modes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each inland city's km, hours and USD per tonne to every gateway port, and its best.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network`.
    scenarios : str or list, optional
        One scenario, or several to compare (each a name, ``"a+b"``, a path or a list
        composed in order). Default: ``baseline``.
    by : {"time", "distance", "cost"}
        What routes minimise and what "best port" means (default: time).
    cities : list of str, optional
        Place names or ids (default: every city).
    month, modes
        As for `routes.shortest_route`.

    Returns
    -------
    pandas.DataFrame
        One row per scenario and city: ``scenario``, ``city``, ``city_name``,
        ``country``, ``best_port`` (the best of `gateway_ports`; None when none is reachable),
        ``best_port_name``, ``best_km``, ``best_hours``, ``best_cost_usd_per_t``, for
        each port ``<unit>_to_<port id>`` (NaN: no route), ``switches`` (another best
        port than under the first scenario) and ``cut_off`` (no port any more).
        ``attrs``: ``ports``, ``by``, ``scenarios``.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> t = routes.port_catchment(G, ["baseline", "afghanistan-closed"])
    >>> sorted(set(t.scenario))
    ['afghanistan-closed', 'baseline']
    """
    import pandas as pd  # noqa: PLC0415

    from routes.network import find_place  # noqa: PLC0415

    if scenarios is None or isinstance(scenarios, str):
        scenarios = [scenarios or "baseline"]
    ports = gateway_ports(G)
    if cities is None:
        inland = [p for p, d in G.nodes(data=True) if d.get("kind") == "city"]
    else:
        inland = list(dict.fromkeys(find_place(G, c) for c in cities))
    metric_attr = {"distance": "km", "time": "hours", "cost": "cost_usd"}.get(by, "km")
    rows: list[dict[str, Any]] = []
    first_best: dict[str, str | None] = {}
    names: list[str] = []
    for n, sc in enumerate(scenarios):
        q = prepare(G, by=by, scenario=sc, month=month, modes=modes)
        name = "+".join(q.H.graph.get("scenario") or ("baseline",))
        names.append(name)
        t = q.run(inland, ports)
        values = getattr(t, metric_attr)
        for i, city in enumerate(inland):
            d = q.G.nodes[city]
            row = values[i]
            best_j = int(np.nanargmin(row)) if np.isfinite(row).any() else None
            best = ports[best_j] if best_j is not None else None
            rec: dict[str, Any] = {
                "scenario": name,
                "city": city,
                "city_name": d["name"],
                "country": d["country"],
                "best_port": best,
                "best_port_name": q.G.nodes[best]["name"] if best else None,
            }
            for unit, attr in _UNITS:
                rec[f"best_{unit}"] = float(getattr(t, attr)[i, best_j]) if best_j is not None else float("nan")
            for j, port in enumerate(ports):
                for unit, attr in _UNITS:
                    rec[f"{unit}_to_{port}"] = float(getattr(t, attr)[i, j])
            if n == 0:
                first_best[city] = best
            rec["switches"] = n > 0 and best is not None and best != first_best[city]
            rec["cut_off"] = n > 0 and best is None and first_best[city] is not None
            rows.append(rec)
    frame = pd.DataFrame(rows)
    frame.attrs.update(ports=ports, by=by, scenarios=names)
    return frame


def market_gateways(
    G: nx.MultiGraph,
    markets: Sequence[str] | None = None,
    scenarios: Sequence[Any] | str | None = None,
    *,
    by: str = "time",
    cities: Sequence[str] | None = None,
    month: int | None = None,
    modes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Door to door from each inland city to each world market, and the best gateway port.

    For each gateway (see `gateway_ports`) the route is the best one whose ship leaves from
    there: the sea lanes of the other gateways are taken away, exactly as
    ``shortest_route(..., avoid_links=<their sea lanes>)`` would (a truck may still drive
    past another port). The best gateway is the one whose route minimises ``by``; its
    totals equal ``door_*``, the unconstrained best route, unless that route's ship calls
    at a second gateway (``via_several``).

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network`.
    markets : list of str, optional
        World ports, by name or id (default: every port reached only by sea, `world_ports`).
    scenarios : str or list, optional
        One scenario, or several to compare with the first. Default: ``baseline``.
    by : {"time", "distance", "cost"}
        What routes minimise and what "best gateway" means (default: time).
    cities : list of str, optional
        Place names or ids (default: every city).
    month, modes
        As for `routes.shortest_route`.

    Returns
    -------
    pandas.DataFrame
        One row per scenario, city and market: ``scenario``, ``city``, ``city_name``,
        ``country``, ``market``, ``market_name``, ``best_gateway`` (None when no gateway
        leads there), ``best_gateway_name``, ``best_km``, ``best_hours``,
        ``best_cost_usd_per_t``, for each gateway ``<unit>_via_<port id>`` (NaN: no route
        through it), ``door_km``, ``door_hours``, ``door_cost_usd_per_t`` (the best route
        whatever its ports), ``via_several``, ``switches`` (another best gateway than under
        the first scenario) and ``cut_off`` (no gateway any more). ``attrs``:
        ``gateways``, ``markets``, ``by``, ``scenarios``.

    Raises
    ------
    RoutesError
        If a market is not a seaport reached only by sea (say, a gateway port itself).
    UnknownPlaceError, ScenarioError
        For an unknown place or scenario.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> t = routes.market_gateways(G, ["Rotterdam"], cities=["Dushanbe"])
    >>> t.loc[0, "best_gateway"] in routes.gateway_ports(G)
    True
    """
    import pandas as pd  # noqa: PLC0415

    from routes.network import find_place  # noqa: PLC0415

    if scenarios is None or isinstance(scenarios, str):
        scenarios = [scenarios or "baseline"]
    gateways = gateway_ports(G)
    every_market = world_ports(G)
    if markets is None:
        targets = every_market
    else:
        targets = list(dict.fromkeys(find_place(G, m) for m in ([markets] if isinstance(markets, str) else markets)))
        wrong = [m for m in targets if m not in every_market]
        if wrong:
            listed = ", ".join(f"{G.nodes[m]['name']} ({m})" for m in wrong)
            known = (
                "Markets are the ports reached only by sea: " + ", ".join(G.nodes[m]["name"] for m in every_market)
                if every_market
                else "This network has no world markets (no port is reached only by sea); the shipped one has them"
            )
            raise RoutesError(f"Not a world market: {listed}. {known}.")
    if cities is None:
        inland = [p for p, d in G.nodes(data=True) if d.get("kind") == "city"]
    else:
        inland = list(dict.fromkeys(find_place(G, c) for c in cities))
    rows: list[dict[str, Any]] = []
    first_best: dict[tuple[str, str], str | None] = {}
    names: list[str] = []
    for n, sc in enumerate(scenarios):
        q = prepare(G, by=by, scenario=sc, month=month, modes=modes)
        name = "+".join(q.H.graph.get("scenario") or ("baseline",))
        names.append(name)
        door = q.run(inland, targets)
        # Through one gateway: the ships of the others are taken away (their sea lanes),
        # not the ports themselves, which a truck may pass on its way (Gwadar on the N-10).
        lanes = {g: [k for _, _, k, e in q.H.edges(g, keys=True, data=True) if e["mode"] == "sea"] for g in gateways}
        others = {g: [k for o in gateways if o != g for k in lanes[o]] for g in gateways}
        via = [q.run(inland, targets, without_links=others[g]) for g in gateways]
        objective = np.stack([t.objective for t in via])  # (gateway, city, market)
        reachable = np.isfinite(objective).any(axis=0)
        best_g = np.where(reachable, np.argmin(np.where(np.isfinite(objective), objective, np.inf), axis=0), -1)
        for i, city in enumerate(inland):
            d = q.G.nodes[city]
            for j, market in enumerate(targets):
                g = int(best_g[i, j])
                best = gateways[g] if g >= 0 else None
                rec: dict[str, Any] = {
                    "scenario": name,
                    "city": city,
                    "city_name": d["name"],
                    "country": d["country"],
                    "market": market,
                    "market_name": q.G.nodes[market]["name"],
                    "best_gateway": best,
                    "best_gateway_name": q.G.nodes[best]["name"] if best else None,
                }
                for unit, attr in _UNITS:
                    rec[f"best_{unit}"] = float(getattr(via[g], attr)[i, j]) if best else float("nan")
                for k, gw in enumerate(gateways):
                    for unit, attr in _UNITS:
                        rec[f"{unit}_via_{gw}"] = float(getattr(via[k], attr)[i, j])
                for unit, attr in _UNITS:
                    rec[f"door_{unit}"] = float(getattr(door, attr)[i, j])
                rec["via_several"] = bool(
                    np.isfinite(door.objective[i, j])
                    and (best is None or door.objective[i, j] < objective[g, i, j] - 1e-9)
                )
                key = (city, market)
                if n == 0:
                    first_best[key] = best
                rec["switches"] = n > 0 and best is not None and best != first_best[key]
                rec["cut_off"] = n > 0 and best is None and first_best[key] is not None
                rows.append(rec)
    frame = pd.DataFrame(rows)
    frame.attrs.update(gateways=gateways, markets=targets, by=by, scenarios=names)
    return frame
