"""Validating a data folder: the public entry point of `routes.schema.validate_data`."""

from __future__ import annotations

from pathlib import Path

from routes._paths import default_data_dir
from routes.errors import Problem
from routes.io import read_data
from routes.schema import validate_data

__all__ = ["validate"]


def validate(path: str | Path | None = None) -> list[Problem]:
    """Check a network data folder and return every problem found.

    Parameters
    ----------
    path : str or Path, optional
        A data folder laid out as ``geodata/``; default: the shipped network.

    Returns
    -------
    list of Problem
        Each with file, feature id, field and message; empty when the data is valid.

    Raises
    ------
    InvalidDataError
        If the folder does not exist or is not a data folder at all.

    Examples
    --------
    >>> import routes
    >>> routes.validate()
    []
    """
    folder = Path(path) if path is not None else default_data_dir()
    problems = validate_data(read_data(folder))
    # Routing starts from scenarios/baseline.toml: without it the folder loads but cannot route.
    if not (folder / "scenarios" / "baseline.toml").is_file():
        problems.append(
            Problem(
                str(folder / "scenarios" / "baseline.toml"),
                "",
                "",
                "missing: every route applies the baseline scenario; copy geodata/scenarios/ into the folder",
            )
        )
    return problems
