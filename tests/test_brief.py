"""Briefs: the content adds up to the routes it summarises, and the page is self-contained."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from maps_support import EVIL_PLACE, make_evil_data

import routes
from routes.brief import PARTS, chart_svg
from routes.cli import main

SCENARIOS = ["baseline", "afghanistan-closed", "wakhan-built", "winter"]


@pytest.fixture(scope="module")
def brief(G: nx.MultiGraph) -> routes.Brief:
    return routes.make_brief(G, "Dushanbe", "Karachi", SCENARIOS)


def test_breakdown_adds_up_to_each_route(brief: routes.Brief) -> None:
    for res, split in zip(brief.comparison.results, brief.breakdown, strict=True):
        assert split["scenario"] == res.name
        route = res.route
        assert route is not None
        assert sum(split["hours"][p] for p in PARTS) == pytest.approx(route.total_hours)
        assert sum(split["cost_usd_per_t"][p] for p in PARTS) == pytest.approx(route.total_cost_usd)
        assert split["hours"]["moving"] == pytest.approx(sum(leg.hours for leg in route.legs))


def test_crossings_unbuilt_and_sources_match_the_routes(brief: routes.Brief, G: nx.MultiGraph) -> None:
    numbers = {c.id: c.number for c in brief.bibliography}
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    for res, block, unbuilt in zip(brief.comparison.results, brief.crossings, brief.unbuilt, strict=True):
        route = res.route
        assert route is not None
        assert [c["place"] for c in block["crossings"]] == list(route.border_crossings)
        for c in block["crossings"]:
            assert c["sources"], f"crossing {c['place']} has no source"
            assert all(1 <= n <= len(numbers) for n in c["sources"])
        assert [x["link"] for x in unbuilt["links"]] == list(route.unbuilt)
        # Every source the route rests on is in the bibliography.
        assert set(route.sources) <= set(numbers)


def test_seed_quotes_are_given_in_full(brief: routes.Brief, G: nx.MultiGraph) -> None:
    seeds = [c for c in brief.bibliography if c.id.startswith("seed-")]
    assert seeds, "the Dushanbe–Karachi routes rest on the seed documents"
    for c in seeds:
        assert c.quotes
    quoted = {" ".join(q.split()) for c in seeds for q in c.quotes}
    route_quotes = set()
    for res in brief.comparison.results:
        assert res.route is not None
        for leg in res.route.legs:
            for cite in G.edges[leg.from_id, leg.to_id, leg.link]["sources"]:
                if cite["id"].startswith("seed-") and cite.get("quote"):
                    route_quotes.add(" ".join(cite["quote"].split()))
    assert route_quotes <= quoted


def test_page_is_self_contained(brief: routes.Brief, G: nx.MultiGraph) -> None:
    page = routes.brief_html(brief, G)
    # Nothing is loaded from elsewhere: no script, style, image or frame source on the network.
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page, re.I)
    assert "srcdoc=" in page
    assert page.count("<svg") == 1
    assert len(page.encode()) < 3_000_000
    for name in brief.scenarios:
        assert f">{name}</th>" in page
    assert "@page{size:A4" in page


def test_json_holds_the_same_content(brief: routes.Brief) -> None:
    data = json.loads(json.dumps(brief.to_dict()))
    assert data["question"]["scenarios"] == SCENARIOS
    assert data["question"]["origin"]["name"] == "Dushanbe"
    assert [b["scenario"] for b in data["breakdown"]] == SCENARIOS
    assert len(data["bibliography"]) == len(brief.bibliography)
    assert len(data["results"]) == len(SCENARIOS)


def test_chart_is_deterministic(brief: routes.Brief) -> None:
    assert chart_svg(brief) == chart_svg(brief)


def test_unreachable_scenario_is_reported(mini: nx.MultiGraph) -> None:
    b = routes.make_brief(mini, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed+kkh-closed"])
    assert b.breakdown[1] == {"scenario": "afghanistan-closed+kkh-closed", "reachable": False}
    page = routes.brief_html(b, mini)
    assert "no route" in page


def test_data_text_is_escaped(mini_dir: Path, tmp_path: Path) -> None:
    G = routes.load_network(make_evil_data(mini_dir, tmp_path / "geodata"))
    page = routes.brief_html(routes.make_brief(G, "kunduz", "Peshawar", ["baseline"]), G)
    assert EVIL_PLACE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_cli_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "brief.html"
    code = main(["brief", "Dushanbe", "Karachi", "-s", "baseline", "-s", "afghanistan-closed", "-o", str(out)])
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "written to" in capsys.readouterr().out


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", "Dushanbe", "Karachi", "-s", "baseline", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["question"]["destination"]["name"] == "Karachi"


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["brief", "Dushanbe", "Karachi"], 2, "-o PATH"),
        (["brief", "Dushanbe", "Atlantis", "-o", "x.html"], 2, "Atlantis"),
        (["brief", "Dushanbe", "Karachi", "-s", "no-such-scenario", "-o", "x.html"], 2, "no-such-scenario"),
        (["brief", "Dushanbe", "Karachi", "-o", "missing-folder/x.html"], 73, "missing-folder"),
        (["brief", "Dushanbe", "Karachi", "--json", "-o", "-"], 2, "choose one"),
    ],
)
def test_cli_bad_input_writes_nothing(
    argv: list[str], code: int, fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code
    assert fragment in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
