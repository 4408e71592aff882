"""Brief build time and size (issue targets: built in under 2 s, page under 3 MB).

Each brief compares the routes between a random pair of cities and ports under three of
the built-in scenarios; it is rendered to HTML in memory (nothing is written). Figures:
the cold first brief of the process (imports matplotlib and folium, reads the basemap),
then p50 and p95 over warm random briefs, and the largest page. Baseline, in the same
run and on the same pairs: what a user would assemble by hand without `routes brief`:
`routes.compare` plus `comparison_map` rendered to HTML.

Nothing is written into the checkout: pages stay in memory and no bytecode is cached
(``sys.dont_write_bytecode`` is set before ``routes`` is imported).

Run: python benchmarks/bench_brief.py [N]   (N random briefs, default 20)
"""

from __future__ import annotations

import random
import statistics
import sys
import time

sys.dont_write_bytecode = True  # before importing routes: no __pycache__ in the checkout

import routes  # noqa: E402


def main(n: int = 20) -> None:
    from routes.maps import comparison_map, render_html

    G = routes.load_network()
    places = sorted(p for p, d in G.nodes(data=True) if d["kind"] in ("city", "seaport"))
    names = sorted(routes.builtin_scenarios(G))
    rng = random.Random(13)
    queries = []
    for _ in range(n + 1):
        a, b = rng.sample(places, 2)
        queries.append((a, b, ["baseline", *rng.sample([s for s in names if s != "baseline"], 2)]))

    def brief(q: tuple[str, str, list[str]]) -> int:
        b = routes.make_brief(G, q[0], q[1], q[2])
        return len(routes.brief_html(b, G).encode("utf-8"))

    def by_hand(q: tuple[str, str, list[str]]) -> int:
        comp = routes.compare(G, q[0], q[1], q[2])
        return len(render_html(comparison_map(comp, G=G)).encode("utf-8"))

    t0 = time.perf_counter()
    first_size = brief(queries[0])
    cold = time.perf_counter() - t0
    times, base, sizes = [], [], [first_size]
    for q in queries[1:]:
        t0 = time.perf_counter()
        sizes.append(brief(q))
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        by_hand(q)
        base.append(time.perf_counter() - t0)

    def p95(xs: list[float]) -> float:
        return statistics.quantiles(xs, n=20)[-1]

    print(f"{n} random briefs (city/port pairs, baseline + 2 random scenarios)")
    print(f"cold first brief: {cold * 1000:.0f} ms (target < 2000 ms)")
    print(
        f"warm brief: p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95(times) * 1000:.0f} ms (target < 2000 ms)"
    )
    print(
        f"baseline (compare + comparison map): p50 {statistics.median(base) * 1000:.0f} ms, "
        f"p95 {p95(base) * 1000:.0f} ms; brief / baseline p50 = "
        f"{statistics.median(times) / statistics.median(base):.1f}x"
    )
    print(f"page size: max {max(sizes) / 1e6:.2f} MB, median {statistics.median(sizes) / 1e6:.2f} MB (target < 3 MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
