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
from routes.gallery import ANALYSES, GALLERY

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
MAPS = Path(__file__).resolve().parent.parent / "maps"
#: The width of an A4 page inside the 14 mm margins of the pages' @page rule, in CSS px.
A4_CONTENT_PX = (210 - 2 * 14) / 25.4 * 96
A4_CONTENT_HEIGHT_PX = (297 - 2 * 14) / 25.4 * 96
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
        self.console_errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)
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
    from routes.analysis_maps import appraisal_map, catchment_map, criticality_map, gateway_map

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
        ports = t.attrs["ports"]  # the gateways: the world ports beyond the sea are not drawn
        assert len(ports) == 5
        assert page.count(".leaflet-marker-icon:not(.rt-country)") == len(shown) + len(ports)
        assert page.count(".leaflet-marker-icon[title*='switches port']") == int(shown.switches.sum())
    finally:
        page.page.close()
    g = routes.market_gateways(G, ["Rotterdam", "Jebel Ali"], ["baseline", "hormuz-closed"])
    page = Page(browser, save(gateway_map(g, G), tmp_path / "gateways.html"))
    try:
        assert page.errors == []
        # The first market's layer is on, the other a click away; the gateways always.
        first = g[(g.scenario == "hormuz-closed") & (g.market == "rotterdam-port")]
        assert page.count(".leaflet-marker-icon:not(.rt-country)") == len(first) + len(g.attrs["gateways"])
        assert page.count(".leaflet-control-layers-overlays label") >= 3
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


def _overflowing(page: Page, width: float) -> list[str]:
    """Elements that reach past ``width`` CSS px: what an A4 page would clip."""
    found: list[str] = page.page.evaluate(
        """(width) => {
            const out = [];
            for (const el of document.querySelectorAll("body *")) {
                const r = el.getBoundingClientRect();
                if (r.width > 0 && r.right > width + 0.5) {
                    out.push(`${el.tagName.toLowerCase()}#${el.id} .${el.getAttribute("class")}: ` +
                             `right edge at ${Math.round(r.right)} px`);
                }
            }
            return out;
        }""",
        width,
    )
    return found


def _at_a4_print_width(page: Page) -> None:
    page.page.emulate_media(media="print")
    page.page.set_viewport_size({"width": int(A4_CONTENT_PX), "height": 1000})
    page.page.wait_for_timeout(300)


def test_front_page_in_browser_offline(browser: Any) -> None:
    page = Page(browser, MAPS / "index.html")
    try:
        assert page.errors == []
        assert page.console_errors == []
        assert page.requests == []
        # Every link points to a page of the gallery (or a section of this one).
        hrefs = page.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        assert len(hrefs) >= 2 * len(GALLERY) + len(ANALYSES) + 1
        for href in hrefs:
            assert href.startswith("file://"), href
            target = Path(href.removeprefix("file://").split("#")[0])
            assert target.parent == MAPS, href
            assert target.is_file(), href
        # A sketch per question and the network's; a table per question; all drawn.
        sketches = page.page.locator("figure.sketch svg")
        assert sketches.count() == 1 + len(GALLERY) + len(ANALYSES)
        tables = page.page.locator("table")
        assert tables.count() == len(GALLERY) + len(ANALYSES)
        for group in (sketches, tables):
            for i in range(group.count()):
                box = group.nth(i).bounding_box()
                assert box is not None
                assert box["width"] > 0
                assert box["height"] > 0
        # Each sketch draws its routes: a coloured path per reachable scenario.
        first = page.page.locator(f"section#{GALLERY[0].slug} figure.sketch svg path[stroke-opacity='.9']")
        assert first.count() >= 2
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / "front-page.png"))
        # It prints: nothing reaches past the A4 content width.
        _at_a4_print_width(page)
        assert _overflowing(page, A4_CONTENT_PX) == []
    finally:
        page.page.close()


def test_brief_prints_as_clean_a4(browser: Any, G: nx.MultiGraph, tmp_path: Path) -> None:
    brief = routes.make_brief(G, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed", "wakhan-built"])
    page = Page(browser, routes.save_brief(brief, G, tmp_path / "brief.html"))
    try:
        page.page.wait_for_timeout(500)  # the map's frame
        pdf = page.page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        # The findings take a few pages; the bibliography (quotes in full) the rest.
        assert 3 <= pages <= 8 + len(brief.bibliography) // 10, pages
        (tmp_path / "brief.pdf").write_bytes(pdf)
        _at_a4_print_width(page)
        assert _overflowing(page, A4_CONTENT_PX) == []
        for selector in ("#comparison-table", "iframe.map", "#chart svg", "#crossings table"):
            box = page.page.locator(selector).first.bounding_box()
            assert box is not None, selector
            assert 0 < box["width"] <= A4_CONTENT_PX, selector
            assert box["height"] > 0, selector
        # The map, the chart and the table come before the sources, on the first pages.
        sources_top = page.page.locator("#sources").bounding_box()
        assert sources_top is not None
        assert sources_top["y"] < 5 * A4_CONTENT_HEIGHT_PX
        # The map's layer switcher is for the screen; the printed map shows the routes and the summary.
        frame = page.page.frame_locator("iframe.map")
        assert frame.locator(".leaflet-control-layers").first.is_hidden()
        assert frame.locator(".rt-box").first.is_visible()
        assert page.errors == []
        assert page.console_errors == []
    finally:
        page.page.close()


def test_analysis_briefs_in_browser_offline(browser: Any, G: nx.MultiGraph, tmp_path: Path) -> None:
    c = routes.criticality(G, by="time")
    t = routes.port_catchment(G, ["baseline", "afghanistan-closed"])
    projects = ["wakhan-road", "pakistan-motorways", "trans-afghan-railway"]
    g = routes.market_gateways(G, ["Rotterdam", "Shanghai"], ["baseline", "red-sea-closed"],
                               cities=["Dushanbe", "Tashkent", "Almaty", "Lahore"])  # fmt: skip
    briefs = {
        "criticality": routes.criticality_brief(G, c, top=10),
        "ports": routes.ports_brief(G, t),
        "appraisal": routes.appraisal_brief(G, routes.appraise(G, projects)),
        "gateways": routes.gateways_brief(G, g),
    }
    for name, brief in briefs.items():
        page = Page(browser, routes.save_analysis_brief(brief, G, tmp_path / f"{name}-brief.html"))
        try:
            page.page.wait_for_timeout(700)  # the map's frame
            assert page.errors == []
            assert page.console_errors == []
            assert page.requests == []
            for selector in ("#ranked-table", "iframe.map", "#chart svg", "#elements-table", "#sources ol"):
                box = _box(page, selector)
                assert box["width"] > 0, selector
                assert box["height"] > 0, selector
            rows = page.count("#ranked-table tbody tr")
            want = {"criticality": 10, "ports": len(brief.data.get("cities", ())),
                    "appraisal": len(brief.data.get("projects", ())),
                    "gateways": len(brief.data.get("pairs", ()))}  # fmt: skip
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
            elif name == "gateways":
                assert "red-sea-closed" in chart
                assert "Rotterdam" in chart
                assert page.page.locator("#answer").inner_text().count("Under ") == 2
                # It prints: nothing reaches past the A4 content width, the answer on the first page.
                pdf = page.page.pdf(format="A4")
                assert pdf.startswith(b"%PDF")
                answer = _box(page, "#answer")
                assert answer["y"] < A4_CONTENT_HEIGHT_PX
                _at_a4_print_width(page)
                assert _overflowing(page, A4_CONTENT_PX) == []
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
