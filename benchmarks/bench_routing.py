"""Routing and loading speed on the shipped network (issue targets: route < 5 ms median,
load_network < 300 ms median).

Baselines, measured in the same process: for routing, networkx's own Dijkstra
(`nx.shortest_path(..., weight="length_km")`) on the same graph; for loading, reading and
parsing the same GeoJSON files with `json.load` alone.

Run: python benchmarks/bench_routing.py
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

import routes
from routes._paths import default_data_dir

PAIRS = [
    ("Dushanbe", "Karachi"),
    ("Kashgar", "Gwadar Port"),
    ("Tashkent", "Karachi"),
    ("Almaty", "Karachi"),
    ("Termez", "Peshawar"),
    ("Osh", "Islamabad"),
]


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    data = default_data_dir()
    files = sorted((data / "places").glob("*.geojson")) + sorted((data / "links").glob("*.geojson"))

    def parse_only() -> None:
        for f in files:
            json.loads(Path(f).read_text(encoding="utf-8"))

    load_ms = median_ms(routes.load_network, 15)
    parse_ms = median_ms(parse_only, 15)
    print(
        f"load_network(): {load_ms:.1f} ms median (target < 300 ms); "
        f"json parsing alone: {parse_ms:.1f} ms; ratio {load_ms / parse_ms:.1f}x"
    )

    G = routes.load_network()
    ids = [(routes.find_place(G, a), routes.find_place(G, b)) for a, b in PAIRS]
    routes.shortest_route(G, *ids[0])  # applies and caches the baseline scenario once
    H = routes.apply_scenario(G, "baseline")
    for by in ("distance", "time", "cost"):
        per = [median_ms(lambda o=o, d=d, by=by: routes.shortest_route(G, o, d, by=by), 25) for o, d in ids]
        print(
            f"shortest_route(by={by!r}): {statistics.median(per):.2f} ms median over {len(ids)} pairs "
            f"(max {max(per):.2f} ms; target < 5 ms)"
        )
    nx_per = [median_ms(lambda o=o, d=d: nx.shortest_path(H, o, d, weight="length_km"), 25) for o, d in ids]
    route_per = [median_ms(lambda o=o, d=d: routes.shortest_route(G, o, d), 25) for o, d in ids]
    print(
        f"baseline nx.shortest_path(weight='length_km'): {statistics.median(nx_per):.2f} ms median; "
        f"shortest_route / networkx = {statistics.median(route_per) / statistics.median(nx_per):.1f}x "
        "(shortest_route also counts borders, transfers and gauge breaks, and builds the result)"
    )
    sc_ms = median_ms(
        lambda: routes.shortest_route(G, "Dushanbe", "Karachi", scenario=["afghanistan-closed", "winter"]), 25
    )
    print(f"shortest_route with a composed scenario (cached after first use): {sc_ms:.2f} ms median")
    cold = median_ms(lambda: routes.apply_scenario(routes.load_network(), "afghanistan-closed"), 5) - load_ms
    print(f"apply_scenario on a fresh graph (uncached): {cold:.1f} ms median")


if __name__ == "__main__":
    main()
