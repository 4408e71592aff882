"""Finding places by name in any script, ambiguous names and ``Name, ISO3``."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

import routes
from routes.cli import main
from routes.network import normalize_name


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _names(data: dict[str, object]) -> list[str]:
    return [str(data["name"]), *(str(a) for a in data["aliases"])]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Folding names.


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Türkmenabat", "turkmenabat"),  # accents on Latin letters go
        ("Karāchi", "karachi"),
        ("Qal'ai-Khumb", "qalaikhumb"),  # punctuation and spacing go
        ("Tavil-Dara", "tavildara"),
        ("Ｋａｒａｃｈｉ", "karachi"),  # NFKC: full-width letters
        ("Душанбе", "душанбе"),  # Cyrillic is kept, case-folded
        ("ДУШАНБЕ", "душанбе"),
        ("Ура́-Тюбе", "уратюбе"),  # a Cyrillic stress mark is optional
        ("Хуҷанд", "хуҷанд"),  # Tajik letters are kept
        ("喀什", "喀什"),
    ],
)
def test_normalize_name(text: str, key: str) -> None:
    assert normalize_name(text) == key


def test_normalize_keeps_letters_that_are_not_accents() -> None:
    # й and ё are letters of their own in Russian, not accented и and е.
    assert normalize_name("Й") != normalize_name("И")
    assert normalize_name("ӯ") != normalize_name("у")
    # Arabic and Persian/Urdu keyboards write these letters as different code points.
    assert normalize_name("كراچى") == normalize_name("کراچی")
    # Vowel marks are optional in Arabic script.
    assert normalize_name("بَندَرعَبّاس") == normalize_name("بندر عباس")


# ---------------------------------------------------------------------------------------
# The real network, in every script.


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Cyrillic: Russian, Tajik, Uzbek, Kyrgyz and Kazakh forms
        ("Душанбе", "dushanbe"),
        ("ташкент", "tashkent"),
        ("Тошкент", "tashkent"),
        ("Хуҷанд", "khujand"),
        ("Худжанд", "khujand"),
        ("ХОРОГ", "khorog"),
        ("Бишкек", "bishkek"),
        ("Алма-Ата", "almaty"),
        # Arabic script: Urdu, Persian/Dari, Pashto
        ("کراچی", "karachi"),
        ("كراچى", "karachi"),
        ("پشاور", "peshawar"),
        ("کابل", "kabul"),
        ("قندهار", "kandahar"),
        ("مشهد", "mashhad"),
        ("گوادر", "gwadar-port"),
        # Han
        ("喀什", "kashgar"),
        ("红其拉甫山口", "khunjerab-pass"),
        ("紅其拉甫山口", "khunjerab-pass"),
        ("瓜达尔港", "gwadar-port"),
        # Latin, with diacritics, spacing and case
        ("Karāchi", "karachi"),
        ("KHORUGH", "khorog"),
        ("Murghob", "murghab"),
        ("Tavil Dara", "tavildara"),
        ("Ｋａｒａｃｈｉ", "karachi"),
    ],
)
def test_find_place_in_any_script(G: nx.MultiGraph, query: str, expected: str) -> None:
    assert routes.find_place(G, query) == expected


def test_ambiguous_name_lists_places_with_countries(G: nx.MultiGraph) -> None:
    with pytest.raises(routes.AmbiguousPlaceError) as info:
        routes.find_place(G, "Ishkashim")
    err = info.value
    assert {(pid, country) for pid, _, country in err.candidates} == {("ishkashim", "TJK"), ("ishkashim-afg", "AFG")}
    assert "(TJK, id ishkashim)" in str(err)
    assert "(AFG, id ishkashim-afg)" in str(err)
    assert "'Ishkashim, AFG'" in str(err)
    assert sorted(err.suggestions) == ["Ishkashim, AFG", "Ishkashim, TJK"]


def test_ambiguous_name_in_arabic_script(G: nx.MultiGraph) -> None:
    # قلات is Kalat in Pakistan and Qalat in Afghanistan, though their Latin names differ.
    with pytest.raises(routes.AmbiguousPlaceError) as info:
        routes.find_place(G, "قلات")
    assert sorted(info.value.suggestions) == ["قلات, AFG", "قلات, PAK"]
    assert [routes.find_place(G, choice) for choice in sorted(info.value.suggestions)] == ["qalat", "kalat"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ishkashim, AFG", "ishkashim-afg"),
        ("Ishkashim, TJK", "ishkashim"),
        ("ishkashim ,afg", "ishkashim-afg"),
        ("ishkashim-afg, AFG", "ishkashim-afg"),
        ("Tashkurgan, AFG", "khulm"),  # an alias in Afghanistan ...
        ("Tashkurgan, CHN", "tashkurgan"),  # ... the name in China
        ("Kushka, TKM", "serhetabat"),
        ("Kushka, AFG", "torghundi-serhetabat"),
        ("Ташкент, UZB", "tashkent"),
        ("ishkashim", "ishkashim"),  # an id always picks its place
        ("ishkashim-afg", "ishkashim-afg"),
    ],
)
def test_name_with_country_picks_one(G: nx.MultiGraph, query: str, expected: str) -> None:
    assert routes.find_place(G, query) == expected


def test_unknown_country_code(G: nx.MultiGraph) -> None:
    with pytest.raises(
        routes.UnknownPlaceError, match=r"Unknown country 'XYZ' in place 'Ishkashim, XYZ'.*AFG, ARE, CHN"
    ):
        routes.find_place(G, "Ishkashim, XYZ")


def test_name_in_the_wrong_country_suggests_the_right_one(G: nx.MultiGraph) -> None:
    with pytest.raises(routes.UnknownPlaceError, match=r"Unknown place 'Karachi, AFG'\. Did you mean: Karachi, PAK\?"):
        routes.find_place(G, "Karachi, AFG")


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("Душанбее", "Душанбе (Dushanbe)"),
        ("Karachy", "Karachi"),
        ("کراچ", "کراچی (Karachi)"),
        ("喀什市区", "喀什市 (Kashgar)"),
    ],
)
def test_did_you_mean_in_any_script(G: nx.MultiGraph, query: str, suggestion: str) -> None:
    with pytest.raises(routes.UnknownPlaceError) as info:
        routes.find_place(G, query)
    assert not isinstance(info.value, routes.AmbiguousPlaceError)
    assert suggestion in info.value.suggestions


def test_name_index_is_built_once_per_graph(G: nx.MultiGraph) -> None:
    routes.find_place(G, "Душанбе")
    index = G.graph["_name_index"]
    routes.find_place(G, "کراچی")
    assert G.graph["_name_index"] is index


# ---------------------------------------------------------------------------------------
# Invariants over the whole network.


def _resolves_to(G: nx.MultiGraph, query: str) -> list[str]:
    """The place `query` finds, or the places of the ambiguity it raises."""
    try:
        return [routes.find_place(G, query)]
    except routes.AmbiguousPlaceError as exc:
        return [pid for pid, _, _ in exc.candidates]


def test_every_name_and_alias_finds_its_place(G: nx.MultiGraph) -> None:
    """Each name and alias resolves to its place, or to an ambiguity that lists it."""
    for pid, data in G.nodes(data=True):
        for text in _names(data):
            assert normalize_name(text), f"{pid}: {text!r} folds to nothing"
            assert pid in _resolves_to(G, text), (pid, text)


def test_every_choice_offered_for_an_ambiguous_name_works(G: nx.MultiGraph) -> None:
    checked = 0
    for _, data in G.nodes(data=True):
        for text in _names(data):
            try:
                routes.find_place(G, text)
            except routes.AmbiguousPlaceError as exc:
                for (pid, _, _), choice in zip(exc.candidates, exc.suggestions, strict=True):
                    assert routes.find_place(G, choice) == pid, (text, choice)
                    checked += 1
    assert checked > 0  # Ishkashim at least


def test_name_with_country_is_unique_for_every_place(G: nx.MultiGraph) -> None:
    for pid, data in G.nodes(data=True):
        assert routes.find_place(G, f"{data['name']}, {data['country']}") == pid


# ---------------------------------------------------------------------------------------
# The command line.


@pytest.mark.parametrize(
    ("origin", "destination", "ends"),
    [
        ("Душанбе", "Karachi", ("dushanbe", "karachi")),
        ("Dushanbe", "کراچی", ("dushanbe", "karachi")),
        ("Ташкент", "喀什", ("tashkent", "kashgar")),
        ("Dushanbe", "Ishkashim, AFG", ("dushanbe", "ishkashim-afg")),
    ],
)
def test_cli_route_in_any_script(origin: str, destination: str, ends: tuple[str, str]) -> None:
    code, out, err = run("route", origin, destination, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["origin"]["id"], doc["destination"]["id"]) == ends


def test_cli_ambiguous_place_exit_2() -> None:
    code, out, err = run("route", "Dushanbe", "Ishkashim")
    assert code == 2
    assert out == ""
    assert "ambiguous" in err
    assert "'Ishkashim, AFG'" in err
    assert "Traceback" not in err


def test_cli_unknown_country_exit_2() -> None:
    code, _, err = run("route", "Dushanbe", "Ishkashim, XYZ")
    assert code == 2
    assert "Unknown country 'XYZ'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("Ташкент", {"tashkent"}),
        ("喀什", {"kashgar"}),
        ("کراچی", {"karachi", "port-of-karachi"}),  # the places with an Urdu name or alias
        ("Karachi", {"karachi", "port-of-karachi", "karachi-airport"}),
        ("Ishkashim", {"ishkashim", "ishkashim-afg", "ishkashim-bridge"}),
    ],
)
def test_cli_places_filters_in_any_script(query: str, ids: set[str]) -> None:
    code, out, err = run("places", query, "--json")
    assert code == 0, err
    assert {p["id"] for p in json.loads(out)["places"]} == ids
