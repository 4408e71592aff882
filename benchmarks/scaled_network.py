"""Make a synthetic network k times the real one, for scale benchmarks.

The real network is replicated ``factor`` times side by side (each copy shifted east by
``0.01 * i`` degrees, ids suffixed ``-x<i>``), and neighbouring copies are joined by a
road link between their Kabul, Tashkent and Karachi (each within one country, so the
border rules stay as they are). Every other property (lengths, dwell, seasons, sources)
is the real one: the data are not facts about any real place, only load for timing.

Run: python benchmarks/scaled_network.py FACTOR OUT_DIR
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from routes._paths import default_data_dir

#: Places joined between neighbouring copies.
JOINS = ("kabul", "tashkent", "karachi")


def _shift(coords: Any, dx: float) -> Any:
    if isinstance(coords[0], list | tuple):
        return [_shift(c, dx) for c in coords]
    return [round(coords[0] + dx, 6), coords[1]]


def make_scaled(factor: int, out: Path, data: Path | None = None) -> Path:
    """Write a data folder ``factor`` times the real network into ``out``; return it."""
    data = data or default_data_dir()
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(data, out, ignore=shutil.ignore_patterns("places", "links"))
    (out / "places").mkdir()
    (out / "links").mkdir()
    places_by_id: dict[str, dict[str, Any]] = {}
    for kind in ("places", "links"):
        for path in sorted((data / kind).glob("*.geojson")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            features = []
            for i in range(factor):
                suffix = f"-x{i}" if i else ""
                for feat in doc["features"]:
                    f = copy.deepcopy(feat)
                    p = f["properties"]
                    p["id"] = p["id"] + suffix
                    if kind == "links":
                        p["from"] += suffix
                        p["to"] += suffix
                    else:
                        places_by_id[p["id"]] = f
                    f["geometry"]["coordinates"] = _shift(f["geometry"]["coordinates"], 0.01 * i)
                    features.append(f)
            lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
            text = '{"type": "FeatureCollection", "features": [\n' + lines + "\n]}\n"
            (out / kind / path.name).write_text(text, encoding="utf-8")
    joins = []
    for i in range(1, factor):
        for pid in JOINS:
            a, b = places_by_id[pid + (f"-x{i - 1}" if i > 1 else "")], places_by_id[f"{pid}-x{i}"]
            pa, pb = a["properties"], b["properties"]
            joins.append(
                {
                    "type": "Feature",
                    "properties": {
                        "id": f"join-{pid}-x{i}",
                        "name": f"synthetic join {pa['id']} – {pb['id']}",
                        "corridor": "synthetic-joins",
                        "mode": "road",
                        "status": "operational",
                        "from": pa["id"],
                        "to": pb["id"],
                        "length_km": 1.0,
                        "length_basis": "estimate",
                        "length_method": "synthetic benchmark link",
                        "road_class": "highway",
                        "geometry_method": "synthetic: straight line between the two copies",
                        "max_elevation_m": 0,
                        "countries": [pa["country"]],
                        "sources": [{"id": "adb-cpmm-2021"}],
                    },
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [a["geometry"]["coordinates"], b["geometry"]["coordinates"]],
                    },
                }
            )
    lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in joins)
    (out / "links" / "zz-synthetic.geojson").write_text(
        '{"type": "FeatureCollection", "features": [\n' + lines + "\n]}\n", encoding="utf-8"
    )
    return out


if __name__ == "__main__":
    print(make_scaled(int(sys.argv[1]), Path(sys.argv[2])))
