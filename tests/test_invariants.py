"""Invariants over the whole shipped network: what must hold for every link and every trip.

Pinned examples test a few routes; these test all of them, so a wrong length or a missing
road anywhere shows up here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx
import pytest

import routes
from routes.schema import COUNTRIES, RATIO_RANGE, geodesic_length_km, haversine_km

BY = ("distance", "time")


@dataclass(frozen=True)
class DomesticException:
    """Pairs of a country's cities whose best route really leaves the country, and why."""

    country: str
    one_side: frozenset[str]
    other_side: frozenset[str]
    by: tuple[str, ...]
    reason: str

    def covers(self, country: str, a: str, b: str, by: str) -> bool:
        return (
            country == self.country
            and by in self.by
            and ((a in self.one_side and b in self.other_side) or (b in self.one_side and a in self.other_side))
        )


FERGANA_VALLEY_UZB = frozenset({"andijan", "fergana", "kokand"})
EASTERN_PAMIR = frozenset({"karakul", "murghab"})

#: Real exceptions: geography that puts a neighbour's road between two parts of a country.
DOMESTIC_EXCEPTIONS = (
    DomesticException(
        "UZB",
        FERGANA_VALLEY_UZB,
        frozenset({"alat", "bukhara", "gulistan", "guzar", "jizzakh", "karshi", "samarkand", "shahrisabz"}),
        ("distance",),
        "Uzbekistan's own road into the Fergana Valley climbs the Kamchik pass from Tashkent; from "
        "the west and south the road through Tajikistan's Khujand (Khovos, Andarkhon) is shorter. "
        "By time the border posts keep the route at home.",
    ),
    DomesticException(
        "UZB",
        frozenset({"denau", "sherobod"}),
        FERGANA_VALLEY_UZB | {"tashkent", "angren", "gulistan", "jizzakh", "samarkand"},
        ("distance",),
        "Surkhandarya (Denau, Sherobod) lies south of Tajikistan's Hisor valley: Tursunzoda, "
        "Dushanbe and the Anzob road to Khujand are shorter than Uzbekistan's road round by "
        "Samarkand, and from Denau the Anzob road down the Zarafshan by Panjakent and Sarazm is "
        "shorter to Samarkand itself than the road round by Guzar and Shahrisabz. By time the "
        "border posts keep the route at home.",
    ),
    DomesticException(
        "TJK",
        EASTERN_PAMIR,
        frozenset(
            {
                "ayni",
                "bokhtar",
                "dushanbe",
                "istaravshan",
                "jirgatal",
                "kalai-khumb",
                "khujand",
                "konibodom",
                "kulob",
                "panji-poyon",
                "panjakent",
                "rasht",
                "tavildara",
                "tursunzoda",
            }
        ),
        BY,
        "The eastern Pamir (Karakul, Murghab) reaches the rest of Tajikistan by the Pamir Highway "
        "north over the Kyzyl-Art pass into Kyrgyzstan's Alay valley and back in at Karamyk, or "
        "through the Fergana Valley (Uzbekistan, Kyrgyzstan) to Sughd: hundreds of km shorter than "
        "round by Khorog and Qalai Khumb, and faster even with four border posts.",
    ),
    DomesticException(
        "PAK",
        frozenset({"chaman"}),
        frozenset(
            {
                "abbottabad",
                "aliabad",
                "attock",
                "balakot",
                "chilas",
                "chitral",
                "dasu",
                "dir",
                "gilgit",
                "havelian",
                "mansehra",
                "mardan",
                "mastuj",
                "miranshah",
                "naran",
                "nowshera",
                "parachinar",
                "peshawar",
                "thakot",
            }
        ),
        ("distance",),
        "Chaman is on the Afghan border north-west of Quetta. Its road to the Peshawar valley "
        "through Kandahar, Kabul and Torkham (Kandahar-Kabul 483 km, Kabul-Torkham 225 km) is "
        "about 100 km shorter than Pakistan's own road back through Quetta, the N-50 to D.I. Khan "
        "(Kuchlak-D.I. Khan 531 km, NHA) and the Indus Highway; to Waziristan and Kurram the "
        "road through Ghazni, Gardez and Khost is shorter too. By time the border posts keep the "
        "route at home.",
    ),
    DomesticException(
        "PAK",
        frozenset({"parachinar"}),
        frozenset({"bannu", "miranshah", "wana"}),
        ("distance",),
        "Parachinar is at the head of the Kurram valley, a salient with Afghanistan's Paktia on "
        "three sides: from Waziristan and Bannu the road through Khost and Gardez to the "
        "Kharlachi crossing is shorter than Pakistan's own road down to Kohat and up the Kurram "
        "valley. By time the border posts keep the route at home.",
    ),
    DomesticException(
        "TJK",
        frozenset({"ishkashim", "khorog"}),
        frozenset({"bokhtar", "panji-poyon"}),
        ("distance",),
        "The Panj bends north round Afghan Badakhshan: from Ishkashim (and Khorog, 100 km down "
        "the river) to the Khatlon lowland at Panji Poyon the Afghan road across the bend "
        "(Baharak, Fayzabad, Taloqan, Kunduz, Sher Khan Bandar) is shorter than the Tajik road "
        "round it by Qalai Khumb and Kulob. By time the border posts keep the route at home.",
    ),
    DomesticException(
        "TJK",
        frozenset({"jirgatal"}),
        frozenset({"konibodom"}),
        ("distance",),
        "From the upper Rasht valley (Jirgatal) to the Fergana end of Sughd (Konibodom) the road "
        "through Karamyk, Kyrgyzstan's Osh and the Fergana Valley is shorter than back through "
        "Dushanbe and over the Anzob pass.",
    ),
)


@pytest.fixture(scope="module")
def baseline(G: nx.MultiGraph) -> nx.MultiGraph:
    return routes.apply_scenario(G, "baseline")


def _domestic_pairs(B: nx.MultiGraph, country: str) -> list[tuple[str, str]]:
    """Pairs of the country's cities that its own roads join (the road subgraph inside it)."""
    roads = nx.Graph()
    roads.add_edges_from(
        (u, v) for u, v, d in B.edges(data=True) if d["mode"] == "road" and list(d["countries"]) == [country]
    )
    cities = {n for n, d in B.nodes(data=True) if d["country"] == country and d["kind"] == "city" and n in roads}
    pairs: list[tuple[str, str]] = []
    for component in nx.connected_components(roads):
        pairs.extend(itertools.combinations(sorted(cities & component), 2))
    return pairs


@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_domestic_trips_stay_domestic(baseline: nx.MultiGraph, country: str) -> None:
    """Two cities a country's own roads connect: the best route between them stays inside it."""
    pairs = _domestic_pairs(baseline, country)
    leaving: list[str] = []
    used: set[int] = set()
    for a, b in pairs:
        for by in BY:
            r = routes.shortest_route(baseline, a, b, by=by)
            if set(r.countries) == {country}:
                continue
            excused = [i for i, e in enumerate(DOMESTIC_EXCEPTIONS) if e.covers(country, a, b, by)]
            used.update(excused)
            if not excused:
                leaving.append(
                    f"{a} -> {b} by {by}: {'-'.join(r.countries)} via {', '.join(r.border_crossings)} "
                    f"({r.total_km:,.0f} km)"
                )
    assert not leaving, f"{len(leaving)} domestic trip(s) leave {country}:\n" + "\n".join(leaving)
    stale = [e.reason[:60] for i, e in enumerate(DOMESTIC_EXCEPTIONS) if e.country == country and i not in used]
    assert not stale, f"exceptions no route needs any more, drop them: {stale}"


def test_domestic_exceptions_name_real_cities(baseline: nx.MultiGraph) -> None:
    """Every place an exception names is a city of that country, so no exception is a typo."""
    for e in DOMESTIC_EXCEPTIONS:
        for pid in e.one_side | e.other_side:
            if pid in baseline:
                assert baseline.nodes[pid]["country"] == e.country, (pid, e.country)
        named = [pid for pid in e.one_side | e.other_side if pid in baseline]
        assert len(named) >= 2, e


#: Links whose sourced length is over 1.6 times a geometry that has no sourced waypoints at the
#: bends that make it so long. Each stays listed only while it is still over the bound.
WINDING_LINKS = {
    "pamir-north-nurobod-tavildara": "Obikhingou gorge road; a two-leg estimate from guidebook totals",
    "pamir-north-tavildara-kalai-khumb": "climb to the Khaburabot pass and descent: 40 + 33 km of switchbacks",
    "ishkashim-bridge-ishkashim": "published 4 km by road between places 2 km apart",
    "n25-khojak-pass-chaman": "hairpin descent of 950 m; the published 48 km Qila Abdullah-Chaman split at the pass",
    "ml3-khojak-tunnel-chaman": "railway loops down 600 m from the tunnel: chainage km 495 to 523",
    "n15-balakot-naran": "Kunhar gorge road, 84 km (ptdc) against 81 km from Wikipedia's figures",
    "n15-babusar-chilas": "hairpins from the 4,173 m pass down to Chilas",
    "mastuj-shandur": "Laspur valley climb of 1,340 m with switchbacks",
    "keshem-fayzabad": "USAID's 103 km mountain road (600 culverts, seven bridges); no alignment sourced",
}


def test_link_lengths_agree_with_geometry_and_endpoints(G: nx.MultiGraph) -> None:
    """No link is shorter than the straight line between its places or > 1.6x its geometry."""
    short: list[str] = []
    long: list[str] = []
    for u, v, d in G.edges(data=True):
        straight = haversine_km(G.nodes[u]["x"], G.nodes[u]["y"], G.nodes[v]["x"], G.nodes[v]["y"])
        if d["length_km"] < straight:
            short.append(f"{d['id']}: {d['length_km']} km < {straight:.1f} km between {u} and {v}")
        ratio = d["length_km"] / geodesic_length_km(d["coords"])
        if ratio > RATIO_RANGE[1] and d["id"] not in WINDING_LINKS:
            long.append(f"{d['id']}: {d['length_km']} km is {ratio:.2f}x its geometry")
    assert not short, "\n".join(short)
    assert not long, "\n".join(long)


def test_winding_links_are_still_winding(G: nx.MultiGraph) -> None:
    """An exception to the 1.6x bound is dropped once the link's geometry or length is fixed."""
    ratios = {d["id"]: d["length_km"] / geodesic_length_km(d["coords"]) for _, _, d in G.edges(data=True)}
    for lid in WINDING_LINKS:
        assert lid in ratios, f"{lid} is no longer in the network: drop it from WINDING_LINKS"
        assert ratios[lid] > RATIO_RANGE[1], f"{lid} is {ratios[lid]:.2f}x now: drop it from WINDING_LINKS"
