"""Project appraisal: what each proposed or unfinished corridor gains, and for whom.

A project is a corridor with links that are not operational today (proposed, planned or
under construction): ``wakhan-road``, ``trans-afghan-railway``, ``khunjerab-railway``,
``ml-1-upgrade`` … Each is measured two ways on the OD places:

* **alone**: built on its own on top of the context scenario (default ``baseline``);
* **removed**: taken out of ``all-proposals-built`` (on top of the same context), which
  shows what it adds once everything else is there (a road that only pays with its
  neighbour built shows it here).

Saved hours, USD per tonne and km are those of the best routes by the chosen objective,
the numbers `routes.shortest_route` gives under each scenario; pairs connected only with
the project count as newly connected, not in the sums.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from routes.critical_links import od_places, od_weights
from routes.engine import PathTotals, prepare
from routes.errors import RoutesError
from routes.scenarios import Scenario, resolve_scenario

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from numpy.typing import NDArray

__all__ = ["appraise", "projects"]

Progress = Callable[[Iterable[Any], int], Iterator[Any]]
_EPS = 1e-6


def projects(G: nx.MultiGraph) -> dict[str, list[str]]:
    """Every corridor with links not operational today: corridor -> those link ids."""
    out: dict[str, list[str]] = {}
    for _, _, k, d in G.edges(keys=True, data=True):
        if d["status"] != "operational":
            out.setdefault(d["corridor"], []).append(k)
    return dict(sorted(out.items()))


def _context(G: nx.MultiGraph, scenario: Any) -> list[Scenario]:
    sc = resolve_scenario(G, scenario)
    return [sc]


def appraise(
    G: nx.MultiGraph,
    project_ids: Sequence[str] | None = None,
    *,
    scenario: Any = None,
    od: str | Path | Sequence[str] | None = None,
    weights: str | Path | None = None,
    by: str = "time",
    modes: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Rank proposed and unfinished projects by what they save on OD trips.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network`.
    project_ids : list of str, optional
        Corridor slugs (default: every corridor with links not operational today).
    scenario : str, list or Scenario, optional
        The context both measures are taken in (default ``baseline``), e.g.
        ``"afghanistan-closed"``.
    od, weights
        The OD places and pair weights, as for `routes.criticality` (default: the five
        seaports and the 25 largest cities, uniform weights).
    by : {"time", "distance", "cost"}
        What routes minimise (default: time).
    modes : list of str, optional
        Modes allowed (``["rail"]`` appraises railways on rail-only journeys).
    progress : callable, optional
        ``progress(iterable, total)`` wraps the sweep.

    Returns
    -------
    pandas.DataFrame
        One row per project, most valuable first: ``rank``, ``project``, ``status``,
        ``new_km`` (length of its unbuilt links), and for ``alone`` and ``removed``:
        ``<way>_pairs_improved``, ``<way>_pairs_connected``, ``<way>_hours_saved``,
        ``<way>_cost_usd_per_t_saved``, ``<way>_km_saved`` (weighted sums over the
        improved pairs), ``<way>_countries`` (countries of the improved pairs' ends,
        most hours saved first) and ``<way>_top_pairs`` (the five pairs that gain
        most). Ranked by the weighted objective saved alone, the pairs connected
        alone, then the same removed.

    Raises
    ------
    RoutesError
        For an unknown project, OD set or weighting.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> a = routes.appraise(G, ["wakhan-road", "trans-afghan-railway"])
    >>> bool((a["alone_hours_saved"] >= 0).all())
    True
    """
    import pandas as pd  # noqa: PLC0415

    from routes.errors import ScenarioError  # noqa: PLC0415

    all_projects = projects(G)
    chosen = list(all_projects) if project_ids is None else list(project_ids)
    unknown = [p for p in chosen if p not in all_projects]
    if unknown:
        raise RoutesError(
            f"Unknown project(s) {', '.join(unknown)}; projects are corridors with unbuilt links: "
            + ", ".join(all_projects)
        )
    context = _context(G, scenario)
    try:
        everything = resolve_scenario(G, "all-proposals-built")
    except ScenarioError:
        everything = Scenario("all-proposals-built", build_statuses=("under_construction", "planned", "proposed"),
                              parts=("all-proposals-built",))  # fmt: skip
    metric_unit = {"distance": "km", "time": "hours", "cost": "cost_usd"}.get(by, "")
    if not metric_unit:
        raise RoutesError(f"by must be one of distance, time, cost, got {by!r}")

    base_q = prepare(G, by=by, modes=modes, scenario=context)
    places = od_places(base_q.G, od)
    w = od_weights(base_q.G, places, weights)
    base = base_q.run(places, places)
    full = prepare(G, by=by, modes=modes, scenario=[*context, everything]).run(places, places)
    countries = [base_q.G.nodes[p]["country"] for p in places]
    names = [base_q.G.nodes[p]["name"] for p in places]
    link_attrs = {k: d for _, _, k, d in G.edges(keys=True, data=True)}

    rows: list[dict[str, Any]] = []
    iterator: Iterable[str] = chosen if progress is None else progress(chosen, len(chosen))
    for project in iterator:
        links = all_projects[project]
        build = Scenario(f"build-{project}", build_corridors=(project,), parts=(f"build-{project}",))
        drop = Scenario(f"without-{project}", close_links=tuple(links), parts=(f"without-{project}",))
        alone = prepare(G, by=by, modes=modes, scenario=[*context, build]).run(places, places)
        removed = prepare(G, by=by, modes=modes, scenario=[*context, everything, drop]).run(places, places)
        statuses = sorted({link_attrs[k]["status"] for k in links})
        row: dict[str, Any] = {
            "project": project,
            "status": ", ".join(s.replace("_", " ") for s in statuses),
            "new_km": float(sum(link_attrs[k]["length_km"] for k in links)),
        }
        row.update(_gain("alone", base, alone, w, metric_unit, countries, names))
        row.update(_gain("removed", removed, full, w, metric_unit, countries, names))
        rows.append(row)
    frame = pd.DataFrame(rows)
    unit = {"km": "km", "hours": "hours", "cost_usd": "cost_usd_per_t"}[metric_unit]
    keys = [f"alone_{unit}_saved", "alone_pairs_connected", f"removed_{unit}_saved", "removed_pairs_connected"]
    frame = frame.sort_values(
        [*keys, "project"], ascending=[False, False, False, False, True], kind="stable"
    ).reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    parts = list(base_q.H.graph.get("scenario") or ("baseline",))
    frame.attrs.update(
        by=by,
        scenario="+".join(parts),
        scenarios=parts,
        od=places,
        od_set=str(od) if isinstance(od, str | Path) else ("hubs" if od is None else "list"),
        weights=str(weights or "uniform"),
    )
    return frame


def _gain(
    way: str,
    before: PathTotals,
    after: PathTotals,
    w: NDArray[np.float64],
    metric: str,
    countries: list[str],
    names: list[str],
) -> dict[str, Any]:
    """What ``after`` saves against ``before``, weighted, with who gains."""
    n = len(names)
    off = ~np.eye(n, dtype=bool)
    was, now = before.reachable & off, after.reachable & off
    better = was & now & (getattr(after, metric) < getattr(before, metric) - _EPS)
    connected = ~was & now
    out: dict[str, Any] = {f"{way}_pairs_improved": int(better.sum()), f"{way}_pairs_connected": int(connected.sum())}
    saved: dict[str, NDArray[np.float64]] = {}
    for unit, attr in (("hours", "hours"), ("cost_usd_per_t", "cost_usd"), ("km", "km")):
        delta = np.where(better, getattr(before, attr) - getattr(after, attr), 0.0)
        saved[attr] = delta
        out[f"{way}_{unit}_saved"] = float((delta * w).sum())
    gain = saved[metric] * w
    by_country: dict[str, float] = {}
    for i, j in zip(*np.nonzero(better), strict=True):
        for c in dict.fromkeys((countries[i], countries[j])):  # origin first: a set's order varies by run
            by_country[c] = by_country.get(c, 0.0) + float(gain[i, j])
    out[f"{way}_countries"] = ", ".join(c for c, _ in sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0])))
    top = np.argsort(-gain, axis=None)[:5]
    pairs = []
    for flat in top:
        i, j = divmod(int(flat), n)
        if gain[i, j] > _EPS:
            pairs.append(f"{names[i]} → {names[j]} (−{saved[metric][i, j]:,.1f})")
    out[f"{way}_top_pairs"] = "; ".join(pairs)
    return out
