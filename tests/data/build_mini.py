"""Build tests/data/mini: a small fixture network shaped like the real corridors.

Its figures are round test numbers, not data; each link's geometry is bent just enough to
pass the validator. Run from the repository root: python tests/data/build_mini.py
"""

import json
import math
import pathlib

from routes.schema import geodesic_length_km

out = pathlib.Path(__file__).resolve().parent / "mini"
(out / "places").mkdir(parents=True, exist_ok=True)
(out / "links").mkdir(parents=True, exist_ok=True)
(out / "sources").mkdir(parents=True, exist_ok=True)
(out / "scenarios").mkdir(parents=True, exist_ok=True)

S = [{"id": "fixture"}]
P = {}


def place(pid, name, country, kind, lon, lat, **kw):
    props = {"id": pid, "name": name, "country": country, "kind": kind, "sources": S, **kw}
    P[pid] = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


place("dushanbe", "Dushanbe", "TJK", "city", 68.78, 38.54, aliases=["Dushanbe city"])
place("khorog", "Khorog", "TJK", "city", 71.55, 37.49, aliases=["Khorugh"], elevation_m=2123)
place("murghab", "Murghab", "TJK", "city", 73.97, 38.17, aliases=["Murghob", "Maghob"], elevation_m=3618)
place(
    "kulma",
    "Kulma Pass",
    "TJK",
    "pass",
    74.80,
    38.15,
    border=["TJK", "CHN"],
    elevation_m=4362,
    open_months=[5, 6, 7, 8, 9, 10, 11],
    season_note="open May to November",
    dwell=[
        {
            "event": "exit",
            "country": "TJK",
            "hours": 4.0,
            "cost_usd": 80,
            "cost_basis": "truck",
            "year": 2022,
            "sources": S,
        }
    ],
)
place("tashkurgan", "Tashkurgan", "CHN", "city", 75.23, 37.77, elevation_m=3094)
place(
    "khunjerab",
    "Khunjerab Pass",
    "PAK",
    "pass",
    75.42,
    36.85,
    border=["PAK", "CHN"],
    elevation_m=4693,
    open_months=[4, 5, 6, 7, 8, 9, 10, 11],
    season_note="open 1 April to 30 November",
)
place("sost", "Sost", "PAK", "dry_port", 74.82, 36.69, aliases=["Sust"])
place("islamabad", "Islamabad", "PAK", "city", 73.05, 33.68, transfer=["road", "rail"])
place(
    "karachi",
    "Karachi",
    "PAK",
    "seaport",
    67.01,
    24.86,
    dwell=[{"event": "handling", "hours": 48, "cost_usd": 6, "cost_basis": "tonne", "sources": S}],
)
place(
    "panj-bridge",
    "Panji Poyon bridge",
    "TJK",
    "crossing",
    68.61,
    37.19,
    border=["TJK", "AFG"],
    dwell=[
        {
            "event": "exit",
            "country": "TJK",
            "hours": 2.1,
            "cost_usd": 20,
            "cost_basis": "truck",
            "year": 2022,
            "sources": S,
        },
        {
            "event": "entry",
            "country": "TJK",
            "hours": 7.4,
            "cost_usd": 185,
            "cost_basis": "truck",
            "year": 2022,
            "sources": S,
        },
    ],
)
place("kunduz", "Kunduz", "AFG", "city", 68.86, 36.73)
place("kabul", "Kabul", "AFG", "city", 69.17, 34.53)
place("torkham", "Torkham", "AFG", "crossing", 71.08, 34.11, border=["PAK", "AFG"])
place("peshawar", "Peshawar", "PAK", "city", 71.58, 34.02, transfer=["road", "rail"])
place("ishkashim-bridge", "Ishkashim bridge", "TJK", "crossing", 71.60, 36.72, border=["TJK", "AFG"], region="wakhan")
place("sarhad", "Sarhad-e Broghil", "AFG", "city", 73.45, 36.98, region="wakhan", elevation_m=3292)
place(
    "broghil",
    "Broghil Pass",
    "AFG",
    "pass",
    73.35,
    36.88,
    border=["PAK", "AFG"],
    status="proposed",
    region="wakhan",
    elevation_m=3798,
    season_note="fixture: open all year",
)
place("chitral", "Chitral", "PAK", "city", 71.79, 35.85)
place("kashgar", "Kashgar", "CHN", "city", 75.98, 39.47)
place("ishkashim", "Ishkashim", "AFG", "city", 71.57, 36.72, region="wakhan")
place("ishkashim-tj", "Ishkashim", "TJK", "city", 71.61, 36.73)

L = []


def link(lid, a, b, mode, corridor, length, countries, status="operational", via=(), **kw):
    pa, pb = P[a]["geometry"]["coordinates"], P[b]["geometry"]["coordinates"]
    # One bent midpoint so the fixture's geometry is 1/1.25 of its length (passes validate).
    d = geodesic_length_km([pa, pb])
    target = length / 1.25
    h_km = math.sqrt(max(0.0, (target / 2) ** 2 - (d / 2) ** 2))
    dx, dy = pb[0] - pa[0], pb[1] - pa[1]
    norm = math.hypot(dx, dy) or 1.0
    deg = h_km / 111.0
    mid = [round((pa[0] + pb[0]) / 2 - dy / norm * deg, 5), round((pa[1] + pb[1]) / 2 + dx / norm * deg, 5)]
    coords = [pa, mid, pb]
    props = {
        "id": lid,
        "name": f"{P[a]['properties']['name']} – {P[b]['properties']['name']}",
        "corridor": corridor,
        "mode": mode,
        "status": status,
        "from": a,
        "to": b,
        "length_km": length,
        "length_basis": "published",
        "max_elevation_m": kw.pop("max_elevation_m", 1000),
        "countries": countries,
        "geometry_method": "fixture: straight or one bend",
        "sources": S,
        **kw,
    }
    if mode == "road":
        props.setdefault("road_class", "highway")
    if mode == "rail":
        props.setdefault("gauge_mm", 1676)
    L.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": props})


link("m41-dushanbe-khorog", "dushanbe", "khorog", "road", "pamir-highway", 525, ["TJK"], max_elevation_m=3252)
link("m41-khorog-murghab", "khorog", "murghab", "road", "pamir-highway", 316, ["TJK"], max_elevation_m=4272)
link("murghab-kulma", "murghab", "kulma", "road", "murghab-kulma", 80, ["TJK"], max_elevation_m=4362)
link("kulma-tashkurgan", "kulma", "tashkurgan", "road", "murghab-kulma", 75, ["CHN"], max_elevation_m=4362)
link(
    "g314-tashkurgan-khunjerab",
    "tashkurgan",
    "khunjerab",
    "road",
    "karakoram-highway",
    146,
    ["CHN"],
    max_elevation_m=4693,
)
link(
    "g314-kashgar-tashkurgan", "kashgar", "tashkurgan", "road", "karakoram-highway", 322, ["CHN"], max_elevation_m=4100
)
link("kkh-khunjerab-sost", "khunjerab", "sost", "road", "karakoram-highway", 75, ["PAK"], max_elevation_m=4693)
link(
    "kkh-sost-islamabad",
    "sost",
    "islamabad",
    "road",
    "karakoram-highway",
    880,
    ["PAK"],
    via=[[74.3, 35.9]],
    max_elevation_m=2800,
)
link(
    "m1-islamabad-peshawar",
    "islamabad",
    "peshawar",
    "road",
    "pakistan-motorways",
    155,
    ["PAK"],
    road_class="motorway",
    speed_kmh=80,
)
link(
    "m-islamabad-karachi",
    "islamabad",
    "karachi",
    "road",
    "pakistan-motorways",
    1410,
    ["PAK"],
    road_class="motorway",
    via=[[71.5, 30.2]],
)
link("ml1-peshawar-karachi", "peshawar", "karachi", "rail", "ml-1", 1687, ["PAK"], via=[[71.5, 30.2]])
link("dushanbe-panj", "dushanbe", "panj-bridge", "road", "dushanbe-bokhtar-panji-poyon", 190, ["TJK"])
link("panj-kunduz", "panj-bridge", "kunduz", "road", "salang-corridor", 60, ["AFG"])
link("kunduz-kabul", "kunduz", "kabul", "road", "salang-corridor", 335, ["AFG"], max_elevation_m=3200)
link("kabul-torkham", "kabul", "torkham", "road", "torkham-corridor", 226, ["AFG"])
link("torkham-peshawar", "torkham", "peshawar", "road", "torkham-corridor", 53, ["PAK"])
link("khorog-ishkashim", "khorog", "ishkashim-tj", "road", "pamir-highway", 105, ["TJK"], max_elevation_m=2600)
link("ishkashim-tj-bridge", "ishkashim-tj", "ishkashim-bridge", "road", "pamir-highway", 4, ["TJK"])
link("bridge-ishkashim", "ishkashim-bridge", "ishkashim", "road", "wakhan-road", 3, ["AFG"], region="wakhan")
link(
    "wakhan-ishkashim-sarhad",
    "ishkashim",
    "sarhad",
    "road",
    "wakhan-road",
    215,
    ["AFG"],
    region="wakhan",
    road_class="track",
    max_elevation_m=3300,
)
link(
    "wakhan-sarhad-broghil",
    "sarhad",
    "broghil",
    "road",
    "wakhan-road",
    15,
    ["AFG"],
    status="proposed",
    region="wakhan",
    max_elevation_m=3798,
)
link(
    "broghil-chitral",
    "broghil",
    "chitral",
    "road",
    "wakhan-road",
    250,
    ["PAK"],
    status="proposed",
    max_elevation_m=3798,
)
link("chitral-peshawar", "chitral", "peshawar", "road", "chitral-road", 330, ["PAK"], max_elevation_m=2700)


def fc(features):
    return json.dumps({"type": "FeatureCollection", "features": features}, indent=1, ensure_ascii=False) + "\n"


(out / "places" / "mini.geojson").write_text(fc(list(P.values())))
(out / "links" / "mini.geojson").write_text(fc(L))
(out / "sources" / "mini.toml").write_text("""[fixture]
title = "Test fixture: figures shaped like the real network, not data"
publisher = "routes test suite"
date = "2026"
kind = "estimate"
""")
(out / "rules.toml").write_text("""# Fixture rules: round numbers for tests, not data.
[payload_t.truck]
value = 20
sources = ["fixture"]

[road_speed_kmh]
TJK = { value = 35.0, sources = ["fixture"] }
AFG = { value = 34.0, sources = ["fixture"] }
PAK = { value = 25.0, sources = ["fixture"] }
CHN = { value = 45.0, sources = ["fixture"] }

[rail_speed_kmh]
PAK = { value = 30.0, sources = ["fixture"] }

[road_cost_usd_per_tkm]
TJK = { value = 0.058, sources = ["fixture"] }
AFG = { value = 0.06, sources = ["fixture"] }
PAK = { value = 0.055, sources = ["fixture"] }
CHN = { value = 0.05, sources = ["fixture"] }

[rail_cost_usd_per_tkm]
PAK = { value = 0.03, sources = ["fixture"] }

[border_default]
TJK = { hours = 4.1, cost_usd = 85, cost_basis = "truck", sources = ["fixture"] }
AFG = { hours = 19.5, cost_usd = 240, cost_basis = "truck", sources = ["fixture"] }
PAK = { hours = 28.2, cost_usd = 238, cost_basis = "truck", sources = ["fixture"] }
CHN = { hours = 5.0, cost_usd = 100, cost_basis = "truck", sources = ["fixture"] }

[transfer]
hours = 24
cost_usd = 5
cost_basis = "tonne"
sources = ["fixture"]

[transshipment]
hours = 48
cost_usd = 10
cost_basis = "tonne"
sources = ["fixture"]

[handling]
hours = 72
cost_usd = 8
cost_basis = "tonne"
sources = ["fixture"]
""")
for name, body in {
    "baseline": 'title = "Baseline"\ndescription = "Today\'s operational network."\n',
    "afghanistan-closed": 'title = "Afghanistan closed"\n[close]\ncountries = ["AFG"]\n',
    "afghanistan-mainland-closed": (
        'title = "Afghanistan closed except the Wakhan"\n[close]\ncountries = ["AFG"]\nexcept_regions = ["wakhan"]\n'
    ),
    "wakhan-built": 'title = "Wakhan road built"\n[build]\ncorridors = ["wakhan-road"]\n',
    "winter": 'title = "Winter"\nmonth = 1\n',
    "kkh-closed": 'title = "KKH closed"\n[close]\ncorridors = ["karakoram-highway"]\n',
    "torkham-closed": 'title = "Torkham closed"\n[close]\nplaces = ["torkham"]\n',
    "all-proposals-built": (
        'title = "All proposals built"\n[build]\nstatuses = ["under_construction", "planned", "proposed"]\n'
    ),
}.items():
    (out / "scenarios" / f"{name}.toml").write_text(body)
print("ok")
