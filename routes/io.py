"""Reading a data folder from disk into plain Python structures.

Only this module (and the command line, and explicit ``save_*`` functions) touches files.
It parses; it does not judge: `routes.schema` checks what it read.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from routes.errors import InvalidDataError, Problem

__all__ = ["RawData", "atomic_write", "read_bibliography", "read_data"]


@dataclass
class RawData:
    """The contents of a data folder, as parsed, before any checking.

    Each feature is kept with the file it came from so problems can name it.
    """

    data_dir: Path
    places: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    links: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    energy: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sources: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)
    seed_mentions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        """Return ``path`` relative to the data folder's parent, for messages."""
        try:
            return str(path.relative_to(self.data_dir.parent))
        except ValueError:
            return str(path)


def _read_json(path: Path, raw: RawData) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raw.problems.append(Problem(raw.rel(path), "", "", f"not valid JSON: {exc.msg}", line=exc.lineno))
    except UnicodeDecodeError as exc:
        raw.problems.append(Problem(raw.rel(path), "", "", f"not UTF-8 text: {exc.reason}"))
    return None


def _read_toml(path: Path, raw: RawData) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raw.problems.append(Problem(raw.rel(path), "", "", f"not valid TOML: {exc}", line=line))
    except UnicodeDecodeError as exc:
        raw.problems.append(Problem(raw.rel(path), "", "", f"not UTF-8 text: {exc.reason}"))
    return None


def _features(path: Path, raw: RawData) -> Iterator[dict[str, Any]]:
    doc = _read_json(path, raw)
    if doc is None:
        return
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raw.problems.append(Problem(raw.rel(path), "", "type", "expected a GeoJSON FeatureCollection"))
        return
    features = doc.get("features")
    if not isinstance(features, list):
        raw.problems.append(Problem(raw.rel(path), "", "features", "expected a list"))
        return
    for i, feat in enumerate(features):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raw.problems.append(Problem(raw.rel(path), f"#{i}", "type", "expected a Feature"))
            continue
        yield feat


def read_data(data_dir: Path | str, *, bibliography: bool = True) -> RawData:
    """Parse every file of a data folder.

    Parameters
    ----------
    data_dir : path
        A folder laid out as ``geodata/`` (see its README).
    bibliography : bool
        Also read ``sources/*.toml`` and ``seed_mentions.toml``.

    Returns
    -------
    RawData
        Parsed contents; parse errors are collected in ``problems``, not raised.

    Raises
    ------
    InvalidDataError
        If the folder does not exist or has no ``places/`` or ``links/``.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InvalidDataError(f"Data folder {data_dir} does not exist.")
    raw = RawData(data_dir=data_dir)
    for sub in ("places", "links"):
        if not (data_dir / sub).is_dir():
            raise InvalidDataError(
                f"{data_dir} is not a network data folder: it has no {sub}/ folder "
                "(see geodata/README.md for the layout)."
            )
    for path in sorted((data_dir / "places").glob("*.geojson")):
        name = raw.rel(path)
        raw.places.extend((name, f) for f in _features(path, raw))
    for path in sorted((data_dir / "links").glob("*.geojson")):
        name = raw.rel(path)
        raw.links.extend((name, f) for f in _features(path, raw))
    energy = data_dir / "energy.geojson"
    if energy.is_file():
        name = raw.rel(energy)
        raw.energy.extend((name, f) for f in _features(energy, raw))
    rules = data_dir / "rules.toml"
    if rules.is_file():
        raw.rules = _read_toml(rules, raw) or {}
    if bibliography:
        read_bibliography(raw)
    return raw


def read_bibliography(raw: RawData) -> None:
    """Add the sources and the seed mentions of ``raw.data_dir`` to ``raw``.

    Routing needs neither, and parsing hundreds of TOML tables is most of the cost of a
    load, so `routes.network.load_network` reads them only when first asked for.
    """
    data_dir = raw.data_dir
    source_dir = data_dir / "sources"
    if source_dir.is_dir():
        for path in sorted(source_dir.glob("*.toml")):
            doc = _read_toml(path, raw)
            name = raw.rel(path)
            for sid, entry in (doc or {}).items():
                raw.sources.append((name, sid, entry if isinstance(entry, dict) else {}))
    mentions = data_dir / "seed_mentions.toml"
    if mentions.is_file():
        doc = _read_toml(mentions, raw) or {}
        found = doc.get("mention", [])
        raw.seed_mentions = [m for m in found if isinstance(m, dict)]


def _writable(path: Path | str) -> Path:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise FileNotFoundError(2, "No such folder to write into (create it first)", str(folder))
    if path.is_dir():
        raise IsADirectoryError(21, "Is a folder, not a file", str(path))
    return path


def _default_permissions(path: Path) -> None:
    # mkstemp creates files readable by the owner only; give the file the permissions a
    # plain open() would have (0666 less the umask).
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


@contextmanager
def atomic_write(path: Path | str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path`` and move it into place on success.

    A failure (an exception inside the ``with`` block) removes the temporary file and
    leaves any existing ``path`` untouched, so no half-written output is ever left.
    """
    path = _writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": encoding}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        _default_permissions(Path(tmp))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_via(path: Path | str, writer: Callable[[Path], None], suffix: str = "") -> None:
    """Let ``writer`` write a temporary file, then move it to ``path``.

    For libraries that insist on writing to a path themselves (GDAL through pyogrio).
    """
    path = _writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix or path.suffix, dir=path.parent)
    os.close(fd)
    Path(tmp).unlink()
    try:
        writer(Path(tmp))
        _default_permissions(Path(tmp))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_population(data_dir: Path | str) -> dict[str, dict[str, Any]]:
    """Read ``population.csv`` of a data folder: place id -> row (population as int).

    Returns an empty mapping when the folder has no such file.

    Raises
    ------
    InvalidDataError
        If a row lacks a place or has a population that is not a positive whole number.
    """
    import csv  # noqa: PLC0415

    path = Path(data_dir) / "population.csv"
    if not path.is_file():
        return {}
    out: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            place = (row.get("place") or "").strip()
            try:
                population = int(row.get("population") or "")
            except ValueError:
                population = 0
            if not place or population <= 0:
                problems.append(
                    Problem(str(path), place, "population", "expected a place id and a positive population", line=line)
                )
                continue
            out[place] = {**row, "population": population}
    if problems:
        raise InvalidDataError(problems)
    return out
