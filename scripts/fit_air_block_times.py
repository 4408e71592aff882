"""Estimate the block time of a flight whose schedule no source gives.

A flight's block time (gate to gate) is nearly linear in its great-circle length: taxi,
climb and descent add a fixed part, cruise a part per km. This script fits that line by
ordinary least squares to the flights in ``geodata/links/air.geojson`` whose block time
comes from a schedule (every flight without ``"block_time_basis": "estimate"``), and
gives each estimated flight the fitted value, rounded to 0.01 h:

    block_time_h = intercept_h + length_km / speed_kmh

Run: python scripts/fit_air_block_times.py           (print the fit and each estimate)
     python scripts/fit_air_block_times.py --write   (rewrite the estimates in place)

The estimates cite this script as their method; ``tests/test_air.py`` refits and fails
when an estimate no longer matches the sourced flights (add a sourced flight, rerun with
``--write``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AIR_LINKS = ROOT / "geodata" / "links" / "air.geojson"


@dataclass(frozen=True)
class BlockTimeFit:
    """The fitted line ``block_time_h = intercept_h + slope_h_per_km * length_km``."""

    intercept_h: float
    slope_h_per_km: float
    n_flights: int
    r_squared: float

    def predict_h(self, length_km: float) -> float:
        """Block time in hours for a flight of ``length_km``, rounded to 0.01 h."""
        return round(self.intercept_h + self.slope_h_per_km * length_km, 2)


def is_estimate(props: dict[str, Any]) -> bool:
    """Whether a flight's block time is this fit's estimate rather than a schedule's."""
    return props.get("block_time_basis") == "estimate"


def flight_properties(path: Path = AIR_LINKS) -> list[dict[str, Any]]:
    """The properties of every air link in ``path``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [f["properties"] for f in data["features"] if f["properties"].get("mode") == "air"]


def fit(flights: list[dict[str, Any]]) -> BlockTimeFit:
    """Least-squares line of block time against length over the scheduled flights."""
    points = [(float(p["length_km"]), float(p["block_time_h"])) for p in flights if not is_estimate(p)]
    if len(points) < 3:
        raise ValueError(f"need at least 3 flights with a scheduled block time to fit, found {len(points)}")
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in points)
    ss_tot = sum((y - mean_y) ** 2 for _, y in points)
    return BlockTimeFit(intercept, slope, n, 1 - ss_res / ss_tot)


def rewrite_estimates(path: Path, result: BlockTimeFit) -> int:
    """Set every estimated flight's ``block_time_h`` to the fit; return how many changed.

    The file keeps one feature per line; only the estimated flights' lines change.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = 0
    for i, line in enumerate(lines):
        body = line.rstrip("\n")
        comma = body.endswith(",")
        text = body[:-1] if comma else body
        if not text.startswith('{"type": "Feature"'):
            continue
        feature = json.loads(text)
        props = feature["properties"]
        if props.get("mode") != "air" or not is_estimate(props):
            continue
        value = result.predict_h(props["length_km"])
        if props["block_time_h"] != value:
            props["block_time_h"] = value
            lines[i] = json.dumps(feature, ensure_ascii=False) + ("," if comma else "") + "\n"
            changed += 1
    path.write_text("".join(lines), encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    """Print the fit and the estimates; with ``--write``, store them."""
    flights = flight_properties()
    result = fit(flights)
    print(
        f"{result.n_flights} scheduled flights: block_time_h = {result.intercept_h:.3f} + length_km / "
        f"{1 / result.slope_h_per_km:.0f}  (R^2 = {result.r_squared:.3f})"
    )
    for p in flights:
        if is_estimate(p):
            fitted_h = result.predict_h(p["length_km"])
            print(f"  {p['id']}: {p['length_km']} km -> {fitted_h} h (stored {p['block_time_h']})")
    if "--write" in argv:
        print(f"rewrote {rewrite_estimates(AIR_LINKS, result)} estimate(s) in {AIR_LINKS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
