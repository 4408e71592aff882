"""Western Pakistan's trunk corridors: trips inside Pakistan stay inside Pakistan."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import routes


def _pakistani_places(G: nx.MultiGraph) -> list[str]:
    """Cities, ports and junctions in Pakistan that the baseline road network reaches."""
    kinds = {"city", "seaport", "dry_port", "junction"}
    return sorted(
        n for n, d in G.nodes(data=True) if d.get("country") == "PAK" and not d.get("border") and d.get("kind") in kinds
    )


@pytest.mark.parametrize(
    ("origin", "destination"),
    [
        ("Peshawar", "Quetta"),
        ("Gwadar", "Peshawar"),
        ("Peshawar", "Karachi"),
        ("Dera Ismail Khan", "Karachi"),
        ("Quetta", "Multan"),
        ("Gwadar", "Sukkur"),
    ],
)
@pytest.mark.parametrize("by", ["distance", "time"])
def test_domestic_trunk_trips_stay_in_pakistan(G: nx.MultiGraph, origin: str, destination: str, by: str) -> None:
    """The pairs of issue 9 that went through Torkham-Kabul-Chaman before the Indus Highway was modelled."""
    r = routes.shortest_route(G, origin, destination, by=by)
    assert r.countries == ("PAK",), (r.countries, r.total_km)
    assert r.border_crossings == ()


def test_every_domestic_trip_by_time_stays_in_pakistan(G: nx.MultiGraph) -> None:
    """No pair of Pakistani places is quicker through a neighbour once border dwell is counted."""
    leaving = []
    for origin, destination in itertools.combinations(_pakistani_places(G), 2):
        try:
            r = routes.shortest_route(G, origin, destination, by="time")
        except routes.NoRouteError:
            continue  # places reached only by links not built yet (e.g. the proposed Gwadar railway)
        if r.countries != ("PAK",):
            leaving.append((origin, destination, r.countries))
    assert leaving == []


N55, N70 = ("n-55",), ("n-70",)


@pytest.mark.parametrize(
    ("corridors", "ids", "published_km"),
    [
        (N55, (), 1264),  # Indus Highway Kotri-Peshawar (Wikipedia; NHA)
        (N70, (), 440),  # Multan-Qila Saifullah (Wikipedia)
        ((), ("n50-quetta-qila-saifullah", "n50-qila-saifullah-zhob"), 337),  # Quetta-Zhob, split at the N-70
        ((), ("n65-sukkur-shikarpur", "n65-shikarpur-jacobabad"), 83),  # Sukkur-Jacobabad, split at the N-55
        ((), ("m14-islamabad-pindi-gheb", "m14-pindi-gheb-dera-ismail-khan"), 318),  # split at the Kohat road
    ],
)
def test_apportioned_sections_keep_their_published_total(
    G: nx.MultiGraph, corridors: tuple[str, ...], ids: tuple[str, ...], published_km: float
) -> None:
    """Sections cut from one published length add up to it exactly, whatever the geometry says."""
    lengths = [d["length_km"] for _, _, d in G.edges(data=True) if d["corridor"] in corridors or d["id"] in ids]
    assert len(lengths) >= 2
    assert sum(lengths) == pytest.approx(published_km, abs=0.05)


@pytest.mark.parametrize("by", ["distance", "time"])
def test_kabul_stays_reachable_with_torkham_and_chaman_closed(G: nx.MultiGraph, by: str) -> None:
    """With both main crossings shut, Pakistan reaches Kabul through Kharlachi, Ghulam Khan or Angoor Adda."""
    r = routes.shortest_route(G, "Peshawar", "Kabul", by=by, scenario=["torkham-closed", "chaman-closed"])
    assert set(r.border_crossings) <= {"kharlachi", "ghulam-khan", "angoor-adda"}
    assert len(r.border_crossings) == 1
    assert "torkham" not in [p.id for p in r.places]
