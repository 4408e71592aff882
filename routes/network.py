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
    ``note``, ``sources``; and, as OSMnx has them for plain networkx code, ``length``
    (metres, ``length_km × 1000``: ``nx.shortest_path_length(G, a, b, weight="length")``
    counts metres, not hops) and ``geometry`` (a shapely ``LineString`` of ``coords``);
    flights also ``airline``, ``service_status`` ("operating" or "suspended"),
    ``service_date``, ``block_time_h``, ``block_time_basis`` ("schedule": a timetable or
    stated flight time; "estimate": the fit of ``scripts/fit_air_block_times.py``) and
    ``block_time_method`` (how an estimate was made; None for a scheduled time); all None
    on other links.

Loading does not import geopandas, shapely or folium: ``routes route`` never reads an
edge's ``geometry``, and importing shapely (with numpy) would nearly double its start-up
time, so each edge's attribute dict is an `EdgeData` that builds its LineString from
``coords`` the first time anything reads it (``d["geometry"]``, ``d.get``, ``d.items()``,
``dict(d)``, ``G.edges(data="geometry")``...). Build it from ``coords`` at load; change
``coords`` afterwards and ``geometry`` does not follow.
"""

from __future__ import annotations

import difflib
import gc
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from routes import costs
from routes._paths import default_data_dir
from routes._versioned import VersionedMultiGraph, _Cell, _TrackedDict, graph_version
from routes.errors import AmbiguousPlaceError, InvalidDataError, UnknownPlaceError
from routes.io import RawData, read_bibliography, read_data
from routes.schema import check_structure

__all__ = [
    "Bibliography",
    "EdgeData",
    "detached_edge_data",
    "edge_items",
    "find_place",
    "graph_copy",
    "load_network",
    "new_graph",
    "normalize_name",
]


class _LazyLine:
    """A LineString not built yet: shapely is imported only when somebody reads it."""

    __slots__ = ("coords",)

    def __init__(self, coords: tuple[tuple[float, float], ...]) -> None:
        self.coords = coords

    def build(self) -> Any:
        from shapely import LineString  # noqa: PLC0415

        return LineString(self.coords)


class EdgeData(dict[str, Any]):
    """An edge's attributes, whose ``geometry`` LineString is built when first read.

    It behaves as a plain dict everywhere: every way of reading values (indexing,
    ``get``, ``items``, ``values``, ``dict(d)``, ``{**d}``, ``==``, ``repr``, pickling)
    sees a shapely ``LineString``; only routing, which never reads ``geometry``, runs
    without importing shapely.
    """

    __slots__ = ()

    def _build(self) -> None:
        value = dict.get(self, "geometry")
        if isinstance(value, _LazyLine):
            dict.__setitem__(self, "geometry", value.build())

    def __getitem__(self, key: str) -> Any:
        if key == "geometry":
            self._build()
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value of ``key`` (``geometry`` built if need be), else ``default``."""
        if key == "geometry":
            self._build()
        return dict.get(self, key, default)

    def __iter__(self) -> Iterator[str]:
        # Defined in Python so that dict(d), {**d} and dict.update(d) read values through
        # __getitem__ instead of copying the unbuilt placeholder.
        return dict.__iter__(self)

    def items(self) -> Any:
        """Return the items, ``geometry`` built."""
        self._build()
        return dict.items(self)

    def values(self) -> Any:
        """Return the values, ``geometry`` built."""
        self._build()
        return dict.values(self)

    def pop(self, key: str, *default: Any) -> Any:
        """Remove ``key`` and return its value (``geometry`` built if need be)."""
        if key == "geometry":
            self._build()
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last item, ``geometry`` built."""
        self._build()
        return dict.popitem(self)

    def setdefault(self, key: str, default: Any = None) -> Any:
        """Return ``d[key]``, first setting it to ``default`` if absent."""
        if key == "geometry":
            self._build()
        return dict.setdefault(self, key, default)

    def copy(self) -> EdgeData:
        """Return a shallow copy that still builds its geometry lazily."""
        new = EdgeData()
        dict.update(new, dict.items(self))
        return new

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Update from a mapping or pairs; another EdgeData is copied without building."""
        if isinstance(other, EdgeData):
            other = dict.items(other)
        dict.update(self, other, **kwargs)

    def __eq__(self, other: object) -> bool:
        self._build()
        if isinstance(other, EdgeData):
            other._build()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        self._build()
        return dict.__repr__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (EdgeData, (dict(self.items()),))


class _TrackedEdgeData(EdgeData):
    """`EdgeData` that also counts changes, for a `VersionedMultiGraph` (see `routes._versioned`).

    Building the geometry on first read is not a change.
    """

    __slots__ = ("_cell",)

    _cell: _Cell

    def __setitem__(self, key: str, value: Any) -> None:
        dict.__setitem__(self, key, value)
        self._cell.value += 1

    def __delitem__(self, key: str) -> None:
        dict.__delitem__(self, key)
        self._cell.value += 1

    def pop(self, key: str, *default: Any) -> Any:
        """Remove ``key`` and return its value (``geometry`` built if need be)."""
        value = super().pop(key, *default)
        self._cell.value += 1
        return value

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last item, ``geometry`` built."""
        item = super().popitem()
        self._cell.value += 1
        return item

    def setdefault(self, key: str, default: Any = None) -> Any:
        """Return ``d[key]``, first setting it to ``default`` if absent."""
        if key not in self:
            self._cell.value += 1
        return super().setdefault(key, default)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Update from a mapping or pairs; another EdgeData is copied without building."""
        super().update(other, **kwargs)
        self._cell.value += 1

    def clear(self) -> None:
        """Remove every attribute."""
        dict.clear(self)
        self._cell.value += 1

    def __ior__(self, other: Any) -> _TrackedEdgeData:  # type: ignore[misc,override]
        self.update(other)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_edge_data, (self._cell, dict(self.items())))


def _rebuild_edge_data(cell: _Cell, items: dict[str, Any]) -> _TrackedEdgeData:
    d = _TrackedEdgeData()
    d._cell = cell
    dict.update(d, items)
    return d


class _EdgeDataFactory:
    """Makes the tracked edge dicts of one graph (picklable, unlike a closure)."""

    __slots__ = ("cell",)

    def __init__(self, cell: _Cell) -> None:
        self.cell = cell

    def __call__(self) -> _TrackedEdgeData:
        d = _TrackedEdgeData()
        d._cell = self.cell
        return d

    def __getstate__(self) -> _Cell:
        return self.cell

    def __setstate__(self, state: _Cell) -> None:
        self.cell = state


def new_graph(**graph_attrs: Any) -> nx.MultiGraph:
    """Return an empty graph whose edges hold `EdgeData` and that counts its changes.

    Every graph `routes` builds (`load_network`, `apply_scenario`, `graph_from_gdfs`,
    `graph_copy`) comes from here, so their edges all build ``geometry`` lazily and the
    caches built from them (`routes._versioned.graph_version`) see every edit. It is a
    `VersionedMultiGraph`, a ``networkx.MultiGraph`` subclass that behaves as one.
    """
    G = VersionedMultiGraph(**graph_attrs)
    # networkx's documented hook for the edge attribute dict class.
    G.edge_attr_dict_factory = _EdgeDataFactory(G._routes_cell)  # type: ignore[assignment]
    return G


def edge_geometry_attrs(coords: tuple[tuple[float, float], ...], length_km: float) -> dict[str, Any]:
    """Return the OSMnx-style attributes of an edge: ``length`` (m) and lazy ``geometry``."""
    return {"length": length_km * 1000.0, "geometry": _LazyLine(coords)}


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
        # A flight's block time is from a schedule unless the data says it is estimated.
        "block_time_basis": props.get("block_time_basis", "schedule") if props["mode"] == "air" else None,
        "block_time_method": props.get("block_time_method"),
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
    # Parsing makes hundreds of thousands of small containers and no cycles; the cyclic
    # garbage collector, triggered again and again by them, made load time grow faster
    # than the data (100x the data took 305x the time). Pause it while building.
    paused = gc.isenabled()
    gc.disable()
    try:
        G = _load(data_dir)
        # Every query by name needs the place-name index: built here, it is no part of
        # the first route (a quarter of it when built on first use).
        _name_index(G)
        return G
    finally:
        if paused:
            gc.enable()
            # What the load made with the collector paused sits in the youngest
            # generation; left there, the first route paid for scanning it twice (young,
            # then middle generation). One collection now moves it to the oldest at once.
            gc.collect(1)


def _load(data_dir: Path) -> nx.MultiGraph:
    raw = read_data(data_dir, bibliography=False)
    problems = check_structure(raw)
    if problems:
        raise InvalidDataError(problems)
    rules = costs.Rules.from_dict(raw.rules, file=raw.rel(data_dir / "rules.toml"))
    G = new_graph(
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
    # The rules as parsed here, for scenarios and the search (routes.scenarios.base_rules),
    # kept with the dict they came from: used only while G holds that dict.
    G.graph["_rules"] = (raw.rules, rules)
    for _, feat in raw.places:
        props = feat["properties"]
        G.add_node(props["id"], **_node_attrs(props, feat["geometry"]["coordinates"]))
    problems = []
    for file, feat in raw.links:
        props = feat["properties"]
        attrs = _edge_attrs(props, feat["geometry"]["coordinates"])
        attrs.update(edge_geometry_attrs(attrs["coords"], attrs["length_km"]))
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
# Finding places by id, name or alias, in any script.

# Arabic-script letters that Arabic and Persian/Urdu keyboards write as different code
# points: fold them so that كراچى finds کراچی.
_ARABIC_VARIANTS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ہ": "ه"})
# Marks that are optional in writing, dropped on any letter: Arabic-script vowel marks
# (harakat, superscript alef) and the acute and grave that dictionaries put on Cyrillic
# as stress marks (Ура́-Тюбе).
_OPTIONAL_MARKS = frozenset(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, 0x0300, 0x0301])
# "Name, ISO3": a place name qualified by its country.
_COUNTRY_SUFFIX = re.compile(r"^(?P<name>.*\S)\s*,\s*(?P<iso3>[A-Za-z]{3})\s*$")
# A parenthesised qualifier in a name: "Ishkashim (Tajikistan)".
_QUALIFIER = re.compile(r"\s*\([^()]*\)")
# The bytes an ASCII name loses when folded: all but lowercase letters and digits.
_NON_ALNUM_ASCII = bytes(c for c in range(128) if not (chr(c).isdigit() or chr(c).islower()))

_EMPTY: Mapping[Any, Any] = {}

# How a key matches a place; lower is better when a country narrows the choice.
_TIER_NAME, _TIER_SHORT_NAME, _TIER_ALIAS = 0, 1, 2


# How each character takes part in folding, worked out once per character (see
# `_CharKinds`): the folding below runs a dict lookup per character instead of two or
# three unicodedata calls, which made the name index most of the cost of a first route.
_BASE, _LATIN_BASE, _MARK, _MARK_DROPPED = 0, 1, 2, 3


class _CharKinds(dict[str, int]):
    """Character -> its kind for dropping marks: a base letter (Latin or not) or a mark.

    A mark (``unicodedata.combining``) is dropped after a Latin base (``ü`` is ``u``),
    and always if it is optional in writing (`_OPTIONAL_MARKS`).
    """

    def __missing__(self, ch: str) -> int:
        if unicodedata.combining(ch):
            kind = _MARK_DROPPED if ch in _OPTIONAL_MARKS else _MARK
        elif ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
            kind = _LATIN_BASE
        else:
            kind = _BASE
        self[ch] = kind
        return kind


class _KeepTable(dict[int, str | None]):
    """A `str.translate` table, filled as characters are met: the last step of folding.

    It writes Arabic-script letter variants as one letter and drops every character
    that is not a letter, digit or mark (modifier letters, such as the ʻ of Qoʻqon,
    are dropped too).
    """

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        ch = _ARABIC_VARIANTS.get(code, ch)
        category = unicodedata.category(ch)
        keep = (ch.isalnum() and category != "Lm") or category.startswith("M")
        value = ch if keep else None
        self[code] = value
        return value


_CHAR_KINDS = _CharKinds()
_KEEP = _KeepTable()


def normalize_name(text: str) -> str:
    """Fold a place name for matching, in any script.

    Unicode case folding and compatibility normalisation (NFKC); accents written as
    combining marks on Latin letters are dropped (``ü`` is ``u``), marks on other
    scripts are kept (``й`` stays ``й``, ``ӣ`` stays ``ӣ``) except those that are
    optional in writing (Arabic-script vowel marks, Cyrillic stress marks); Arabic and
    Persian/Urdu forms of the same letter (``ي``/``ی``, ``ك``/``ک``, ``ه``/``ہ``) are
    one. Spaces, punctuation and apostrophes are dropped, so "Tavil-Dara" and
    "Tavildara" are the same key.

    >>> normalize_name("Qal'ai-Khumb")
    'qalaikhumb'
    >>> normalize_name("Türkmenabat")
    'turkmenabat'
    >>> normalize_name("Душанбе")
    'душанбе'
    >>> normalize_name("كراچى") == normalize_name("کراچی")
    True
    """
    if text.isascii():  # most names: nothing to decompose (bytes.translate is the fastest way)
        return text.lower().encode("ascii").translate(None, _NON_ALNUM_ASCII).decode("ascii")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kinds = _CHAR_KINDS
    kept: list[str] = []
    base_is_latin = False
    for ch in decomposed:
        kind = kinds[ch]
        if kind < _MARK:
            base_is_latin = kind == _LATIN_BASE
        elif kind == _MARK_DROPPED or base_is_latin:
            continue
        kept.append(ch)
    return unicodedata.normalize("NFKC", "".join(kept)).casefold().translate(_KEEP)


@dataclass(frozen=True)
class _NameIndex:
    keys: dict[str, dict[str, int]]  # normalised name or alias -> {place id: best tier}
    ids: dict[str, str]  # normalised id -> id
    labels: dict[str, dict[str, str]]  # country -> {key: label shown in suggestions}
    countries: frozenset[str]


def _name_index(G: nx.MultiGraph) -> _NameIndex:
    cache = G.graph.get("_name_index")
    version = graph_version(G)
    if cache is not None and cache[0] == version:
        return cache[1]  # type: ignore[no-any-return]
    keys: dict[str, dict[str, int]] = {}
    ids: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    folded: dict[str, str] = {}  # each text folded once: names recur as aliases and labels

    def fold(text: str) -> str:
        key = folded.get(text)
        if key is None:
            key = folded[text] = normalize_name(text)
        return key

    def add(key: str, pid: str, tier: int) -> None:
        if key:
            hits = keys.setdefault(key, {})
            hits[pid] = min(tier, hits.get(pid, tier))

    for pid, data in G.nodes(data=True):
        name = data.get("name", pid)
        country = data.get("country", "")
        ids[fold(pid)] = pid
        own = labels.setdefault(country, {})
        name_key = fold(name)
        add(name_key, pid, _TIER_NAME)
        own.setdefault(name_key, name)
        if "(" in name:
            short = _QUALIFIER.sub("", name)
            if short != name:
                add(fold(short), pid, _TIER_SHORT_NAME)
        for alias in data.get("aliases", ()):
            alias_key = fold(alias)
            add(alias_key, pid, _TIER_ALIAS)
            own.setdefault(alias_key, f"{alias} ({name})")
    index = _NameIndex(keys, ids, labels, frozenset(labels))
    G.graph["_name_index"] = (version, index)
    return index


def find_place(G: nx.MultiGraph, query: str) -> str:
    """Resolve a place by id, name or alias, in any script.

    Matching ignores case, accents on Latin letters, spacing and punctuation (see
    `normalize_name`); a name's parenthesised qualifier may be left out ("Ishkashim"
    for "Ishkashim (Tajikistan)"). A name or alias shared by several places is
    ambiguous; ``"Name, ISO3"`` (``"Ishkashim, AFG"``) picks the one in that country,
    where a place's own name wins over another's alias.

    Parameters
    ----------
    G : networkx.MultiGraph
        A graph from `load_network`.
    query : str
        An id (``"khunjerab-pass"``), a name (``"Khunjerab Pass"``), an alias
        (``"Khorugh"``, ``"Душанбе"``, ``"کراچی"``, ``"喀什"``), any of them followed by
        ``", ISO3"``.

    Returns
    -------
    str
        The place id.

    Raises
    ------
    UnknownPlaceError
        If nothing matches, or the country code is not one of the network's; the
        error suggests the nearest names.
    AmbiguousPlaceError
        If several places match; the error lists them with their countries and says
        what to type to choose one.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> routes.find_place(G, "khorugh")
    'khorog'
    >>> routes.find_place(G, "Ishkashim, AFG")
    'ishkashim-afg'
    """
    if not isinstance(query, str) or not query.strip():
        raise UnknownPlaceError(str(query), [])
    if query in G:
        return query
    index = _name_index(G)
    qualified = _COUNTRY_SUFFIX.match(query)
    if qualified and qualified["iso3"].upper() in index.countries:
        return _find_in_country(G, index, query, qualified["name"], qualified["iso3"].upper())
    key = normalize_name(query)
    hits = index.keys.get(key, {})
    if len(hits) == 1:
        return next(iter(hits))
    if hits:
        raise _ambiguous(G, index, query, query, sorted(hits))
    if key in index.ids:
        return index.ids[key]
    if qualified:
        raise UnknownPlaceError(
            query,
            [],
            message=(
                f"Unknown country {qualified['iso3']!r} in place {query!r}: the network's countries are "
                f"{', '.join(sorted(index.countries))}. Write the place as 'Name, ISO3' with one of them, "
                "or without a country."
            ),
        )
    raise UnknownPlaceError(query, _suggestions(index, key, None))


def _find_in_country(G: nx.MultiGraph, index: _NameIndex, query: str, name: str, country: str) -> str:
    if name in G and G.nodes[name]["country"] == country:
        return name
    key = normalize_name(name)
    everywhere = index.keys.get(key, {})
    hits = {pid: tier for pid, tier in everywhere.items() if G.nodes[pid]["country"] == country}
    if hits:
        best = min(hits.values())
        top = sorted(pid for pid, tier in hits.items() if tier == best)
        if len(top) == 1:
            return top[0]
        raise _ambiguous(G, index, query, name, top)
    pid = index.ids.get(key)
    if pid is not None and G.nodes[pid]["country"] == country:
        return pid
    if everywhere:  # the name exists, in other countries
        others = sorted({G.nodes[p]["country"] for p in everywhere})
        raise UnknownPlaceError(query, [f"{name}, {c}" for c in others])
    raise UnknownPlaceError(query, [f"{label}, {country}" for label in _suggestions(index, key, country)])


def _ambiguous(G: nx.MultiGraph, index: _NameIndex, query: str, name: str, pids: list[str]) -> AmbiguousPlaceError:
    """The error for `pids`, each with what to type to choose it.

    ``Name, ISO3`` where that picks the place alone, else its id.
    """
    choices = []
    key = normalize_name(name)
    for pid in pids:
        country = G.nodes[pid]["country"]
        tiers = {p: t for p, t in index.keys.get(key, {}).items() if G.nodes[p]["country"] == country}
        best = min(tiers.values())
        alone = [p for p, t in tiers.items() if t == best] == [pid]
        choices.append(f"{name}, {country}" if alone else pid)
    candidates = [(pid, G.nodes[pid]["name"], G.nodes[pid]["country"]) for pid in pids]
    return AmbiguousPlaceError(query, candidates, choices)


def _suggestions(index: _NameIndex, key: str, country: str | None) -> list[str]:
    """The names nearest to `key` (in `country`, if given), most similar first."""
    labels: dict[str, str] = {}
    for code in sorted(index.labels) if country is None else [country]:
        for k, label in index.labels.get(code, {}).items():
            labels.setdefault(k, label)
    close = difflib.get_close_matches(key, list(labels), n=5, cutoff=0.6)
    if not close:
        close = [k for k in labels if key and key in k][:5]
    return [labels[k] for k in close]


def edge_items(G: nx.MultiGraph) -> Iterator[tuple[Any, Any, Any, dict[str, Any]]]:
    """Yield ``(u, v, key, attrs)`` as ``G.edges(keys=True, data=True)`` does, in its order.

    Read straight from the adjacency, without the edge view's per-edge overhead: the
    passes over every edge when a scenario is applied or a graph is first searched.
    """
    done: set[Any] = set()
    for u, nbrs in G._adj.items():
        for v, keydict in nbrs.items():
            if v not in done:
                for k, d in keydict.items():
                    yield u, v, k, d
        done.add(u)


def detached_edge_data(d: Mapping[str, Any]) -> EdgeData:
    """Copy an edge's attributes into an `EdgeData` that belongs to no graph.

    An unbuilt ``geometry`` stays unbuilt, and changing the copy bumps no graph's version.
    """
    copy = EdgeData()
    dict.update(copy, dict.items(d) if isinstance(d, dict) else d.items())
    return copy


def graph_copy(G: nx.MultiGraph, *, without_links: Collection[str] = ()) -> nx.MultiGraph:
    """Copy a graph deeply enough that changing attributes of the copy never touches G.

    Edge geometries that nobody has read yet stay unbuilt in the copy. The copy is a
    `VersionedMultiGraph` (changes to it are seen by the caches), built straight into
    networkx's adjacency dicts as ``G.copy()`` would be but without its per-edge
    overhead: this copy is most of the cost of applying a scenario.

    Parameters
    ----------
    G : networkx.MultiGraph
        The graph to copy (not changed).
    without_links : collection of str, optional
        Link ids (edge keys) to leave out of the copy, as if removed from it afterwards
        (their end places stay).

    Returns
    -------
    networkx.MultiGraph
    """
    H = new_graph()
    H.graph.update({k: v for k, v in G.graph.items() if not k.startswith("_")})
    cell = H._routes_cell
    new_edge_dict = H.edge_attr_dict_factory
    nodes = H._node
    adj = H._adj

    def tracked(items: Mapping[Any, Any] = _EMPTY) -> _TrackedDict:
        # _TrackedDict(d) copies d in C (its __setitem__ is not called), the factory's way
        # without a Python call per dict; the two slots are what `_Factory` sets.
        d = _TrackedDict(items)
        d._cell = cell
        d._private = False
        return d

    for n, d in G._node.items():
        dict.__setitem__(nodes, n, tracked(d))
        dict.__setitem__(adj, n, tracked())
    # Each node's neighbours keep G's order (a networkx keydict is one object shared by
    # both directions, copied once), so a search over the copy meets links in the order
    # it meets them in G.
    copies: dict[int, _TrackedDict] = {}
    for u, nbrs in G._adj.items():
        hu = adj[u]
        for v, keydict in nbrs.items():
            hk = copies.get(id(keydict))
            if hk is None:
                hk = copies[id(keydict)] = tracked()
                for k, d in keydict.items():
                    if k in without_links:
                        continue
                    ed = new_edge_dict()
                    # dict.items: the raw values, so an unbuilt geometry stays unbuilt.
                    dict.update(ed, dict.items(d))
                    dict.__setitem__(hk, k, ed)
            if hk:  # every link between u and v left out: no adjacency, as remove_edge leaves it
                dict.__setitem__(hu, v, hk)
    cell.value += 1
    return H
