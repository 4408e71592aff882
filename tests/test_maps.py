"""Maps as HTML: layers, escaping, determinism, size, saving. (Rendering: test_browser.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from maps_support import EVIL_LINK, EVIL_PLACE, make_evil_data

import routes
from routes.gallery import write_gallery
from routes.maps import render_html


def test_network_map_layers(mini: nx.MultiGraph) -> None:
    html = render_html(routes.network_map(mini))
    assert "Roads: operational (20)" in html
    assert "Roads: planned or proposed (2)" in html
    assert "Railways: operational (1)" in html
    assert "Passes and tunnels (3)" in html
    assert "Border crossings (3)" in html
    assert "Legend" in html
    assert "L.control.layers" in html
    # Passes are labelled with elevation and season.
    assert json.dumps("Khunjerab Pass · 4,693 m · Apr-Nov", ensure_ascii=False)[1:-1] in html


def test_energy_layer_starts_hidden(G: nx.MultiGraph) -> None:
    m = routes.network_map(G)
    layers = [c for c in m._children.values() if getattr(c, "layer_name", "").startswith("Energy corridors")]
    assert len(layers) == 1
    assert layers[0].show is False


def test_maps_escape_text_from_data(mini_dir: Path, tmp_path: Path) -> None:
    data = make_evil_data(mini_dir, tmp_path / "geodata")
    G = routes.load_network(data)
    c = routes.compare(G, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed"])
    for m in (routes.network_map(G), routes.comparison_map(c, G=G), routes.route_map(c.results[0].route, G=G)):
        html = render_html(m)
        assert EVIL_PLACE not in html
        assert EVIL_LINK not in html
        assert "<svg onload" not in html
        assert "alert(" in html  # the text is there, escaped


@pytest.mark.parametrize("text", [EVIL_PLACE, EVIL_LINK, "<!--<script>", "a\\u003cb", "Душанбе – کراچی\u2028"])
def test_script_json_is_safe_in_a_script_and_round_trips(text: str) -> None:
    from routes.maps import script_json

    out = script_json({"name": text, "nested": [text]})
    assert "<" not in out  # so neither </script nor <!-- can occur
    assert json.loads(out) == {"name": text, "nested": [text]}


def test_maps_are_deterministic(mini: nx.MultiGraph) -> None:
    c = routes.compare(mini, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed"])
    assert render_html(routes.network_map(mini)) == render_html(routes.network_map(mini))
    assert render_html(routes.comparison_map(c, G=mini)) == render_html(routes.comparison_map(c, G=mini))


def test_comparison_map_draws_routes_and_closures(mini: nx.MultiGraph) -> None:
    c = routes.compare(mini, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed", "afghanistan-closed+winter"])
    html = render_html(routes.comparison_map(c, G=mini))
    assert "baseline: 2,429 km" in html
    assert "afghanistan-closed: 3,507 km" in html
    assert "Closed under afghanistan-closed" in html
    assert "no route: No route from" in html
    assert "fitBounds" in html


def test_save_map_is_atomic(mini: nx.MultiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import routes.maps as maps

    target = tmp_path / "net.html"
    routes.save_map(routes.network_map(mini), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    before = target.read_bytes()

    def boom(_: object) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr(maps, "render_html", boom)
    with pytest.raises(RuntimeError):
        routes.save_map(routes.network_map(mini), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["net.html"]


def test_gallery_is_committed_and_fresh(G: nx.MultiGraph, tmp_path: Path) -> None:
    written = write_gallery(G, tmp_path)
    committed = Path(__file__).resolve().parent.parent / "maps"
    for path in written:
        twin = committed / path.name
        assert twin.exists(), f"maps/{path.name} is missing: run `routes map --gallery`"
        assert twin.read_bytes() == path.read_bytes(), f"maps/{path.name} is stale: run `routes map --gallery`"


def test_network_map_size(G: nx.MultiGraph) -> None:
    html = render_html(routes.network_map(G))
    assert len(html.encode()) < 3_000_000
