"""Helpers shared by the map tests: an evil dataset whose text must be escaped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

EVIL_PLACE = "<img src=x onerror=alert(1)>"
EVIL_LINK = "</script><script>alert(2)</script>"


def make_evil_data(mini: Path, dest: Path) -> Path:
    """Copy the fixture network, naming a place and a link with HTML/JS payloads."""
    shutil.copytree(mini, dest)
    places = dest / "places" / "mini.geojson"
    doc = json.loads(places.read_text())
    for f in doc["features"]:
        if f["properties"]["id"] == "kunduz":
            f["properties"]["name"] = EVIL_PLACE
            f["properties"]["note"] = "\"'><svg onload=alert(3)>"
    places.write_text(json.dumps(doc))
    links = dest / "links" / "mini.geojson"
    doc = json.loads(links.read_text())
    for f in doc["features"]:
        if f["properties"]["id"] == "kunduz-kabul":
            f["properties"]["name"] = EVIL_LINK
    links.write_text(json.dumps(doc))
    return dest
