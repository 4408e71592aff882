"""Network map size and build time (issue targets: HTML under 3 MB, built in under 2 s).

Baseline, in the same process: an empty folium map of the same region rendered to HTML.

Run: python benchmarks/bench_maps.py
"""

from __future__ import annotations

import statistics
import time

import routes
from routes.maps import render_html


def main() -> None:
    import folium

    G = routes.load_network()
    render_html(routes.network_map(G))  # warm imports

    def build() -> str:
        return render_html(routes.network_map(G))

    def empty() -> str:
        return str(folium.Map(location=[35, 68], zoom_start=5).get_root().render())

    times, base = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        html = build()
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        empty()
        base.append(time.perf_counter() - t0)
    size = len(html.encode("utf-8"))
    print(
        f"network map: {size / 1e6:.2f} MB (target < 3 MB), {G.number_of_nodes()} places, {G.number_of_edges()} links"
    )
    print(
        f"build + render: {statistics.median(times) * 1000:.0f} ms median (target < 2000 ms); "
        f"empty folium map: {statistics.median(base) * 1000:.1f} ms; "
        f"ratio {statistics.median(times) / statistics.median(base):.0f}x"
    )


if __name__ == "__main__":
    main()
