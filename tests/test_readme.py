"""The README tells the truth: its console examples and its scenario example run as shown."""

from __future__ import annotations

import re

import pytest
from readme_blocks import README, console_blocks, run_command

from routes.scenarios import apply_scenario, load_scenario

TEXT = README.read_text(encoding="utf-8")
BLOCKS = console_blocks(TEXT)


def test_readme_has_console_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("block", BLOCKS, ids=[b.command for b in BLOCKS])
def test_console_example_output_is_current(block) -> None:
    assert run_command(block.command) == block.shown, (
        f"README output of `{block.command}` is stale: run `python tests/readme_blocks.py --update`"
    )


def test_scenario_example_loads_and_applies(tmp_path, G) -> None:
    toml = re.search(r"^## Writing a scenario.*?```toml\n(.*?)^```", TEXT, re.M | re.S)
    assert toml is not None
    path = tmp_path / "example.toml"
    path.write_text(toml.group(1), encoding="utf-8")
    scenario = load_scenario(path)
    H = apply_scenario(G, scenario)
    assert "chaman-spin-boldak" not in H
