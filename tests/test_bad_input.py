"""Bad input anywhere user-facing: a distinct exit code (or exception), a message that says
what to do, and nothing created or damaged on disk.

Each case runs in a fresh working folder holding a copy of the fixture network
(``geodata/``), a few scenario files and a plain file; the folder is snapshotted (every
path and its bytes) before and after, and must not change.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import routes
from routes.cli import main
from routes.errors import (
    AmbiguousPlaceError,
    InvalidDataError,
    NoRouteError,
    RoutesError,
    ScenarioError,
    UnknownPlaceError,
)

MINI = Path(__file__).resolve().parent / "data" / "mini"

#: Files every case finds in its working folder.
FILES = {
    "syntax.toml": 'title = "x\n',
    "unknown-field.toml": 'title = "x"\ncolour = "red"\n',
    "not-a-list.toml": 'title = "x"\n[close]\ncountries = 5\n',
    "bad-month.toml": 'title = "x"\nmonth = 13\n',
    "bad-source.toml": 'title = "x"\nsources = ["no-such-source"]\n[close]\ncountries = ["AFG"]\n',
    "bad-place.toml": 'title = "x"\n[close]\nplaces = ["atlantis"]\n',
    "bad-corridor.toml": 'title = "x"\n[build]\ncorridors = ["silk-road-9"]\n',
    "bad-scale.toml": 'title = "x"\n[scale]\nspeed = -2\n',
    "latin1.toml": "title = 'Kh\xf4rog'\n",
    "notes.txt": "not a folder\n",
    "od-two.csv": "place\nDushanbe\nKarachi\n",
    "od-no-place.csv": "name\nDushanbe\nKarachi\n",
    "od-unknown.csv": "country,place\nTJK,Dushanbe\nPAK,Karachy\n",
    "od-latin1.csv": "place\nKh\xf4rog\nKarachi\n",
    "w-columns.csv": "from,to,weight\nDushanbe,Karachi,1\n",
    "w-negative.csv": "origin,destination,weight\nDushanbe,Karachi,3\nKarachi,Dushanbe,-1\n",
    "w-word.csv": "origin,destination,weight\nDushanbe,Karachi,many\n",
    "w-nan.csv": "origin,destination,weight\nDushanbe,Karachi,nan\n",
    "w-unknown.csv": "origin,destination,weight\nDushanbe,Atlantis,1\n",
    "w-outside.csv": "origin,destination,weight\nDushanbe,Kabul,1\n",
}

D = ("--data", "geodata")
R = ("route", "Dushanbe", "Karachi", *D)
C = ("compare", "Dushanbe", "Karachi", *D)
K = ("criticality", "--od", "cities", *D)

# (id, argv, exit code, fragment of stderr or stdout that says what to do)
CLI_CASES: list[tuple[str, tuple[str, ...], int, str]] = [
    ("unknown place", ("route", "Dushanbe", "Karachy", *D), 2, "Did you mean: Karachi"),
    ("unknown origin", ("route", "Dushanbeh", "Karachi", *D), 2, "Did you mean: Dushanbe"),
    ("empty place", ("route", "", "Karachi", *D), 2, "`routes places QUERY` searches the places"),
    ("ambiguous place", ("route", "Dushanbe", "Ishkashim", *D), 2, "Ishkashim, TJK"),
    ("same place", ("route", "Dushanbe", "dushanbe", *D), 2, "give two different places"),
    ("month 13", (*R, "--month", "13"), 2, "month must be a number from 1 to 12"),
    ("month 0", (*R, "--month", "0"), 2, "month must be a number from 1 to 12"),
    ("month word", (*R, "--month", "July"), 2, "month must be a number from 1 to 12"),
    ("scenario typo", (*R, "-s", "afganistan-closed"), 2, "Did you mean: afghanistan-closed"),
    ("scenario unknown", (*R, "-s", "mars"), 2, "Built-in scenarios: "),
    ("scenario trailing +", (*R, "-s", "baseline+"), 2, "a name on each side of every `+`"),
    ("scenario double +", (*R, "-s", "winter++kkh-closed"), 2, "a name on each side of every `+`"),
    ("scenario only +", (*R, "-s", "+"), 2, "a name on each side of every `+`"),
    ("scenario file missing", (*R, "-s", "missing.toml"), 2, "Check the path"),
    ("scenario path missing", (*R, "-s", "./scenarios/winter"), 2, "Check the path"),
    ("scenario file is a folder", (*R, "-s", "geodata/"), 2, "Give a UTF-8 TOML file"),
    ("scenario file not utf-8", (*R, "-s", "latin1.toml"), 2, "Give a UTF-8 TOML file"),
    ("scenario TOML syntax", (*R, "-s", "syntax.toml"), 2, "syntax.toml:1"),
    ("scenario unknown field", (*R, "-s", "unknown-field.toml"), 2, "unknown-field.toml:2 | colour: unknown field"),
    ("scenario not a list", (*R, "-s", "not-a-list.toml"), 2, "close.countries: expected a list"),
    ("scenario month", (*R, "-s", "bad-month.toml"), 2, "bad-month.toml:2 | month: expected a month number 1-12"),
    ("scenario source id", (*R, "-s", "bad-source.toml"), 2, "bad-source.toml:2 | sources: unknown source id"),
    ("scenario place id", (*R, "-s", "bad-place.toml"), 2, "unknown place id 'atlantis'"),
    ("scenario corridor", (*R, "-s", "bad-corridor.toml"), 2, "unknown corridor 'silk-road-9'; known:"),
    ("scenario scale", (*R, "-s", "bad-scale.toml"), 2, "scale.speed"),
    ("country code", (*R, "--avoid-country", "XX"), 2, "use an ISO3 code"),
    ("country name", (*R, "--avoid-country", "Afghanistan"), 2, "use an ISO3 code"),
    ("avoid origin", (*R, "--avoid-place", "Dushanbe"), 2, "Drop it from --avoid-place"),
    ("avoid destination", (*R, "--avoid-place", "karachi"), 2, "Drop it from --avoid-place"),
    ("avoid unknown place", (*R, "--avoid-place", "Kabull"), 2, "Did you mean: Kabul"),
    ("mode", (*R, "--mode", "boat"), 2, "modes are road, rail, sea"),
    ("mode empty", (*R, "--mode", ","), 2, "modes are road, rail, sea"),
    ("by", (*R, "--by", "beauty"), 2, "choose from 'distance', 'time', 'cost'"),
    ("elevation negative", (*R, "--max-elevation", "-5"), 2, "expected metres between 0 and 9000"),
    ("elevation word", (*R, "--max-elevation", "high"), 2, "expected metres"),
    ("alternatives 0", (*R, "--alternatives", "0"), 2, "from 1 to 20"),
    ("alternatives 1000", (*R, "--alternatives", "1000"), 2, "from 1 to 20"),
    ("alternatives word", (*R, "-k", "many"), 2, "from 1 to 20"),
    ("json and csv", (*R, "--json", "--csv"), 2, "`routes route --help` lists the options"),
    ("missing destination", ("route", "Dushanbe", *D), 2, "required: destination"),
    ("unknown flag", (*R, "--fastest"), 2, "usage: routes route"),
    ("unknown command", ("frobnicate",), 2, "invalid choice: 'frobnicate'"),
    ("no route", (*R, "-s", "afghanistan-closed+winter"), 3, "What cuts it"),
    ("no route json", (*R, "-s", "afghanistan-closed", "-s", "winter", "--json"), 3, '"reachable": false'),
    ("data missing", ("route", "Dushanbe", "Karachi", "--data", "nowhere"), 4, "Give a network data folder"),
    ("data is a file", ("route", "Dushanbe", "Karachi", "--data", "notes.txt"), 4, "not a folder"),
    ("data broken", ("route", "Dushanbe", "Karachi", "--data", "broken"), 4, "unknown place 'kabool'"),
    ("data without scenarios", ("route", "Dushanbe", "Karachi", "--data", "noscen"), 4, "copy geodata/scenarios/"),
    ("map into missing folder", (*R, "--map", "out/r.html"), 73, "does not exist (create it first)"),
    ("map onto a folder", (*R, "--map", "geodata"), 73, "it is a folder"),
    ("compare unknown place", ("compare", "Dushanbe", "Karachy", *D), 2, "Did you mean: Karachi"),
    ("compare unknown scenario", (*C, "-s", "baseline", "-s", "wintr"), 2, "Did you mean: winter"),
    ("compare empty part", (*C, "-s", "afghanistan-closed+"), 2, "a name on each side of every `+`"),
    ("compare nothing reachable", (*C, "-s", "afghanistan-closed+winter"), 3, "What cuts it"),
    ("compare avoid origin", (*C, "--avoid-place", "dushanbe"), 2, "Drop it from --avoid-place"),
    ("compare map into missing folder", (*C, "--map", "out/c.html"), 73, "does not exist (create it first)"),
    ("places kind", ("places", "--kind", "volcano", *D), 2, "invalid choice: 'volcano'"),
    ("places country", ("places", "--country", "XX", *D), 2, "use an ISO3 code"),
    ("places no match", ("places", "zzzz", *D), 2, "`routes places QUERY` searches the places"),
    ("scenarios show unknown", ("scenarios", "show", "nope", *D), 2, "Built-in scenarios: "),
    ("scenarios show nothing", ("scenarios", "show", *D), 2, "`routes scenarios` lists them"),
    ("scenarios list with name", ("scenarios", "winter", *D), 2, "invalid choice: 'winter'"),
    ("scenarios list extra", ("scenarios", "list", "winter", *D), 2, "use `routes scenarios show NAME`"),
    ("sources unknown id", ("sources", "nonexistent-id", *D), 2, "no source, place or link has the id"),
    ("sources near id", ("sources", "khunjerab-pas", *D), 2, "Did you mean: khunjerab"),
    ("sources one bad of two", ("sources", "torkham", "nonexistent-id", *D), 2, "no source, place or link"),
    ("sources route unknown", ("sources", "--route", "Dushanbe", "Atlantis", *D), 2, "`routes places QUERY`"),
    ("sources month", ("sources", "--month", "13", *D), 2, "month must be a number from 1 to 12"),
    ("validate missing", ("validate", "nowhere"), 4, "no such folder"),
    ("validate a file", ("validate", "notes.txt"), 4, "not a folder"),
    ("validate two folders", ("validate", "geodata", "--data", "broken"), 2, "give one"),
    ("validate no scenarios", ("validate", "noscen"), 1, "copy geodata/scenarios/ into the folder"),
    ("validate broken", ("validate", "--data", "broken"), 1, "unknown place 'kabool'"),
    ("export format", ("export", "--format", "shp", "-o", "x.shp", *D), 2, "choose from 'geojson', 'gpkg'"),
    ("export no output", ("export", "--format", "gpkg", *D), 2, "required: --output"),
    ("export into missing folder", ("export", "-f", "gpkg", "-o", "out/n.gpkg", *D), 73, "does not exist"),
    ("map scenario", ("map", "-o", "n.html", "-s", "nope", *D), 2, "Built-in scenarios: "),
    # The analyses: their OD and weight CSVs, their outputs, the options they do not apply.
    ("od csv missing", (*K, "--od", "nowhere.csv"), 2, "no such file; use hubs, cities, or the path of a CSV"),
    ("od csv without place", (*K, "--od", "od-no-place.csv"), 2, "od-no-place.csv:1: the OD CSV needs the column"),
    ("od csv unknown place", (*K, "--od", "od-unknown.csv"), 2, "od-unknown.csv:3: column 2 (place): Unknown place"),
    ("od csv not utf-8", (*K, "--od", "od-latin1.csv"), 2, "od-latin1.csv: the OD CSV is not UTF-8"),
    ("od csv is a folder", (*K, "--od", "geodata"), 2, "geodata: is a folder; give the path of the OD CSV"),
    ("weights csv missing", (*K, "--weights", "nowhere.csv"), 2, "no such file; use uniform, population"),
    ("weights csv columns", (*K, "--weights", "w-columns.csv"), 2, "w-columns.csv:1: the weights CSV needs the"),
    ("weights negative", (*K, "--weights", "w-negative.csv"), 2, "w-negative.csv:3: column 3 (weight): a weight"),
    ("weights word", (*K, "--weights", "w-word.csv"), 2, "w-word.csv:2: column 3 (weight): expected a number"),
    (
        "weights nan",
        (*K, "--weights", "w-nan.csv"),
        2,
        "w-nan.csv:2: column 3 (weight): a weight must be a finite number",
    ),
    ("weights unknown place", (*K, "--weights", "w-unknown.csv"), 2, "w-unknown.csv:2: column 2 (destination)"),
    (
        "weights outside od",
        ("criticality", "--od", "od-two.csv", "--weights", "w-outside.csv", *D),
        2,
        "w-outside.csv:2: column 2 (destination): 'Kabul' is not in the OD set; add it to --od",
    ),
    (
        "appraise weights negative",
        ("appraise", "--od", "cities", "--weights", "w-negative.csv", *D),
        2,
        "w-negative.csv:3: column 3 (weight)",
    ),
    ("appraise od missing", ("appraise", "--od", "nowhere.csv", *D), 2, "no such file; use hubs, cities"),
    ("appraise month", ("appraise", "--od", "cities", "--month", "7", *D), 2, "does not apply --month"),
    ("criticality avoid country", (*K, "--avoid-country", "IRN"), 2, "does not apply --avoid-country"),
    ("ports max elevation", ("ports", "--max-elevation", "3000", *D), 2, "does not apply --max-elevation"),
    ("ports unknown city", ("ports", "--cities", "Dushanbe,Atlantis", *D), 2, "`routes places QUERY`"),
    ("ports unknown market", ("ports", "--to", "Rotterdam,Atlantis", *D), 2, "Unknown place 'Rotterdam'"),
    ("ports unknown market json", ("ports", "--to", "Atlantis", "--json", *D), 2, "`routes places QUERY`"),
    ("ports market not a world port", ("ports", "--to", "Karachi", *D), 2, "Not a world market: Karachi (karachi)"),
    ("ports market csv not a world port", ("ports", "--to", "Kabul", "--csv", *D), 2, "no world markets"),
    (
        "ports to brief into missing folder",
        ("ports", "--to", "Rotterdam", "--brief", "out/b.html", *D),
        73,
        "does not exist",
    ),
    (
        "ports to brief - with csv",
        ("ports", "--to", "Rotterdam", "--brief", "-", "--csv", *D),
        2,
        "standard output carries",
    ),
    ("matrix unknown place", ("matrix", "--origins", "Atlantis", *D), 2, "`routes places QUERY`"),
    ("criticality map into missing folder", (*K, "--map", "out/c.html"), 73, "does not exist (create it first)"),
    ("criticality brief onto a folder", (*K, "--brief", "geodata"), 73, "it is a folder"),
    ("criticality brief - with json", (*K, "--brief", "-", "--json"), 2, "standard output carries the result"),
    ("criticality map and brief both -", (*K, "--brief", "-", "--map", "-"), 2, "both ask for standard output"),
    ("ports brief into missing folder", ("ports", "--brief", "out/p.html", *D), 73, "does not exist"),
    ("matrix map - with csv", ("matrix", "--map", "-", "--csv", *D), 2, "standard output carries the result"),
    ("appraise map onto a folder", ("appraise", "--map", "geodata", *D), 73, "it is a folder"),
    ("appraise brief into missing folder", ("appraise", "--brief", "out/a.html", *D), 73, "does not exist"),
]


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(MINI, tmp_path / "geodata")
    shutil.copytree(MINI, tmp_path / "broken")
    links = tmp_path / "broken" / "links" / "mini.geojson"
    links.write_text(links.read_text(encoding="utf-8").replace('"to": "kabul"', '"to": "kabool"', 1), encoding="utf-8")
    shutil.copytree(MINI, tmp_path / "noscen", ignore=shutil.ignore_patterns("scenarios"))
    for name, text in FILES.items():
        (tmp_path / name).write_bytes(text.encode("latin-1" if "latin1" in name else "utf-8"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_at_least_sixty_cases() -> None:
    assert len(CLI_CASES) + len(API_CASES) >= 60
    assert len({c[0] for c in CLI_CASES}) == len(CLI_CASES)


@pytest.mark.parametrize(("argv", "code", "fragment"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_cli_bad_input(workdir: Path, argv: tuple[str, ...], code: int, fragment: str) -> None:
    before = snapshot(workdir)
    out, err = io.StringIO(), io.StringIO()
    got = main(list(argv), out=out, err=err)
    assert got == code, (out.getvalue(), err.getvalue())
    assert fragment in err.getvalue() + out.getvalue()
    assert "Traceback" not in err.getvalue()
    if code == 2 or code == 4:
        assert out.getvalue() == ""  # errors never half-print a result
    assert snapshot(workdir) == before


@pytest.fixture(scope="module")
def mini() -> nx.MultiGraph:
    return routes.load_network(MINI)


ApiCall = Callable[[nx.MultiGraph], Any]


def dk(G: nx.MultiGraph, **kwargs: Any) -> Any:
    """Dushanbe to Karachi with the options given."""
    return routes.shortest_route(G, "Dushanbe", "Karachi", **kwargs)


# (id, call, exception type, fragment of its message)
API_CASES: list[tuple[str, ApiCall, type[Exception], str]] = [
    ("unknown place", lambda G: routes.shortest_route(G, "Dushanbe", "Karachy"), UnknownPlaceError, "Did you mean"),
    ("ambiguous", lambda G: routes.shortest_route(G, "Dushanbe", "Ishkashim"), AmbiguousPlaceError, "Ishkashim, TJK"),
    ("same place", lambda G: routes.shortest_route(G, "Dushanbe", "dushanbe"), RoutesError, "two different places"),
    ("by", lambda G: dk(G, by="beauty"), RoutesError, "by must be one of"),
    ("month", lambda G: dk(G, month=13), RoutesError, "from 1 to 12"),
    ("mode", lambda G: dk(G, modes=["boat"]), RoutesError, "use road, rail"),
    ("country", lambda G: dk(G, avoid_countries=["XX"]), RoutesError, "use ISO3"),
    ("link", lambda G: dk(G, avoid_links=["nope"]), RoutesError, "Unknown link"),
    ("status", lambda G: dk(G, statuses=["built"]), RoutesError, "use operational"),
    ("avoid origin", lambda G: dk(G, avoid_places=["Dushanbe"]), RoutesError, "cannot be avoided"),
    ("avoid destination", lambda G: routes.alternative_routes(G, "Dushanbe", "Karachi", 2, avoid_places=["karachi"]),
     RoutesError, "cannot be avoided"),
    ("k 0", lambda G: routes.alternative_routes(G, "Dushanbe", "Karachi", 0), RoutesError, "at least 1"),
    ("scenario typo", lambda G: dk(G, scenario="wintr"), ScenarioError, "Did you mean: winter"),
    ("scenario empty part", lambda G: routes.apply_scenario(G, "a++b"), ScenarioError, "a name on each side"),
    ("scenario file", lambda G: routes.load_scenario("missing.toml"), ScenarioError, "Check the path"),
    ("scenario on applied graph", lambda G: routes.apply_scenario(routes.apply_scenario(G, "winter"), "kkh-closed"),
     ScenarioError, "to the base graph"),
    ("no route", lambda G: dk(G, scenario=["afghanistan-closed", "winter"]), NoRouteError, "What cuts it"),
    ("compare scenario", lambda G: routes.compare(G, "Dushanbe", "Karachi", ["baseline", "nope"]), ScenarioError,
     "Built-in scenarios"),
    ("compare by", lambda G: routes.compare(G, "Dushanbe", "Karachi", ["baseline"], by="speed"), RoutesError,
     "by must be one of"),
    ("compare place", lambda G: routes.compare(G, "Atlantis", "Karachi", ["baseline"]), UnknownPlaceError,
     "routes places QUERY"),
    ("load missing folder", lambda G: routes.load_network("nowhere"), InvalidDataError, "does not exist"),
    ("validate missing folder", lambda G: routes.validate("nowhere"), InvalidDataError, "does not exist"),
    ("criticality od csv", lambda G: routes.criticality(G, od="od-unknown.csv"), RoutesError,
     "od-unknown.csv:3: column 2 (place)"),
    ("criticality od word", lambda G: routes.criticality(G, od="hub"), RoutesError, "use hubs, cities, or the path"),
    ("criticality weights", lambda G: routes.criticality(G, od="cities", weights="w-negative.csv"), RoutesError,
     "w-negative.csv:3: column 3 (weight)"),
    ("criticality one place", lambda G: routes.criticality(G, od=["Dushanbe"]), RoutesError, "at least two places"),
    ("appraise weights", lambda G: routes.appraise(G, od="cities", weights="w-word.csv"), RoutesError,
     "w-word.csv:2: column 3 (weight)"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "exc", "fragment"), [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES])
def test_api_bad_input(workdir: Path, mini: nx.MultiGraph, call: ApiCall, exc: type[Exception], fragment: str) -> None:
    before = snapshot(workdir)
    with pytest.raises(exc) as info:
        call(mini)
    assert fragment in str(info.value)
    assert snapshot(workdir) == before
