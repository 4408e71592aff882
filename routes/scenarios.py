"""Scenarios: what-if changes to the network, written as TOML files.

A scenario closes countries (with exempt regions), places, links or corridors; builds
links, corridors or whole statuses; sets the month of travel; scales or overrides speeds,
dwell times and costs. Every scenario applies on top of ``baseline``: a link that is not
operational is used only when a scenario builds it.

Composition (``baseline + winter + afghanistan-closed``) follows these rules, in order:

1. Builds add up (a link built by any part is built).
2. Closures add up and win over builds (a link both built and closed is closed). A
   country closed by several parts keeps only the exemptions they all grant.
3. ``month`` and ``[[set]]`` overrides: the later part wins.
4. ``[scale]`` factors multiply.

`apply_scenario` never changes the graph it is given; it returns a new graph.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
import weakref
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx

from routes import costs
from routes._versioned import graph_version
from routes.errors import InvalidDataError, Problem, ScenarioError
from routes.network import detached_edge_data, edge_items, graph_copy
from routes.schema import COUNTRIES, MODES, STATUSES

__all__ = [
    "Closure",
    "Scenario",
    "apply_scenario",
    "builtin_scenarios",
    "compose",
    "load_scenario",
    "operational_graph",
    "resolve_scenario",
    "scenario_plan",
]

_TOP_KEYS = {"title", "description", "sources", "month", "close", "build", "scale", "set"}
_CLOSE_KEYS = {"countries", "except_regions", "places", "links", "corridors"}
_BUILD_KEYS = {"links", "corridors", "statuses"}
_SCALE_KEYS = {"speed", "dwell_hours", "dwell_cost", "cost"}
_SET_KEYS = {
    "links",
    "corridors",
    "places",
    "speed_kmh",
    "dwell_hours",
    "dwell_cost_usd",
    "cost_basis",
    "note",
}
_SCALED_MODES = ("road", "rail", "sea", "air")


@dataclass(frozen=True)
class SetRule:
    """One ``[[set]]`` override: new speed for links, or new dwell at places."""

    links: tuple[str, ...] = ()
    corridors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    speed_kmh: float | None = None
    dwell_hours: float | None = None
    dwell_cost_usd: float | None = None
    cost_basis: str = "truck"
    note: str = ""


@dataclass(frozen=True)
class Scenario:
    """A what-if change to the network (see the module docstring for composition).

    Attributes
    ----------
    name : str
        Short name (file stem), ``"a+b"`` when composed.
    title, description : str
        For people.
    sources : tuple
        Citations for the scenario's assumptions.
    close_countries : tuple of (str, tuple of str)
        ``(ISO3, exempt regions)`` pairs.
    close_places, close_links, close_corridors : tuple of str
        Ids and corridor slugs closed.
    build_links, build_corridors, build_statuses : tuple of str
        What is built on top of today's network.
    month : int or None
        Month of travel (1-12) the scenario sets.
    speed_scale : tuple of (str, float)
        Speed multiplier per mode.
    dwell_hours_scale, dwell_cost_scale, cost_scale : float
        Multipliers of dwell times, dwell costs and transport costs.
    sets : tuple of SetRule
        Overrides, later ones winning.
    parts : tuple of str
        The names composed, in order (``("baseline",)`` for the baseline).
    """

    name: str
    title: str = ""
    description: str = ""
    sources: tuple[tuple[str, str], ...] = ()
    close_countries: tuple[tuple[str, tuple[str, ...]], ...] = ()
    close_places: tuple[str, ...] = ()
    close_links: tuple[str, ...] = ()
    close_corridors: tuple[str, ...] = ()
    build_links: tuple[str, ...] = ()
    build_corridors: tuple[str, ...] = ()
    build_statuses: tuple[str, ...] = ()
    month: int | None = None
    speed_scale: tuple[tuple[str, float], ...] = ()
    dwell_hours_scale: float = 1.0
    dwell_cost_scale: float = 1.0
    cost_scale: float = 1.0
    sets: tuple[SetRule, ...] = ()
    parts: tuple[str, ...] = ()
    path: str | None = None
    _lines: tuple[tuple[str, int], ...] = field(default=(), repr=False, compare=False)
    #: Which part of a composition closed what ("country:AFG" -> "afghanistan-closed").
    _origins: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    def closed_by(self, item: str) -> str:
        """Name the part of a composed scenario that closes ``item`` ("place:torkham")."""
        names = [name for key, name in self._origins if key == item]
        return "+".join(dict.fromkeys(names)) or self.name

    def line_of(self, key: str) -> int | None:
        """Return the line of ``key`` ("close.places") in the scenario's file, if known."""
        return dict(self._lines).get(key)

    def describe(self) -> list[str]:
        """Return what the scenario changes, one line per change, for people."""
        out = []
        for country, exempt in self.close_countries:
            ex = f" (except region {', '.join(exempt)})" if exempt else ""
            out.append(f"closes country {country}{ex}")
        for label, items in (
            ("closes places", self.close_places),
            ("closes links", self.close_links),
            ("closes corridors", self.close_corridors),
            ("builds links", self.build_links),
            ("builds corridors", self.build_corridors),
            ("builds every link with status", self.build_statuses),
        ):
            if items:
                out.append(f"{label}: {', '.join(items)}")
        if self.month is not None:
            out.append(f"sets the month of travel to {self.month}")
        for mode, factor in self.speed_scale:
            if factor != 1.0:
                out.append(f"scales {mode} speeds by {factor:g}")
        for label, factor in (
            ("dwell times", self.dwell_hours_scale),
            ("dwell costs", self.dwell_cost_scale),
            ("transport costs", self.cost_scale),
        ):
            if factor != 1.0:
                out.append(f"scales {label} by {factor:g}")
        for rule in self.sets:
            targets = ", ".join(rule.links + rule.corridors + rule.places)
            what = []
            if rule.speed_kmh is not None:
                what.append(f"speed {rule.speed_kmh:g} km/h")
            if rule.dwell_hours is not None:
                what.append(f"dwell {rule.dwell_hours:g} h per border post")
            if rule.dwell_cost_usd is not None:
                what.append(f"dwell cost {rule.dwell_cost_usd:g} USD per {rule.cost_basis}")
            out.append(f"sets {', '.join(what)} on {targets}")
        return out or ["changes nothing: today's operational network"]


@dataclass(frozen=True)
class Closure:
    """Something a scenario or a constraint made unusable, kept to explain a missing route.

    Attributes
    ----------
    label : str
        A sentence naming it ("Afghanistan is closed (afghanistan-closed)").
    nodes : tuple
        ``(id, attrs)`` of the places removed.
    edges : tuple
        ``(u, v, key, attrs)`` of the links removed.
    """

    label: str
    nodes: tuple[tuple[str, dict[str, Any]], ...] = ()
    edges: tuple[tuple[str, str, str, dict[str, Any]], ...] = ()


# ---------------------------------------------------------------------------------------
# Reading scenario files.

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _key_lines(text: str) -> dict[str, int]:
    """Map "table.key" (and "set[i].key") to its line number in a TOML text."""
    out: dict[str, int] = {}
    table = ""
    set_count = -1
    for lineno, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = header.group(1)
            if line.strip().startswith("[["):
                set_count += 1
                table = f"{table}[{set_count}]"
            out.setdefault(table, lineno)
            continue
        key = _KEY.match(line)
        if key:
            out.setdefault(f"{table}.{key.group(1)}" if table else key.group(1), lineno)
    return out


class _Reader:
    def __init__(self, file: str, lines: dict[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def bad(self, key: str, message: str) -> None:
        line = self.lines.get(key) or self.lines.get(key.rsplit(".", 1)[0])
        self.problems.append(Problem(self.file, "", key, message, line=line))

    def strings(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.bad(where, f"expected a list of strings, got {value!r}")
            return ()
        return tuple(value)

    def number(self, table: dict[str, Any], key: str, where: str, lo: float, hi: float) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            self.bad(where, f"expected a number from {lo:g} to {hi:g}, got {value!r}")
            return None
        return float(value)

    def table(self, doc: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
        value = doc.get(key, {})
        if not isinstance(value, dict):
            self.bad(key, f"expected a table [{key}], got {value!r}")
            return {}
        for extra in sorted(set(value) - allowed):
            self.bad(f"{key}.{extra}", f"unknown field; [{key}] takes {', '.join(sorted(allowed))}")
        return value


def _or_one(value: float | None) -> float:
    return 1.0 if value is None else value


def _parse(doc: dict[str, Any], name: str, file: str, text: str) -> Scenario:
    lines = _key_lines(text)
    rd = _Reader(file, lines)
    for extra in sorted(set(doc) - _TOP_KEYS):
        rd.bad(extra, f"unknown field; a scenario takes {', '.join(sorted(_TOP_KEYS))}")
    title = doc.get("title", name)
    if not isinstance(title, str):
        rd.bad("title", "expected a string")
        title = name
    description = doc.get("description", "")
    if not isinstance(description, str):
        rd.bad("description", "expected a string")
        description = ""
    raw_sources = doc.get("sources", [])
    sources: list[tuple[str, str]] = []
    if not isinstance(raw_sources, list):
        rd.bad("sources", "expected a list of source ids or {id, note} tables")
        raw_sources = []
    for cite in raw_sources:
        if isinstance(cite, str):
            sources.append((cite, ""))
        elif isinstance(cite, dict) and isinstance(cite.get("id"), str):
            sources.append((cite["id"], str(cite.get("note", ""))))
        else:
            rd.bad("sources", f"expected a source id or an {{id, note}} table, got {cite!r}")
    month = doc.get("month")
    if month is not None and (isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12):
        rd.bad("month", f"expected a month number 1-12, got {month!r}")
        month = None

    close = rd.table(doc, "close", _CLOSE_KEYS)
    countries = rd.strings(close, "countries", "close.countries")
    for c in countries:
        if c not in COUNTRIES:
            rd.bad("close.countries", f"unknown country {c!r}; use ISO3 codes: {', '.join(sorted(COUNTRIES))}")
    exempt = rd.strings(close, "except_regions", "close.except_regions")
    build = rd.table(doc, "build", _BUILD_KEYS)
    statuses = rd.strings(build, "statuses", "build.statuses")
    for s in statuses:
        if s not in STATUSES:
            rd.bad("build.statuses", f"unknown status {s!r}; one of {', '.join(STATUSES)}")

    scale = rd.table(doc, "scale", _SCALE_KEYS)
    speed_scale: list[tuple[str, float]] = []
    speed = scale.get("speed")
    if isinstance(speed, dict):
        for mode in speed:
            if mode not in MODES:
                rd.bad("scale.speed", f"unknown mode {mode!r}; one of {', '.join(sorted(MODES))}")
                continue
            f = rd.number(speed, mode, "scale.speed", 0.01, 10)
            if f is not None:
                speed_scale.append((mode, f))
    elif speed is not None:
        f = rd.number(scale, "speed", "scale.speed", 0.01, 10)
        if f is not None:
            speed_scale.extend((mode, f) for mode in _SCALED_MODES)

    sets: list[SetRule] = []
    raw_sets = doc.get("set", [])
    if not isinstance(raw_sets, list):
        rd.bad("set", "expected [[set]] tables")
        raw_sets = []
    for i, entry in enumerate(raw_sets):
        where = f"set[{i}]"
        if not isinstance(entry, dict):
            rd.bad(where, "expected a table")
            continue
        for extra in sorted(set(entry) - _SET_KEYS):
            rd.bad(f"{where}.{extra}", f"unknown field; [[set]] takes {', '.join(sorted(_SET_KEYS))}")
        rule = SetRule(
            links=rd.strings(entry, "links", f"{where}.links"),
            corridors=rd.strings(entry, "corridors", f"{where}.corridors"),
            places=rd.strings(entry, "places", f"{where}.places"),
            speed_kmh=rd.number(entry, "speed_kmh", f"{where}.speed_kmh", 1, 200),
            dwell_hours=rd.number(entry, "dwell_hours", f"{where}.dwell_hours", 0, 2000),
            dwell_cost_usd=rd.number(entry, "dwell_cost_usd", f"{where}.dwell_cost_usd", 0, 1e6),
            cost_basis=str(entry.get("cost_basis", "truck")),
            note=str(entry.get("note", "")),
        )
        if not (rule.links or rule.corridors or rule.places):
            rd.bad(where, "a [[set]] names the links, corridors or places it changes")
        if rule.speed_kmh is not None and rule.places:
            rd.bad(f"{where}.speed_kmh", "speed_kmh applies to links or corridors, not places")
        if (rule.dwell_hours is not None or rule.dwell_cost_usd is not None) and not rule.places:
            rd.bad(f"{where}.dwell_hours", "dwell applies to places")
        sets.append(rule)

    close_places = rd.strings(close, "places", "close.places")
    close_links = rd.strings(close, "links", "close.links")
    close_corridors = rd.strings(close, "corridors", "close.corridors")
    build_links = rd.strings(build, "links", "build.links")
    build_corridors = rd.strings(build, "corridors", "build.corridors")
    dwell_hours_scale = _or_one(rd.number(scale, "dwell_hours", "scale.dwell_hours", 0, 100))
    dwell_cost_scale = _or_one(rd.number(scale, "dwell_cost", "scale.dwell_cost", 0, 100))
    cost_scale = _or_one(rd.number(scale, "cost", "scale.cost", 0.01, 100))
    if rd.problems:
        raise ScenarioError(f"Scenario file {file} is malformed.", rd.problems)
    return Scenario(
        name=name,
        title=title,
        description=description.strip(),
        sources=tuple(sources),
        close_countries=tuple((c, exempt) for c in countries),
        close_places=close_places,
        close_links=close_links,
        close_corridors=close_corridors,
        build_links=build_links,
        build_corridors=build_corridors,
        build_statuses=statuses,
        month=month,
        speed_scale=tuple(speed_scale),
        dwell_hours_scale=dwell_hours_scale,
        dwell_cost_scale=dwell_cost_scale,
        cost_scale=cost_scale,
        sets=tuple(sets),
        parts=(name,),
        path=file,
        _lines=tuple(lines.items()),
    )


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        If the file is missing, is not TOML, or has unknown or malformed fields; each
        problem names the file, line and field.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(
            f"Scenario file {path} does not exist. Check the path (text with a / or ending in .toml is a file; "
            "`routes scenarios` lists the built-in names)."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(
            f"Scenario file {path} cannot be read ({exc.__class__.__name__}: {exc}). Give a UTF-8 TOML file."
        ) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = None
        m = re.search(r"line (\d+)", str(exc))
        if m:
            line = int(m.group(1))
        raise ScenarioError(
            f"Scenario file {path} is not valid TOML.",
            [Problem(str(path), "", "", str(exc), line=line)],
        ) from None
    return _parse(doc, path.stem, str(path), text)


def _scenario_dir(G: nx.MultiGraph) -> Path:
    return Path(G.graph["data_dir"]) / "scenarios"


_FOLDERS: dict[str, tuple[int, dict[str, Path]]] = {}


def builtin_scenarios(G: nx.MultiGraph) -> dict[str, Path]:
    """Return the built-in scenarios of a graph's data folder, name -> file."""
    folder = _scenario_dir(G)
    # Listing the folder on every route is measurable; its mtime changes when a file is
    # added, removed or renamed, so the listing is kept until then.
    try:
        mtime = folder.stat().st_mtime_ns
    except OSError:
        return {}
    cached = _FOLDERS.get(str(folder))
    if cached is not None and cached[0] == mtime:
        return dict(cached[1])
    # os.scandir and fnmatch match as folder.glob("*.toml") does, at a fraction of its
    # cost on the first route of a process.
    found = (
        {p.stem: p for p in sorted(folder / e.name for e in os.scandir(folder) if fnmatch.fnmatch(e.name, "*.toml"))}
        if folder.is_dir()
        else {}
    )
    _FOLDERS[str(folder)] = (mtime, found)
    return dict(found)


def compose(scenarios: Scenario | Sequence[Scenario]) -> Scenario:
    """Compose scenarios in order (see the module docstring for the precedence).

    Parameters
    ----------
    scenarios : Scenario or sequence of Scenario
        From `load_scenario`; a single Scenario is a list of one. To compose built-in
        scenarios by name, pass the names to `apply_scenario` (``["a", "b"]`` or
        ``"a+b"``).

    Raises
    ------
    ScenarioError
        If there is no scenario, or an item is not a Scenario (a name, say).
    """
    if isinstance(scenarios, Scenario):
        scenarios = [scenarios]
    if isinstance(scenarios, str | Path):
        scenarios = [scenarios]  # type: ignore[list-item]  # refused below, with the fix
    if not scenarios:
        raise ScenarioError("compose() needs at least one scenario.")
    for item in scenarios:
        if not isinstance(item, Scenario):
            raise ScenarioError(
                f"compose() takes Scenario objects (from load_scenario), got {type(item).__name__} {item!r}; "
                f"to compose scenarios by name use apply_scenario(G, [...]) or shortest_route(..., scenario=[...])."
            )
    if len(scenarios) == 1:
        return scenarios[0]
    countries: dict[str, set[str] | None] = {}
    for s in scenarios:
        for c, exempt in s.close_countries:
            prev = countries.get(c)
            countries[c] = set(exempt) if prev is None else prev & set(exempt)

    def union(attr: str) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in scenarios:
            for item in getattr(s, attr):
                seen.setdefault(item, None)
        return tuple(seen)

    speed: dict[str, float] = {}
    for s in scenarios:
        for mode, f in s.speed_scale:
            speed[mode] = speed.get(mode, 1.0) * f
    month = None
    for s in scenarios:
        if s.month is not None:
            month = s.month
    prod = 1.0
    dh = dc = 1.0
    for s in scenarios:
        prod *= s.cost_scale
        dh *= s.dwell_hours_scale
        dc *= s.dwell_cost_scale
    parts = tuple(p for s in scenarios for p in s.parts)
    origins: list[tuple[str, str]] = []
    for s in scenarios:
        own = [
            *(f"country:{c}" for c, _ in s.close_countries),
            *(f"place:{x}" for x in s.close_places),
            *(f"link:{x}" for x in s.close_links),
            *(f"corridor:{x}" for x in s.close_corridors),
        ]
        origins.extend((key, s.closed_by(key)) for key in own)
    return Scenario(
        name="+".join(parts),
        title=" + ".join(s.title or s.name for s in scenarios),
        description="\n\n".join(s.description for s in scenarios if s.description),
        sources=tuple(c for s in scenarios for c in s.sources),
        close_countries=tuple((c, tuple(sorted(ex or ()))) for c, ex in countries.items()),
        close_places=union("close_places"),
        close_links=union("close_links"),
        close_corridors=union("close_corridors"),
        build_links=union("build_links"),
        build_corridors=union("build_corridors"),
        build_statuses=union("build_statuses"),
        month=month,
        speed_scale=tuple(speed.items()),
        dwell_hours_scale=dh,
        dwell_cost_scale=dc,
        cost_scale=prod,
        sets=tuple(r for s in scenarios for r in s.sets),
        parts=parts,
        _origins=tuple(origins),
    )


ScenarioSpec = str | Path | Scenario | Sequence[str | Path | Scenario] | None


def resolve_scenario(G: nx.MultiGraph, spec: ScenarioSpec) -> Scenario:
    """Turn names, paths, ``"a+b"`` strings or Scenario objects into one Scenario.

    ``None`` and ``[]`` mean ``baseline``. Text with a ``/`` or ending in ``.toml`` is
    the path of a file; other text is the name of a built-in scenario of the graph's data
    folder (case ignored), or several joined by ``+``.

    Raises
    ------
    ScenarioError
        For an unknown name (the error lists the known ones) or a malformed file.
    """
    if spec is None or (isinstance(spec, Sequence) and not isinstance(spec, str) and not spec):
        spec = ["baseline"]
    if isinstance(spec, Scenario):
        return spec
    items: list[str | Path | Scenario] = [spec] if isinstance(spec, str | Path) else list(spec)
    expanded: list[str | Path | Scenario] = []
    for item in items:
        if isinstance(item, str) and not _is_path(item):
            parts = [part.strip() for part in item.split("+")]
            if not all(parts):
                raise ScenarioError(
                    f"Scenario {item!r} has an empty part: compose names as `a+b`, with a name on "
                    "each side of every `+` (`routes scenarios` lists the names)."
                )
            expanded.extend(parts)
        else:
            expanded.append(item)
    known = builtin_scenarios(G)
    by_lower = {name.lower(): name for name in known}
    resolved: list[Scenario] = []
    for item in expanded:
        if isinstance(item, Scenario):
            resolved.append(item)
        elif isinstance(item, Path) or _is_path(item):
            sc = _check_sources(G, load_scenario(item))
            if sc.name.lower() in by_lower:  # ./winter.toml is not the built-in winter: say so in its label
                sc = replace(sc, name=str(item), parts=(str(item),))
            resolved.append(sc)
        elif item.lower() in by_lower:
            resolved.append(_load_builtin(known[by_lower[item.lower()]]))
        elif item.lower() == "baseline":
            folder = _scenario_dir(G)
            raise InvalidDataError(
                f"The data folder has no {folder / 'baseline.toml'}, which every scenario applies on top of; "
                "copy geodata/scenarios/ into it (`routes validate` checks the folder)."
            )
        else:
            import difflib  # noqa: PLC0415

            near = difflib.get_close_matches(item.lower(), list(by_lower), n=3, cutoff=0.6)
            hint = f" Did you mean: {', '.join(by_lower[n] for n in near)}?" if near else ""
            raise ScenarioError(
                f"Unknown scenario {item!r}.{hint} Built-in scenarios: {', '.join(known) or 'none'}; "
                "or give the path of a .toml file."
            )
    return compose(resolved)


def _check_sources(G: nx.MultiGraph, sc: Scenario) -> Scenario:
    """Return ``sc`` if every source it cites is in the graph's bibliography, else raise."""
    import difflib  # noqa: PLC0415

    bib = G.graph.get("sources", {})
    problems = []
    for sid, _ in sc.sources:
        if sid not in bib:
            near = difflib.get_close_matches(sid, list(bib), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(near)}?" if near else "; `routes sources` lists the known ids"
            problems.append(
                Problem(sc.path or sc.name, "", "sources", f"unknown source id {sid!r}{hint}", sc.line_of("sources"))
            )
    if problems:
        raise ScenarioError(f"Scenario {sc.name!r} cites sources the bibliography does not have.", problems)
    return sc


def _is_path(text: str) -> bool:
    """A scenario given as text is a file when it has a folder separator or ends in .toml.

    Nothing else is: ``winter`` is always the built-in, even when a file ``winter``
    exists in the working folder, and ``./winter.toml`` is always that file.
    """
    return "/" in text or "\\" in text or text.lower().endswith(".toml")


_BUILTIN_CACHE: dict[tuple[str, float], Scenario] = {}


def _load_builtin(path: Path) -> Scenario:
    key = (str(path), path.stat().st_mtime)
    if key not in _BUILTIN_CACHE:
        _BUILTIN_CACHE[key] = load_scenario(path)
    return _BUILTIN_CACHE[key]


# ---------------------------------------------------------------------------------------
# Applying a scenario to a graph.


def _check_refs(G: nx.MultiGraph, sc: Scenario) -> None:
    refers = sc.close_places or sc.close_links or sc.build_links or sc.close_corridors or sc.build_corridors or sc.sets
    if not refers and not any(exempt for _, exempt in sc.close_countries):
        return  # nothing to look up (baseline, whole-country closures, scales, month)
    corridors = {d["corridor"] for _, _, d in G.edges(data=True)}
    links = {k for _, _, k in G.edges(keys=True)}
    regions = {d.get("region") for _, d in G.nodes(data=True)} | {d.get("region") for _, _, d in G.edges(data=True)}
    problems: list[Problem] = []
    file = sc.path or sc.name

    def bad(key: str, message: str) -> None:
        problems.append(Problem(file, "", key, message, line=sc.line_of(key)))

    for pid in sc.close_places:
        if pid not in G:
            bad("close.places", f"unknown place id {pid!r}")
    for key, ids in (("close.links", sc.close_links), ("build.links", sc.build_links)):
        for lid in ids:
            if lid not in links:
                bad(key, f"unknown link id {lid!r}")
    for key, ids in (("close.corridors", sc.close_corridors), ("build.corridors", sc.build_corridors)):
        for cid in ids:
            if cid not in corridors:
                bad(key, f"unknown corridor {cid!r}; known: {', '.join(sorted(corridors))}")
    for _, exempt in sc.close_countries:
        for region in exempt:
            if region not in regions:
                bad("close.except_regions", f"no place or link has region {region!r}")
    for i, rule in enumerate(sc.sets):
        for lid in rule.links:
            if lid not in links:
                bad(f"set[{i}].links", f"unknown link id {lid!r}")
        for cid in rule.corridors:
            if cid not in corridors:
                bad(f"set[{i}].corridors", f"unknown corridor {cid!r}")
        for pid in rule.places:
            if pid not in G:
                bad(f"set[{i}].places", f"unknown place id {pid!r}")
    if problems:
        raise ScenarioError(f"Scenario {sc.name!r} refers to things the network does not have.", problems)


#: Per base graph: its version, and per scenario its plan and (once asked for) its applied graph.
_APPLIED: weakref.WeakKeyDictionary[nx.MultiGraph, tuple[Hashable, dict[Scenario, ScenarioPlan]]] = (
    weakref.WeakKeyDictionary()
)


def _cached(G: nx.MultiGraph, sc: Scenario) -> ScenarioPlan:
    """The plan of ``sc`` on G, cached per version of G (with its applied graph, once built)."""
    # The cache belongs to one version of G: any edit of G (an attribute, a node, an
    # edge) gives a new version, and the scenario is planned again.
    version = graph_version(G)
    entry = _APPLIED.get(G)
    if entry is None or entry[0] != version:
        entry = (version, {})
        _APPLIED[G] = entry
    cache = entry[1]
    plan = cache.get(sc)
    if plan is None:
        _check_refs(G, sc)
        if len(cache) > 64:
            cache.clear()
        plan = cache[sc] = _plan(G, sc)
    return plan


def _refuse_applied(G: nx.MultiGraph) -> None:
    if G.graph.get("scenario"):
        raise ScenarioError(
            "This graph already has a scenario applied "
            f"({'+'.join(G.graph['scenario'])}); apply scenarios to the base graph from "
            "load_network(), composing them in one call: apply_scenario(G, ['a', 'b'])."
        )


def scenario_plan(G: nx.MultiGraph, scenario: ScenarioSpec = None) -> ScenarioPlan:
    """Return what a scenario does to the base graph G, without building the applied graph.

    The search works from this and G (`routes.routing`); `apply_scenario` builds its
    graph from the same plan. Cached like `apply_scenario`: do not change it.

    Raises
    ------
    ScenarioError
        As `apply_scenario`.
    """
    _refuse_applied(G)
    return _cached(G, resolve_scenario(G, scenario))


def apply_scenario(G: nx.MultiGraph, scenario: ScenarioSpec = None) -> nx.MultiGraph:
    """Return a new graph with a scenario applied on top of ``baseline``.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network` (it is not changed).
    scenario : str, Path, Scenario or list of them, optional
        Built-in names (``"afghanistan-closed"``), ``"a+b"`` compositions, paths of
        TOML files, or Scenario objects; a list is composed in order. Default:
        ``baseline``.

    Returns
    -------
    networkx.MultiGraph
        A copy holding only what can be used: links that are operational or built by the
        scenario, minus what it closes, with its speed, dwell and cost changes.
        ``graph["scenario"]`` names the parts, ``graph["month"]`` the month it sets,
        ``graph["closures"]`` what it removed (to explain missing routes).

    Raises
    ------
    ScenarioError
        For an unknown scenario, a malformed file, or references to unknown ids.

    Notes
    -----
    Results are cached per base graph and scenario, so repeated routing is fast. An edit
    of ``G`` (an attribute, a node, a link) invalidates the cache: the next call applies
    the scenario to the edited graph. Editing the returned graph changes only it.

    Examples
    --------
    >>> import routes
    >>> G = routes.load_network()
    >>> H = routes.apply_scenario(G, "afghanistan-closed")
    >>> any(d["country"] == "AFG" for _, d in H.nodes(data=True))
    False
    """
    _refuse_applied(G)
    return applied_graph(G, _cached(G, resolve_scenario(G, scenario)))


def applied_graph(G: nx.MultiGraph, plan: ScenarioPlan) -> nx.MultiGraph:
    """The graph of a plan of G (from `scenario_plan`), built on first use and kept with the plan."""
    if plan.applied is None:
        plan.applied = _apply(G, plan)
    return plan.applied


def operational_graph(G: nx.MultiGraph) -> nx.MultiGraph:
    """Return today's network: the ``baseline`` scenario applied, for plain networkx.

    The graph from `routes.load_network` holds every link whatever its status (the
    proposed Wakhan road and Trans-Afghan railway among them), so networkx algorithms
    run on it directly use links that do not exist. This graph holds only operational
    places and links; ``length`` (m) on its edges is what networkx should weigh.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network` (not changed).

    Returns
    -------
    networkx.MultiGraph
        The same as ``apply_scenario(G, "baseline")`` (cached like it: do not change it).

    Examples
    --------
    >>> import networkx as nx, routes
    >>> G = routes.load_network()
    >>> O = routes.operational_graph(G)
    >>> {d["status"] for _, _, d in O.edges(data=True)}
    {'operational'}
    >>> round(nx.shortest_path_length(O, "dushanbe", "karachi", weight="length") / 1000)
    2002
    >>> round(nx.shortest_path_length(G, "dushanbe", "karachi", weight="length") / 1000)  # over proposed railways
    1988
    """
    return apply_scenario(G, "baseline")


def _label(G: nx.MultiGraph, pid: str) -> str:
    return str(G.nodes[pid].get("name", pid))


_COUNTRY_NAMES = {
    "PAK": "Pakistan",
    "AFG": "Afghanistan",
    "TJK": "Tajikistan",
    "UZB": "Uzbekistan",
    "KGZ": "Kyrgyzstan",
    "TKM": "Turkmenistan",
    "KAZ": "Kazakhstan",
    "CHN": "China",
    "IRN": "Iran",
    "ARE": "the United Arab Emirates",
    "OMN": "Oman",
    "SAU": "Saudi Arabia",
    "IND": "India",
    "LKA": "Sri Lanka",
    "SGP": "Singapore",
    "KOR": "South Korea",
    "NLD": "the Netherlands",
    "DEU": "Germany",
    "GRC": "Greece",
    "TUR": "Turkey",
    "QAT": "Qatar",
    "EGY": "Egypt",
    "YEM": "Yemen",
    "DJI": "Djibouti",
    "MYS": "Malaysia",
    "IDN": "Indonesia",
    "ZAF": "South Africa",
    "ESP": "Spain",
    "GBR": "the United Kingdom",
    "MAR": "Morocco",
}


def country_name(iso3: str) -> str:
    """Return the English short name of an ISO3 code the network uses."""
    return _COUNTRY_NAMES.get(iso3, iso3)


@dataclass(eq=False)
class ScenarioPlan:
    """What a scenario does to a base graph, decided without copying it.

    `apply_scenario` builds its graph from this, and the search builds its view straight
    from the base graph and this (`routes.routing`), so a route never waits for a copy
    of every link: both read the same decisions.

    Attributes
    ----------
    removed_links : set of str
        Link ids left out (unbuilt, suspended or closed).
    removed_places : dict
        Place ids left out, in the order they were removed.
    closures : tuple of Closure
        What was left out and why, in order.
    link_updates : dict
        ``(u, v, key) -> {attr: value}``: weights a scenario changes.
    place_updates : dict
        ``place id -> {attr: value}``: dwell scales and overrides.
    graph_attrs : dict
        ``scenario``, ``month`` and ``closures`` of the applied graph.
    rules : costs.Rules
        The parsed rules of the base graph.
    """

    removed_links: set[str]
    removed_places: dict[str, None]
    closures: tuple[Closure, ...]
    link_updates: dict[tuple[str, str, str], dict[str, Any]]
    place_updates: dict[str, dict[str, Any]]
    graph_attrs: dict[str, Any]
    rules: costs.Rules
    #: The applied graph (`applied_graph`) and the search view of `routes.routing`, each
    #: built on first use and kept here, so they live exactly as long as the plan's cache.
    applied: nx.MultiGraph | None = None
    search_view: Any = None

    def keeps(self, u: str, v: str, key: str) -> bool:
        """Whether the link ``key`` between u and v is in the applied graph."""
        return key not in self.removed_links and u not in self.removed_places and v not in self.removed_places


def base_rules(G: nx.MultiGraph) -> costs.Rules:
    """The parsed rules of a base graph: parsed once by `load_network`, else here."""
    doc = G.graph["rules"]
    parsed = G.graph.get("_rules")  # (the dict, its parse), kept only while G holds that dict
    if parsed is not None and parsed[0] is doc:
        rules: costs.Rules = parsed[1]
        return rules
    return costs.Rules.from_dict(doc)


def _plan(G: nx.MultiGraph, sc: Scenario) -> ScenarioPlan:
    """Decide what ``sc`` leaves out of G and changes on it; G is not changed."""
    closures: list[Closure] = []
    builds_links = set(sc.build_links)
    builds_corridors = set(sc.build_corridors)
    builds_status = set(sc.build_statuses)
    removed_links: set[str] = set()
    removed_places: dict[str, None] = {}

    def keeps(u: str, v: str, k: str) -> bool:
        return k not in removed_links and u not in removed_places and v not in removed_places

    def links() -> list[tuple[str, str, str, dict[str, Any]]]:
        return [(u, v, k, d) for u, v, k, d in edge_items(G) if keeps(u, v, k)]

    def links_at(pid: str) -> list[tuple[str, str, str, dict[str, Any]]]:
        return [(pid, v, k, d) for v, kd in G._adj[pid].items() for k, d in kd.items() if keeps(pid, v, k)]

    def detached(edges: list[tuple[str, str, str, dict[str, Any]]]) -> tuple[tuple[str, str, str, Any], ...]:
        # A closure keeps copies: changing them touches neither G nor the applied graph.
        return tuple((u, v, k, detached_edge_data(d)) for u, v, k, d in edges)

    # 1. What is not built: links first, then places that no built link makes real.
    explicitly_built: set[str] = set()
    unbuilt: dict[tuple[str, str], list[tuple[str, str, str, dict[str, Any]]]] = {}
    suspended: list[tuple[str, str, str, dict[str, Any]]] = []
    get = dict.__getitem__  # not EdgeData's, which checks for geometry on every call
    for u, v, k, d in edge_items(G):
        status: str = get(d, "status")
        corridor: str = get(d, "corridor")
        if dict.get(d, "service_status") == "suspended" and k not in builds_links and corridor not in builds_corridors:
            # A scheduled service that does not fly today; building it by id or corridor restores it.
            suspended.append((u, v, k, d))
            continue
        if status == "operational" or status in builds_status:
            continue
        if k in builds_links or corridor in builds_corridors:
            explicitly_built.update((u, v))
            continue
        unbuilt.setdefault((corridor, status), []).append((u, v, k, d))
    for u, v, k, d in suspended:
        removed_links.add(k)
        closures.append(
            Closure(
                f"{d['name']} is suspended (since {d.get('service_date') or 'a date the sources do not give'}; "
                f'a scenario that restores it: [build] links = ["{k}"])',
                edges=detached([(u, v, k, d)]),
            )
        )
    for (corridor, status), edges in sorted(unbuilt.items()):
        removed_links.update(k for _, _, k, _ in edges)
        closures.append(
            Closure(
                f"{corridor} is {status.replace('_', ' ')}, not built "
                f"({len(edges)} link{'s' if len(edges) > 1 else ''}; a scenario that builds it: "
                f'[build] corridors = ["{corridor}"])',
                edges=detached(edges),
            )
        )
    for pid, d in G._node.items():
        status = d.get("status", "operational")
        if status == "operational" or status in builds_status or pid in explicitly_built:
            continue
        closures.append(
            Closure(
                f"{d['name']} is {status.replace('_', ' ')}, not built",
                nodes=((pid, dict(d)),),
                edges=detached(links_at(pid)),
            )
        )
        removed_places[pid] = None

    # 2. Closures, which win over builds.
    def close_places(pids: list[str], label: str) -> None:
        present = [p for p in pids if p in G._node and p not in removed_places]
        if not present:
            return
        edges = [e for p in present for e in links_at(p)]
        closures.append(Closure(label, nodes=tuple((p, dict(G._node[p])) for p in present), edges=detached(edges)))
        removed_places.update(dict.fromkeys(present))

    def close_links(edges: list[tuple[str, str, str, dict[str, Any]]], label: str) -> None:
        if not edges:
            return
        closures.append(Closure(label, edges=detached(edges)))
        removed_links.update(k for _, _, k, _ in edges)

    for country, exempt in sc.close_countries:
        ex = set(exempt)
        label = f"{country_name(country)} is closed ({sc.closed_by(f'country:{country}')})" + (
            f", except region {', '.join(sorted(ex))}" if ex else ""
        )
        edges = [(u, v, k, d) for u, v, k, d in links() if country in d["countries"] and d.get("region") not in ex]
        nodes = [
            p
            for p, d in G._node.items()
            if p not in removed_places and d["country"] == country and d.get("region") not in ex
        ]
        # One closure per country: lifting it restores both its places and its links.
        removed_edges = {k for _, _, k, _ in edges}
        node_edges = [e for p in nodes for e in links_at(p) if e[2] not in removed_edges]
        closures.append(
            Closure(
                label,
                nodes=tuple((p, dict(G._node[p])) for p in nodes),
                edges=detached(edges + node_edges),
            )
        )
        removed_links.update(removed_edges)
        removed_places.update(dict.fromkeys(nodes))
    for pid in sc.close_places:
        close_places([pid], f"{_label(G, pid)} is closed ({sc.closed_by(f'place:{pid}')})")
    for lid in sc.close_links:
        close_links(
            [e for e in links() if e[2] == lid],
            f"link {lid} is closed ({sc.closed_by(f'link:{lid}')})",
        )
    for cid in sc.close_corridors:
        close_links(
            [e for e in links() if e[3]["corridor"] == cid],
            f"corridor {cid} is closed ({sc.closed_by(f'corridor:{cid}')})",
        )

    # 3. Speeds, costs and dwell.
    rules = base_rules(G)
    speed_scale = dict(sc.speed_scale)
    speed_set: dict[str, float] = {}
    dwell_set: dict[str, SetRule] = {}
    for rule in sc.sets:
        for lid in rule.links:
            if rule.speed_kmh is not None:
                speed_set[lid] = rule.speed_kmh
        for cid in rule.corridors:
            if rule.speed_kmh is not None:
                for _, _, k, d in links():
                    if d["corridor"] == cid:
                        speed_set[k] = rule.speed_kmh
        for pid in rule.places:
            dwell_set[pid] = rule
    link_updates: dict[tuple[str, str, str], dict[str, Any]] = {}
    if speed_scale or speed_set or sc.cost_scale != 1.0:
        for u, v, k, d in links():
            link_updates[(u, v, k)] = costs.link_weights(
                d,
                rules,
                speed_scale=speed_scale.get(d["mode"], 1.0),
                cost_scale=sc.cost_scale,
                speed_kmh=speed_set.get(k),
            )
    place_updates: dict[str, dict[str, Any]] = {}
    for pid in G._node:
        if pid in removed_places:
            continue
        update: dict[str, Any] = {}
        if sc.dwell_hours_scale != 1.0 or sc.dwell_cost_scale != 1.0:
            update["dwell_scale"] = (sc.dwell_hours_scale, sc.dwell_cost_scale)
        place_rule = dwell_set.get(pid)
        if place_rule is not None:
            update["dwell_override"] = {
                "hours": place_rule.dwell_hours,
                "cost_usd": place_rule.dwell_cost_usd,
                "cost_basis": place_rule.cost_basis,
                "scenario": sc.name,
            }
        if update:
            place_updates[pid] = update
    return ScenarioPlan(
        removed_links=removed_links,
        removed_places=removed_places,
        closures=tuple(closures),
        link_updates=link_updates,
        place_updates=place_updates,
        graph_attrs={"scenario": sc.parts or (sc.name,), "month": sc.month, "closures": tuple(closures)},
        rules=rules,
    )


def _apply(G: nx.MultiGraph, plan: ScenarioPlan) -> nx.MultiGraph:
    """Build the applied graph of a plan: a copy of G without what it leaves out, changed as it says."""
    H = graph_copy(G, without_links=plan.removed_links)
    H.remove_nodes_from(plan.removed_places)
    for (u, v, k), update in plan.link_updates.items():
        H._adj[u][v][k].update(update)
    for pid, update in plan.place_updates.items():
        H._node[pid].update(update)
    H.graph.update(plan.graph_attrs)
    # The parsed rules, for the search view (routes.routing._net), which would parse the
    # same dict again: kept with the dict they came from, and used only while H still
    # holds that dict (a private key: not an edit of H, not copied with it).
    H.graph["_rules"] = (G.graph["rules"], plan.rules)
    H.graph["_base"] = weakref.ref(G)  # the base graph, for routing on H with place names closed in it
    return H
