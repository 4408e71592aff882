"""The example notebook runs end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"


@pytest.mark.slow
@pytest.mark.enable_socket
def test_explore_notebook_executes() -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    outputs = "\n".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
    )  # fmt: skip
    assert "MultiGraph" in outputs
    assert "afghanistan-closed" in outputs
    assert "mentions are in the network" in outputs
    assert "Salang" in outputs  # the criticality ranking
    assert "kunduz-khulm-highway" in outputs  # the appraisal
