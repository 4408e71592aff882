"""Port catchments: which seaport serves each inland city, and which switch in a scenario."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from routes.engine import prepare

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["port_catchment"]

_UNITS = (("km", "km"), ("hours", "hours"), ("cost_usd_per_t", "cost_usd"))


def port_catchment(
    G: nx.MultiGraph,
    scenarios: Sequence[Any] | str | None = None,
    *,
    by: str = "time",
    cities: Sequence[str] | None = None,
    month: int | None = None,
    modes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each inland city's km, hours and USD per tonne to every seaport, and its best port.

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
        ``country``, ``best_port`` (id, None when no port is reachable),
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
    ports = [p for p, d in G.nodes(data=True) if d.get("kind") == "seaport"]
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
