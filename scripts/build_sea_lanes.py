"""Generate the sea lanes and world ports (geodata/{places,links}/sea.geojson) with searoute.

Run from the repository root, with searoute installed (it is not a dependency of routes):

    pip install searoute==1.6.0 global-land-mask==1.0.0 && python scripts/build_sea_lanes.py

It lives in ``scripts/`` rather than in the ``routes`` package because it is a one-off
generator with its own dependency: the package never imports it, so ``routes`` runs
(and ``mypy`` checks) without searoute. ``tests/test_sea.py`` imports it to regenerate
the files and compare them with the committed ones when both packages are installed.

What it does: it takes searoute's maritime network (marnet) as a graph and joins each of
the region's seaports (read from geodata/places/) and each world port below to it by
straight approaches over open water: to the nearest point of the nearest lane (searoute
itself snaps a port to the nearest lane *vertex*, which sent Chabahar 225 km south-east
and Gwadar 110 km east before any lane began), and to every lane vertex within
``_APPROACH_KM`` in the same sea (never across a chokepoint) that a straight line reaches
without crossing land on the GLOBE 1-km land mask (package ``global-land-mask``). Then for
every pair of ports (region and world alike: a ship from Shanghai to Rotterdam calls at no
port of the region) it takes the shortest lane on that graph, and for every lane through
the whole Red Sea also the lane with Suez and Bab-el-Mandeb closed (round the Cape). Each
lane is split at the chokepoints it passes (marnet's passage edges), at the vertex nearest
the passage's place, so each chokepoint is a place the lanes meet. Pieces with the same two
ends are one link (the shortest is kept). Lengths are the haversine lengths of the pieces,
as searoute measures its lanes.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE_ID = "searoute-1-6-0"
SEAROUTE_VERSION = "1.6.0"
LAND_MASK_SOURCE_ID = "global-land-mask-1-0-0"
#: Passages no lane here takes: searoute's default restriction (the Northwest Passage), and the
#: Panama Canal. The ports here trade with Europe through Suez or round the Cape (the published
#: detours in tests/data/published_detours.csv are Suez against the Cape); the ships of the
#: Asia-Europe services are larger than the canal's New Panamax locks take (about 14,000 TEU), and
#: without this the Far East would reach Europe across the Pacific under red-sea-closed.
_ALWAYS_CLOSED = ["northwest", "panama"]
#: The lane round Africa is asked with these passages closed.
_RED_SEA = ["suez", "babalmandab"]

#: The region's seaports: existing place ids (their points are the geodata's).
REGION_PORTS = ("port-of-karachi", "port-qasim", "gwadar-port", "bandar-abbas", "chabahar-port")

#: World ports: id, name, ISO3, searoute UN/LOCODE, aliases.
WORLD_PORTS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("jebel-ali-port", "Jebel Ali (Dubai)", "ARE", "AEJEA", ("Jebel Ali", "Mina Jebel Ali", "Port of Jebel Ali")),
    ("salalah-port", "Salalah", "OMN", "OMSLL", ("Port of Salalah",)),
    ("jeddah-port", "Jeddah", "SAU", "SAJED", ("Jeddah Islamic Port", "Jiddah")),
    ("mundra-port", "Mundra", "IND", "INMUN", ("Port of Mundra", "Mundra Port")),
    ("nhava-sheva-port", "Nhava Sheva (Mumbai)", "IND", "INNSA",
     ("Nhava Sheva", "Jawaharlal Nehru Port", "JNPT", "Mumbai port")),
    ("colombo-port", "Colombo", "LKA", "LKCMB", ("Port of Colombo",)),
    ("singapore-port", "Singapore", "SGP", "SGSIN", ("Port of Singapore",)),
    ("shanghai-port", "Shanghai", "CHN", "CNSHA", ("Port of Shanghai",)),
    ("busan-port", "Busan", "KOR", "KRPUS", ("Pusan", "Port of Busan")),
    ("rotterdam-port", "Rotterdam", "NLD", "NLRTM", ("Port of Rotterdam",)),
    ("hamburg-port", "Hamburg", "DEU", "DEHAM", ("Port of Hamburg",)),
    ("piraeus-port", "Piraeus", "GRC", "GRPIR", ("Port of Piraeus",)),
    ("mersin-port", "Mersin", "TUR", "TRMER", ("Port of Mersin", "Mersin International Port")),
)  # fmt: skip

#: Measured time a container spends in a world port (handling records), with the source:
#: port id -> (hours, year, source id, note). Ports without one take rules.toml [handling].
PORT_DWELL: dict[str, tuple[float, int, str, str]] = {
    "rotterdam-port": (163.2, 2022, "porttechnology-2022-fourkites-dwell",
                       "FourKites: 'The 60-day average ocean dwell time at the Port of Rotterdam is now at 6.8 days' "
                       "(imports, exports and transshipment); 6.8 x 24 = 163.2 h. No cost given."),
    "hamburg-port": (199.2, 2022, "porttechnology-2022-fourkites-dwell",
                     "FourKites: 60-day average ocean dwell time at Hamburg 8.3 days (down from 9.7 in mid-August "
                     "2022); 8.3 x 24 = 199.2 h. No cost given."),
}  # fmt: skip

#: Chokepoints: searoute passage, place id, name, ISO3, aliases, a vertex of searoute's
#: passage edges (lon, lat) that every lane through it passes, and a note.
PASSAGES: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[float, float], str], ...] = (
    ("ormuz", "strait-of-hormuz", "Strait of Hormuz", "OMN", ("Hormuz", "Ormuz"), (56.547226, 26.511054),
     "Between Iran and Oman's Musandam peninsula; the traffic lanes run in Omani waters."),
    ("babalmandab", "bab-el-mandeb", "Bab-el-Mandeb", "YEM", ("Bab al-Mandab", "Bab el-Mandeb Strait"),
     (43.3, 12.7), "Between Yemen and Djibouti, the Red Sea's southern entrance."),
    ("suez", "suez-canal", "Suez Canal", "EGY", ("Suez",), (32.382202, 30.318359),
     "The canal near Ismailia, between the Red Sea and the Mediterranean."),
    ("malacca", "strait-of-malacca", "Strait of Malacca", "MYS", ("Malacca Strait", "Straits of Malacca"),
     (99.763807, 4.084523), "Between the Malay peninsula and Sumatra."),
    ("south_africa", "cape-of-good-hope", "Cape of Good Hope route", "ZAF", ("Cape of Good Hope", "Cape route"),
     (18.0, -35.0), "searoute's waypoint off the Cape (35°S 18°E), about 80 km south-west of the Cape itself: "
     "the lanes round Africa pass here."),
    ("gibraltar", "strait-of-gibraltar", "Strait of Gibraltar", "ESP", ("Gibraltar",), (-5.354867, 35.968819),
     "Between Spain and Morocco, the Mediterranean's western entrance."),
)  # fmt: skip
#: A lane passing further than this from a passage's vertex is a generator error.
_SNAP_TOLERANCE_KM = 5.0
_EARTH_RADIUS_KM = 6371.0088


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.atan2(math.sqrt(h), math.sqrt(1 - h))


def _length_km(coords: list[tuple[float, float]]) -> float:
    return sum(_haversine_km(coords[i], coords[i + 1]) for i in range(len(coords) - 1))


#: A port is joined straight to every lane vertex of its own sea within this distance that a
#: straight line reaches over open water (the approaches a ship can sail from the port).
_APPROACH_KM = 500.0
#: Land is allowed this close to the port on an approach: the port's point is on the quay,
#: which the 1-km land mask counts as land.
_SHORE_KM = 10.0

Point = tuple[float, float]


def _at_sea(a: Point, b: Point) -> bool:
    """Whether the straight line a-b crosses no land beyond ``_SHORE_KM`` from ``a`` (1-km samples)."""
    import numpy as np
    from global_land_mask import globe

    km = _haversine_km(a, b)
    t = np.linspace(0.0, 1.0, max(2, int(km)) + 1)
    lon, lat = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    land = globe.is_land(lat, lon) & (t * km > _SHORE_KM)
    return not bool(land.any())


def _nearest_on_segment(p: Point, u: Point, v: Point) -> tuple[float, Point]:
    """The fraction along u-v and the point of u-v nearest p (local equirectangular plane)."""
    k = math.cos(math.radians(p[1]))
    ux, uy, vx, vy = (u[0] - p[0]) * k, u[1] - p[1], (v[0] - p[0]) * k, v[1] - p[1]
    dx, dy = vx - ux, vy - uy
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else max(0.0, min(1.0, -(ux * dx + uy * dy) / span))
    return t, (round(u[0] + t * (v[0] - u[0]), 6), round(u[1] + t * (v[1] - u[1]), 6))


def _lane_graph() -> Any:
    """The marnet of searoute as an undirected networkx graph: nodes (lon, lat), edges km and passage."""
    import networkx as nx
    import searoute

    marnet = searoute.setup_M()
    graph = nx.Graph()
    for u, v, data in marnet.edges(data=True):
        graph.add_edge(u, v, km=_haversine_km(u, v), passage=data.get("passage"))
    return graph


def _join_port(graph: Any, seas: dict[Point, int], pid: str, point: Point) -> None:
    """Join a port to the lanes: the nearest point of the nearest lane, and the lane vertices of its sea in view."""
    best: tuple[float, Point, Point, float, Point] | None = None
    for u, v in graph.edges():
        if isinstance(u, str) or isinstance(v, str):
            continue
        t, q = _nearest_on_segment(point, u, v)
        gap = _haversine_km(point, q)
        if best is None or gap < best[0]:
            best = (gap, u, v, t, q)
    if best is None:
        raise SystemExit("build_sea_lanes: searoute's lane network is empty")
    _, u, v, t, q = best
    passage = graph.edges[u, v]["passage"]
    if t <= 0.0 or t >= 1.0 or q in (u, v):
        q = u if t <= 0.5 else v
    else:
        # Split the lane at the foot of the approach (both halves keep its passage, if any).
        graph.remove_edge(u, v)
        graph.add_edge(u, q, km=_haversine_km(u, q), passage=passage)
        graph.add_edge(q, v, km=_haversine_km(q, v), passage=passage)
    # Always joined to the nearest lane, even where the land mask sees land on the way
    # (a port up a channel, as Port Qasim): the port is reached somehow.
    graph.add_edge(pid, q, km=_haversine_km(point, q), passage=None)
    sea = seas.get(u) if passage is None else None
    if sea is None:
        return
    for node in list(graph.nodes):
        if isinstance(node, str) or node == q or seas.get(node) != sea:
            continue
        if _haversine_km(point, node) <= _APPROACH_KM and _at_sea(point, node):
            graph.add_edge(pid, node, km=_haversine_km(point, node), passage=None)


def _seas(graph: Any) -> dict[Point, int]:
    """Each lane vertex's sea: the connected parts of the lanes once the passages are cut."""
    import networkx as nx

    open_water = nx.Graph()
    open_water.add_edges_from((u, v) for u, v, d in graph.edges(data=True) if d["passage"] is None)
    return {node: i for i, part in enumerate(nx.connected_components(open_water)) for node in part}


def _lane(graph: Any, origin: str, destination: str, closed: list[str]) -> tuple[list[Point], list[str]]:
    """The shortest lane origin-destination with the ``closed`` passages shut: its points and passages."""
    import networkx as nx

    shut = set(closed)
    ends = {origin, destination}

    def weight(u: Any, v: Any, data: dict[str, Any]) -> float | None:
        # Ships call at no other port on the way: a lane between two ports is one leg.
        if data["passage"] in shut or any(isinstance(n, str) and n not in ends for n in (u, v)):
            return None
        return float(data["km"])

    try:
        path = nx.dijkstra_path(graph, origin, destination, weight=weight)
    except nx.NetworkXNoPath:
        raise SystemExit(f"build_sea_lanes: no lane {origin}-{destination} with {closed} closed") from None
    passages = [graph.edges[a, b]["passage"] for a, b in itertools.pairwise(path)]
    return path, list(dict.fromkeys(p for p in passages if p))


def _region_ports(data_dir: Path) -> dict[str, tuple[str, tuple[float, float]]]:
    found: dict[str, tuple[str, tuple[float, float]]] = {}
    for path in sorted((data_dir / "places").glob("*.geojson")):
        if path.name == "sea.geojson":
            continue
        for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
            pid = feat["properties"]["id"]
            if pid in REGION_PORTS:
                lon, lat = feat["geometry"]["coordinates"][:2]
                found[pid] = (feat["properties"]["name"], (float(lon), float(lat)))
    missing = [p for p in REGION_PORTS if p not in found]
    if missing:
        raise SystemExit(f"build_sea_lanes: place(s) {', '.join(missing)} not found in {data_dir}/places")
    return found


def _world_port_points() -> dict[str, tuple[float, float]]:
    import searoute

    path = Path(searoute.__file__).parent / "data" / "ports.geojson"
    wanted = {w[3] for w in WORLD_PORTS}
    points: dict[str, tuple[float, float]] = {}
    for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
        code = feat["properties"].get("port")
        if code in wanted and code not in points:
            lon, lat = feat["geometry"]["coordinates"][:2]
            points[code] = (round(float(lon), 6), round(float(lat), 6))
    return points


def _split(
    coords: list[tuple[float, float]], passages: list[str], start: str, end: str
) -> list[tuple[str, str, list[tuple[float, float]]]]:
    """Cut a lane at each passage it traverses, in the order the lane meets them."""
    by_key = {p[0]: p for p in PASSAGES}
    cuts: list[tuple[int, str]] = []
    for key in passages:
        if key not in by_key:
            continue
        vertex = by_key[key][5]
        i = min(range(len(coords)), key=lambda j: _haversine_km(coords[j], vertex))
        gap = _haversine_km(coords[i], vertex)
        if gap > _SNAP_TOLERANCE_KM:
            raise SystemExit(f"build_sea_lanes: the lane {start}-{end} passes {gap:.0f} km from {by_key[key][1]}")
        coords[i] = vertex
        cuts.append((i, by_key[key][1]))
    cuts.sort()
    pieces = []
    prev_i, prev_id = 0, start
    for i, pid in cuts:
        if i == prev_i:
            continue
        pieces.append((prev_id, pid, coords[prev_i : i + 1]))
        prev_i, prev_id = i, pid
    pieces.append((prev_id, end, coords[prev_i:]))
    return pieces


def build(data_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Compute the world-port and passage places and the sea links (GeoJSON features)."""
    region = _region_ports(data_dir)
    points = _world_port_points()
    missing = [w[3] for w in WORLD_PORTS if w[3] not in points]
    if missing:
        raise SystemExit(f"build_sea_lanes: searoute has no port {', '.join(missing)}")
    names = {pid: name for pid, (name, _) in region.items()}
    names.update({w[0]: w[1] for w in WORLD_PORTS})
    names.update({p[1]: p[2] for p in PASSAGES})

    graph = _lane_graph()
    seas = _seas(graph)
    ends = {pid: point for pid, (_, point) in region.items()}
    ends.update({w[0]: points[w[3]] for w in WORLD_PORTS})
    for pid, point in ends.items():
        _join_port(graph, seas, pid, point)

    pieces: dict[tuple[str, str], tuple[str, str, list[tuple[float, float]]]] = {}
    # Every port to every other port (not only the region's: a ship from Shanghai to Rotterdam
    # does not call at Gwadar), and every lane through the whole Red Sea also round the Cape.
    ids = sorted(ends)
    lanes = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            path, passages = _lane(graph, a, b, _ALWAYS_CLOSED)
            lanes.append((a, b, path, passages))
            if set(_RED_SEA) <= set(passages):
                lanes.append((a, b, *_lane(graph, a, b, _ALWAYS_CLOSED + _RED_SEA)))
    for rid, wid, path, passages in lanes:
        coords = [ends[rid]] + [(round(float(c[0]), 6), round(float(c[1]), 6)) for c in path[1:-1]] + [ends[wid]]
        for a, b, piece in _split(coords, passages, rid, wid):
            key = (a, b) if a < b else (b, a)
            line = piece if (a, b) == key else list(reversed(piece))
            if key not in pieces or _length_km(line) < _length_km(pieces[key][2]):
                pieces[key] = (key[0], key[1], line)

    places = []
    for wid, name, iso3, code, aliases in WORLD_PORTS:
        props: dict[str, Any] = {
            "id": wid,
            "name": name,
            "aliases": list(aliases),
            "country": iso3,
            "kind": "seaport",
            "transfer": ["road", "rail", "sea"],
        }
        if wid in PORT_DWELL:
            hours, year, sid, why = PORT_DWELL[wid]
            props["dwell"] = [
                {
                    "event": "handling",
                    "mode": "any",
                    "hours": hours,
                    "year": year,
                    "sources": [{"id": sid, "note": why}],
                }
            ]
        props["note"] = f"Point: searoute {SEAROUTE_VERSION} port {code} (UN/LOCODE). Reached only by sea here."
        props["sources"] = [{"id": SOURCE_ID, "fields": ["geometry"], "note": f"ports.geojson, port {code}"}]
        places.append(_feature("Point", list(points[code]), props))
    for key, pid, name, iso3, aliases, vertex, note in PASSAGES:
        places.append(
            _feature(
                "Point",
                list(vertex),
                {
                    "id": pid,
                    "name": name,
                    "aliases": list(aliases),
                    "country": iso3,
                    "kind": "passage",
                    "note": f"{note} Point: a vertex of searoute {SEAROUTE_VERSION}'s '{key}' passage edges, "
                    "which every lane through it passes. Scenarios close it as a place.",
                    "sources": [{"id": SOURCE_ID, "fields": ["geometry"], "note": f"marnet passage '{key}'"}],
                },
            )
        )
    links = []
    for a, b, line in sorted(pieces.values()):
        # Rounded up, so the length is never below the geometry's own (routes validate checks it).
        length = math.ceil(_length_km(line) * 10) / 10
        links.append(
            _feature(
                "LineString",
                [list(c) for c in line],
                {
                    "id": f"sea-{a}-{b}",
                    "name": f"Sea lane: {names[a]} – {names[b]}",
                    "corridor": "sea-lanes",
                    "mode": "sea",
                    "status": "operational",
                    "from": a,
                    "to": b,
                    "length_km": length,
                    "length_basis": "estimate",
                    "length_method": f"haversine length of the searoute {SEAROUTE_VERSION} lane geometry, as searoute "
                    "measures it (checked against published port-to-port distances in tests/data/published_totals.csv)",
                    "max_elevation_m": 0,
                    "countries": [],
                    "geometry_method": f"shortest lane between the ports on searoute {SEAROUTE_VERSION}'s marnet, each "
                    "port joined to it by straight approaches over open water (GLOBE land mask), split at the "
                    "chokepoints it passes (scripts/build_sea_lanes.py)",
                    "sources": [
                        {"id": SOURCE_ID, "fields": ["geometry", "length_km"]},
                        {"id": LAND_MASK_SOURCE_ID, "fields": ["geometry"], "note": "checks the ports' approaches"},
                    ],
                },
            )
        )
    return places, links


def _feature(kind: str, coords: Any, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": kind, "coordinates": coords}, "properties": props}


def feature_collection_text(features: list[dict[str, Any]]) -> str:
    """GeoJSON text with one feature per line, as every file in geodata/."""
    lines = [json.dumps(f, ensure_ascii=False) for f in features]
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    """Write geodata/places/sea.geojson and geodata/links/sea.geojson."""
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else ROOT / "geodata"
    places, links = build(data_dir)
    (data_dir / "places" / "sea.geojson").write_text(feature_collection_text(places), encoding="utf-8")
    (data_dir / "links" / "sea.geojson").write_text(feature_collection_text(links), encoding="utf-8")
    print(f"{len(places)} places, {len(links)} sea links written under {data_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
