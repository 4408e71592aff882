"""Where the shipped network and the seed documents are.

The data lives once, in ``geodata/`` and ``seeds/`` at the top of the repository. A
wheel carries them inside the package (``routes/geodata``, ``routes/seeds``, see
``pyproject.toml``); an editable install or a checkout reads them from the repository.
"""

from __future__ import annotations

from pathlib import Path

from routes.errors import InvalidDataError

_PACKAGE = Path(__file__).resolve().parent


def _first_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise InvalidDataError(
        f"The shipped {name}/ folder is missing (looked in {_PACKAGE / name} and "
        f"{_PACKAGE.parent / name}); reinstall the package or pass a data folder."
    )


def default_data_dir() -> Path:
    """Return the folder of the network shipped with the package."""
    return _first_dir("geodata")


def seeds_dir_for(data_dir: Path) -> Path:
    """Return the seed documents' folder that goes with a data folder.

    A data folder next to a ``seeds/`` folder (as in the repository) uses that one;
    any other uses the shipped seeds.
    """
    sibling = data_dir.parent / "seeds"
    if sibling.is_dir():
        return sibling
    return _first_dir("seeds")
