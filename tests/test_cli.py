"""The command line through main([...]): output, JSON fields, exit codes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from routes.cli import main

MINI = str(Path(__file__).resolve().parent / "data" / "mini")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_route_text() -> None:
    code, out, err = run("route", "Dushanbe", "Karachi", "--data", MINI)
    assert code == 0, err
    assert "Dushanbe (TJK) → Karachi (PAK)" in out
    assert "Panji Poyon bridge" in out
    assert "distance      2,429 km" in out
    assert "crossings     2: Panji Poyon bridge, Torkham" in out
    assert "months open   all year" in out


def test_route_json_fields() -> None:
    code, out, _ = run("route", "Dushanbe", "Karachi", "--data", MINI, "--json", "--scenario", "afghanistan-closed")
    assert code == 0
    envelope = json.loads(out)
    assert envelope["schema_version"] == "1.3"
    assert envelope["kind"] == "route"
    assert envelope["reachable"] is True
    assert envelope["origin"] == {"id": "dushanbe", "name": "Dushanbe", "country": "TJK", "kind": "city"}
    (doc,) = envelope["routes"]
    for key in (
        "origin",
        "destination",
        "by",
        "scenarios",
        "month",
        "total_km",
        "total_hours",
        "total_cost_usd_per_t",
        "places",
        "legs",
        "countries",
        "border_crossings",
        "max_elevation_m",
        "unbuilt_links",
        "sources",
    ):
        assert key in doc, key
    assert doc["origin"] == envelope["origin"]
    assert doc["scenarios"] == envelope["scenarios"] == ["afghanistan-closed"]
    assert doc["by"] == "distance"
    assert set(doc["places"][0]) == {"id", "name", "country", "kind"}
    assert set(doc["legs"][0]) >= {"from", "to", "link", "mode", "corridor", "status", "km", "hours", "cost_usd_per_t"}
    assert doc["border_crossings"] == ["kulma", "khunjerab"]
    assert doc["countries"] == ["TJK", "CHN", "PAK"]
    assert doc["sources"] == ["fixture"]


def test_route_alternatives_json() -> None:
    code, out, _ = run("route", "Dushanbe", "Karachi", "--data", MINI, "--json", "--alternatives", "3")
    assert code == 0
    doc = json.loads(out)
    assert len(doc["routes"]) == 3
    assert doc["routes"][0]["total_km"] <= doc["routes"][1]["total_km"]


def test_route_csv() -> None:
    code, out, _ = run("route", "Dushanbe", "Karachi", "--data", MINI, "--csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == ("route,scenarios,seq,row,from,to,link,place,event,mode,corridor,status,km,hours,cost_usd_per_t")
    assert lines[1].startswith("1,baseline,1,leg,dushanbe,panj-bridge,dushanbe-panj,,,road,")
    rows = [line.split(",") for line in lines[1:]]
    # 7 legs, the border stops at the two crossings and the handling at the port, in travel order.
    assert [r[3] for r in rows].count("leg") == 7
    assert [(r[7], r[8]) for r in rows if r[3] == "stop"] == [
        ("panj-bridge", "border"),
        ("torkham", "border"),
        ("karachi", "handling"),
    ]
    # The rows add up to the totals the JSON gives (each row rounded to 0.01).
    _, js, _ = run("route", "Dushanbe", "Karachi", "--data", MINI, "--json")
    (route,) = json.loads(js)["routes"]
    assert sum(float(r[13]) for r in rows) == pytest.approx(route["total_hours"], abs=0.005 * len(rows))
    assert sum(float(r[14]) for r in rows) == pytest.approx(route["total_cost_usd_per_t"], abs=0.005 * len(rows))


def test_compare_text_and_json() -> None:
    code, out, err = run(
        "compare", "Dushanbe", "Karachi", "--data", MINI,
        "-s", "baseline", "-s", "afghanistan-closed", "-s", "afghanistan-closed+winter",
    )  # fmt: skip
    assert code == 0, err
    assert "3,507 (+1,078)" in out
    assert "no route" in out
    assert "Khunjerab Pass is closed in Jan" in out
    code, out, _ = run(
        "compare", "Dushanbe", "Karachi", "--data", MINI, "--json", "-s", "baseline", "-s", "afghanistan-closed+winter"
    )
    doc = json.loads(out)
    assert set(doc) == {"schema_version", "kind", "notes", "origin", "destination", "by", "month", "results"}
    assert doc["kind"] == "comparison"
    assert doc["origin"] == {"id": "dushanbe", "name": "Dushanbe", "country": "TJK", "kind": "city"}
    first, second = doc["results"]
    assert first["scenarios"] == ["baseline"]
    assert first["reachable"] is True
    assert first["reason"] is None
    assert first["route"]["total_km"] == 2429
    assert second["route"] is None
    assert second["closures"]
    assert second["reachable"] is False
    assert "Kulma Pass is closed in Jan" in second["reason"]


def test_compare_default_headline_set() -> None:
    code, out, _ = run("compare", "Dushanbe", "Karachi", "--data", MINI, "--json")
    assert code == 0
    names = [r["scenarios"] for r in json.loads(out)["results"]]
    assert names == [["baseline"], ["afghanistan-closed"], ["wakhan-built"], ["winter"]]


def test_compare_csv() -> None:
    code, out, _ = run(
        "compare", "Dushanbe", "Karachi", "--data", MINI, "--csv", "-s", "baseline", "-s", "afghanistan-closed"
    )
    assert code == 0
    rows = out.strip().splitlines()
    assert rows[0].startswith("scenarios,reachable,total_km,total_hours,total_days,total_cost_usd_per_t")
    assert rows[2].startswith("afghanistan-closed,True,3507.0")


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["route", "Dushanbe", "Karachy"], 2, "Did you mean: Karachi"),
        (["route", "Dushanbe", "Ishkashim"], 2, "ambiguous"),
        (["route", "Dushanbe", "Karachi", "--month", "13"], 2, "month must be a number from 1 to 12"),
        (["route", "Dushanbe", "Karachi", "--scenario", "afganistan-closed"], 2, "Built-in scenarios: "),
        (["route", "Dushanbe", "Karachi", "--scenario", "missing.toml"], 2, "does not exist"),
        (["route", "Dushanbe", "Karachi", "--avoid-country", "XX"], 2, "unknown country 'XX'"),
        (["route", "Dushanbe", "Karachi", "--mode", "boat"], 2, "modes are road, rail, sea"),
        (["route", "Dushanbe", "Karachi", "--by", "beauty"], 2, "invalid choice"),
        (
            ["route", "Dushanbe", "Karachi", "--scenario", "afghanistan-closed+winter"],
            3,
            "Khunjerab Pass is closed in Jan",
        ),
        (["route", "Kabul", "Karachi", "--scenario", "afghanistan-closed"], 3, "Afghanistan is closed"),
        (["frobnicate"], 2, "invalid choice"),
    ],
)
def test_bad_input_exit_codes(argv: list[str], code: int, needle: str) -> None:
    got, out, err = run(*argv, "--data", MINI) if argv[0] != "frobnicate" else run(*argv)
    assert got == code, (out, err)
    assert needle in err
    assert "Traceback" not in err


def test_malformed_scenario_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[close]\ncountries = "AFG"\nplaces = [1]\n')
    code, _, err = run("route", "Dushanbe", "Karachi", "--data", MINI, "--scenario", str(bad))
    assert code == 2
    assert f"{bad}:4 | close.places: expected a list of strings" in err


def test_invalid_data_folder_exit_4(tmp_path: Path) -> None:
    data = tmp_path / "geodata"
    shutil.copytree(MINI, data)
    path = data / "links" / "mini.geojson"
    path.write_text(path.read_text().replace('"to": "kabul"', '"to": "kabool"', 1))
    code, _, err = run("route", "Dushanbe", "Karachi", "--data", str(data))
    assert code == 4
    assert "unknown place 'kabool'" in err
    code, _, err = run("route", "Dushanbe", "Karachi", "--data", str(tmp_path / "nowhere"))
    assert code == 4
    assert "no such folder" in err


def test_debug_shows_traceback_for_internal_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    import routes.cli as cli

    def boom(*_: object) -> int:
        raise RuntimeError("kaboom")

    monkeypatch.setitem(cli.COMMANDS, "places", boom)
    code, _, err = run("places", "--data", MINI)
    assert code == 70
    assert "internal error: RuntimeError: kaboom" in err
    with pytest.raises(RuntimeError):
        main(["places", "--data", MINI, "--debug"], out=io.StringIO(), err=io.StringIO())


def test_scenarios_list_and_show() -> None:
    code, out, _ = run("scenarios", "--data", MINI)
    assert code == 0
    assert "afghanistan-mainland-closed" in out
    code, out, _ = run("scenarios", "show", "afghanistan-mainland-closed", "--data", MINI)
    assert code == 0
    assert "closes country AFG (except region wakhan)" in out
    code, _, err = run("scenarios", "show", "nope", "--data", MINI)
    assert code == 2
    assert "Unknown scenario 'nope'" in err


def test_places() -> None:
    code, out, _ = run("places", "kh", "--data", MINI)
    assert code == 0
    assert "khorog" in out
    assert "khunjerab" in out
    code, out, _ = run("places", "--kind", "pass", "--json", "--data", MINI)
    assert {p["id"] for p in json.loads(out)["places"]} == {"kulma", "khunjerab", "broghil"}
    code, _, err = run("places", "zzzz", "--data", MINI)
    assert code == 2
    assert "Unknown place 'zzzz'" in err


def test_validate(tmp_path: Path) -> None:
    code, out, _ = run("validate", MINI)
    assert code == 0
    assert "No problems" in out
    data = tmp_path / "geodata"
    shutil.copytree(MINI, data)
    path = data / "places" / "mini.geojson"
    path.write_text(path.read_text().replace('"kind": "pass"', '"kind": "col"', 1))
    code, out, _ = run("validate", str(data))
    assert code == 1
    assert "kind: unknown value 'col'" in out
    assert "1 problem(s)" in out


def test_export_geojson_and_gpkg(tmp_path: Path) -> None:
    target = tmp_path / "net.geojson"
    code, out, _ = run(
        "export", "--format", "geojson", "-o", str(target), "--data", MINI, "--scenario", "afghanistan-closed"
    )
    assert code == 0, out
    doc = json.loads(target.read_text())
    layers = {f["properties"]["layer"] for f in doc["features"]}
    assert layers == {"place", "link"}
    assert not any(
        f["properties"].get("country") == "AFG" for f in doc["features"] if f["properties"]["layer"] == "place"
    )
    gpkg = tmp_path / "net.gpkg"
    code, _, err = run("export", "--format", "gpkg", "-o", str(gpkg), "--data", MINI)
    assert code == 0, err
    import pyogrio

    layers_found = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {"places", "links"} <= layers_found
    links = pyogrio.read_dataframe(gpkg, layer="links")
    assert len(links) == 23
    assert not list(tmp_path.glob(".*tmp*"))


def test_failed_export_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import routes.export as export

    def broken(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.json, "dump", broken)
    target = tmp_path / "net.geojson"
    code, _, err = run("export", "--format", "geojson", "-o", str(target), "--data", MINI)
    assert code == 73
    assert f"cannot write {target}: no space left on device" in err
    assert list(tmp_path.iterdir()) == []


def test_sources() -> None:
    code, out, _ = run("sources", "--data", MINI)
    assert code == 0
    assert "fixture: Test fixture" in out
    code, out, _ = run("sources", "khunjerab", "--data", MINI)
    assert "Sources behind place khunjerab (Khunjerab Pass)" in out
    code, out, _ = run("sources", "--route", "Dushanbe", "Karachi", "--data", MINI, "--json")
    assert [s["id"] for s in json.loads(out)["sources"]] == ["fixture"]


def test_help_has_examples() -> None:
    for cmd in ("route", "compare", "scenarios", "places", "validate", "export", "sources", "map"):
        code, out, _ = run(cmd, "--help")
        assert code == 0
        assert "examples:" in out, cmd


def test_console_script_runs() -> None:
    exe = Path(sys.executable).parent / "routes"
    assert exe.exists(), "the routes console script is installed with the package"
    proc = subprocess.run(
        [str(exe), "route", "Dushanbe", "Karachi", "--data", MINI, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["destination"]["id"] == "karachi"
    proc = subprocess.run(
        [str(exe), "route", "Dushanbe", "Atlantis", "--data", MINI], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "Unknown place 'Atlantis'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_output_into_missing_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "net.gpkg"
    code, _, err = run("export", "--format", "gpkg", "-o", str(target), "--data", MINI)
    assert code == 73
    assert f"the folder {tmp_path / 'no' / 'such'} does not exist (create it first)" in err
    assert not (tmp_path / "no").exists()
    code, _, err = run("route", "Dushanbe", "Karachi", "--data", MINI, "--map", str(tmp_path))
    assert code == 73
    assert "it is a folder; give a file name inside it" in err


def test_route_map_is_written(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    code, out, _ = run("route", "Dushanbe", "Karachi", "--data", MINI, "--map", str(target), "-k", "2")
    assert code == 0
    assert f"Map written to {target}" in out
    html = target.read_text(encoding="utf-8")
    assert "route 1 (baseline)" in html
    assert "route 2 (baseline)" in html


def test_compare_map_with_scenario_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # A file named like a built-in is the file, labelled by its path: here it closes nothing.
    shutil.copy(Path(MINI) / "scenarios" / "baseline.toml", tmp_path / "afghanistan-closed.toml")
    shutil.copy(Path(MINI) / "scenarios" / "afghanistan-closed.toml", tmp_path / "mine.toml")
    target = tmp_path / "c.html"
    code, out, err = run(
        "compare", "Dushanbe", "Karachi", "--data", MINI, "--json", "--map", str(target),
        "-s", "./afghanistan-closed.toml", "-s", "mine.toml", "-s", "afghanistan-closed",
    )  # fmt: skip
    assert code == 0, err
    results = json.loads(out)["results"]
    assert [r["scenarios"] for r in results] == [["./afghanistan-closed.toml"], ["mine"], ["afghanistan-closed"]]
    assert "AFG" in results[0]["route"]["countries"]
    assert "AFG" not in results[1]["route"]["countries"]
    assert results[1]["route"] == results[2]["route"] | {"scenarios": ["mine"]}
    assert "mine" in target.read_text(encoding="utf-8")


def test_scenario_names_ignore_case() -> None:
    code, out, _ = run("route", "Dushanbe", "Karachi", "--data", MINI, "--json", "-s", "Afghanistan-Closed")
    assert code == 0
    assert json.loads(out)["scenarios"] == ["afghanistan-closed"]


def test_sources_takes_several_ids() -> None:
    code, out, _ = run("sources", "khunjerab", "fixture", "--data", MINI, "--json")
    assert code == 0
    items = json.loads(out)["items"]
    assert [(i["query"], i["type"]) for i in items] == [("khunjerab", "place"), ("fixture", "source")]
    assert "khunjerab" in items[1]["cited_by"]
