"""Routing and loading speed on the shipped network.

Targets (issue 11): a first route on a freshly loaded network under 5 ms; warm p50 no
slower than before; load_network() well under 300 ms.

* Single routes: p50 and p95 over 300 random (seeded) city and seaport pairs, warm, and
  how many of them have no route.
* The first query on a freshly loaded network (which applies the baseline scenario and
  builds the search view), timed in fresh processes, as `routes route` meets it: in one
  process, the second and later loads would find per-process caches (the folding tables
  of place names, the listing of the scenario folder) warm. Load and first query are
  reported apart and together, since work can move between them (the place-name index
  is built by `load_network`).
* Baselines, in the same process: networkx's own Dijkstra on the same applied graph, and
  for loading, parsing the same GeoJSON and rules.toml files alone.

Run: python benchmarks/bench_routing.py
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import networkx as nx

import routes
from routes._paths import default_data_dir


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


_FRESH = """
import json, time
t0 = time.perf_counter()
import routes
t1 = time.perf_counter()
G = routes.load_network()
t2 = time.perf_counter()
routes.shortest_route(G, "Dushanbe", "Karachi")
t3 = time.perf_counter()
print(json.dumps([(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000]))
"""


def fresh_processes(repeat: int) -> list[list[float]]:
    """Import, load and first-route times (ms) of `repeat` fresh processes."""
    # Bytecode goes to a temporary prefix, never into the checkout; the first run compiles.
    prefix = tempfile.mkdtemp(prefix="routes-bench-pycache-")
    env = {**os.environ, "PYTHONPYCACHEPREFIX": prefix}
    try:
        subprocess.run([sys.executable, "-c", _FRESH], check=True, capture_output=True, env=env)
        return [
            json.loads(
                subprocess.run(
                    [sys.executable, "-c", _FRESH], check=True, capture_output=True, text=True, env=env
                ).stdout
            )
            for _ in range(repeat)
        ]
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def main() -> None:
    print(f"machine: {platform.processor() or platform.machine()}, CPython {platform.python_version()}")
    data = default_data_dir()
    files = sorted((data / "places").glob("*.geojson")) + sorted((data / "links").glob("*.geojson"))

    def parse_only() -> None:
        for f in files:
            json.loads(Path(f).read_text(encoding="utf-8"))
        with (data / "rules.toml").open("rb") as fh:
            tomllib.load(fh)

    load_ms = median_ms(routes.load_network, 15)
    parse_ms = median_ms(parse_only, 15)
    print(
        f"load_network(): {load_ms:.1f} ms median (target < 300 ms); "
        f"parsing the GeoJSON and rules.toml alone: {parse_ms:.1f} ms; ratio {load_ms / parse_ms:.1f}x"
    )

    runs = fresh_processes(21)
    load_fresh = statistics.median(r[1] for r in runs)
    firsts = [r[2] for r in runs]
    both = statistics.median(r[1] + r[2] for r in runs)
    print(
        f"fresh process ({len(runs)} runs), Dushanbe to Karachi: first shortest_route "
        f"{statistics.median(firsts):.2f} ms median, {percentile(firsts, 0.95):.2f} ms p95 (target < 5 ms); "
        f"load_network() {load_fresh:.1f} ms; "
        f"load and first route together {both:.1f} ms"
    )

    def first_query() -> float:
        G = routes.load_network()
        t0 = time.perf_counter()
        routes.shortest_route(G, "Dushanbe", "Karachi")
        return (time.perf_counter() - t0) * 1000

    firsts = [first_query() for _ in range(15)]
    print(
        f"first shortest_route after a fresh load in this process (per-process caches warm): "
        f"{statistics.median(firsts):.2f} ms median"
    )

    G = routes.load_network()
    places = [p for p, d in G.nodes(data=True) if d["kind"] in ("city", "seaport")]
    rng = random.Random(11)
    pairs = []
    while len(pairs) < 300:
        o, d = rng.sample(places, 2)
        pairs.append((o, d))
    H = routes.apply_scenario(G)
    for by in ("distance", "time", "cost"):
        times, unreachable = [], 0
        for o, d in pairs:
            t0 = time.perf_counter()
            try:
                routes.shortest_route(G, o, d, by=by)
            except routes.NoRouteError:
                unreachable += 1
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"shortest_route(by={by!r}) over {len(pairs)} random pairs, warm: p50 {percentile(times, 0.5):.2f} ms, "
            f"p95 {percentile(times, 0.95):.2f} ms; {unreachable} pairs have no route"
        )
    nx_times = []
    for o, d in pairs:
        t0 = time.perf_counter()
        with contextlib.suppress(nx.NetworkXNoPath, nx.NodeNotFound):
            nx.shortest_path(H, o, d, weight="length_km")
        nx_times.append((time.perf_counter() - t0) * 1000)
    print(
        f"baseline nx.shortest_path(weight='length_km') on the same pairs: p50 {percentile(nx_times, 0.5):.2f} ms "
        "(no borders, transfers or gauge breaks, no result built)"
    )
    sc_ms = median_ms(
        lambda: routes.shortest_route(G, "Dushanbe", "Karachi", scenario=["afghanistan-closed", "winter"]), 25
    )
    print(f"shortest_route with a composed scenario (cached after first use): {sc_ms:.2f} ms median")


if __name__ == "__main__":
    main()
