"""Loading the corridor network into a networkx graph, and finding places in it.

The graph contract
------------------
`load_network` returns a ``networkx.MultiGraph`` (undirected: every link can be travelled
both ways; parallel links, e.g. a road and a railway between the same two towns, are
separate edges keyed by link id).

``G.graph``
    ``crs`` ("EPSG:4326", coordinates are WGS 84 lon/lat), ``name``, ``data_dir`` (str),
    ``rules`` (the parsed ``rules.toml``), ``sources`` (bibliography: id -> entry, a
    read-only mapping read from disk when first used),
    ``energy`` (list of GeoJSON features of the energy layer), ``scenario`` (tuple of the
    scenario names applied; ``()`` for the base graph), ``month`` (int or None),
    ``closures`` (tuple of `routes.scenarios.Closure`, what the scenario closed).

Nodes (key: place id)
    ``name`` str, ``aliases`` tuple of str, ``country`` ISO3, ``kind`` str, ``x`` lon and
    ``y`` lat (degrees), ``elevation_m`` float or None, ``border`` (ISO3, ISO3) or None,
    ``open_months`` tuple of int or None (None: all year), ``season_note``, ``status``,
    ``region``, ``systems`` tuple, ``transfer`` tuple of modes, ``transshipment`` bool,
    ``dwell`` tuple of dicts (see ``geodata/README.md``), ``note``, ``sources`` tuple of
    citation dicts (each has ``id``; seed citations have ``quote``).

Edges (key: link id; ``u``/``v`` are the link's ``from``/``to``)
    ``id``, ``name``, ``corridor``, ``mode`` ("road", "rail", "sea", "air"), ``status``,
    ``status_year``, ``from``, ``to``, ``length_km`` (km), ``length_basis``,
    ``road_class``, ``gauge_mm``, ``speed_kmh`` (km/h, the effective speed),
    ``speed_basis`` (where the speed comes from), ``time_h`` (hours to travel it),
    ``cost_usd`` (USD per tonne to travel it), ``cost_basis``, ``open_months``,
    ``max_elevation_m`` (m), ``countries`` tuple of ISO3, ``region``, ``systems``,
    ``coords`` (tuple of (lon, lat), from ``from`` to ``to``), ``geometry_method``,
    ``note``, ``sources``; flights also ``airline``, ``service_status`` ("operating" or
    "suspended"), ``service_date`` and ``block_time_h`` (None on other links).

Loading does not import geopandas, shapely or folium: geometry stays as coordinate
tuples until `routes.convert.graph_to_gdfs` turns it into shapely objects.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from routes import costs
from routes._paths import default_data_dir
from routes.errors import AmbiguousPlaceError, InvalidDataError, UnknownPlaceError
from routes.io import RawData, read_bibliography, read_data
from routes.schema import check_structure

__all__ = ["Bibliography", "find_place", "graph_copy", "load_network", "normalize_name"]


def _citations(value: Any) -> tuple[dict[str, Any], ...]:
    return tuple({"id": cite} if isinstance(cite, str) else dict(cite) for cite in value or [])


def _node_attrs(props: dict[str, Any], coords: list[float]) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "name": props["name"],
        "aliases": tuple(props.get("aliases") or ()),
        "country": props["country"],
        "kind": props["kind"],
        "x": float(coords[0]),
        "y": float(coords[1]),
        "elevation_m": None if props.get("elevation_m") is None else float(props["elevation_m"]),
        "border": tuple(props["border"]) if props.get("border") else None,
        "open_months": tuple(sorted(set(props["open_months"]))) if props.get("open_months") else None,
        "season_note": props.get("season_note"),
        "status": props.get("status", "operational"),
        "status_year": props.get("status_year"),
        "region": props.get("region"),
        "systems": tuple(props.get("systems") or ()),
        "transfer": tuple(props.get("transfer") or ()),
        "transshipment": bool(props.get("transshipment", False)),
        "dwell": tuple({**rec, "sources": _citations(rec.get("sources"))} for rec in props.get("dwell") or ()),
        "note": props.get("note"),
        "sources": _citations(props.get("sources")),
    }
    return attrs


def _edge_attrs(props: dict[str, Any], coords: list[list[float]]) -> dict[str, Any]:
    return {
        "id": props["id"],
        "name": props["name"],
        "corridor": props["corridor"],
        "mode": props["mode"],
        "status": props["status"],
        "status_year": props.get("status_year"),
        "from": props["from"],
        "to": props["to"],
        "length_km": float(props["length_km"]),
        "length_basis": props["length_basis"],
        "length_method": props.get("length_method"),
        "road_class": props.get("road_class"),
        "surface": props.get("surface"),
        "gauge_mm": props.get("gauge_mm"),
        "link_speed_kmh": _link_speed_kmh(props),
        "open_months": tuple(sorted(set(props["open_months"]))) if props.get("open_months") else None,
        "season_note": props.get("season_note"),
        "max_elevation_m": float(props["max_elevation_m"]),
        "countries": tuple(props.get("countries") or ()),
        "region": props.get("region"),
        "systems": tuple(props.get("systems") or ()),
        "coords": tuple((round(float(c[0]), 6), round(float(c[1]), 6)) for c in coords),
        "geometry_method": props.get("geometry_method"),
        "note": props.get("note"),
        "sources": _citations(props.get("sources")),
        "airline": props.get("airline"),
        "service_status": props.get("service_status"),
        "service_date": props.get("service_date"),
        "block_time_h": None if props.get("block_time_h") is None else float(props["block_time_h"]),
    }


def _link_speed_kmh(props: dict[str, Any]) -> float | None:
    """The link's own speed: sourced, or a flight's great-circle length over its block time."""
    if props.get("speed_kmh") is not None:
        return float(props["speed_kmh"])
    if props.get("block_time_h"):
        return float(props["length_km"]) / float(props["block_time_h"])
    return None


class Bibliography(Mapping[str, dict[str, Any]]):
    """The sources of a data folder (id -> entry), read from disk when first used.

    Routing never needs the bibliography, and parsing its TOML is most of the cost of a
    load, so the graph carries this lazy mapping in ``G.graph["sources"]``.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._entries: dict[str, dict[str, Any]] | None = None
        self._mentions: list[dict[str, Any]] = []

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            raw = RawData(data_dir=self.data_dir)
            read_bibliography(raw)
            if raw.problems:
                raise InvalidDataError(raw.problems)
            self._entries = {sid: entry for _, sid, entry in raw.sources}
            self._mentions = raw.seed_mentions
        return self._entries

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    @property
    def mentions(self) -> list[dict[str, Any]]:
        """The seed documents' mentions (``seed_mentions.toml``)."""
        self._load()
        return self._mentions

    def __deepcopy__(self, memo: dict[int, Any]) -> Bibliography:
        return self  # read-only: copies can share it

    def __repr__(self) -> str:
        state = "loaded" if self._entries is not None else "not read yet"
        return f"<Bibliography of {self.data_dir} ({state})>"


def load_network(path: str | Path | None = None) -> nx.MultiGraph:
    """Load the corridor network as a networkx graph.

    Parameters
    ----------
    path : str or Path, optional
        A data folder laid out as ``geodata/`` (see its README). Default: the network
        shipped with the package.

    Returns
    -------
    networkx.MultiGraph
        The base network: every link of the data, whatever its status. Routing on it
        applies the ``baseline`` scenario (operational links only) unless told
        otherwise. See the module docstring for the attribute contract.

    Raises
    ------
    InvalidDataError
        If the data breaks the schema; the error lists every problem found.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> G.nodes["khunjerab-pass"]["elevation_m"]
    4693.0
    """
    data_dir = Path(path) if path is not None else default_data_dir()
    raw = read_data(data_dir, bibliography=False)
    problems = check_structure(raw)
    if problems:
        raise InvalidDataError(problems)
    rules = costs.Rules.from_dict(raw.rules, file=raw.rel(data_dir / "rules.toml"))
    G = nx.MultiGraph(
        crs="EPSG:4326",
        name="Pakistan and Central Asia corridor network",
        data_dir=str(data_dir),
        rules=raw.rules,
        sources=Bibliography(data_dir),
        energy=[feat for _, feat in raw.energy],
        scenario=(),
        month=None,
        closures=(),
    )
    for _, feat in raw.places:
        props = feat["properties"]
        G.add_node(props["id"], **_node_attrs(props, feat["geometry"]["coordinates"]))
    problems = []
    for file, feat in raw.links:
        props = feat["properties"]
        attrs = _edge_attrs(props, feat["geometry"]["coordinates"])
        try:
            attrs.update(costs.link_weights(attrs, rules))
        except costs.RuleMissingError as exc:
            problems.append(exc.problem(file, props["id"]))
            continue
        G.add_edge(props["from"], props["to"], key=props["id"], **attrs)
    if problems:
        raise InvalidDataError(problems)
    return G


# ---------------------------------------------------------------------------------------
# Finding places by id, name or alias.

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize_name(text: str) -> str:
    """Fold a place name for matching: no case, no diacritics, punctuation as spaces.

    >>> normalize_name("Qal'ai-Khumb")
    'qal ai khumb'
    >>> normalize_name("Türkmenabat")
    'turkmenabat'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ʻ", "").replace("ʼ", "").replace("‘", "").replace("’", "")
    return _NON_ALNUM.sub(" ", stripped.casefold()).strip()


def _name_index(G: nx.MultiGraph) -> dict[str, Any]:
    cache = G.graph.get("_name_index")
    if cache is not None and cache[0] == G.number_of_nodes():
        return cache[1]  # type: ignore[no-any-return]
    ids: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    for pid, data in G.nodes(data=True):
        ids[normalize_name(pid)] = pid
        names.setdefault(normalize_name(data.get("name", pid)), []).append(pid)
        for alias in data.get("aliases", ()):
            aliases.setdefault(normalize_name(alias), []).append(pid)
    index = {"ids": ids, "names": names, "aliases": aliases}
    G.graph["_name_index"] = (G.number_of_nodes(), index)
    return index


def find_place(G: nx.MultiGraph, query: str) -> str:
    """Resolve a place by id, name or alias, ignoring case and diacritics.

    Parameters
    ----------
    G : networkx.MultiGraph
        A graph from `load_network`.
    query : str
        An id (``"khunjerab-pass"``), a name (``"Khunjerab Pass"``) or an alias
        (``"Khorugh"``, ``"Sust"``).

    Returns
    -------
    str
        The place id.

    Raises
    ------
    UnknownPlaceError
        If nothing matches; the error suggests the nearest names.
    AmbiguousPlaceError
        If several places match equally well; the error lists them.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> routes.find_place(G, "khorugh")
    'khorog'
    """
    if not isinstance(query, str) or not query.strip():
        raise UnknownPlaceError(str(query), [])
    if query in G:
        return query
    index = _name_index(G)
    key = normalize_name(query)
    for table in ("names", "aliases"):
        hits = sorted(set(index[table].get(key, ())))
        if len(hits) == 1:
            return str(hits[0])
        if len(hits) > 1:
            raise AmbiguousPlaceError(query, [(h, G.nodes[h]["name"], G.nodes[h]["country"]) for h in hits])
    if key in index["ids"]:
        return index["ids"][key]  # type: ignore[no-any-return]
    # Nothing exact: suggest the nearest names (and ids), most similar first.
    labels: dict[str, str] = {}
    for _, data in G.nodes(data=True):
        labels.setdefault(normalize_name(data["name"]), data["name"])
        for alias in data.get("aliases", ()):
            labels.setdefault(normalize_name(alias), f"{alias} ({data['name']})")
    close = difflib.get_close_matches(key, list(labels), n=5, cutoff=0.6)
    if not close:
        close = [k for k in labels if key and key in k][:5]
    raise UnknownPlaceError(query, [labels[k] for k in close])


def graph_copy(G: nx.MultiGraph) -> nx.MultiGraph:
    """Copy a graph deeply enough that changing attributes of the copy never touches G."""
    H = nx.MultiGraph()
    H.graph.update({k: v for k, v in G.graph.items() if not k.startswith("_")})
    H.add_nodes_from((n, dict(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return H
