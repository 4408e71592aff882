"""The wheel carries the network: a plain install works from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_the_network(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    (wheel,) = dist.glob("corridor_routes-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    assert "routes/geodata/rules.toml" in names
    assert "routes/geodata/scenarios/baseline.toml" in names
    assert any(n.startswith("routes/geodata/links/") for n in names)
    assert "routes/seeds/003_56c17d5bf4847eda.txt" in names
    assert "routes/py.typed" in names
    assert "routes/output.schema.json" in names
    assert not any(n.startswith(("tests/", "geodata/")) for n in names)
    # Used from elsewhere, the installed copy finds its own data.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import routes, routes._paths as p; G = routes.load_network(); "
        "print(routes.__file__); print(p.default_data_dir()); print(G.number_of_nodes()); "
        "print(len(routes.validate())); "
        "print(routes.shortest_route(G, 'Dushanbe', 'Karachi', scenario='afghanistan-closed').total_km > 0)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    module, data_dir, nodes, problems, ok = out.stdout.split()
    assert module.startswith(str(tmp_path / "site"))
    assert data_dir == str(tmp_path / "site" / "routes" / "geodata")
    assert int(nodes) > 150
    assert problems == "0"
    assert ok == "True"
