"""Comparing routes across scenarios."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from routes.errors import NoRouteError
from routes.network import find_place
from routes.results import PlaceRef, Route, months_text, rounded
from routes.routing import BY, shortest_route
from routes.scenarios import Scenario, ScenarioSpec, resolve_scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Comparison", "ScenarioResult", "compare"]


@dataclass(frozen=True)
class ScenarioResult:
    """The best route under one scenario, or why there is none.

    Attributes
    ----------
    scenario : tuple of str
        The scenario names composed for this result.
    route : Route or None
        None when unreachable.
    reason : str or None
        Why there is no route (None when reachable).
    closures : tuple of str
        The closures that cut the route, when unreachable.
    applied : Scenario or None
        The scenario itself, as resolved (so that a map can apply a scenario given as a
        file or an object again; its names alone would not find it).
    """

    scenario: tuple[str, ...]
    route: Route | None
    reason: str | None
    closures: tuple[str, ...] = ()
    applied: Scenario | None = field(default=None, repr=False, compare=False)

    @property
    def reachable(self) -> bool:
        """Whether a route exists."""
        return self.route is not None

    def __repr__(self) -> str:
        what = repr(self.route) if self.route else f"no route: {self.reason}"
        return f"<ScenarioResult {self.name}: {what}>"

    @property
    def name(self) -> str:
        """The scenario as one string, "a+b"."""
        return "+".join(self.scenario)


@dataclass(frozen=True)
class Comparison:
    """Results of one origin-destination pair under several scenarios.

    The first result is the reference: `deltas` compares every other one with it.
    """

    origin: str
    destination: str
    by: str
    results: tuple[ScenarioResult, ...]
    month: int | None = None
    places: tuple[PlaceRef, PlaceRef] | None = None
    """The origin and destination as places (id, name, country, kind), when known."""

    def deltas(self) -> list[dict[str, float] | None]:
        """Differences against the first result: km, hours, USD/t (None if either is unreachable)."""
        first = self.results[0].route
        out: list[dict[str, float] | None] = []
        for res in self.results:
            if first is None or res.route is None:
                out.append(None)
                continue
            out.append(
                {
                    "km": res.route.total_km - first.total_km,
                    "hours": res.route.total_hours - first.total_hours,
                    "cost_usd": res.route.total_cost_usd - first.total_cost_usd,
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as the JSON contract writes it (``the JSON contract in README.md``).

        Each result holds its ``scenarios``, whether it is ``reachable``, the ``route``
        (as `Route.to_dict`, or None), its ``delta`` against the first result, and when
        unreachable the ``reason`` and the ``closures`` that cut it.
        """
        results = []
        for res, delta in zip(self.results, self.deltas(), strict=True):
            results.append(
                {
                    "scenarios": list(res.scenario),
                    "reachable": res.reachable,
                    "route": None if res.route is None else res.route.to_dict(),
                    "delta": None
                    if delta is None
                    else {
                        "km": rounded(delta["km"], "km"),
                        "hours": rounded(delta["hours"], "hours"),
                        "cost_usd_per_t": rounded(delta["cost_usd"], "usd_per_t"),
                    },
                    "reason": res.reason,
                    "closures": list(res.closures),
                }
            )
        o, d = self.places or (
            PlaceRef(self.origin, self.origin, "", ""),
            PlaceRef(self.destination, self.destination, "", ""),
        )
        return {
            "origin": o.to_dict(),
            "destination": d.to_dict(),
            "by": self.by,
            "month": self.month,
            "results": results,
        }

    def to_frame(self) -> pd.DataFrame:
        """Return one row per scenario with totals and deltas against the first."""
        import pandas as pd  # noqa: PLC0415

        rows = []
        for res, delta in zip(self.results, self.deltas(), strict=True):
            row: dict[str, Any] = {"scenario": res.name, "reachable": res.reachable}
            if res.route is not None:
                row.update(res.route._summary_row())
                row["scenario"] = res.name
            if delta is not None:
                row.update({f"delta_{k}": v for k, v in delta.items()})
            row["reason"] = res.reason
            rows.append(row)
        return pd.DataFrame(rows).set_index("scenario")

    def __repr__(self) -> str:
        parts = [
            f"{res.name}: {res.route.total_km:,.0f} km" if res.route else f"{res.name}: no route"
            for res in self.results
        ]
        return f"<Comparison {self.origin} → {self.destination} by {self.by}: {'; '.join(parts)}>"

    def _repr_html_(self) -> str:
        esc = html.escape
        cells = []
        for res, delta in zip(self.results, self.deltas(), strict=True):
            r = res.route
            if r is None:
                cells.append(f"<tr><td>{esc(res.name)}</td><td colspan='6'>no route: {esc(res.reason or '')}</td></tr>")
                continue
            d = "" if delta is None else f"{delta['km']:+,.0f} km, {delta['hours']:+,.1f} h"
            cells.append(
                f"<tr><td>{esc(res.name)}</td><td>{r.total_km:,.0f}</td><td>{r.total_hours:,.1f}</td>"
                f"<td>{r.total_cost_usd:,.0f}</td><td>{esc(', '.join(r.border_crossings))}</td>"
                f"<td>{esc(months_text(r.months_open))}</td><td>{esc(d)}</td></tr>"
            )
        return (
            f"<div><p><b>{esc(self.origin)} → {esc(self.destination)}</b>, by {esc(self.by)}</p>"
            "<table><thead><tr><th>scenario</th><th>km</th><th>hours</th><th>USD/t</th>"
            "<th>crossings</th><th>open</th><th>vs first</th></tr></thead><tbody>"
            + "".join(cells)
            + "</tbody></table></div>"
        )


def compare(
    G: nx.MultiGraph,
    origin: str,
    destination: str,
    scenarios: ScenarioSpec | Sequence[ScenarioSpec] = None,
    *,
    by: str = "distance",
    month: int | None = None,
    modes: Iterable[str] | None = None,
    avoid_countries: Iterable[str] = (),
    avoid_places: Iterable[str] = (),
    avoid_links: Iterable[str] = (),
    statuses: Iterable[str] | None = None,
    max_elevation_m: float | None = None,
) -> Comparison:
    """Find the best route under each of several scenarios.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network`.
    origin, destination : str
        Place ids, names or aliases.
    scenarios : str, Path, Scenario, or a sequence of them
        One entry per result: a scenario name, path, Scenario, ``"a+b"`` string, or a
        list of those to compose. A single name, path or Scenario is one result
        (``"baseline"`` is ``["baseline"]``); None is ``["baseline"]``.
    by : {"distance", "time", "cost"}
        What each route minimises.
    month : int, optional
        Month of travel for every scenario (overrides theirs).
    modes, avoid_countries, avoid_places, avoid_links, statuses, max_elevation_m
        As for `routes.shortest_route`, applied under every scenario.

    Returns
    -------
    Comparison
        One `ScenarioResult` per scenario, unreachable ones included with their reason.

    Raises
    ------
    UnknownPlaceError, ScenarioError
        For bad places or scenarios (before any routing is done).

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> c = routes.compare(G, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed"])
    >>> [r.reachable for r in c.results]
    [True, True]
    """
    specs: list[ScenarioSpec]
    if scenarios is None or isinstance(scenarios, str | Path | Scenario):
        specs = [scenarios or "baseline"]
    else:
        specs = list(scenarios) or ["baseline"]
    constraints = {
        "modes": modes,
        "avoid_countries": avoid_countries,
        "avoid_places": avoid_places,
        "avoid_links": avoid_links,
        "statuses": statuses,
        "max_elevation_m": max_elevation_m,
    }
    if by not in BY:
        from routes.errors import RoutesError  # noqa: PLC0415

        raise RoutesError(f"by must be one of {', '.join(BY)}, got {by!r}")
    o = find_place(G, origin)
    d = find_place(G, destination)
    resolved = [resolve_scenario(G, spec) for spec in specs]
    results = []
    for sc in resolved:
        names = tuple(sc.parts or (sc.name,))
        try:
            route = shortest_route(G, o, d, by=by, scenario=sc, month=month, **constraints)  # type: ignore[arg-type]
        except NoRouteError as exc:
            results.append(ScenarioResult(names, None, str(exc), tuple(exc.closures), applied=sc))
        else:
            results.append(ScenarioResult(names, route, None, applied=sc))
    refs = tuple(PlaceRef(p, G.nodes[p]["name"], G.nodes[p]["country"], G.nodes[p]["kind"]) for p in (o, d))
    return Comparison(o, d, by, tuple(results), month=month, places=(refs[0], refs[1]))
