"""Shared fixtures: the tiny fixture network and the real shipped network."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

import routes

# A script that writes the fixture files: not a test module.
collect_ignore = ["data/build_mini.py"]

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture(scope="session")
def mini_dir() -> Path:
    """The fixture network's data folder (read-only: copy it to change it)."""
    return MINI


@pytest.fixture(scope="session")
def mini() -> nx.MultiGraph:
    """The fixture network: ~20 places shaped like the real corridors."""
    return routes.load_network(MINI)


@pytest.fixture(scope="session")
def G() -> nx.MultiGraph:  # noqa: N802 - the graph is G, as in networkx
    """The real network shipped in geodata/."""
    return routes.load_network()


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture network's data folder, next to a seeds/ folder."""
    dest = tmp_path / "geodata"
    shutil.copytree(MINI, dest)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return dest
