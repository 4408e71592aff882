"""The gallery's front page: one section per question, links that resolve, sizes, escaping.

The committed ``maps/`` folder is what readers open, so these tests read it; that it matches
the code and data is `tests/test_maps.py::test_gallery_is_committed_and_fresh`.
(How it looks in a browser: `tests/test_browser.py`.)
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from maps_support import EVIL_PLACE, make_evil_data

import routes
from routes.gallery import ANALYSES, GALLERY, Headline, _headline_section, gallery_files, sketch_svg

MAPS = Path(__file__).resolve().parent.parent / "maps"
MAX_PAGE_BYTES = 3_000_000


class _Page(HTMLParser):
    """Collects the ids, links, sections and sketches of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.section_links: dict[str, list[str]] = {}
        self.section_svgs: dict[str, int] = {}
        self.section_rows: dict[str, int] = {}
        self.scripts = 0
        self._section: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "section":
            self._section = a.get("id")
        if tag == "script":
            self.scripts += 1
        sec = self._section
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))
            if sec:
                self.section_links.setdefault(sec, []).append(str(a["href"]))
        if tag == "svg" and sec:
            self.section_svgs[sec] = self.section_svgs.get(sec, 0) + 1
        if tag == "tr" and sec:
            self.section_rows[sec] = self.section_rows.get(sec, 0) + 1


@pytest.fixture(scope="module")
def front() -> _Page:
    page = _Page()
    page.feed((MAPS / "index.html").read_text(encoding="utf-8"))
    return page


def test_front_page_has_a_section_per_question(front: _Page) -> None:
    for h in GALLERY:
        map_page, brief_page = h.files
        assert front.section_links[h.slug][-2:] == [map_page, brief_page]
        assert front.section_svgs[h.slug] == 1
        assert front.section_rows[h.slug] == 1 + len(h.scenarios)  # the header and a row per scenario
    for name in ANALYSES:
        section = name.removesuffix(".html")
        assert front.section_links[section][-1] == name
        assert front.section_svgs[section] == 1
        assert front.section_rows[section] > 1
    assert front.section_links["network"] == ["network.html"]


def test_every_link_of_the_front_page_resolves_offline(front: _Page) -> None:
    for href in front.hrefs:
        assert not re.match(r"^[a-z]+:", href), f"{href}: the front page links only to the gallery"
        if href.startswith("#"):
            assert href[1:] in front.ids, href
        else:
            assert (MAPS / href).is_file(), f"{href} is not in maps/"
    assert front.scripts == 0  # the front page needs no JavaScript


def test_gallery_files_are_the_committed_pages_and_small() -> None:
    names = gallery_files()
    assert names[0] == "network.html"
    assert names[-1] == "index.html"
    assert len(names) == len(set(names)) == 2 + 2 * len(GALLERY) + len(ANALYSES)
    for name in names:
        size = (MAPS / name).stat().st_size
        assert size < MAX_PAGE_BYTES, f"maps/{name} is {size:,} bytes (limit {MAX_PAGE_BYTES:,})"


def test_headline_section_escapes_text_from_data(mini_dir: Path, tmp_path: Path) -> None:
    G = routes.load_network(make_evil_data(mini_dir, tmp_path / "geodata"))
    h = Headline("evil", "What if <b>this</b>?", "kunduz", "Peshawar", ("baseline", "torkham-closed"))
    comp = routes.compare(G, h.origin, h.destination, list(h.scenarios))
    html = _headline_section(G, h, comp)
    assert EVIL_PLACE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>this</b>" not in html
    assert "<script" not in html


def test_sketch_draws_every_line_inside_its_box(mini: nx.MultiGraph) -> None:
    comp = routes.compare(mini, "Dushanbe", "Karachi", ["baseline", "afghanistan-closed"])
    lines = []
    for colour, res in zip(("#111111", "#222222"), comp.results, strict=True):
        assert res.route is not None
        lines.append(([pt for leg in res.route.legs for pt in leg.coords], colour, 3.0, None))
    svg = sketch_svg(lines, [(68.78, 38.56, "#000", 3.0, "<Dushanbe>")], label="a & b")
    assert svg.startswith("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 360 ")
    assert "&lt;Dushanbe&gt;" in svg
    assert "<title>a &amp; b</title>" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch
    width, height = map(float, re.search(r"viewBox='0 0 (\S+) (\S+)'", svg).groups())  # type: ignore[union-attr]
    assert 0.5 * width <= height <= 1.2 * width + 1
    for colour in ("#111111", "#222222"):
        d = re.search(rf"stroke='{colour}'[^>]* d='([^']+)'", svg)
        assert d is not None
        xy = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d.group(1))]
        assert len(xy) >= 4
        assert all(0 <= x <= width for x in xy[0::2])
        assert all(0 <= y <= height for y in xy[1::2])


def test_country_outlines_are_clipped_to_the_sketch() -> None:
    svg = sketch_svg([], [(69.2, 34.5, "#000", 3.0, "Kabul")], label="Kabul", box=(60.0, 29.0, 75.0, 39.0))
    outlines = re.search(r"<path fill='#f2efe9'[^>]* d='([^']+)'", svg)
    assert outlines is not None
    xy = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", outlines.group(1))]
    assert len(xy) > 100
    assert min(xy) >= -4.0
    assert max(xy[0::2]) <= 364.0
    assert "Afghanistan" in svg
