"""The one place that checks network data against the schema in ``geodata/README.md``.

Two levels:

- :func:`check_structure` — what the graph cannot be built without (fields, types, enums,
  unique ids, known endpoints). `routes.network.load_network` runs it on every load.
- :func:`validate_data` — that, plus the data-quality checks `routes validate` runs:
  endpoints far from their places, coordinates out of the region or swapped, lengths
  against geometry and against the straight line between their places, unknown sources,
  seed quotes, islands, operational cities and crossings no link reaches, border figures
  from outside the CPMM years of the border rule, rules coverage.

Both collect every problem and return them together, each naming file, feature, field.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from routes.errors import Problem
from routes.io import RawData

__all__ = [
    "BORDERLESS_MODES",
    "COUNTRIES",
    "DEFAULT_MODES",
    "KINDS",
    "MODES",
    "REGION_COUNTRIES",
    "STATUSES",
    "check_structure",
    "geodesic_length_km",
    "haversine_km",
    "normalize_space",
    "validate_data",
]

#: The countries of the region, whose land network the data covers.
REGION_COUNTRIES = frozenset({"PAK", "AFG", "TJK", "UZB", "KGZ", "TKM", "KAZ", "CHN", "IRN"})
#: Countries outside the region that ports, airports and sea passages lie in.
WORLD_COUNTRIES = frozenset(
    {"ARE", "OMN", "SAU", "IND", "LKA", "SGP", "KOR", "NLD", "DEU", "GRC", "TUR", "QAT", "EGY", "YEM", "DJI", "MYS",
     "IDN", "ZAF", "ESP", "GBR", "MAR"}
)  # fmt: skip
COUNTRIES = REGION_COUNTRIES | WORLD_COUNTRIES
KINDS = frozenset(
    {"city", "seaport", "dry_port", "crossing", "pass", "tunnel", "junction", "rail_terminal", "airport", "passage"}
)
MODES = frozenset({"road", "rail", "sea", "air"})
#: Modes a route uses when the caller names none: freight stays on the surface.
DEFAULT_MODES = frozenset({"road", "rail", "sea"})
#: Modes whose links cross no land border: goods are cleared at the port or airport.
BORDERLESS_MODES = frozenset({"sea", "air"})
STATUSES = ("operational", "under_construction", "planned", "proposed")
ROAD_CLASSES = frozenset({"motorway", "expressway", "highway", "mountain_highway", "track"})
SURFACES = frozenset({"paved", "gravel", "unpaved"})
GAUGES = frozenset({1676, 1520, 1435, 1000})
LENGTH_BASES = frozenset({"published", "estimate"})
#: How a link's vertices were placed: at the towns and bends the route passes (default), or, where
#: no source gives the alignment, straight between sourced points (never an invented bend).
GEOMETRY_BASES = frozenset({"waypoints", "straight"})
SOURCE_KINDS = frozenset({"seed", "reference", "report", "news", "official", "dataset", "travel", "estimate"})
DWELL_EVENTS = frozenset({"exit", "entry", "handling", "transfer", "transshipment"})
COST_BASES = frozenset({"truck", "tonne", "teu", "wagon"})
ENERGY_KINDS = frozenset({"power_line", "gas_pipeline", "oil_pipeline"})

#: Lon/lat box of the region the network covers (Iran's ports to Almaty and Kashgar).
REGION_BOX = (50.0, 23.0, 82.0, 46.0)
#: Kinds of place that can lie outside REGION_BOX (reached by sea or air).
_WORLD_KINDS = frozenset({"seaport", "airport", "passage"})
#: A link endpoint further than this from its place is an error.
ENDPOINT_TOLERANCE_KM = 1.0
#: length_km / geodesic length of the geometry outside this range needs a length_note.
RATIO_RANGE = (1.0, 1.6)

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_EARTH_RADIUS_KM = 6371.0088

PLACE_FIELDS = {
    "id",
    "name",
    "aliases",
    "country",
    "kind",
    "border",
    "elevation_m",
    "open_months",
    "season_note",
    "status",
    "status_year",
    "region",
    "systems",
    "transfer",
    "transshipment",
    "dwell",
    "note",
    "sources",
}
LINK_FIELDS = {
    "id",
    "name",
    "corridor",
    "mode",
    "status",
    "status_year",
    "from",
    "to",
    "length_km",
    "length_basis",
    "length_method",
    "length_note",
    "road_class",
    "lanes",
    "surface",
    "gauge_mm",
    "speed_kmh",
    "open_months",
    "season_note",
    "max_elevation_m",
    "countries",
    "region",
    "systems",
    "geometry_method",
    "geometry_basis",
    "note",
    "sources",
    "airline",
    "service_status",
    "service_date",
    "block_time_h",
    "block_time_basis",
    "block_time_method",
}
#: What a scheduled air service is doing at its ``service_date``.
SERVICE_STATUSES = ("operating", "suspended")
#: Where a flight's block time comes from: a schedule or stated flight time (the default),
#: or the least-squares estimate of ``scripts/fit_air_block_times.py``.
BLOCK_TIME_BASES = ("schedule", "estimate")
AIR_ONLY_FIELDS = ("airline", "service_status", "service_date", "block_time_h", "block_time_basis", "block_time_method")
ONLY_ESTIMATES_HAVE_A_METHOD = 'only an estimated block time (block_time_basis "estimate") has a method'
ENERGY_FIELDS = {
    "id",
    "name",
    "kind",
    "status",
    "status_year",
    "length_km",
    "capacity",
    "countries",
    "waypoints",
    "geometry_method",
    "note",
    "sources",
}
DWELL_FIELDS = {
    "event",
    "country",
    "mode",
    "hours",
    "cost_usd",
    "cost_basis",
    "year",
    "sources",
    "note",
}
SOURCE_FIELDS = {"title", "author", "publisher", "date", "url", "kind", "seed", "note"}
CITATION_FIELDS = {"id", "quote", "fields", "note", "page", "table"}


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two lon/lat points (mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def geodesic_length_km(coords: Iterable[tuple[float, float]]) -> float:
    """Length in km of a lon/lat polyline along the great circles between vertices."""
    pts = list(coords)
    return sum(haversine_km(*pts[i], *pts[i + 1]) for i in range(len(pts) - 1))


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace to one space (for matching seed quotes)."""
    return " ".join(text.split())


class _Checker:
    def __init__(self, raw: RawData) -> None:
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)

    def add(self, file: str, feature: str, fld: str, message: str) -> None:
        self.problems.append(Problem(file, feature, fld, message))

    # -- small typed getters -------------------------------------------------------
    def number(
        self,
        file: str,
        fid: str,
        props: dict[str, Any],
        key: str,
        *,
        required: bool,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | None:
        value = props.get(key)
        if value is None:
            if required:
                self.add(file, fid, key, "missing (a number is required)")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(file, fid, key, f"expected a number, got {value!r}")
            return None
        if not math.isfinite(value):
            self.add(file, fid, key, f"expected a finite number, got {value!r}")
            return None
        if minimum is not None and value < minimum:
            self.add(file, fid, key, f"{value} is below the minimum {minimum}")
        if maximum is not None and value > maximum:
            self.add(file, fid, key, f"{value} is above the maximum {maximum}")
        return float(value)

    def string(self, file: str, fid: str, props: dict[str, Any], key: str, *, required: bool) -> str | None:
        value = props.get(key)
        if value is None:
            if required:
                self.add(file, fid, key, "missing (a string is required)")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(file, fid, key, f"expected a non-empty string, got {value!r}")
            return None
        return value

    def enum(
        self,
        file: str,
        fid: str,
        props: dict[str, Any],
        key: str,
        allowed: Iterable[Any],
        *,
        required: bool,
    ) -> Any:
        value = props.get(key)
        allowed = list(allowed)
        if value is None:
            if required:
                self.add(file, fid, key, f"missing (one of {', '.join(map(str, allowed))})")
            return None
        if value not in allowed:
            self.add(
                file,
                fid,
                key,
                f"unknown value {value!r}; expected one of {', '.join(map(str, allowed))}",
            )
            return None
        return value

    def months(self, file: str, fid: str, props: dict[str, Any]) -> None:
        value = props.get("open_months")
        if value is None:
            return
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(m, int) and not isinstance(m, bool) for m in value)
            or not all(1 <= m <= 12 for m in value)
        ):
            self.add(file, fid, "open_months", f"expected a non-empty list of months 1-12, got {value!r}")
        elif "season_note" not in props:
            self.add(
                file, fid, "season_note", "open_months needs a season_note saying the window as the sources state it"
            )

    def str_list(self, file: str, fid: str, props: dict[str, Any], key: str) -> list[str]:
        value = props.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.add(file, fid, key, f"expected a list of strings, got {value!r}")
            return []
        return value

    def citations(self, file: str, fid: str, value: Any, *, required: bool = True) -> None:
        if value is None or value == []:
            if required:
                self.add(file, fid, "sources", "missing: every feature cites at least one source")
            return
        if not isinstance(value, list):
            self.add(file, fid, "sources", f"expected a list, got {value!r}")
            return
        for i, cite in enumerate(value):
            where = f"sources[{i}]"
            if isinstance(cite, str):
                if not cite:
                    self.add(file, fid, where, "empty source id")
                continue
            if not isinstance(cite, dict) or not isinstance(cite.get("id"), str):
                self.add(file, fid, where, f"expected a source id or an object with an id, got {cite!r}")
                continue
            extra = set(cite) - CITATION_FIELDS
            if extra:
                self.add(file, fid, where, f"unknown field(s) {', '.join(sorted(extra))}")
            if "quote" in cite and not isinstance(cite["quote"], str):
                self.add(file, fid, where + ".quote", "expected a string")

    def geometry(self, file: str, fid: str, feat: dict[str, Any], gtype: str) -> list[tuple[float, float]]:
        geom = feat.get("geometry")
        if not isinstance(geom, dict) or geom.get("type") != gtype:
            self.add(file, fid, "geometry", f"expected a {gtype} geometry")
            return []
        coords = geom.get("coordinates")
        pts = [coords] if gtype == "Point" else coords
        if not isinstance(pts, list) or not pts:
            self.add(file, fid, "geometry", "no coordinates")
            return []
        out: list[tuple[float, float]] = []
        for pt in pts:
            if (
                not isinstance(pt, list | tuple)
                or len(pt) not in (2, 3)
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pt)
            ):
                self.add(file, fid, "geometry", f"bad coordinate {pt!r}: expected [longitude, latitude]")
                return []
            lon, lat = float(pt[0]), float(pt[1])
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                self.add(
                    file, fid, "geometry", f"coordinate {pt!r} is out of range (longitude -180..180, latitude -90..90)"
                )
                return []
            out.append((lon, lat))
        if gtype == "LineString" and len(out) < 2:
            self.add(file, fid, "geometry", "a LineString needs at least two points")
            return []
        return out


def _check_id(ck: _Checker, file: str, props: dict[str, Any], seen: dict[str, str], label: str) -> str | None:
    fid = props.get("id")
    if not isinstance(fid, str) or not _SLUG.match(fid):
        ck.add(file, str(fid), "id", f"{label} id {fid!r} is not a lowercase slug like 'khunjerab-pass'")
        return None
    if fid in seen:
        ck.add(file, fid, "id", f"duplicate id (also in {seen[fid]})")
        return None
    seen[fid] = file
    return fid


def _check_dwell(ck: _Checker, file: str, fid: str, props: dict[str, Any]) -> None:
    dwell = props.get("dwell")
    if dwell is None:
        return
    if not isinstance(dwell, list):
        ck.add(file, fid, "dwell", "expected a list of dwell records")
        return
    border: list[Any] = props["border"] if isinstance(props.get("border"), list) else []
    for i, rec in enumerate(dwell):
        where = f"dwell[{i}]"
        if not isinstance(rec, dict):
            ck.add(file, fid, where, "expected an object")
            continue
        extra = set(rec) - DWELL_FIELDS
        if extra:
            ck.add(file, fid, where, f"unknown field(s) {', '.join(sorted(extra))}")
        event = ck.enum(file, fid, rec, "event", sorted(DWELL_EVENTS), required=True)
        if event in ("exit", "entry"):
            country = rec.get("country")
            if country not in border:
                ck.add(
                    file,
                    fid,
                    where + ".country",
                    f"{country!r} is not one of this crossing's border countries {border}",
                )
        ck.enum(file, fid, rec, "mode", [*sorted(MODES), "any"], required=False)
        ck.number(file, fid, rec, "hours", required=True, minimum=0, maximum=2000)
        if rec.get("cost_usd") is not None:
            ck.number(file, fid, rec, "cost_usd", required=True, minimum=0)
            ck.enum(file, fid, rec, "cost_basis", sorted(COST_BASES), required=True)
        ck.number(file, fid, rec, "year", required=False, minimum=1950, maximum=2100)
        ck.citations(file, fid + "." + where, rec.get("sources"))


def check_structure(raw: RawData) -> list[Problem]:
    """Check what the graph cannot be built without.

    Parameters
    ----------
    raw : RawData
        A parsed data folder (`routes.io.read_data`).

    Returns
    -------
    list of Problem
        Every problem, in file order; empty when the data can be loaded.
    """
    ck = _Checker(raw)
    seen_places: dict[str, str] = {}
    for file, feat in raw.places:
        props = feat.get("properties")
        if not isinstance(props, dict):
            ck.add(file, "", "properties", "missing feature properties")
            continue
        fid = _check_id(ck, file, props, seen_places, "place")
        if fid is None:
            continue
        for key in sorted(set(props) - PLACE_FIELDS):
            ck.add(file, fid, key, "unknown field (see geodata/README.md for the place fields)")
        ck.geometry(file, fid, feat, "Point")
        ck.string(file, fid, props, "name", required=True)
        ck.str_list(file, fid, props, "aliases")
        ck.enum(file, fid, props, "country", sorted(COUNTRIES), required=True)
        ck.enum(file, fid, props, "kind", sorted(KINDS), required=True)
        ck.enum(file, fid, props, "status", STATUSES, required=False)
        ck.number(file, fid, props, "elevation_m", required=False, minimum=-100, maximum=8000)
        border = props.get("border")
        if border is not None and (
            not isinstance(border, list) or len(border) != 2 or not set(border) <= COUNTRIES or border[0] == border[1]
        ):
            ck.add(file, fid, "border", f"expected two different ISO3 codes, got {border!r}")
        elif border is not None and props.get("country") not in border:
            ck.add(file, fid, "country", f"a border crossing's country must be one of its border {border}")
        ck.months(file, fid, props)
        transfer = ck.str_list(file, fid, props, "transfer")
        for mode in transfer:
            if mode not in MODES:
                ck.add(file, fid, "transfer", f"unknown mode {mode!r}")
        if "transshipment" in props and not isinstance(props["transshipment"], bool):
            ck.add(file, fid, "transshipment", "expected true or false")
        ck.str_list(file, fid, props, "systems")
        _check_dwell(ck, file, fid, props)
        ck.citations(file, fid, props.get("sources"))

    seen_links: dict[str, str] = {}
    for file, feat in raw.links:
        props = feat.get("properties")
        if not isinstance(props, dict):
            ck.add(file, "", "properties", "missing feature properties")
            continue
        fid = _check_id(ck, file, props, seen_links, "link")
        if fid is None:
            continue
        if fid in seen_places:
            ck.add(file, fid, "id", f"a link id must differ from every place id (place in {seen_places[fid]})")
        for key in sorted(set(props) - LINK_FIELDS):
            ck.add(file, fid, key, "unknown field (see geodata/README.md for the link fields)")
        ck.geometry(file, fid, feat, "LineString")
        ck.string(file, fid, props, "name", required=True)
        corridor = ck.string(file, fid, props, "corridor", required=True)
        if corridor is not None and not _SLUG.match(corridor):
            ck.add(file, fid, "corridor", f"{corridor!r} is not a slug")
        mode = ck.enum(file, fid, props, "mode", sorted(MODES), required=True)
        ck.enum(file, fid, props, "status", STATUSES, required=True)
        ck.number(file, fid, props, "status_year", required=False, minimum=1850, maximum=2100)
        for end in ("from", "to"):
            ref = props.get(end)
            if not isinstance(ref, str):
                ck.add(file, fid, end, "missing endpoint place id")
            elif ref not in seen_places:
                ck.add(file, fid, end, f"unknown place {ref!r}")
        if props.get("from") == props.get("to"):
            ck.add(file, fid, "to", "a link must join two different places")
        # A sea lane round the Cape runs to 12,000 km; a land link over 5,000 km is a typo.
        longest_km = 20000 if props.get("mode") in BORDERLESS_MODES else 5000
        ck.number(file, fid, props, "length_km", required=True, minimum=0.05, maximum=longest_km)
        basis = ck.enum(file, fid, props, "length_basis", sorted(LENGTH_BASES), required=True)
        if basis == "estimate":
            ck.string(file, fid, props, "length_method", required=True)
        ck.number(file, fid, props, "max_elevation_m", required=True, minimum=-100, maximum=8000)
        ck.number(file, fid, props, "speed_kmh", required=False, minimum=1, maximum=1000)
        if mode == "road":
            ck.enum(file, fid, props, "road_class", sorted(ROAD_CLASSES), required=True)
            ck.enum(file, fid, props, "surface", sorted(SURFACES), required=False)
        if mode == "rail":
            ck.enum(file, fid, props, "gauge_mm", sorted(GAUGES), required=True)
        if mode == "air":
            ck.string(file, fid, props, "airline", required=True)
            ck.enum(file, fid, props, "service_status", SERVICE_STATUSES, required=True)
            ck.string(file, fid, props, "service_date", required=True)
            ck.number(file, fid, props, "block_time_h", required=True, minimum=0.2, maximum=20)
            if ck.enum(file, fid, props, "block_time_basis", BLOCK_TIME_BASES, required=False) == "estimate":
                ck.string(file, fid, props, "block_time_method", required=True)
            elif "block_time_method" in props:
                ck.add(file, fid, "block_time_method", ONLY_ESTIMATES_HAVE_A_METHOD)
        elif any(key in props for key in AIR_ONLY_FIELDS):
            ck.add(file, fid, "airline", "airline, service_status, service_date and block_time_h are for air links")
        ck.months(file, fid, props)
        countries = props.get("countries")
        if not isinstance(countries, list) or not set(countries) <= COUNTRIES:
            ck.add(file, fid, "countries", f"expected a list of ISO3 codes, got {countries!r}")
        elif mode in ("road", "rail") and len(countries) != 1:
            ck.add(file, fid, "countries", "road and rail links are split at borders: exactly one country")
        ck.string(file, fid, props, "geometry_method", required=True)
        ck.enum(file, fid, props, "geometry_basis", sorted(GEOMETRY_BASES), required=False)
        ck.str_list(file, fid, props, "systems")
        ck.citations(file, fid, props.get("sources"))

    seen_energy: dict[str, str] = {}
    for file, feat in raw.energy:
        props = feat.get("properties")
        if not isinstance(props, dict):
            ck.add(file, "", "properties", "missing feature properties")
            continue
        fid = _check_id(ck, file, props, seen_energy, "energy corridor")
        if fid is None:
            continue
        for key in sorted(set(props) - ENERGY_FIELDS):
            ck.add(file, fid, key, "unknown field (see geodata/README.md, energy.geojson)")
        ck.geometry(file, fid, feat, "LineString")
        ck.string(file, fid, props, "name", required=True)
        ck.enum(file, fid, props, "kind", sorted(ENERGY_KINDS), required=True)
        ck.enum(file, fid, props, "status", STATUSES, required=True)
        ck.citations(file, fid, props.get("sources"))

    seen_sources: dict[str, str] = {}
    for file, sid, entry in raw.sources:
        if not _SLUG.match(sid):
            ck.add(file, sid, "", "source id is not a lowercase slug")
        if sid in seen_sources:
            ck.add(file, sid, "", f"duplicate source id (also in {seen_sources[sid]})")
        seen_sources[sid] = file
        if not entry:
            ck.add(file, sid, "", "expected a table with title, publisher/author, date, kind")
            continue
        for key in sorted(set(entry) - SOURCE_FIELDS):
            ck.add(file, sid, key, "unknown field (see geodata/README.md, sources)")
        ck.string(file, sid, entry, "title", required=True)
        kind = ck.enum(file, sid, entry, "kind", sorted(SOURCE_KINDS), required=True)
        if "publisher" not in entry and "author" not in entry:
            ck.add(file, sid, "publisher", "a source names its publisher or author")
        if kind == "seed" and not isinstance(entry.get("seed"), str):
            ck.add(file, sid, "seed", "a seed source names its file in seeds/")
    return ck.problems


# ---------------------------------------------------------------------------------------
# Data quality: what `routes validate` adds on top of the structure.


def _props_by_id(items: list[tuple[str, dict[str, Any]]]) -> dict[str, tuple[str, dict[str, Any], Any]]:
    out: dict[str, tuple[str, dict[str, Any], Any]] = {}
    for file, feat in items:
        props = feat.get("properties")
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            out.setdefault(props["id"], (file, props, feat.get("geometry")))
    return out


def _point(geom: Any) -> tuple[float, float] | None:
    coords = geom.get("coordinates") if isinstance(geom, dict) else None
    if (
        isinstance(coords, list)
        and len(coords) >= 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in coords[:2])
    ):
        return float(coords[0]), float(coords[1])
    return None


def _endpoint_distance_km(places: dict[str, tuple[str, dict[str, Any], Any]], props: dict[str, Any]) -> float | None:
    """Great-circle distance between a link's two places, or None if either is unknown."""
    ends = [places.get(str(props.get(end))) for end in ("from", "to")]
    a, b = (_point(e[2]) if e is not None else None for e in ends)
    if a is None or b is None:
        return None
    return haversine_km(*a, *b)


def _in_box(lon: float, lat: float) -> bool:
    x0, y0, x1, y1 = REGION_BOX
    return x0 <= lon <= x1 and y0 <= lat <= y1


def _iter_citations(props: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    for i, cite in enumerate(props.get("sources") or []):
        yield f"sources[{i}]", cite
    for j, rec in enumerate(props.get("dwell") or []):
        if isinstance(rec, dict):
            for i, cite in enumerate(rec.get("sources") or []):
                yield f"dwell[{j}].sources[{i}]", cite


def _rule_citations(rules: dict[str, Any], path: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in rules.items():
        here = f"{path}.{key}" if path else key
        if isinstance(value, dict):
            yield from _rule_citations(value, here)
        elif key == "sources" and isinstance(value, list):
            for i, cite in enumerate(value):
                yield f"{here}[{i}]", cite


def _check_citation(
    ck: _Checker,
    file: str,
    fid: str,
    where: str,
    cite: Any,
    sources: dict[str, dict[str, Any]],
    seed_texts: dict[str, str | None],
) -> None:
    sid = cite if isinstance(cite, str) else cite.get("id") if isinstance(cite, dict) else None
    if not isinstance(sid, str):
        return
    entry = sources.get(sid)
    if entry is None:
        ck.add(file, fid, where, f"unknown source id {sid!r} (define it in geodata/sources/)")
        return
    if entry.get("kind") != "seed":
        return
    quote = cite.get("quote") if isinstance(cite, dict) else None
    if not isinstance(quote, str) or not quote.strip():
        ck.add(file, fid, where, f"a seed citation ({sid}) needs a verbatim quote")
        return
    text = seed_texts.get(sid)
    if text is None:
        return  # reported once, on the source
    if quote not in text and normalize_space(quote) not in normalize_space(text):
        ck.add(file, fid, where + ".quote", f"quote not found in seeds/{entry.get('seed')}: {quote[:80]!r}")


def _islands(
    places: dict[str, tuple[str, dict[str, Any], Any]],
    links: dict[str, tuple[str, dict[str, Any], Any]],
) -> list[list[str]]:
    adj: dict[str, set[str]] = defaultdict(set)
    for _, props, _ in links.values():
        a, b = props.get("from"), props.get("to")
        if a in places and b in places:
            adj[a].add(b)
            adj[b].add(a)
    seen: set[str] = set()
    components: list[list[str]] = []
    for start in places:
        if start in seen:
            continue
        comp, stack = [], [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            comp.append(node)
            for nxt in adj[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        components.append(sorted(comp))
    components.sort(key=len, reverse=True)
    return components[1:]


def _check_border_rule(ck: _Checker, raw: RawData, places: dict[str, tuple[str, dict[str, Any], Any]]) -> None:
    """Border dwell records and country defaults come from the rule's window of CPMM years."""
    rule: dict[str, Any] = raw.rules["border_rule"]
    rules_file = raw.rel(raw.data_dir / "rules.toml")
    first = rule.get("first_year")
    last_measured = rule.get("last_measured_year") or {}
    if isinstance(first, bool) or not isinstance(first, int) or not isinstance(last_measured, dict):
        ck.add(
            rules_file, "border_rule", "first_year", "expected first_year = YEAR and last_measured_year = {ISO3 = YEAR}"
        )
        return

    def start(country: Any) -> int:
        year = last_measured.get(country) if isinstance(country, str) else None
        return year if isinstance(year, int) else first

    def why(country: Any) -> str:
        if isinstance(country, str) and country in last_measured:
            return f"{country}'s window is its last CPMM year, {start(country)}"
        return f"the window starts in {first}"

    for pid, (file, props, _) in places.items():
        for i, rec in enumerate(props.get("dwell") or []):
            if not isinstance(rec, dict) or rec.get("event") not in ("exit", "entry"):
                continue
            year, country = rec.get("year"), rec.get("country")
            if not isinstance(year, int):
                ck.add(file, pid, f"dwell[{i}].year", "a border figure states its year (rules.toml [border_rule])")
            elif year < start(country):
                ck.add(
                    file,
                    pid,
                    f"dwell[{i}].year",
                    f"{country} {rec['event']} figure from {year} is outside the border rule's window "
                    f"({why(country)}; rules.toml [border_rule]): use this crossing's latest figure from the "
                    "window, or move it to the note so the country default applies",
                )
    for section in ("border_default", "border_default_rail"):
        for country, entry in (raw.rules.get(section) or {}).items():
            year = entry.get("year") if isinstance(entry, dict) else None
            if not isinstance(year, int) or year < start(country):
                ck.add(
                    rules_file,
                    f"{section}.{country}",
                    "year",
                    f"year {year!r} is outside the border rule's window ({why(country)}; rules.toml [border_rule])",
                )


def validate_data(raw: RawData, seeds_dir: Path | None = None) -> list[Problem]:
    """Check a parsed data folder completely.

    Parameters
    ----------
    raw : RawData
        A parsed data folder.
    seeds_dir : path, optional
        Where the seed documents are, to check quotes; default: next to the data.

    Returns
    -------
    list of Problem
        Every problem found; empty when the data is valid.
    """
    from routes._paths import seeds_dir_for  # noqa: PLC0415  (avoid a cycle at import)

    problems = check_structure(raw)
    ck = _Checker(RawData(data_dir=raw.data_dir))
    places = _props_by_id(raw.places)
    links = _props_by_id(raw.links)
    sources = {sid: entry for _, sid, entry in raw.sources}

    # Seed texts, once.
    seeds_dir = seeds_dir or seeds_dir_for(raw.data_dir)
    seed_texts: dict[str, str | None] = {}
    for file, sid, entry in raw.sources:
        if entry.get("kind") == "seed" and isinstance(entry.get("seed"), str):
            path = seeds_dir / entry["seed"]
            if path.is_file():
                seed_texts[sid] = path.read_text(encoding="utf-8")
            else:
                seed_texts[sid] = None
                ck.add(file, sid, "seed", f"seed file {entry['seed']!r} not found in {seeds_dir}")

    # Places: region box, swapped coordinates; passes and tunnels say how high and when.
    for pid, (file, props, geom) in places.items():
        if props.get("kind") in ("pass", "tunnel"):
            if props.get("elevation_m") is None:
                ck.add(file, pid, "elevation_m", f"a {props['kind']} needs its elevation")
            if not props.get("season_note"):
                ck.add(
                    file,
                    pid,
                    "season_note",
                    "a pass or tunnel states its season (open_months, or 'open all year' and why)",
                )
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if not isinstance(coords, list) or len(coords) < 2:
            continue
        lon, lat = coords[0], coords[1]
        if not all(isinstance(v, int | float) for v in (lon, lat)):
            continue
        # Ports and airports reached by sea or air lie anywhere; the land network stays in the region.
        land = props.get("country") in REGION_COUNTRIES and props.get("kind") not in _WORLD_KINDS
        if land and not _in_box(lon, lat):
            hint = " (longitude and latitude look swapped)" if _in_box(lat, lon) else ""
            ck.add(file, pid, "geometry", f"({lon}, {lat}) is outside the region covered{hint}")

    # Links: endpoints near their places, geometry in the region, length vs geometry.
    for lid, (file, props, geom) in links.items():
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if not isinstance(coords, list) or len(coords) < 2:
            continue
        try:
            pts = [(float(c[0]), float(c[1])) for c in coords]
        except (TypeError, ValueError, IndexError):
            continue
        # Sea lanes and flights reach the world ports and hubs; land links stay in the region.
        outside = [] if props.get("mode") in BORDERLESS_MODES else [p for p in pts if not _in_box(*p)]
        if outside:
            swapped = all(_in_box(p[1], p[0]) for p in outside)
            hint = " (longitude and latitude look swapped)" if swapped else ""
            ck.add(
                file, lid, "geometry", f"{len(outside)} point(s) outside the region covered, e.g. {outside[0]}{hint}"
            )
        for end, pt in (("from", pts[0]), ("to", pts[-1])):
            ref = props.get(end)
            if ref in places:
                pgeom = places[ref][2]
                pc = pgeom.get("coordinates") if isinstance(pgeom, dict) else None
                if isinstance(pc, list) and len(pc) >= 2:
                    gap = haversine_km(pt[0], pt[1], float(pc[0]), float(pc[1]))
                    if gap > ENDPOINT_TOLERANCE_KM:
                        ck.add(
                            file,
                            lid,
                            "geometry",
                            f"the geometry's {'start' if end == 'from' else 'end'} is {gap:.1f} km "
                            f"from its place {ref!r}",
                        )
        length = props.get("length_km")
        geo = geodesic_length_km(pts)
        straight = _endpoint_distance_km(places, props)
        if isinstance(length, int | float) and straight is not None and length < straight:
            ck.add(
                file,
                lid,
                "length_km",
                f"{length} km is shorter than the straight line between its places "
                f"{props.get('from')!r} and {props.get('to')!r} ({straight:.1f} km): length_km is the road "
                "or line between the two places the link joins, so correct the length or move the link's "
                "ends to the places where the road really starts and ends",
            )
        if isinstance(length, int | float) and geo > 0:
            ratio = length / geo
            lo, hi = RATIO_RANGE
            if not lo <= ratio <= hi and not props.get("length_note"):
                ck.add(
                    file,
                    lid,
                    "length_km",
                    f"{length} km is {ratio:.2f} x the geometry's geodesic length ({geo:.1f} km); "
                    f"expected {lo}-{hi} or a length_note saying why",
                )
        unsourced_alignment = props.get("geometry_basis") == "straight"
        if len(pts) == 2 and geo > 30 and props.get("mode") not in BORDERLESS_MODES and not unsourced_alignment:
            ck.add(
                file,
                lid,
                "geometry",
                f"a straight line over {geo:.0f} km: add waypoints at the towns and bends the route passes, "
                'or, where no source gives the alignment, set geometry_basis to "straight" and say so in '
                "geometry_method (never an invented bend)",
            )
        for key in ("from", "to"):
            ref = props.get(key)
            if ref in places:
                pprops = places[ref][1]
                country = pprops.get("country")
                border = pprops.get("border") or []
                lc = props.get("countries") or []
                if (
                    props.get("mode") not in BORDERLESS_MODES
                    and len(lc) == 1
                    and lc[0] != country
                    and lc[0] not in border
                ):
                    ck.add(
                        file,
                        lid,
                        "countries",
                        f"runs in {lc[0]} but its {key} place {ref!r} is in {country} and no border crossing",
                    )

    # Citations: known sources, seed quotes.
    for items in (raw.places, raw.links, raw.energy):
        for file, feat in items:
            fprops = feat.get("properties")
            if not isinstance(fprops, dict):
                continue
            fid = str(fprops.get("id"))
            for where, cite in _iter_citations(fprops):
                _check_citation(ck, file, fid, where, cite, sources, seed_texts)
    rules_file = raw.rel(raw.data_dir / "rules.toml")
    for where, cite in _rule_citations(raw.rules):
        _check_citation(ck, rules_file, "rules", where, cite, sources, seed_texts)
    mentions_file = raw.rel(raw.data_dir / "seed_mentions.toml")
    for i, mention in enumerate(raw.seed_mentions):
        cite = {"id": mention.get("seed"), "quote": mention.get("quote")}
        _check_citation(ck, mentions_file, f"mention[{i}] {mention.get('term')!r}", "quote", cite, sources, seed_texts)

    # Islands: parts of the network no route from the rest can reach.
    if places:
        for comp in _islands(places, links):
            file = places[comp[0]][0]
            names = ", ".join(comp[:8]) + (" ..." if len(comp) > 8 else "")
            ck.add(file, comp[0], "", f"island: {len(comp)} place(s) no link joins to the rest of the network: {names}")

    # Operational cities and border crossings that no link reaches (routes could never use them).
    linked = {props.get(end) for _, props, _ in links.values() for end in ("from", "to")}
    for pid, (file, props, _) in places.items():
        is_crossing = props.get("kind") == "crossing" or bool(props.get("border"))
        if (
            (is_crossing or props.get("kind") == "city")
            and props.get("status", "operational") == "operational"
            and pid not in linked
        ):
            what = "border crossing" if is_crossing else "city"
            ck.add(
                file,
                pid,
                "",
                f"an operational {what} with no link: add the links that reach it, or mark its status",
            )

    # Border figures follow the one rule in rules.toml [border_rule].
    if isinstance(raw.rules.get("border_rule"), dict):
        _check_border_rule(ck, raw, places)

    # Rules cover every country and mode the links use.
    if raw.rules:
        for lid, (file, props, _) in links.items():
            mode = props.get("mode")
            if props.get("speed_kmh") is None and mode in ("road", "rail"):
                for c in props.get("countries") or []:
                    table = raw.rules.get(f"{mode}_speed_kmh", {})
                    if c not in table:
                        ck.add(file, lid, "speed_kmh", f"no speed_kmh and rules.toml has no {mode}_speed_kmh.{c}")
    else:
        ck.add(rules_file, "", "", "rules.toml is missing: time and cost cannot be computed")
    return problems + ck.problems
