"""Load, OD matrix and criticality on synthetic networks 10x and 100x the real one.

Load must grow linearly with the data (it grew 305x for 100x the data while the cyclic
garbage collector ran during parsing). The networks come from
``benchmarks/scaled_network.py`` and are written to a temporary folder.

Run: python benchmarks/bench_scale.py [--max-factor 100]
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scaled_network import make_scaled

import routes
from routes.critical_links import hub_places


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-factor", type=int, default=100)
    ap.add_argument("--max-criticality", type=int, default=10)
    args = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, CPython {platform.python_version()}")
    factors = [f for f in (1, 10, 100) if f <= args.max_factor]
    loads: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in factors:
            folder = make_scaled(factor, Path(tmp) / f"x{factor}")
            loads[factor] = timed(lambda folder=folder: routes.load_network(folder), 3 if factor < 100 else 1)
            G = routes.load_network(folder)
            hubs = hub_places(G)
            origins = hubs[:30]
            routes.od_matrix(G, origins, hubs)
            m = timed(lambda G=G, origins=origins, hubs=hubs: routes.od_matrix(G, origins, hubs), 3)
            # Criticality sweeps every link: at 100x (34,000 links, 525 hubs with every
            # copy's seaports) that is minutes, so it runs up to --max-criticality only.
            c = (
                timed(lambda G=G, hubs=hubs: routes.criticality(G, od=hubs), 1)
                if factor <= args.max_criticality
                else 0.0
            )
            print(
                f"{factor:>3}x: {G.number_of_nodes():>6} places, {G.number_of_edges():>6} links; "
                f"load {loads[factor] * 1000:8.1f} ms ({loads[factor] / loads[1]:6.1f}x of 1x); "
                f"od_matrix 30x{len(hubs)} {m * 1000:7.1f} ms; "
                + (f"criticality ({len(hubs)} hubs) {c * 1000:8.1f} ms" if c else "criticality not run"),
                flush=True,
            )
            del G
    if 100 in loads:
        print(f"load at 100x the data: {loads[100] / loads[1]:.0f}x the time (linear: ~100x)")


if __name__ == "__main__":
    main()
