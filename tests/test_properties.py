"""Properties of the real network that hold for any origin, destination and scenario.

Hypothesis draws the cases; the network is loaded once per module, and every property
runs about 30 examples so that the module stays fast.
"""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import routes
from routes.cli import main
from routes.cli._common import OUTPUT_SCHEMA_PATH
from routes.scenarios import Scenario, builtin_scenarios

jsonschema = pytest.importorskip("jsonschema")

G = routes.load_network()
PLACES = sorted(G.nodes)
LINKS = sorted({k for _, _, k in G.edges(keys=True)})
CORRIDORS = sorted({d["corridor"] for _, _, d in G.edges(data=True)})
COUNTRIES = sorted({d["country"] for _, d in G.nodes(data=True)})
SCENARIOS = sorted(builtin_scenarios(G))
METRIC = {"distance": "total_km", "time": "total_hours", "cost": "total_cost_usd"}

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

places = st.sampled_from(PLACES)
objectives = st.sampled_from(sorted(METRIC))
closures = st.one_of(
    st.sampled_from(LINKS).map(lambda x: Scenario(name=f"close-{x}", close_links=(x,))),
    st.sampled_from(PLACES).map(lambda x: Scenario(name=f"close-{x}", close_places=(x,))),
    st.sampled_from(COUNTRIES).map(lambda x: Scenario(name=f"close-{x}", close_countries=((x, ()),))),
    st.sampled_from(CORRIDORS).map(lambda x: Scenario(name=f"close-{x}", close_corridors=(x,))),
)
compositions = st.lists(st.sampled_from(SCENARIOS), min_size=1, max_size=3, unique=True)
#: The default surface modes, or every mode including flights.
mode_sets = st.sampled_from([None, ("road", "rail", "sea", "air")])
#: An OD set for the engine's properties: cities, region and world ports, airports.
OD_PLACES = [
    "dushanbe", "tashkent", "kabul", "islamabad", "karachi", "gwadar-port", "bandar-abbas", "chabahar-port",
    "rotterdam-port", "shanghai-port", "jebel-ali-port", "dushanbe-airport", "islamabad-airport", "doha-airport",
]  # fmt: skip


def best(route: routes.Route, by: str) -> tuple[float, ...]:
    """What the search minimises: for distance, the fewest changes of mode, then km.

    Changes of mode are the transfers and handlings among the stops (handling at a
    seaport origin or destination is one more, the same for any route between them).
    """
    if by == "distance":
        changes = sum(s.event in ("transfer", "handling") for s in route.stops)
        return (changes, route.total_km)
    return (getattr(route, METRIC[by]),)


def route_or_none(**kwargs: Any) -> routes.Route | None:
    try:
        return routes.shortest_route(G, **kwargs)
    except routes.NoRouteError:
        return None


@FAST
@given(o=places, d=places, by=objectives, base=compositions, closure=closures, modes=mode_sets)
def test_closing_anything_never_makes_a_route_shorter_or_cheaper(
    o: str, d: str, by: str, base: list[str], closure: Scenario, modes: tuple[str, ...] | None
) -> None:
    assume(o != d)
    assume(not set(closure.close_places) & {o, d})  # the endpoints themselves cannot be closed
    before = route_or_none(origin=o, destination=d, by=by, scenario=base, modes=modes)
    after = route_or_none(origin=o, destination=d, by=by, scenario=[*base, closure], modes=modes)
    if before is None:
        assert after is None  # closing never opens a way
        return
    if after is not None:
        lo, hi = best(before, by), best(after, by)
        assert hi >= tuple(v - 1e-6 for v in lo), (before, after)
        # The other totals are free to move, but what was closed is not used.
        used = {leg.link for leg in after.legs} | {p.id for p in after.places} | set(after.countries)
        assert not used & {*closure.close_links, *closure.close_places, *(c for c, _ in closure.close_countries)}
        assert not {leg.corridor for leg in after.legs} & set(closure.close_corridors)


@FAST
@given(by=objectives, base=compositions, closure=closures, modes=mode_sets)
def test_closing_anything_never_shortens_an_engine_matrix(
    by: str, base: list[str], closure: Scenario, modes: tuple[str, ...] | None
) -> None:
    from routes.engine import prepare

    before = prepare(G, by=by, scenario=base, modes=modes).run(OD_PLACES, OD_PLACES).objective
    after = prepare(G, by=by, scenario=[*base, closure], modes=modes).run(OD_PLACES, OD_PLACES).objective
    # inf (no route) stays inf; a closed endpoint makes its row and column inf.
    assert (after >= before - 1e-6).all(), (base, closure.name, modes)


def same_route(a: routes.Route | None, b: routes.Route | None) -> bool:
    if a is None or b is None:
        return a is b
    da, db = a.to_dict(), b.to_dict()
    da.pop("scenarios")
    db.pop("scenarios")
    return da == db


@FAST
@given(o=places, d=places, by=objectives, scenario=compositions, before=st.booleans())
def test_composing_with_baseline_changes_nothing(o: str, d: str, by: str, scenario: list[str], before: bool) -> None:
    assume(o != d)
    plain = route_or_none(origin=o, destination=d, by=by, scenario=scenario)
    composed = ["baseline", *scenario] if before else [*scenario, "baseline"]
    with_baseline = route_or_none(origin=o, destination=d, by=by, scenario=composed)
    assert same_route(plain, with_baseline)


@cache
def validator() -> Any:
    return jsonschema.Draft202012Validator(json.loads(OUTPUT_SCHEMA_PATH.read_text(encoding="utf-8")))


def cli_json(*argv: str) -> tuple[int, dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--json"], out=out, err=err)
    assert code in (0, 3), err.getvalue()
    return code, json.loads(out.getvalue())


@FAST
@given(o=places, d=places, by=objectives, scenario=compositions, k=st.integers(1, 3))
def test_route_json_validates(o: str, d: str, by: str, scenario: list[str], k: int) -> None:
    assume(o != d)
    code, doc = cli_json("route", o, d, "--by", by, "-k", str(k), *(a for s in scenario for a in ("-s", s)))
    assert list(validator().iter_errors(doc)) == []
    assert doc["reachable"] is (code == 0)
    assert 1 <= len(doc["routes"]) <= k if code == 0 else doc["routes"] == []


@FAST
@given(o=places, d=places, by=objectives, columns=st.lists(compositions, min_size=1, max_size=3))
def test_compare_json_validates(o: str, d: str, by: str, columns: list[list[str]]) -> None:
    assume(o != d)
    code, doc = cli_json("compare", o, d, "--by", by, *(a for c in columns for a in ("-s", "+".join(c))))
    assert list(validator().iter_errors(doc)) == []
    assert [r["scenarios"] for r in doc["results"]] == columns
    assert (code == 0) is any(r["reachable"] for r in doc["results"])


def test_the_strategies_cover_the_network() -> None:
    assert isinstance(G, nx.MultiGraph)
    assert len(PLACES) > 150
    assert "baseline" in SCENARIOS
    assert {"AFG", "PAK", "TJK"} <= set(COUNTRIES)
    assert set(OD_PLACES) <= set(PLACES)
    assert {"red-sea-closed", "hormuz-closed", "afghanistan-closed"} <= set(SCENARIOS)
