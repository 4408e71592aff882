"""Start-up speed of the command line as a fresh process (issue target: `routes route
Dushanbe Karachi` under 1 s wall median, and at most 2x `python -c "import networkx"`
measured in the same run).

Run: python benchmarks/bench_cli.py  (uses the `routes` next to this Python)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def wall(cmd: list[str], repeat: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    # An installed package has its bytecode compiled (pip does it at install time), as
    # networkx's has. So that an editable checkout is not timed compiling its sources,
    # every process here writes and reads its bytecode under a temporary
    # PYTHONPYCACHEPREFIX: nothing is written into the checkout, and the warm-up run
    # below compiles once.
    prefix = tempfile.mkdtemp(prefix="routes-bench-pycache-")
    env = {**os.environ, "PYTHONPYCACHEPREFIX": prefix}
    exe = Path(sys.executable).parent / "routes"
    cmd = (
        [str(exe), "route", "Dushanbe", "Karachi"]
        if exe.exists()
        else [sys.executable, "-m", "routes", "route", "Dushanbe", "Karachi"]
    )
    for warm in (cmd, [sys.executable, "-c", "import networkx"]):  # file cache and bytecode
        subprocess.run(warm, check=True, stdout=subprocess.DEVNULL, env=env)
    repeat = 11
    # Interleave so both see the same machine load.
    route_s, nx_s = [], []
    for _ in range(repeat):
        route_s.append(wall(cmd, 1, env))
        nx_s.append(wall([sys.executable, "-c", "import networkx"], 1, env))
    r, n = statistics.median(route_s), statistics.median(nx_s)
    print(
        f"`{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}`: {r * 1000:.0f} ms wall median "
        f"(target < 1000 ms)"
    )
    print(f"`python -c 'import networkx'`: {n * 1000:.0f} ms wall median")
    print(f"ratio: {r / n:.2f}x (target <= 2.0x)")
    code = (
        "import sys, routes.cli; routes.cli.main(['route', 'Dushanbe', 'Karachi']); "
        "print(','.join(m for m in ('geopandas', 'folium', 'pandas', 'shapely', 'numpy', 'scipy') "
        "if m in sys.modules), file=sys.stderr)"
    )
    heavy = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stderr.strip()
    print(f"heavy modules imported by `routes route`: {heavy or 'none'}")
    shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    main()
