"""Briefs of the analyses: the page holds what the JSON holds, cites every element, escapes data.

On the fixture network: on the shipped one the engine fails on air links until the
engine-air branch lands (tests/test_analyses.py).
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import threading
from pathlib import Path

import networkx as nx
import pytest
from maps_support import EVIL_PLACE, make_evil_data

import routes
from routes.cli import main

MINI = str(Path(__file__).resolve().parent / "data" / "mini")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def crit(mini: nx.MultiGraph) -> routes.AnalysisBrief:
    c = routes.criticality(mini, od="cities", by="time", scenario="afghanistan-closed", corridors=True)
    return routes.criticality_brief(mini, c, top=8)


@pytest.fixture(scope="module")
def ports(mini: nx.MultiGraph) -> routes.AnalysisBrief:
    t = routes.port_catchment(mini, ["baseline", "afghanistan-closed"], by="time")
    return routes.ports_brief(mini, t)


def cited_sources(G: nx.MultiGraph, element: dict[str, object]) -> set[str]:
    """The source ids the data gives an element (from the graph, not from the brief)."""
    eid, kind = str(element["element"]), element["type"]
    if kind == "link":
        return {c["id"] for _, _, k, d in G.edges(keys=True, data=True) if k == eid for c in d["sources"]}
    if kind == "corridor":
        return {c["id"] for _, _, d in G.edges(data=True) if d["corridor"] == eid for c in d["sources"]}
    d = G.nodes[eid]
    return {c["id"] for c in d["sources"]} | {c["id"] for r in d.get("dwell", ()) for c in r["sources"]}


@pytest.fixture(scope="module")
def appr(mini: nx.MultiGraph) -> routes.AnalysisBrief:
    return routes.appraisal_brief(mini, routes.appraise(mini, od="cities", by="cost"))


@pytest.mark.parametrize("which", ["crit", "ports", "appr"])
def test_every_element_cites_exactly_its_sources(
    which: str, request: pytest.FixtureRequest, mini: nx.MultiGraph
) -> None:
    b: routes.AnalysisBrief = request.getfixturevalue(which)
    by_number = {c.number: c.id for c in b.bibliography}
    assert sorted(by_number) == list(range(1, len(by_number) + 1))
    for x in b.data["elements"]:
        assert {by_number[n] for n in x["sources"]} == cited_sources(mini, x), x["element"]
    for c in b.bibliography:  # and every entry says who cites it
        assert c.cited_by
        assert c.entry, f"{c.id} is not in the bibliography"


def test_criticality_brief_matches_the_ranking(crit: routes.AnalysisBrief, mini: nx.MultiGraph) -> None:
    c = crit.table
    elements = crit.data["elements"]
    assert [x["element"] for x in elements] == list(c.element)
    assert [x["rank"] for x in elements] == list(range(1, len(c) + 1))
    assert {x["type"] for x in elements} == {"link", "crossing", "corridor"}
    for x, r in zip(elements, c.to_dict("records"), strict=True):
        assert x["pairs_disconnected"] == r["pairs_disconnected"]
        assert x["added_hours_total"] == round(r["added_hours_total"], 2)
        if x["type"] == "link":
            u, v = x["from"], x["to"]
            assert x["length_km"] == round(mini.edges[u, v, x["element"]]["length_km"], 1)
        if x["type"] == "crossing":
            assert len(x["dwell"]) == len(mini.nodes[x["element"]]["dwell"])
    q = crit.question
    assert q["scenarios"] == ["afghanistan-closed"]
    assert q["by"] == "time"
    assert q["corridors"] is True
    assert {p["id"] for p in q["od_places"]} == set(c.attrs["od"])


def test_criticality_page_shows_the_top_rows_and_only_their_sources(
    crit: routes.AnalysisBrief, mini: nx.MultiGraph
) -> None:
    page = routes.analysis_brief_html(crit, mini)
    table = page[page.index("id='ranked-table'") : page.index("</table>", page.index("id='ranked-table'"))]
    shown = crit.data["elements"][: crit.top]
    assert table.count("<tr>") == 1 + len(shown)
    for x in shown:
        assert f"<code>{x['element']}</code>" in page
    ids = {x["element"] for x in shown}  # a corridor may share its id with one of its links
    hidden = [x for x in crit.data["elements"][crit.top :] if x["element"] not in ids]
    assert hidden
    assert all(f"<code>{x['element']}</code>" not in page for x in hidden)
    numbers = {n for x in shown for n in x["sources"]}
    listed = {int(n) for n in re.findall(r"<li id='src-(\d+)'", page)}
    assert listed == numbers == set(range(1, max(numbers) + 1))  # the first rows cite the first numbers
    assert "srcdoc=" in page
    assert "<svg" in page
    assert "@page{size:A4" in page


def test_ports_brief_lists_the_crossings_on_the_best_routes(ports: routes.AnalysisBrief, mini: nx.MultiGraph) -> None:
    crossings = {x["element"]: x for x in ports.data["elements"] if x["type"] == "crossing"}
    for city in ports.data["cities"]:
        for r in city["by_scenario"]:
            if r["best_port"] is None:
                continue
            route = routes.shortest_route(mini, city["city"]["id"], r["best_port"], scenario=r["scenarios"], by="time")
            assert r["best_hours"] == round(route.total_hours, 2)
            for cid in route.border_crossings:
                users = {tuple(u["scenarios"]): u["cities"] for u in crossings[cid]["cities"]}
                assert city["city"]["id"] in users[tuple(r["scenarios"])]
    seaports = [x for x in ports.data["elements"] if x["type"] == "seaport"]
    assert [x["element"] for x in seaports] == [p["id"] for p in ports.question["ports"]]
    page = routes.analysis_brief_html(ports, mini)
    assert page.count("<tr><td>") >= len(ports.data["cities"]) + len(ports.data["elements"])


def test_appraisal_brief_lists_every_unbuilt_link_of_each_project(
    appr: routes.AnalysisBrief, mini: nx.MultiGraph
) -> None:
    a = appr.table
    assert [x["project"] for x in appr.data["projects"]] == list(a.project)
    for x in appr.data["projects"]:
        want = {k for _, _, k, d in mini.edges(keys=True, data=True)
                if d["corridor"] == x["project"] and d["status"] != "operational"}  # fmt: skip
        assert set(x["links"]) == want
        km = sum(mini.edges[u, v, k]["length_km"] for u, v, k in mini.edges(keys=True) if k in want)
        assert x["new_km"] == round(km, 1)
        assert x["alone"]["hours_saved"] >= 0
    assert [e["element"] for e in appr.data["elements"]] == [k for x in appr.data["projects"] for k in x["links"]]
    page = routes.analysis_brief_html(appr, mini)
    for x in appr.data["elements"]:
        assert f"<code>{x['element']}</code>" in page


@pytest.mark.parametrize("which", ["crit", "ports", "appr"])
def test_page_is_self_contained(which: str, request: pytest.FixtureRequest, mini: nx.MultiGraph) -> None:
    page = routes.analysis_brief_html(request.getfixturevalue(which), mini)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page, re.I)


def test_json_holds_the_brief(tmp_path: Path) -> None:
    argv = ["criticality", "--data", MINI, "--od", "cities", "--top", "4", "--brief", str(tmp_path / "b.html")]
    code, out, err = run(*argv, "--json")
    assert code == 0, err
    doc = json.loads(out)
    G = routes.load_network(MINI)
    want = routes.criticality_brief(G, routes.criticality(G, od="cities"), top=4).to_dict()
    assert {k: doc[k] for k in want} == json.loads(json.dumps(want))
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    for x in doc["elements"][:4]:
        assert x["name"] in page
    code, out, err = run("ports", "--data", MINI, "-s", "baseline", "-s", "afghanistan-closed", "--json")
    assert code == 0, err
    doc = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert [x["scenarios"] for x in doc["question"]["compared"]] == [["baseline"], ["afghanistan-closed"]]
    assert any(r["best_port"] is None for c in doc["cities"] for r in c["by_scenario"])  # cut off: null, not NaN
    code, out, err = run("appraise", "--data", MINI, "--od", "cities", "--json")
    assert code == 0, err
    want = routes.appraisal_brief(G, routes.appraise(G, od="cities")).to_dict()
    assert {k: json.loads(out)[k] for k in want} == json.loads(json.dumps(want))


@pytest.mark.parametrize(
    ("argv", "heading"),
    [
        (["criticality", "--od", "cities"], "n-1 criticality  ·"),
        (["ports"], "Best seaport by time"),
        (["appraise", "--od", "cities"], "Project appraisal  ·"),
    ],
)
def test_the_table_is_printed_beside_the_brief(argv: list[str], heading: str, tmp_path: Path) -> None:
    page = tmp_path / "brief.html"
    code, out, err = run(*argv, "--data", MINI, "--brief", str(page))
    assert code == 0, err
    assert out.startswith(heading)
    assert out.endswith(f"Brief written to {page}\n")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, out, err = run(*argv, "--data", MINI, "--brief", str(page), "--csv")
    assert code == 0, err
    assert "," in out.splitlines()[0]
    assert "Brief written" not in out


def test_data_text_is_escaped(mini_dir: Path, tmp_path: Path) -> None:
    G = routes.load_network(make_evil_data(mini_dir, tmp_path / "geodata"))
    c = routes.criticality(G, od=["kunduz", "Peshawar", "Karachi", "Dushanbe"])
    t = routes.port_catchment(G, ["baseline", "torkham-closed"], cities=["kunduz", "Dushanbe"])
    a = routes.appraise(G, od=["kunduz", "Peshawar", "Chitral", "Ishkashim, AFG"])
    for b in (routes.criticality_brief(G, c), routes.ports_brief(G, t), routes.appraisal_brief(G, a)):
        page = routes.analysis_brief_html(b, G)
        assert EVIL_PLACE not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<script>alert" not in page


def test_cli_writes_the_page_through_links_and_pipes(tmp_path: Path) -> None:
    target = tmp_path / "real.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    (tmp_path / "link.html").symlink_to("real.html")
    code, out, err = run("ports", "--data", MINI, "--brief", str(tmp_path / "link.html"))
    assert code == 0, err
    assert f"Brief written to {tmp_path / 'link.html'}" in out
    assert (tmp_path / "link.html").is_symlink()
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run("criticality", "--data", MINI, "--od", "cities", "--brief", str(fifo), "--map", "-")
    reader.join(10)
    assert code == 0, err
    assert got[0].startswith(b"<!DOCTYPE html>")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "pipe", "real.html"]


def test_dash_puts_the_page_on_stdout_instead_of_the_table() -> None:
    code, out, err = run("criticality", "--data", MINI, "--od", "cities", "--brief", "-")
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>")
    assert "n-1 criticality  ·" not in out
    code, out, err = run("matrix", "--data", MINI, "--origins", "Dushanbe", "--map", "-")
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>")


def test_bad_output_path_fails_before_the_sweep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object, **__: object) -> None:
        raise AssertionError("the sweep ran")

    monkeypatch.setattr("routes.critical_links.criticality", boom)
    code, out, err = run("criticality", "--data", MINI, "--brief", str(tmp_path / "no" / "b.html"))
    assert (code, out) == (73, "")
    assert "does not exist" in err


@pytest.mark.parametrize("argv", [["criticality", "--od", "cities"], ["ports"], ["matrix", "--origins", "Dushanbe"]])
def test_month_override_is_a_note(argv: list[str]) -> None:
    code, out, err = run(*argv, "--data", MINI, "-s", "winter", "--month", "7", "--json")
    assert code == 0, err
    note = "--month 7 overrides the month of scenario winter (1)"
    assert json.loads(out)["notes"] == [note]
    assert err == f"note: {note}\n"
