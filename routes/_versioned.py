"""Graphs that count their own changes, so caches built from them are never stale.

Routing caches what it derives from a graph (the applied scenario, the search view, the
compiled engine, the name index). A cache is only right while the graph is unchanged,
and networkx has no change counter: a user may set ``G.edges[u, v, k]["length_km"]``,
remove a node, or add an edge at any time. `VersionedMultiGraph` stores every dict of
the graph (graph, node and edge attributes, adjacency) as a `_TrackedDict` that bumps
the graph's version on any change; `graph_version` reads it in constant time.

For a plain ``networkx.MultiGraph`` (one a user built), `graph_version` falls back to a
fingerprint of the structure and of every attribute value that routing reads, which is
slower but just as safe.

What is not seen: changes inside a value (appending to a list held in an attribute).
The loader stores such values as tuples, so replacing an attribute is the way to edit.
Keys of ``G.graph`` that start with ``_`` are private caches and do not count as edits.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

__all__ = ["VersionedMultiGraph", "graph_version"]


class _Cell:
    """The change counter one graph's dicts share."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def __getstate__(self) -> int:
        return self.value

    def __setstate__(self, state: int) -> None:
        self.value = state


class _TrackedDict(dict[Any, Any]):
    """A dict that bumps its graph's counter when changed."""

    __slots__ = ("_cell", "_private")

    _cell: _Cell
    _private: bool

    def _bump(self, key: Any = None) -> None:
        if self._private and isinstance(key, str) and key.startswith("_"):
            return
        self._cell.value += 1

    def __setitem__(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, key, value)
        self._bump(key)

    def __delitem__(self, key: Any) -> None:
        dict.__delitem__(self, key)
        self._bump(key)

    def pop(self, key: Any, *default: Any) -> Any:
        value = dict.pop(self, key, *default)
        self._bump(key)
        return value

    def popitem(self) -> tuple[Any, Any]:
        item = dict.popitem(self)
        self._bump()
        return item

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self._bump(key)
        return dict.setdefault(self, key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        dict.update(self, *args, **kwargs)
        self._bump()

    def clear(self) -> None:
        dict.clear(self)
        self._bump()

    def __ior__(self, other: Any) -> _TrackedDict:  # type: ignore[misc]
        dict.update(self, other)
        self._bump()
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._cell, self._private, dict(self)))


def _rebuild(cell: _Cell, private: bool, items: dict[Any, Any]) -> _TrackedDict:
    d = _TrackedDict(items)
    d._cell = cell
    d._private = private
    return d


class _Factory:
    """Makes the tracked dicts of one graph (picklable, unlike a closure)."""

    __slots__ = ("cell", "private")

    def __init__(self, cell: _Cell, *, private: bool = False) -> None:
        self.cell = cell
        self.private = private

    def __call__(self) -> _TrackedDict:
        d = _TrackedDict()
        d._cell = self.cell
        d._private = self.private
        return d

    def __getstate__(self) -> tuple[_Cell, bool]:
        return (self.cell, self.private)

    def __setstate__(self, state: tuple[_Cell, bool]) -> None:
        self.cell, self.private = state


class VersionedMultiGraph(nx.MultiGraph):  # type: ignore[misc]
    """A ``networkx.MultiGraph`` that counts changes to its structure and attributes.

    It behaves exactly as a MultiGraph; `graph_version` tells whether it changed.
    """

    def __init__(self, incoming_graph_data: Any = None, multigraph_input: bool | None = None, **attr: Any) -> None:
        cell = _Cell()
        self._routes_cell = cell
        plain = _Factory(cell)
        self.node_dict_factory = plain
        self.node_attr_dict_factory = plain
        self.adjlist_outer_dict_factory = plain
        self.adjlist_inner_dict_factory = plain
        self.edge_key_dict_factory = plain
        self.edge_attr_dict_factory = plain
        self.graph_attr_dict_factory = _Factory(cell, private=True)
        super().__init__(incoming_graph_data, multigraph_input, **attr)


def graph_version(G: nx.MultiGraph) -> Hashable:
    """Return a value that changes whenever ``G`` changes in a way routing can see.

    Constant time for a `VersionedMultiGraph`; for any other graph, a fingerprint of
    its structure and attribute values (linear in its size).
    """
    cell = getattr(G, "_routes_cell", None)
    if isinstance(cell, _Cell):
        return ("v", id(cell), cell.value)
    return ("f", _fingerprint(G.graph.items(), G.nodes(data=True), G.edges(keys=True, data=True)))


def _freeze(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return tuple(_freeze(v) for v in items)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value  # type: ignore[no-any-return]


def _fingerprint(
    graph_items: Iterable[tuple[str, Any]], nodes: Iterable[tuple[Any, Any]], edges: Iterable[tuple[Any, ...]]
) -> int:
    parts: list[Hashable] = [
        tuple((k, id(v)) for k, v in graph_items if not k.startswith("_")),
        tuple((n, _freeze(d)) for n, d in nodes),
        tuple((u, v, k, _freeze(d)) for u, v, k, d in edges),
    ]
    return hash(tuple(parts))
