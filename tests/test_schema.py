"""The validator: every kind of problem, reported with file, feature and field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import routes


def edit(folder: Path, layer: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
    path = folder / layer / "mini.geojson"
    doc = json.loads(path.read_text())
    change(doc["features"])
    path.write_text(json.dumps(doc))


def feature(features: list[dict[str, Any]], fid: str) -> dict[str, Any]:
    return next(f for f in features if f["properties"]["id"] == fid)


def messages(folder: Path) -> list[str]:
    return [str(p) for p in routes.validate(folder)]


def test_fixture_is_valid(mini_copy: Path) -> None:
    assert routes.validate(mini_copy) == []


def test_duplicate_ids(mini_copy: Path) -> None:
    edit(mini_copy, "places", lambda fs: fs.append(json.loads(json.dumps(feature(fs, "kabul")))))
    assert any("places/mini.geojson | kabul | id: duplicate id" in m for m in messages(mini_copy))


def test_unknown_endpoint(mini_copy: Path) -> None:
    edit(mini_copy, "links", lambda fs: feature(fs, "kunduz-kabul")["properties"].update({"to": "kabool"}))
    assert any("kunduz-kabul | to: unknown place 'kabool'" in m for m in messages(mini_copy))


def test_endpoint_far_from_place(mini_copy: Path) -> None:
    def move(fs: list[dict[str, Any]]) -> None:
        feature(fs, "kunduz-kabul")["geometry"]["coordinates"][-1] = [69.5, 34.6]

    edit(mini_copy, "links", move)
    assert any(
        "kunduz-kabul | geometry: the geometry's end is" in m and "from its place 'kabul'" in m
        for m in messages(mini_copy)
    )


def test_coordinates_out_of_range_and_swapped(mini_copy: Path) -> None:
    def bad(fs: list[dict[str, Any]]) -> None:
        feature(fs, "kabul")["geometry"]["coordinates"] = [34.53, 69.17]  # lat, lon
        feature(fs, "kunduz")["geometry"]["coordinates"] = [268.86, 36.73]

    edit(mini_copy, "places", bad)
    msgs = messages(mini_copy)
    assert any("kabul | geometry:" in m and "longitude and latitude look swapped" in m for m in msgs)
    assert any("kunduz | geometry: coordinate" in m and "out of range" in m for m in msgs)


def test_unknown_enum_values(mini_copy: Path) -> None:
    edit(
        mini_copy,
        "places",
        lambda fs: feature(fs, "kabul")["properties"].update({"kind": "metropolis", "country": "AF"}),
    )
    edit(mini_copy, "links", lambda fs: feature(fs, "kunduz-kabul")["properties"].update({"status": "dreamt"}))
    msgs = messages(mini_copy)
    assert any("kabul | kind: unknown value 'metropolis'" in m for m in msgs)
    assert any("kabul | country: unknown value 'AF'" in m for m in msgs)
    assert any("kunduz-kabul | status: unknown value 'dreamt'" in m for m in msgs)


def test_length_against_geometry(mini_copy: Path) -> None:
    edit(mini_copy, "links", lambda fs: feature(fs, "kunduz-kabul")["properties"].update({"length_km": 900}))
    assert any(
        "kunduz-kabul | length_km: 900 km is" in m and "expected 1.0-1.6 or a length_note" in m
        for m in messages(mini_copy)
    )
    # A length_note saying why silences it.
    edit(
        mini_copy, "links", lambda fs: feature(fs, "kunduz-kabul")["properties"].update({"length_note": "switchbacks"})
    )
    assert not any("kunduz-kabul | length_km" in m for m in messages(mini_copy))


def test_straight_line_geometry(mini_copy: Path) -> None:
    def straighten(fs: list[dict[str, Any]]) -> None:
        coords = feature(fs, "kunduz-kabul")["geometry"]["coordinates"]
        feature(fs, "kunduz-kabul")["geometry"]["coordinates"] = [coords[0], coords[-1]]

    edit(mini_copy, "links", straighten)
    assert any("kunduz-kabul | geometry: a straight line over" in m for m in messages(mini_copy))

    # Declared as straight because no source gives the alignment: accepted, never a made-up bend.
    def declare(basis: str) -> None:
        edit(mini_copy, "links", lambda fs: feature(fs, "kunduz-kabul")["properties"].update({"geometry_basis": basis}))

    declare("straight")
    assert not any("kunduz-kabul | geometry" in m for m in messages(mini_copy))
    declare("bent")
    assert any("kunduz-kabul | geometry_basis" in m for m in messages(mini_copy))


def test_unknown_source_and_bad_seed_quote(mini_copy: Path) -> None:
    (mini_copy / "sources" / "seeds.toml").write_text(
        '[seed-003]\ntitle = "paper"\nauthor = "x"\nkind = "seed"\nseed = "003_56c17d5bf4847eda.txt"\n'
    )

    def cite(fs: list[dict[str, Any]]) -> None:
        feature(fs, "murghab")["properties"]["sources"] = [
            "nowhere-2020",
            {"id": "seed-003", "quote": "the Maghob-Kulma route, which connects the country to the Karakoram Highway"},
            {"id": "seed-003", "quote": "the Murghab-Kulma superhighway"},
            {"id": "seed-003"},
        ]

    edit(mini_copy, "places", cite)
    msgs = messages(mini_copy)
    assert any("murghab | sources[0]: unknown source id 'nowhere-2020'" in m for m in msgs)
    assert not any("sources[1]" in m for m in msgs)  # the real quote is found
    assert any("murghab | sources[2].quote: quote not found in seeds/003_56c17d5bf4847eda.txt" in m for m in msgs)
    assert any("murghab | sources[3]: a seed citation (seed-003) needs a verbatim quote" in m for m in msgs)


def test_islands(mini_copy: Path) -> None:
    def island(fs: list[dict[str, Any]]) -> None:
        new = json.loads(json.dumps(feature(fs, "kabul")))
        new["properties"]["id"] = "lonely-town"
        new["geometry"]["coordinates"] = [70.0, 35.0]
        fs.append(new)

    edit(mini_copy, "places", island)
    assert any("lonely-town: island: 1 place(s) no link joins" in m for m in messages(mini_copy))


def test_many_problems_reported_together(mini_copy: Path) -> None:
    edit(
        mini_copy,
        "links",
        lambda fs: feature(fs, "kunduz-kabul")["properties"].update({"to": "kabool", "mode": "zeppelin"}),
    )
    edit(mini_copy, "places", lambda fs: feature(fs, "kabul")["properties"].pop("name"))
    msgs = messages(mini_copy)
    assert len([m for m in msgs if "kunduz-kabul" in m]) >= 2
    assert any("kabul | name: missing" in m for m in msgs)


def test_invalid_json_names_the_line(mini_copy: Path) -> None:
    (mini_copy / "links" / "mini.geojson").write_text('{"type": "FeatureCollection",\n "features": [\n}')
    problems = routes.validate(mini_copy)
    assert problems[0].file.endswith("links/mini.geojson")
    assert problems[0].line == 3
    assert "not valid JSON" in problems[0].message


@pytest.mark.parametrize("folder", ["places", "links"])
def test_missing_layer_folder(mini_copy: Path, folder: str) -> None:
    import shutil

    shutil.rmtree(mini_copy / folder)
    with pytest.raises(routes.InvalidDataError, match=f"no {folder}/ folder"):
        routes.validate(mini_copy)


def test_passes_state_elevation_and_season(mini_copy: Path) -> None:
    def strip(fs: list[dict[str, Any]]) -> None:
        props = feature(fs, "broghil")["properties"]
        props.pop("season_note")
        props.pop("elevation_m")

    edit(mini_copy, "places", strip)
    msgs = messages(mini_copy)
    assert any("broghil | elevation_m: a pass needs its elevation" in m for m in msgs)
    assert any("broghil | season_note: a pass or tunnel states its season" in m for m in msgs)


def test_length_shorter_than_the_straight_line_between_its_places(mini_copy: Path) -> None:
    # Kunduz-Kabul is about 245 km as the crow flies; no road between them can be shorter.
    edit(
        mini_copy,
        "links",
        lambda fs: feature(fs, "kunduz-kabul")["properties"].update({"length_km": 200, "length_note": "motorway only"}),
    )
    msgs = [m for m in messages(mini_copy) if "kunduz-kabul | length_km" in m]
    assert any(
        "200 km is shorter than the straight line between its places 'kunduz' and 'kabul' (24" in m for m in msgs
    ), msgs
    # A length_note excuses an unusual ratio to the geometry, never a road shorter than the straight line.
    edit(mini_copy, "links", lambda fs: feature(fs, "kunduz-kabul")["properties"].update({"length_km": 260}))
    assert not any("kunduz-kabul | length_km" in m for m in messages(mini_copy))


def test_operational_crossing_or_city_without_a_link(mini_copy: Path) -> None:
    def add(fs: list[dict[str, Any]]) -> None:
        for pid, kind, extra in (
            ("lonely-post", "crossing", {"border": ["PAK", "AFG"], "country": "PAK"}),
            ("lonely-town", "city", {}),
            ("planned-post", "crossing", {"border": ["PAK", "AFG"], "country": "PAK", "status": "proposed"}),
            ("lonely-junction", "junction", {}),
        ):
            new = json.loads(json.dumps(feature(fs, "kabul")))
            new["properties"].update({"id": pid, "kind": kind, **extra})
            new["geometry"]["coordinates"] = [70.0, 35.0]
            fs.append(new)

    edit(mini_copy, "places", add)
    msgs = messages(mini_copy)
    assert any("lonely-post: an operational border crossing with no link" in m for m in msgs)
    assert any("lonely-town: an operational city with no link" in m for m in msgs)
    # Only operational cities and crossings must be reached; the rest are still reported as islands.
    assert not any("planned-post: an operational" in m for m in msgs)
    assert not any("lonely-junction: an operational" in m for m in msgs)
    assert any("planned-post" in m and "island" in m for m in msgs)


def test_border_figures_outside_the_rule_window(mini_copy: Path) -> None:
    rules = mini_copy / "rules.toml"
    rules.write_text(
        rules.read_text().replace(
            'TJK = { hours = 4.1, cost_usd = 85, cost_basis = "truck", sources = ["fixture"] }',
            'TJK = { hours = 4.1, cost_usd = 85, cost_basis = "truck", year = 2022, sources = ["fixture"] }',
        )
        + '\n[border_rule]\nfirst_year = 2022\nlast_measured_year = { AFG = 2020 }\nsources = ["fixture"]\n'
    )

    def date(fs: list[dict[str, Any]]) -> None:
        feature(fs, "kulma")["properties"]["dwell"][0]["year"] = 2021
        dwell = feature(fs, "panj-bridge")["properties"]["dwell"]
        for year in (2020, 2019):
            dwell.append(
                {"event": "exit", "country": "AFG", "hours": 17.3, "year": year, "sources": [{"id": "fixture"}]}
            )
        dwell[1].pop("year")

    edit(mini_copy, "places", date)
    msgs = messages(mini_copy)
    assert any(
        "kulma | dwell[0].year: TJK exit figure from 2021 is outside the border rule's window "
        "(the window starts in 2022" in m
        for m in msgs
    ), msgs
    assert any("panj-bridge | dwell[1].year: a border figure states its year" in m for m in msgs)
    # Afghanistan's window is its last CPMM year: 2020 counts, 2019 does not.
    assert not any("panj-bridge | dwell[2].year" in m for m in msgs)
    assert any(
        "panj-bridge | dwell[3].year: AFG exit figure from 2019" in m and "last CPMM year, 2020" in m for m in msgs
    )
    # Country defaults: dated inside the window (TJK) or not at all (the others).
    assert not any("border_default.TJK" in m for m in msgs)
    assert any("border_default.PAK | year: year None is outside the border rule's window" in m for m in msgs)


def test_malformed_border_rule_is_reported_not_raised(mini_copy: Path) -> None:
    rules = mini_copy / "rules.toml"
    rules.write_text(rules.read_text() + "\n[border_rule]\nfirst_year = true\n")
    assert any("rules.toml | border_rule | first_year: expected first_year = YEAR" in m for m in messages(mini_copy))


def _add_world_port_and_lane(features_places: list[dict[str, Any]]) -> None:
    features_places.append(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.44, 51.9]},
            "properties": {
                "id": "rotterdam",
                "name": "Rotterdam",
                "country": "NLD",
                "kind": "seaport",
                "sources": [{"id": "fixture"}],
            },
        }
    )


def _lane(features_links: list[dict[str, Any]], mode: str = "sea", **extra: Any) -> None:
    coords = [[67.01, 24.86], [43.3, 12.7], [32.38, 30.32], [-5.35, 35.97], [4.44, 51.9]]
    length = round(schema_length(coords) * 1.001, 1)
    features_links.append(
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {
                "id": "karachi-rotterdam",
                "name": "Karachi - Rotterdam",
                "corridor": "lanes",
                "mode": mode,
                "status": "operational",
                "from": "karachi",
                "to": "rotterdam",
                "length_km": length,
                "length_basis": "estimate",
                "length_method": "geometry",
                "max_elevation_m": 0,
                "countries": [],
                "geometry_method": "fixture",
                "sources": [{"id": "fixture"}],
                **extra,
            },
        }
    )


def schema_length(coords: list[list[float]]) -> float:
    from routes.schema import geodesic_length_km

    return geodesic_length_km([(c[0], c[1]) for c in coords])


def test_sea_lanes_and_world_ports_may_leave_the_region(mini_copy: Path) -> None:
    edit(mini_copy, "places", _add_world_port_and_lane)
    edit(mini_copy, "links", _lane)
    assert messages(mini_copy) == []


def test_land_links_and_air_links_keep_their_rules(mini_copy: Path) -> None:
    edit(mini_copy, "places", _add_world_port_and_lane)
    edit(mini_copy, "links", lambda fs: _lane(fs, "road", road_class="highway"))
    msgs = messages(mini_copy)
    assert any("karachi-rotterdam | geometry: " in m and "outside the region covered" in m for m in msgs)


def test_air_links_need_airline_status_date_and_block_time(mini_copy: Path) -> None:
    edit(mini_copy, "places", _add_world_port_and_lane)
    edit(mini_copy, "links", lambda fs: _lane(fs, "air", service_status="flying"))
    msgs = messages(mini_copy)
    for needle in (
        "karachi-rotterdam | airline: missing",
        "karachi-rotterdam | service_status: ",
        "karachi-rotterdam | service_date: missing",
        "karachi-rotterdam | block_time_h: missing",
    ):
        assert any(needle in m for m in msgs), (needle, msgs)
