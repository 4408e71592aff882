"""Briefs of the analyses: the page holds what the JSON holds, cites every element, escapes data.

On the fixture network: on the shipped one the engine fails on air links until the
engine-air branch lands (tests/test_analyses.py).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
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


# --- ports --to: the best gateway port to each world market (on the shipped network) -----

GW_MARKETS = ["Rotterdam", "Jebel Ali"]
GW_CITIES = ["Dushanbe", "Lahore", "Almaty"]
GW_SCENARIOS = ["baseline", "red-sea-closed", "hormuz-closed"]


@pytest.fixture(scope="module")
def gw(G: nx.MultiGraph) -> routes.AnalysisBrief:
    t = routes.market_gateways(G, GW_MARKETS, GW_SCENARIOS, cities=GW_CITIES)
    return routes.gateways_brief(G, t)


def best_routes(G: nx.MultiGraph, b: routes.AnalysisBrief) -> dict[tuple[str, str, str], routes.Route]:
    """Each pair's best route under each scenario, forced through its best gateway, found afresh."""
    gateways = [g["id"] for g in b.question["gateways"]]
    lanes = {g: [k for _, _, k, d in G.edges(g, keys=True, data=True) if d["mode"] == "sea"] for g in gateways}
    found = {}
    for p in b.data["pairs"]:
        for r in p["by_scenario"]:
            best = r["best_gateway"]
            if best is None:
                continue
            other = [k for g in gateways if g != best for k in lanes[g]]
            route = routes.shortest_route(G, p["city"]["id"], p["market"]["id"], scenario=r["scenarios"], by="time",
                                          avoid_links=other)  # fmt: skip
            assert r["best_hours"] == round(route.total_hours, 2)
            found["+".join(r["scenarios"]), p["city"]["id"], p["market"]["id"]] = route
    return found


def test_gateways_brief_holds_the_json_of_ports_to(gw: routes.AnalysisBrief) -> None:
    argv = ["ports", "--to", ",".join(GW_MARKETS), "--cities", ",".join(GW_CITIES)]
    code, out, err = run(*argv, *(x for s in GW_SCENARIOS for x in ("-s", s)), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert json.loads(json.dumps(gw.question)) == doc["question"]
    assert json.loads(json.dumps(gw.data["pairs"])) == doc["pairs"]
    assert gw.to_dict()["bibliography"]


def test_gateways_answer_is_said_from_the_numbers(gw: routes.AnalysisBrief, G: nx.MultiGraph) -> None:
    pairs = gw.data["pairs"]
    first = [p["by_scenario"][0]["best_gateway"] for p in pairs]
    top = max(set(first), key=first.count)
    answer = gw.data["answer"]
    assert answer.startswith(
        f"Under baseline, the best gateway by time is {G.nodes[top]['name']} for {first.count(top)} of "
        f"{len(pairs)} city–market pairs"
    )
    for i, name in enumerate(GW_SCENARIOS[1:], start=1):
        rows = [p["by_scenario"][i] for p in pairs]
        cut = sum(r["cut_off"] for r in rows)
        switched = sum(r["switches"] for r in rows)
        assert f"Under {name}, {switched} pair" in answer
        assert f"and {cut} {'is' if cut == 1 else 'are'} cut off" in answer
    # Closing Hormuz cuts Jebel Ali off from every city; the Red Sea closed lengthens Europe.
    assert "and 3 are cut off" in answer
    extra = [p["by_scenario"][1]["best_hours"] - p["by_scenario"][0]["best_hours"] for p in pairs]
    assert f"take {sum(extra) / len(extra):,.1f} h more on average than under baseline over the 6 pairs" in answer
    assert [s["scenarios"] for s in gw.data["scenarios"]] == [[s] for s in GW_SCENARIOS]
    assert "closes places: suez-canal, bab-el-mandeb" in gw.data["scenarios"][1]["changes"]


def test_gateways_elements_are_what_the_best_routes_rest_on(gw: routes.AnalysisBrief, G: nx.MultiGraph) -> None:
    """Every rule, place and sea lane of the best routes is listed, used by the pairs it says, citing its sources."""
    rules = G.graph["rules"]
    want_sources: dict[str, set[str]] = {}
    users: dict[tuple[str, str], int] = {}
    for (scenario, _, _), route in best_routes(G, gw).items():
        H = routes.apply_scenario(G, scenario.split("+"))
        used: set[str] = set()
        for leg in route.legs:
            d = H.edges[leg.from_id, leg.to_id, leg.link]
            for basis in (d["speed_basis"], d["cost_rate_basis"]):
                if basis.startswith("rules.toml "):
                    key = basis.removeprefix("rules.toml ")
                    entry = rules
                    for part in key.split("."):
                        entry = entry[part]
                    want_sources[key] = set(entry["sources"])
                    used.add(key)
            if leg.mode == "sea":
                want_sources[leg.link] = {c["id"] for c in d["sources"]}
                used.add(leg.link)
        for stop in route.stops:
            want_sources.setdefault(stop.place, set()).update(stop.sources)
            used.add(stop.place)
            used.update(re.findall(r"rules\.toml \[(\w+)\]", stop.basis))
        for p in route.places:
            if p.kind in ("passage", "seaport") or p.id in route.border_crossings:
                used.add(p.id)
        for eid in used:
            users[eid, scenario] = users.get((eid, scenario), 0) + 1
    for section in ("handling",):
        want_sources[section] = set(rules[section]["sources"])
    by_number = {c.number: c.id for c in gw.bibliography}
    elements = {x["element"]: x for x in gw.data["elements"]}
    assert {eid for eid, _ in users} <= set(elements)
    assert {"sea_speed_kmh.SEA", "sea_cost_usd_per_tkm.SEA", "suez-canal", "cape-of-good-hope"} <= set(elements)
    for eid, x in elements.items():
        for u in x["pairs"]:
            assert u["pairs"] == users.get((eid, "+".join(u["scenarios"])), 0), (eid, u)
        cited = {by_number[n] for n in x["sources"]}
        if x["type"] in ("rule", "sea lane"):
            assert cited == want_sources[eid], eid
        else:  # a place: its own sources and those of the time and money spent there
            own = {c["id"] for c in G.nodes[eid]["sources"]}
            assert cited == own | want_sources.get(eid, set()), eid
    assert sorted(by_number) == list(range(1, len(by_number) + 1))
    page = routes.analysis_brief_html(gw, G)
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page, re.I)
    for x in gw.data["elements"]:
        assert f"<code>{x['element']}</code>" in page
    listed = {int(n) for n in re.findall(r"<li id='src-(\d+)'", page)}
    assert listed == set(by_number)
    table = page[page.index("id='ranked-table'") : page.index("</table>", page.index("id='ranked-table'"))]
    assert table.count("<tr>") == 1 + len(gw.data["pairs"])
    assert "<svg" in page
    assert "srcdoc=" in page
    assert "@page{size:A4" in page


def test_gateways_brief_escapes_data_text(tmp_path: Path) -> None:
    from maps_support import EVIL_LINK

    root = Path(__file__).resolve().parent.parent
    data = tmp_path / "geodata"
    shutil.copytree(root / "geodata", data)
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    for name, pid, evil in (("tjk-kgz", "dushanbe", EVIL_PLACE), ("sea", "rotterdam-port", EVIL_LINK)):
        path = data / "places" / f"{name}.geojson"
        doc = json.loads(path.read_text(encoding="utf-8"))
        for f in doc["features"]:
            if f["properties"]["id"] == pid:
                f["properties"]["name"] = evil
        path.write_text(json.dumps(doc), encoding="utf-8")
    G = routes.load_network(data)
    t = routes.market_gateways(G, ["rotterdam-port"], ["baseline", "red-sea-closed"], cities=["dushanbe"])
    page = routes.analysis_brief_html(routes.gateways_brief(G, t), G)
    assert EVIL_PLACE not in page
    assert EVIL_LINK not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page


GW_ARGV = ("ports", "--to", "Rotterdam", "--cities", "Dushanbe", "-s", "baseline", "-s", "red-sea-closed")


def test_ports_to_writes_its_brief_through_links_and_pipes(tmp_path: Path) -> None:
    target = tmp_path / "real.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    (tmp_path / "link.html").symlink_to("real.html")
    code, out, err = run(*GW_ARGV, "--brief", str(tmp_path / "link.html"))
    assert code == 0, err
    assert out.startswith("Best gateway port by time, door to door")
    assert out.endswith(f"Brief written to {tmp_path / 'link.html'}\n")
    assert (tmp_path / "link.html").is_symlink()
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "routes ports --to brief" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(*GW_ARGV, "--brief", str(fifo), "--csv")
    reader.join(10)
    assert code == 0, err
    assert got[0].startswith(b"<!DOCTYPE html>")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "pipe", "real.html"]
    code, out, err = run(*GW_ARGV, "--brief", "-")
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>")
    assert "city-market pairs per gateway" not in out  # the page only, not the table


def test_ports_to_brief_into_an_unwritable_folder_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import routes.io

    def denied(*_: object, **__: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(routes.io.tempfile, "mkstemp", denied)
    code, out, err = run(*GW_ARGV, "--brief", str(tmp_path / "b.html"))
    assert (code, out) == (73, "")
    assert f"the folder {tmp_path} cannot be written to" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_ports_to_bad_brief_path_fails_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object, **__: object) -> None:
        raise AssertionError("the sweep ran")

    monkeypatch.setattr("routes.catchment.market_gateways", boom)
    code, out, err = run(*GW_ARGV, "--brief", str(tmp_path / "no" / "b.html"))
    assert (code, out) == (73, "")
    assert "does not exist" in err
    (tmp_path / "folder").mkdir()
    code, out, err = run(*GW_ARGV, "--brief", str(tmp_path / "folder"))
    assert (code, out) == (73, "")
    assert "it is a folder" in err
