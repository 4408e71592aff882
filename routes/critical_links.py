"""n-1 criticality: which link, border crossing or corridor hurts most trips when it fails.

(Named critical_links, not criticality, so the module never hides the function
`routes.criticality` once imported.)

Each element is taken away in turn (a link: its edges in the state graph; a crossing:
the edges into its states; a corridor: all its links) and the best routes between the
OD places are found again on the compiled engine. Only the origins whose best paths use
the element are searched again: a path that does not use an element cannot get longer
without it, so every other pair keeps its value. This is what makes a whole sweep a
fraction of a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from routes.engine import Prepared, cities_and_ports, prepare
from routes.errors import RoutesError

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx
    import pandas as pd
    from numpy.typing import NDArray

__all__ = ["criticality", "criticality_to_gdf", "hub_places", "od_weights"]

T = TypeVar("T")
Progress = Callable[[Iterable[Any], int], Iterator[Any]]
#: ``where(column, message)``: a message about one cell of a CSV, with file, line and column.
Where = Callable[[str, str], str]

#: How many of the largest cities (by sourced population) join the five seaports as hubs.
HUB_CITIES = 25
#: Changes smaller than this (in the objective's unit) are rounding, not lengthening.
_EPS = 1e-6


def hub_places(G: nx.MultiGraph) -> list[str]:
    """The default OD set: the gateway seaports plus the 25 largest cities by population.

    The gateways are the seaports land transport reaches (`routes.catchment.gateway_ports`);
    the world ports beyond the sea are not hubs of the region's network.

    Populations come from ``population.csv`` of the graph's data folder (see
    ``geodata/README.md``); only cities with a sourced population can be hubs.
    """
    from routes.catchment import gateway_ports  # noqa: PLC0415
    from routes.io import read_population  # noqa: PLC0415

    pop = read_population(G.graph["data_dir"])
    ports = gateway_ports(G)
    cities = sorted(
        (p for p, d in G.nodes(data=True) if d.get("kind") == "city" and p in pop),
        key=lambda p: -pop[p]["population"],
    )
    return ports + cities[:HUB_CITIES]


def od_weights(G: nx.MultiGraph, places: Sequence[str], weights: str | Path | None) -> NDArray[np.float64]:
    """The weight of each OD pair (a matrix over ``places``; the diagonal is 0).

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph (its data folder holds ``population.csv``).
    places : list of str
        Place ids.
    weights : {"uniform", "population"} or path, optional
        ``uniform`` (default): every pair 1. ``population``: a gravity weight
        ``P_i * P_j``, scaled so the weights sum to the number of pairs; a place without
        a sourced population (a seaport) gets the median of those that have one. A path:
        a CSV with columns ``origin``, ``destination`` (place names or ids) and
        ``weight``; pairs not listed weigh 0.

    Raises
    ------
    RoutesError
        For an unknown weighting, a malformed CSV (naming file and line) or a place in
        it that is not in the OD set.
    """
    n = len(places)
    w = np.ones((n, n))
    if weights is None or weights == "uniform":
        pass
    elif weights == "population":
        from routes.io import read_population  # noqa: PLC0415

        pop = read_population(G.graph["data_dir"])
        known = [float(pop[p]["population"]) for p in places if p in pop]
        if not known:
            raise RoutesError("No place of the OD set has a population in population.csv; use --weights uniform.")
        fill = float(np.median(known))
        mass = np.array([float(pop[p]["population"]) if p in pop else fill for p in places])
        w = np.outer(mass, mass)
    else:
        w = _weights_csv(G, places, Path(weights))
    np.fill_diagonal(w, 0.0)
    total = w.sum()
    if total <= 0:
        raise RoutesError(f"The OD weights ({weights}) are all zero for these places.")
    return w * (n * (n - 1) / total) if weights in (None, "uniform", "population") else w


def _read_csv(
    path: Path, needed: Sequence[str], what: str
) -> Iterator[tuple[Callable[[str, str], str], dict[str, str]]]:
    """Yield ``(where, row)`` for each row of a user's CSV with the ``needed`` columns.

    ``where(column, message)`` is the message prefixed with file, line and column, for
    errors about a cell. Errors about the file itself name the file (and line 1 for
    the header).
    """
    import csv  # noqa: PLC0415

    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = list(reader.fieldnames or ())
            missing = [c for c in needed if c not in columns]
            if missing:
                found = ", ".join(repr(c) for c in columns) or "nothing"
                raise RoutesError(
                    f"{path}:1: the {what} CSV needs the column(s) {', '.join(needed)} in its first line; found {found}"
                )
            for row in reader:

                def where(column: str, message: str, line_no: int = reader.line_num) -> str:
                    return f"{path}:{line_no}: column {columns.index(column) + 1} ({column}): {message}"

                yield where, row
    except csv.Error as exc:
        raise RoutesError(f"{path}: not a readable CSV ({exc})") from None
    except UnicodeDecodeError:
        raise RoutesError(f"{path}: the {what} CSV is not UTF-8 text; save it as UTF-8 CSV") from None
    except IsADirectoryError:
        raise RoutesError(f"{path}: is a folder; give the path of the {what} CSV") from None
    except OSError as exc:
        raise RoutesError(f"{path}: cannot read the {what} CSV ({exc.strerror or exc})") from None


def _weights_csv(G: nx.MultiGraph, places: Sequence[str], path: Path) -> NDArray[np.float64]:
    from routes.errors import UnknownPlaceError  # noqa: PLC0415
    from routes.network import find_place  # noqa: PLC0415

    index = {p: i for i, p in enumerate(places)}
    w = np.zeros((len(places), len(places)))
    for where, row in _read_csv(path, ("origin", "destination", "weight"), "weights"):
        ends = []
        for column in ("origin", "destination"):
            try:
                pid = find_place(G, row[column] or "")
            except UnknownPlaceError as exc:
                raise RoutesError(where(column, str(exc))) from None
            if pid not in index:
                raise RoutesError(
                    where(column, f"{row[column]!r} is not in the OD set; add it to --od or drop the row")
                )
            ends.append(pid)
        text = (row["weight"] or "").strip()
        try:
            value = float(text)
        except ValueError:
            raise RoutesError(where("weight", f"expected a number, got {text!r}")) from None
        if not np.isfinite(value) or value < 0:
            raise RoutesError(where("weight", f"a weight must be a finite number of at least 0, got {text!r}"))
        w[index[ends[0]], index[ends[1]]] = value
    return w


def od_places(G: nx.MultiGraph, od: str | Path | Sequence[str] | None) -> list[str]:
    """Resolve an OD set: ``"hubs"`` (default), ``"cities"``, a CSV path or place names."""
    from routes.errors import UnknownPlaceError  # noqa: PLC0415
    from routes.network import find_place  # noqa: PLC0415

    if od is None or od == "hubs":
        return hub_places(G)
    if od == "cities":
        return cities_and_ports(G)
    out: dict[str, None] = {}
    if isinstance(od, str | Path):
        path = Path(od)
        if not path.exists():
            raise RoutesError(f"OD set {str(od)!r}: use hubs, cities, or the path of a CSV with a 'place' column")
        for where, row in _read_csv(path, ("place",), "OD"):
            if not (row["place"] or "").strip():
                continue
            try:
                out.setdefault(find_place(G, row["place"]), None)
            except UnknownPlaceError as exc:
                raise RoutesError(where("place", str(exc))) from None
    else:
        for name in od:
            out.setdefault(find_place(G, name), None)
    if len(out) < 2:
        raise RoutesError(f"An OD set needs at least two places; {str(od)!r} gives {len(out)}.")
    return list(out)


def _elements(q: Prepared, corridors: bool) -> list[tuple[str, str, list[str], list[str]]]:
    """(id, type, links, places) of every element to take away."""
    H = q.H
    out: list[tuple[str, str, list[str], list[str]]] = [(k, "link", [k], []) for k in q.engine.links]
    out += [(p, "crossing", [], [p]) for p, d in H.nodes(data=True) if d.get("border")]
    if corridors:
        by_corridor: dict[str, list[str]] = {}
        for _, _, k, d in H.edges(keys=True, data=True):
            by_corridor.setdefault(d["corridor"], []).append(k)
        out += [(c, "corridor", ks, []) for c, ks in sorted(by_corridor.items())]
    return out


def criticality(
    G: nx.MultiGraph,
    *,
    od: str | Path | Sequence[str] | None = None,
    weights: str | Path | None = None,
    by: str = "distance",
    scenario: Any = None,
    month: int | None = None,
    modes: Sequence[str] | None = None,
    corridors: bool = False,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Rank links, border crossings (and corridors) by what their loss costs OD trips.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network`.
    od : "hubs", "cities", path or list of str, optional
        The OD places. ``hubs`` (default): the five seaports and the 25 largest cities
        by sourced population; ``cities``: every city and seaport; a CSV with a
        ``place`` column; or place names.
    weights : "uniform", "population" or path, optional
        OD pair weights (see `od_weights`).
    by : {"distance", "time", "cost"}
        What routes minimise. Added km, hours and USD per tonne are those of the new
        best route by this objective, as `routes.shortest_route` would report them (so
        only the objective's own unit can never be negative: a slower route may be
        shorter).
    scenario, month, modes
        As for `routes.shortest_route`.
    corridors : bool
        Also take away whole corridors.
    progress : callable, optional
        ``progress(iterable, total)`` wraps the sweep (a progress bar).

    Returns
    -------
    pandas.DataFrame
        One row per element, most critical first: ``rank``, ``element``, ``type``,
        ``name``, ``corridor``, ``countries``, ``pairs_lengthened``,
        ``pairs_disconnected``, ``weight_lengthened``, ``weight_disconnected``, and for
        each of ``km``, ``hours`` and ``cost_usd_per_t``: ``added_<unit>_total``
        (weighted sum over the pairs still connected) and ``added_<unit>_worst``. Ranked
        by the weight disconnected, then the weighted added objective. ``attrs`` holds
        the OD places, the scenario and the objective.

    Raises
    ------
    RoutesError, ScenarioError, UnknownPlaceError
        For a bad OD set, weighting, scenario or objective.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> c = routes.criticality(G, by="time")
    >>> bool((c["added_hours_total"] >= 0).all())
    True
    """
    import pandas as pd  # noqa: PLC0415

    q = prepare(G, by=by, scenario=scenario, month=month, modes=modes)
    places = od_places(q.G, od)
    w_full = od_weights(q.G, places, weights)
    cg = q.engine
    # Places the scenario removed take no part (their pairs have no route either way).
    present = [i for i, p in enumerate(places) if p in cg.place_index]
    idx = np.array([cg.place_index[places[i]] for i in present], dtype=np.int64)
    w = w_full[np.ix_(present, present)]
    base = cg.run(q.metric, q.cons, idx, idx, collect=True)
    base_ok = base.reachable
    np.fill_diagonal(base_ok, False)
    users_of_link: dict[int, set[int]] = {}
    assert base.used_links is not None
    assert base.used_places is not None
    for row, j in base.used_links:
        users_of_link.setdefault(int(j), set()).add(int(row))
    users_of_place: dict[int, set[int]] = {}
    for row, pi in base.used_places:
        users_of_place.setdefault(int(pi), set()).add(int(row))

    elements = _elements(q, corridors)
    link_attrs = {k: d for _, _, k, d in q.H.edges(keys=True, data=True)}
    series = _series(q.H, set(places))
    done: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    iterator: Iterable[tuple[str, str, list[str], list[str]]] = elements
    if progress is not None:
        iterator = progress(elements, len(elements))
    for element, kind, links, removed_places in iterator:
        users: set[int] = set()
        for k in links:
            users |= users_of_link.get(cg.link_index[k], set())
        for p in removed_places:
            users |= users_of_place.get(cg.place_index[p], set())
        row = _describe(q, element, kind, links, link_attrs)
        key = _series_key(kind, element, series, q.H)
        if key is not None and key in done:
            row.update(done[key])
        elif users:
            o_rows = np.array(sorted(users), dtype=np.int64)
            cut = cg.run(
                q.metric,
                q.cons,
                idx[o_rows],
                idx,
                without_links=links,
                without_places=removed_places,
                changed_from=base.objective[o_rows],
            )
            row.update(_effect(base, cut, o_rows, base_ok, w))
        else:
            row.update(_effect(base, None, np.zeros(0, np.int64), base_ok, w))
        if key is not None:
            done[key] = {k: v for k, v in row.items() if k not in ("element", "type", "name", "corridor", "countries")}
        rows.append(row)
    frame = pd.DataFrame(rows)
    unit = {"distance": "km", "time": "hours", "cost": "cost_usd_per_t"}[by]
    frame = frame.sort_values(
        ["weight_disconnected", f"added_{unit}_total", "element"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    parts = list(q.H.graph.get("scenario") or ("baseline",))
    frame.attrs.update(
        od=places,
        od_set=str(od) if isinstance(od, str | Path) else ("hubs" if od is None else "list"),
        by=by,
        scenario="+".join(parts),
        scenarios=parts,
        month=month,
        corridors=corridors,
        weights=str(weights or "uniform"),
        pairs=int(base_ok.sum()),
    )
    return frame


def _series(H: nx.MultiGraph, od: set[str]) -> dict[str, str]:
    """Group links in series: link -> the id of its series.

    Links are in series when joined by places that have only those two links and are not
    OD places. Taking away any one of them cuts the same through route, so all have the
    same effect and one search serves them all.
    """
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.get(k, k) != k:
            parent[k] = parent.get(parent[k], parent[k])
            k = parent[k]
        return k

    for p in H.nodes:
        if p in od:
            continue
        links = [k for _, _, k in H.edges(p, keys=True)]
        if len(links) == 2 and links[0] != links[1]:
            a, b = find(links[0]), find(links[1])
            if a != b:
                parent[a] = b
    return {k: find(k) for _, _, k in H.edges(keys=True)}


def _series_key(kind: str, element: str, series: dict[str, str], H: nx.MultiGraph) -> str | None:
    if kind == "link":
        return series.get(element)
    if kind == "crossing":
        around = [k for _, _, k in H.edges(element, keys=True)]
        if len(around) == 2 and series.get(around[0]) == series.get(around[1]) and around[0] in series:
            return series[around[0]]
    return None


def _describe(q: Prepared, element: str, kind: str, links: list[str], attrs: dict[str, Any]) -> dict[str, Any]:
    if kind == "crossing":
        d = q.H.nodes[element]
        return {"element": element, "type": kind, "name": d["name"], "corridor": "", "countries": "-".join(d["border"])}
    if kind == "corridor":
        countries = sorted({c for k in links for c in attrs[k]["countries"]})
        return {
            "element": element,
            "type": kind,
            "name": element,
            "corridor": element,
            "countries": "-".join(countries),
        }
    d = attrs[element]
    return {
        "element": element,
        "type": kind,
        "name": d["name"],
        "corridor": d["corridor"],
        "countries": "-".join(d["countries"]),
    }


def _effect(
    base: Any, cut: Any, o_rows: NDArray[np.int64], base_ok: NDArray[np.bool_], w: NDArray[np.float64]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "pairs_lengthened": 0,
        "pairs_disconnected": 0,
        "weight_lengthened": 0.0,
        "weight_disconnected": 0.0,
    }
    for unit in ("km", "hours", "cost_usd_per_t"):
        out[f"added_{unit}_total"] = 0.0
        out[f"added_{unit}_worst"] = 0.0
    if cut is None or len(o_rows) == 0:
        return out
    was = base_ok[o_rows]
    ww = w[o_rows]
    lost = was & ~cut.reachable
    longer = was & cut.reachable & (cut.objective > base.objective[o_rows] + _EPS)
    out["pairs_disconnected"] = int(lost.sum())
    out["pairs_lengthened"] = int(longer.sum())
    out["weight_disconnected"] = float(ww[lost].sum())
    out["weight_lengthened"] = float(ww[longer].sum())
    for unit, attr in (("km", "km"), ("hours", "hours"), ("cost_usd_per_t", "cost_usd")):
        delta = getattr(cut, attr) - getattr(base, attr)[o_rows]
        delta = np.where(longer, delta, 0.0)
        out[f"added_{unit}_total"] = float((delta * ww).sum())
        out[f"added_{unit}_worst"] = float(delta.max()) if longer.any() else 0.0
    return out


def criticality_to_gdf(c: pd.DataFrame, G: nx.MultiGraph) -> gpd.GeoDataFrame:
    """A criticality ranking as a GeoDataFrame: links as lines, crossings as points.

    Corridors (with ``corridors=True``) become MultiLineStrings of their links. The CRS
    is the graph's (EPSG:4326).

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> gdf = routes.criticality_to_gdf(routes.criticality(G), G)
    >>> sorted(set(gdf.geometry.geom_type))
    ['LineString', 'Point']
    """
    import geopandas as gpd  # noqa: PLC0415
    from shapely.geometry import LineString, MultiLineString, Point  # noqa: PLC0415

    coords = {k: d["coords"] for _, _, k, d in G.edges(keys=True, data=True)}
    by_corridor: dict[str, list[str]] = {}
    for _, _, k, d in G.edges(keys=True, data=True):
        by_corridor.setdefault(d["corridor"], []).append(k)
    geoms: list[Any] = []
    for r in c.to_dict("records"):
        if r["type"] == "link":
            geoms.append(LineString(coords[r["element"]]))
        elif r["type"] == "crossing":
            d = G.nodes[r["element"]]
            geoms.append(Point(d["x"], d["y"]))
        else:
            geoms.append(MultiLineString([coords[k] for k in by_corridor.get(r["element"], [])]))
    gdf = gpd.GeoDataFrame(c.copy(), geometry=geoms, crs=G.graph.get("crs", "EPSG:4326"))
    gdf.attrs.update(c.attrs)
    return gdf
