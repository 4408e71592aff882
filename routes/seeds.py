"""The seeds' coverage: which places and routes the source documents mention are in the network.

``geodata/seed_mentions.toml`` lists every place, route, port, system, agreement and
energy project the five documents in ``seeds/`` mention, each with the sentence that
mentions it and the network ids expected to represent it. `seed_coverage` checks each
against the graph: present (with the ids found and the sentence) or absent (with why).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = ["Mention", "seed_coverage"]


@dataclass(frozen=True)
class Mention:
    """One thing a seed document mentions, and whether the network has it.

    Attributes
    ----------
    term : str
        As the document writes it ("Maghob-Kulma route").
    kind : str
        place, route, port, system, energy or agreement.
    seed : str
        Source id of the document (seed-000 ... seed-004).
    quote : str
        The sentence that mentions it.
    expected : tuple of str
        Network ids that should represent it.
    found : tuple of str
        Those actually in the network (place ids, link corridors, systems, energy ids).
    why_not : str
        For things deliberately not modelled, why.
    """

    term: str
    kind: str
    seed: str
    quote: str
    expected: tuple[str, ...]
    found: tuple[str, ...]
    why_not: str

    @property
    def covered(self) -> bool:
        """Whether the network represents it."""
        return bool(self.found)


def _network_ids(G: nx.MultiGraph) -> set[str]:
    ids: set[str] = set(G.nodes)
    for _, _, k, d in G.edges(keys=True, data=True):
        ids.add(k)
        ids.add(d["corridor"])
        ids.update(d.get("systems", ()))
    for _, d in G.nodes(data=True):
        ids.update(d.get("systems", ()))
    for feat in G.graph.get("energy", []):
        props = feat.get("properties", {})
        if isinstance(props.get("id"), str):
            ids.add(props["id"])
    return ids


def seed_coverage(G: nx.MultiGraph) -> list[Mention]:
    """Report which places and routes the seed documents mention are in the network.

    Parameters
    ----------
    G : networkx.MultiGraph
        The base graph from `routes.load_network` (it carries the mentions list).

    Returns
    -------
    list of Mention
        One per mention, in the order of ``seed_mentions.toml``.

    Examples
    --------
    >>> import routes
    >>> cov = routes.seed_coverage(routes.load_network())
    >>> any(m.covered and "Kulma" in m.term for m in cov)
    True
    """
    present = _network_ids(G)
    out = []
    bib = G.graph.get("sources")
    for raw in getattr(bib, "mentions", []):
        expected = tuple(_strs(raw.get("represented_by")))
        out.append(
            Mention(
                term=str(raw.get("term", "")),
                kind=str(raw.get("kind", "")),
                seed=str(raw.get("seed", "")),
                quote=" ".join(str(raw.get("quote", "")).split()),
                expected=expected,
                found=tuple(i for i in expected if i in present),
                why_not=str(raw.get("why_not", "")),
            )
        )
    return out


def _strs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []
