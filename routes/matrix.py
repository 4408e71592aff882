"""Origin-destination matrices: the best route between many places at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from routes.engine import cities_and_ports, prepare

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["od_matrix", "od_totals"]

_UNIT = {"distance": "km", "time": "hours", "cost": "cost_usd_per_t"}


def od_totals(
    G: nx.MultiGraph,
    origins: Sequence[str] | str | None = None,
    destinations: Sequence[str] | str | None = None,
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
) -> pd.DataFrame:
    """Totals of the best route for every origin-destination pair, one row per pair.

    Parameters are those of `od_matrix`.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``destination`` (place ids), ``origin_name``,
        ``destination_name``, ``km``, ``hours``, ``cost_usd_per_t`` (the totals
        `routes.shortest_route` reports for the same query) and ``reachable``; pairs of
        a place with itself are left out.
    """
    import pandas as pd  # noqa: PLC0415

    q = prepare(G, by=by, scenario=scenario, month=month, modes=modes, avoid_countries=avoid_countries,
                avoid_places=avoid_places, avoid_links=avoid_links, statuses=statuses,
                max_elevation_m=max_elevation_m)  # fmt: skip
    o = q.places(origins, cities_and_ports(q.G))
    d = q.places(destinations, cities_and_ports(q.G))
    t = q.run(o, d)
    rows = []
    names = {p: q.G.nodes[p]["name"] for p in {*o, *d}}
    for i, a in enumerate(o):
        for j, b in enumerate(d):
            if a == b:
                continue
            rows.append(
                (a, b, names[a], names[b], t.km[i, j], t.hours[i, j], t.cost_usd[i, j], bool(t.reachable[i, j]))
            )
    cols = ["origin", "destination", "origin_name", "destination_name", "km", "hours", "cost_usd_per_t", "reachable"]
    return pd.DataFrame(rows, columns=cols)


def od_matrix(
    G: nx.MultiGraph,
    origins: Sequence[str] | str | None = None,
    destinations: Sequence[str] | str | None = None,
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
) -> pd.DataFrame:
    """The best route's total between every origin and destination, as a matrix.

    One compiled shortest-path run for all pairs, with the same states, border posts,
    transfers, constraints and totals as `routes.shortest_route`: the cell for A, B is
    ``shortest_route(G, A, B, ...).total_km`` (or ``total_hours``, ``total_cost_usd``).

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network`.
    origins, destinations : list of str, optional
        Place names, aliases or ids. Default: every city and seaport.
    by : {"distance", "time", "cost"}
        What each route minimises, and what the matrix holds: km, hours or USD per tonne.
    scenario, month, modes, avoid_countries, avoid_places, avoid_links, statuses, max_elevation_m
        As for `routes.shortest_route`.

    Returns
    -------
    pandas.DataFrame
        Indexed by origin id, one column per destination id; NaN where no route (or a
        place the scenario removed), 0 on the diagonal. ``attrs`` holds ``unit``, ``by``,
        ``scenario`` and ``names`` (id -> name).

    Raises
    ------
    UnknownPlaceError, ScenarioError, RoutesError
        As for `routes.shortest_route`.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> m = routes.od_matrix(G, ["Dushanbe", "Tashkent"], ["Karachi", "Gwadar"])
    >>> r = routes.shortest_route(G, "Dushanbe", "Karachi")
    >>> bool(abs(m.loc["dushanbe", "karachi"] - r.total_km) < 1e-6)
    True
    """
    import pandas as pd  # noqa: PLC0415

    q = prepare(G, by=by, scenario=scenario, month=month, modes=modes, avoid_countries=avoid_countries,
                avoid_places=avoid_places, avoid_links=avoid_links, statuses=statuses,
                max_elevation_m=max_elevation_m)  # fmt: skip
    o = q.places(origins, cities_and_ports(q.G))
    d = q.places(destinations, cities_and_ports(q.G))
    t = q.run(o, d)
    values = (t.km, t.hours, t.cost_usd)[q.metric]
    frame = pd.DataFrame(values, index=pd.Index(o, name="origin"), columns=pd.Index(d, name="destination"))
    frame.attrs.update(
        unit=_UNIT[by],
        by=by,
        scenario="+".join(q.H.graph.get("scenario") or ("baseline",)),
        names={p: q.G.nodes[p]["name"] for p in {*o, *d}},
    )
    return frame
