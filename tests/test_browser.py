"""The maps and briefs in a real browser: headless Chromium driven by Playwright.

Every page must work offline, so every network request is blocked and recorded: a page
that asks for anything (a CDN script, a tile, a font) fails its test. With ``CI=true``
these tests must run: a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from maps_support import EVIL_PLACE, make_evil_data

import routes

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("ROUTES_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but the browser test cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                  "--no-first-run", "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        yield b
        b.close()


class Page:
    """A loaded map page with its JavaScript errors and dialogs recorded."""

    def __init__(self, browser: Any, html_path: Path) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.console: list[str] = []  # console.error messages (a blocked request logs one too)
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.console.append(msg.text) if msg.type == "error" else None)
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.page.goto(html_path.as_uri())
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(300)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
            return
        self.requests.append(url)  # the network is blocked: nothing may be asked for
        route.abort()

    def count(self, selector: str) -> int:
        return int(self.page.locator(selector).count())


def save(m: Any, path: Path) -> Path:
    routes.save_map(m, path)
    return path


def test_network_map_in_browser(browser: Any, G: nx.MultiGraph, tmp_path: Path) -> None:
    page = Page(browser, save(routes.network_map(G), tmp_path / "network.html"))
    try:
        assert page.errors == []
        assert page.requests == []
        # The offline basemap: country outlines and names, with no tiles.
        assert page.count(".leaflet-rt-basemap-pane path") > 50
        assert "Tajikistan" in page.page.locator(".rt-country").all_inner_texts()
        # Every link is a polyline, every place a marker (the energy layer starts hidden).
        assert page.count("path.leaflet-interactive") == G.number_of_edges()
        assert page.count(".leaflet-marker-icon:not(.rt-country)") == G.number_of_nodes()
        # Passes carry permanent labels with elevation and season.
        labels = page.page.locator(".leaflet-tooltip.rt-label").all_inner_texts()
        assert any(t.startswith("Khunjerab Pass · 4,693 m") for t in labels)
        # Clicking a place opens its popup with attributes and sources.
        page.page.locator(".leaflet-marker-icon[title='Khunjerab Pass']").dispatch_event("click")
        popup = page.page.locator(".leaflet-popup-content").inner_text()
        assert "Khunjerab Pass" in popup
        assert "4,693 m" in popup
        assert "Sources" in popup
        page.page.keyboard.press("Escape")
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / "network-map.png"))
        # Toggling a layer off hides its lines.
        label = page.page.locator(".leaflet-control-layers-overlays label", has_text="Roads: operational")
        n_roads = int(re.search(r"\((\d+)\)", label.inner_text()).group(1))  # type: ignore[union-attr]
        before = page.count("path.leaflet-interactive")
        label.locator("input").uncheck()
        assert page.count("path.leaflet-interactive") == before - n_roads
        # And the energy layer, hidden at first, shows when ticked.
        energy = page.page.locator(".leaflet-control-layers-overlays label", has_text="Energy corridors")
        assert not energy.locator("input").is_checked()
        energy.locator("input").check()
        assert page.count("path.leaflet-interactive") == before - n_roads + len(G.graph["energy"])
        assert page.errors == []
    finally:
        page.page.close()


def test_comparison_map_in_browser(browser: Any, G: nx.MultiGraph, tmp_path: Path) -> None:
    comp = routes.compare(G, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed", "wakhan-built", "winter"])
    m = routes.comparison_map(comp, G=G)
    page = Page(browser, save(m, tmp_path / "compare.html"))
    try:
        assert page.errors == []
        assert page.requests == []
        reachable = [r for r in comp.results if r.route is not None]
        closed_links = closed_places = 0
        for res in comp.results:
            if res.scenario != ("baseline",):
                H = routes.apply_scenario(G, list(res.scenario))
                for closure in H.graph["closures"]:
                    if " not built" not in closure.label:
                        closed_links += len(closure.edges)
                        closed_places += len(closure.nodes)
        # One polyline per route, plus the closed links; the context network is not interactive.
        assert page.count("path.leaflet-interactive") == len(reachable) + closed_links
        box = page.page.locator(".rt-box", has_text="scenarios compared").inner_text()
        for res in comp.results:
            assert res.name in box
        first = reachable[0].route
        assert first is not None
        assert f"{first.total_km:,.0f}" in box
        page.page.locator(".leaflet-marker-icon[title='Karachi']").first.dispatch_event("click")
        assert "destination" in page.page.locator(".leaflet-popup-content").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / "comparison-map.png"))
        assert closed_places >= 0
    finally:
        page.page.close()


def test_escaped_text_runs_nothing(browser: Any, mini_dir: Path, tmp_path: Path) -> None:
    data = make_evil_data(mini_dir, tmp_path / "geodata")
    G = routes.load_network(data)
    page = Page(browser, save(routes.network_map(G), tmp_path / "evil.html"))
    try:
        assert page.errors == []
        page.page.locator(f".leaflet-marker-icon[title='{EVIL_PLACE}']").dispatch_event("click")
        popup = page.page.locator(".leaflet-popup-content")
        assert EVIL_PLACE in popup.inner_text()  # shown as text
        assert popup.locator("img").count() == 0  # not as an element
        assert popup.locator("svg").count() == 0
        page.page.wait_for_timeout(200)
        assert page.dialogs == []
    finally:
        page.page.close()


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box


def test_brief_in_browser_offline(browser: Any, G: nx.MultiGraph, tmp_path: Path) -> None:
    brief = routes.make_brief(G, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed", "wakhan-built"])
    path = routes.save_brief(brief, G, tmp_path / "brief.html")
    page = Page(browser, path)
    try:
        page.page.wait_for_timeout(700)  # the map's frame
        assert page.errors == []
        assert page.requests == []
        for selector in ("#comparison-table", "iframe.map", "#chart svg", "#crossings table", "#sources ol"):
            box = _box(page, selector)
            assert box["width"] > 0
            assert box["height"] > 0
        # The chart has one stacked bar per part and scenario, with the scenario names.
        chart = page.page.locator("#chart svg").inner_html()
        for name in brief.scenarios:
            assert name in chart
        # The map inside the brief draws the routes and the country outlines, offline.
        frame = page.page.frame_locator("iframe.map")
        assert frame.locator("path.leaflet-interactive").count() >= 3
        assert frame.locator(".rt-country").count() > 20
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / "brief.png"), full_page=False)
        assert page.errors == []
    finally:
        page.page.close()


def test_brief_escapes_data_text(browser: Any, mini_dir: Path, tmp_path: Path) -> None:
    data = make_evil_data(mini_dir, tmp_path / "geodata")
    G = routes.load_network(data)
    brief = routes.make_brief(G, "kunduz", "Peshawar", ["baseline", "torkham-closed"])
    assert brief.origin_name == EVIL_PLACE
    page = Page(browser, routes.save_brief(brief, G, tmp_path / "evil-brief.html"))
    try:
        page.page.wait_for_timeout(500)
        assert page.errors == []
        assert page.requests == []
        assert page.dialogs == []
        heading = page.page.locator("h1")
        assert heading.inner_text() == f"{EVIL_PLACE} → Peshawar"  # shown as text
        assert heading.locator("img").count() == 0  # not as an element
        assert page.page.locator("dl.question").inner_text().count(EVIL_PLACE) == 1
        frame = page.page.frame_locator("iframe.map")
        frame.locator(f".leaflet-marker-icon[title='{EVIL_PLACE}']").first.dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content")
        assert EVIL_PLACE in popup.inner_text()
        assert popup.locator("img").count() == 0
        page.page.wait_for_timeout(200)
        assert page.dialogs == []
    finally:
        page.page.close()


def test_analysis_maps_in_browser(browser: Any, G: nx.MultiGraph, tmp_path: Path) -> None:
    from routes.analysis_maps import appraisal_map, catchment_map, criticality_map

    c = routes.criticality(G)
    page = Page(browser, save(criticality_map(c, G), tmp_path / "criticality.html"))
    try:
        assert page.errors == []
        assert page.requests == []
        ranked_links = int((c.type == "link").sum())
        assert page.count("path.leaflet-interactive") == ranked_links
        box = page.page.locator(".rt-box", has_text="top 10").inner_text()
        assert str(c.iloc[0]["name"]) in box
        # The top ten links are numbered on the map.
        numbers = page.page.locator(".leaflet-marker-icon .rt-label").all_inner_texts()
        assert {str(n) for n in range(1, 11)} & set(numbers)
    finally:
        page.page.close()
    t = routes.port_catchment(G, ["baseline", "afghanistan-closed"], by="distance")
    page = Page(browser, save(catchment_map(t, G), tmp_path / "ports.html"))
    try:
        assert page.errors == []
        shown = t[t.scenario == "afghanistan-closed"]
        ports = [p for p, d in G.nodes(data=True) if d["kind"] == "seaport"]
        assert page.count(".leaflet-marker-icon:not(.rt-country)") == len(shown) + len(ports)
        assert page.count(".leaflet-marker-icon[title*='switches port']") == int(shown.switches.sum())
    finally:
        page.page.close()
    a = routes.appraise(G, by="cost")
    page = Page(browser, save(appraisal_map(a, G), tmp_path / "appraisal.html"))
    try:
        assert page.errors == []
        unbuilt = sum(1 for _, _, d in G.edges(data=True) if d["status"] != "operational")
        assert page.count("path.leaflet-interactive") == unbuilt
        assert str(a.iloc[0]["project"]) in page.page.locator(".rt-box").first.inner_text()
    finally:
        page.page.close()


def test_analysis_briefs_in_browser_offline(browser: Any, mini: nx.MultiGraph, tmp_path: Path) -> None:
    # On the fixture network: the shipped one fails in the engine on air links until
    # the engine-air branch lands.
    c = routes.criticality(mini, od="cities", by="time")
    t = routes.port_catchment(mini, ["baseline", "afghanistan-closed"])
    briefs = {
        "criticality": routes.criticality_brief(mini, c, top=10),
        "ports": routes.ports_brief(mini, t),
        "appraisal": routes.appraisal_brief(mini, routes.appraise(mini, od="cities")),
    }
    for name, brief in briefs.items():
        page = Page(browser, routes.save_analysis_brief(brief, mini, tmp_path / f"{name}-brief.html"))
        try:
            page.page.wait_for_timeout(700)  # the map's frame
            assert page.errors == []
            assert page.console == []
            assert page.requests == []
            for selector in ("#ranked-table", "iframe.map", "#chart svg", "#elements-table", "#sources ol"):
                box = _box(page, selector)
                assert box["width"] > 0, selector
                assert box["height"] > 0, selector
            rows = page.count("#ranked-table tbody tr")
            want = {"criticality": 10, "ports": len(brief.data.get("cities", ())),
                    "appraisal": len(brief.data.get("projects", ()))}  # fmt: skip
            assert rows == want[name]
            frame = page.page.frame_locator("iframe.map")
            assert frame.locator(".rt-country").count() > 20  # the offline basemap
            assert frame.locator("path.leaflet-interactive, .leaflet-marker-icon").count() > 5
            chart = page.page.locator("#chart svg").inner_html()
            if name == "criticality":
                top = max(brief.data["elements"], key=lambda x: x["added_hours_total"] or 0)
                assert top["name"] in chart
            elif name == "ports":
                assert "afghanistan-closed" in chart
            else:
                assert brief.data["projects"][0]["project"] in chart
            ARTIFACTS.mkdir(exist_ok=True)
            page.page.screenshot(path=str(ARTIFACTS / f"{name}-brief.png"), full_page=True)
        finally:
            page.page.close()


def test_analysis_brief_escapes_data_text(browser: Any, mini_dir: Path, tmp_path: Path) -> None:
    G = routes.load_network(make_evil_data(mini_dir, tmp_path / "geodata"))
    c = routes.criticality(G, od=["kunduz", "Peshawar", "Karachi", "Dushanbe", "Kabul"])
    t = routes.port_catchment(G, ["baseline", "torkham-closed"], cities=["kunduz", "Dushanbe"])
    a = routes.appraise(G, od=["kunduz", "Peshawar", "Chitral", "Ishkashim, AFG"])
    briefs = {
        "criticality": routes.criticality_brief(G, c),
        "ports": routes.ports_brief(G, t),
        "appraisal": routes.appraisal_brief(G, a),
    }
    for name, brief in briefs.items():
        page = Page(browser, routes.save_analysis_brief(brief, G, tmp_path / f"evil-{name}.html"))
        try:
            page.page.wait_for_timeout(500)
            assert page.errors == []
            assert page.requests == []
            assert page.dialogs == []
            where = "#ranked-table" if name == "ports" else "dl.question"
            assert EVIL_PLACE in page.page.locator(where).inner_text()  # shown as text
            assert page.page.locator(f"{where} img").count() == 0  # not as an element
            assert page.page.locator("body > * img").count() == 0
        finally:
            page.page.close()
