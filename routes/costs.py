"""The time and cost model: how long a link, a border post or a transfer takes and costs.

Every figure comes from the data (a link's or place's own sourced value) or, where the
data gives none, from ``rules.toml`` (country defaults from the ADB CAREC CPMM reports
and the other sourced rules). Nothing numeric is decided here; this module only applies
the rules. Costs are in US dollars per tonne of cargo; times in hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from routes.errors import InvalidDataError, Problem

__all__ = ["Dwell", "RuleMissingError", "Rules", "link_weights", "rate_key"]


class RuleMissingError(Exception):
    """A rule the model needs is absent from rules.toml (a data error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def problem(self, file: str, feature: str) -> Problem:
        """Return this as a data `Problem` on a feature."""
        return Problem(file, feature, "", self.message)


def _cites(value: Any) -> tuple[str, ...]:
    out = []
    for cite in value or ():
        if isinstance(cite, str):
            out.append(cite)
        elif isinstance(cite, dict) and isinstance(cite.get("id"), str):
            out.append(cite["id"])
    return tuple(out)


@dataclass(frozen=True)
class _Value:
    value: float
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class _Post:
    hours: float
    cost_usd: float
    cost_basis: str
    sources: tuple[str, ...]
    note: str
    # Border defaults may split the average by direction (CPMM outbound/inbound rows).
    exit_hours: float | None = None
    entry_hours: float | None = None
    exit_cost_usd: float | None = None
    entry_cost_usd: float | None = None

    def for_event(self, event: str) -> tuple[float, float]:
        """Hours and cost of one side: the directional figure where known, else the average."""
        hours = getattr(self, f"{event}_hours", None)
        cost = getattr(self, f"{event}_cost_usd", None)
        return (self.hours if hours is None else hours, self.cost_usd if cost is None else cost)


@dataclass(frozen=True)
class Dwell:
    """Time and money spent at a place by one shipment.

    Attributes
    ----------
    place : str
        Place id.
    event : str
        ``"border"``, ``"transfer"``, ``"transshipment"``, ``"handling"`` or ``"connection"``
        (between two flights).
    hours : float
        Hours spent.
    cost_usd : float
        US dollars per tonne.
    detail : str
        What it is, for people ("PAK exit + AFG entry at Torkham").
    basis : str
        Where the figures come from ("measured here, CPMM 2022" or "country average").
    sources : tuple of str
        Source ids.
    """

    place: str
    event: str
    hours: float
    cost_usd: float
    detail: str
    basis: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    """The parsed ``rules.toml``: defaults the model applies where data gives none."""

    payload_t: dict[str, _Value] = field(default_factory=dict)
    speed_kmh: dict[tuple[str, str], _Value] = field(default_factory=dict)
    road_class_speed_kmh: dict[tuple[str, str], _Value] = field(default_factory=dict)
    cost_usd_per_tkm: dict[tuple[str, str], _Value] = field(default_factory=dict)
    border: dict[tuple[str, str], _Post] = field(default_factory=dict)
    transfer: _Post | None = None
    transshipment: _Post | None = None
    transshipment_by_gauges: dict[frozenset[int], _Post] = field(default_factory=dict)
    handling: _Post | None = None
    handling_air: _Post | None = None
    air_connection: _Post | None = None

    @classmethod
    def from_dict(cls, doc: dict[str, Any], file: str = "rules.toml") -> Rules:
        """Build the rules from a parsed ``rules.toml``.

        Raises
        ------
        InvalidDataError
            If a value has the wrong shape.
        """
        problems: list[Problem] = []

        def value(section: str, key: str, entry: Any) -> _Value | None:
            if isinstance(entry, int | float) and not isinstance(entry, bool):
                return _Value(float(entry), (), "")
            if isinstance(entry, dict) and isinstance(entry.get("value"), int | float):
                return _Value(float(entry["value"]), _cites(entry.get("sources")), str(entry.get("note", "")))
            problems.append(
                Problem(file, f"{section}.{key}", "value", f"expected a number or a table with value, got {entry!r}")
            )
            return None

        def post(section: str, entry: Any) -> _Post | None:
            if not isinstance(entry, dict) or not isinstance(entry.get("hours"), int | float):
                problems.append(
                    Problem(
                        file, section, "hours", f"expected a table with hours, cost_usd and cost_basis, got {entry!r}"
                    )
                )
                return None
            basis = entry.get("cost_basis", "tonne")

            def opt(key: str) -> float | None:
                value = entry.get(key)
                return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

            return _Post(
                float(entry["hours"]),
                float(entry.get("cost_usd", 0.0)),
                str(basis),
                _cites(entry.get("sources")),
                str(entry.get("note", "")),
                exit_hours=opt("exit_hours"),
                entry_hours=opt("entry_hours"),
                exit_cost_usd=opt("exit_cost_usd"),
                entry_cost_usd=opt("entry_cost_usd"),
            )

        payload = {}
        for key, entry in (doc.get("payload_t") or {}).items():
            v = value("payload_t", key, entry)
            if v is not None:
                payload[key] = v
        speeds: dict[tuple[str, str], _Value] = {}
        cost: dict[tuple[str, str], _Value] = {}
        border: dict[tuple[str, str], _Post] = {}
        for mode in ("road", "rail", "sea", "air"):
            for key, entry in (doc.get(f"{mode}_speed_kmh") or {}).items():
                v = value(f"{mode}_speed_kmh", key, entry)
                if v is not None:
                    speeds[(mode, key)] = v
            for key, entry in (doc.get(f"{mode}_cost_usd_per_tkm") or {}).items():
                v = value(f"{mode}_cost_usd_per_tkm", key, entry)
                if v is not None:
                    cost[(mode, key)] = v
        for section, mode in (("border_default", "road"), ("border_default_rail", "rail")):
            for key, entry in (doc.get(section) or {}).items():
                p = post(f"{section}.{key}", entry)
                if p is not None:
                    border[(mode, key)] = p
        class_speeds: dict[tuple[str, str], _Value] = {}
        for country, classes in (doc.get("road_speed_kmh_by_class") or {}).items():
            if not isinstance(classes, dict):
                problems.append(
                    Problem(file, f"road_speed_kmh_by_class.{country}", "", "expected a table of road classes")
                )
                continue
            for road_class, entry in classes.items():
                v = value(f"road_speed_kmh_by_class.{country}", road_class, entry)
                if v is not None:
                    class_speeds[(country, road_class)] = v
        by_gauges: dict[frozenset[int], _Post] = {}
        tdoc = doc.get("transshipment")
        if isinstance(tdoc, dict):
            for key, entry in tdoc.items():
                if isinstance(entry, dict) and isinstance(entry.get("gauges"), list):
                    p = post(f"transshipment.{key}", entry)
                    if p is not None:
                        by_gauges[frozenset(int(g) for g in entry["gauges"])] = p
            if isinstance(tdoc.get("gauges"), list) and "hours" in tdoc:
                p = post("transshipment", tdoc)
                if p is not None:
                    by_gauges.setdefault(frozenset(int(g) for g in tdoc["gauges"]), p)
        rules = cls(
            payload_t=payload,
            speed_kmh=speeds,
            road_class_speed_kmh=class_speeds,
            cost_usd_per_tkm=cost,
            border=border,
            transfer=post("transfer", doc["transfer"]) if "transfer" in doc else None,
            transshipment=post("transshipment", doc["transshipment"]) if "transshipment" in doc else None,
            transshipment_by_gauges=by_gauges,
            handling=post("handling", doc["handling"]) if "handling" in doc else None,
            handling_air=post("handling_air", doc["handling_air"]) if "handling_air" in doc else None,
            air_connection=post("air_connection", doc["air_connection"]) if "air_connection" in doc else None,
        )
        for p in border.values():
            if p.cost_basis not in payload and p.cost_basis != "tonne":
                problems.append(
                    Problem(file, "payload_t", p.cost_basis, f"cost basis {p.cost_basis!r} has no payload_t entry")
                )
                break
        if problems:
            raise InvalidDataError(problems)
        return rules

    def per_tonne(self, cost_usd: float, basis: str) -> float:
        """Convert a cost on a basis (truck, teu, wagon, tonne) to USD per tonne."""
        if basis == "tonne" or cost_usd == 0:
            return cost_usd
        payload = self.payload_t.get(basis)
        if payload is None or payload.value <= 0:
            raise RuleMissingError(f"rules.toml has no payload_t.{basis} to convert a cost per {basis} to per tonne")
        return cost_usd / payload.value


def link_weights(
    attrs: dict[str, Any],
    rules: Rules,
    *,
    speed_scale: float = 1.0,
    cost_scale: float = 1.0,
    speed_kmh: float | None = None,
) -> dict[str, Any]:
    """Compute a link's effective speed, travel time and cost.

    Parameters
    ----------
    attrs : dict
        Edge attributes (see `routes.network`), with ``link_speed_kmh`` the link's own
        sourced speed or None.
    rules : Rules
        Country defaults.
    speed_scale, cost_scale : float
        Scenario multipliers.
    speed_kmh : float, optional
        A scenario's override of the speed.

    Returns
    -------
    dict
        ``speed_kmh``, ``speed_basis``, ``time_h``, ``cost_usd`` (per tonne),
        ``cost_rate_basis``.

    Raises
    ------
    RuleMissingError
        If rules.toml lacks the default the link needs.
    """
    mode = attrs["mode"]
    country = rate_key(mode, attrs["countries"])
    if speed_kmh is not None:
        speed, basis = speed_kmh, "scenario override"
    elif attrs.get("link_speed_kmh"):
        speed, basis = attrs["link_speed_kmh"], "link"
    elif mode == "road" and (country, attrs.get("road_class") or "") in rules.road_class_speed_kmh:
        class_rule = rules.road_class_speed_kmh[(country, attrs["road_class"])]
        speed, basis = class_rule.value, f"rules.toml road_speed_kmh_by_class.{country}.{attrs['road_class']}"
    else:
        rule = rules.speed_kmh.get((mode, country))
        if rule is None:
            raise RuleMissingError(f"no speed_kmh on the link and rules.toml has no {mode}_speed_kmh.{country}")
        speed, basis = rule.value, f"rules.toml {mode}_speed_kmh.{country}"
    speed *= speed_scale
    rate = rules.cost_usd_per_tkm.get((mode, country))
    if rate is None:
        raise RuleMissingError(f"rules.toml has no {mode}_cost_usd_per_tkm.{country}")
    length = attrs["length_km"]
    return {
        "speed_kmh": speed,
        "speed_basis": basis,
        "time_h": length / speed,
        "cost_usd": length * rate.value * cost_scale,
        "cost_rate_basis": f"rules.toml {mode}_cost_usd_per_tkm.{country}",
    }


def rate_key(mode: str, countries: tuple[str, ...] | list[str]) -> str:
    """The rules.toml key of a link's speed and cost: its country, or SEA / AIR.

    Sea lanes and flights cross no land border and have one worldwide rate each.
    """
    if mode in ("sea", "air"):
        return mode.upper()
    return countries[0] if countries else mode.upper()


def _latest(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not records:
        return None
    return max(records, key=lambda r: r.get("year") or 0)


def _place_records(node: dict[str, Any], event: str, mode: str, country: str | None) -> list[dict[str, Any]]:
    out = []
    for rec in node.get("dwell", ()):
        if rec.get("event") != event:
            continue
        if country is not None and rec.get("country") != country:
            continue
        if rec.get("mode", "any") not in ("any", mode):
            continue
        out.append(rec)
    # Prefer records for the exact mode over "any".
    exact = [r for r in out if r.get("mode") == mode]
    return exact or out


def border_post(
    pid: str,
    node: dict[str, Any],
    event: str,
    country: str,
    mode: str,
    rules: Rules,
    *,
    hours_scale: float = 1.0,
    cost_scale: float = 1.0,
) -> tuple[float, float, str, tuple[str, ...]]:
    """Time and cost (USD/t) of one side of a border crossing.

    Returns ``(hours, cost_usd_per_t, basis, sources)``; the place's own latest measured
    figure if it has one, else the country default of rules.toml.

    Raises
    ------
    RuleMissingError
        If neither the place nor rules.toml has a figure.
    """
    rec = _latest(_place_records(node, event, mode, country))
    post = rules.border.get((mode, country)) or rules.border.get(("road", country))
    if rec is not None:
        year = f" {rec['year']}" if rec.get("year") else ""
        basis = f"{country} {event} measured here{year}"
        sources = _cites(rec.get("sources"))
        if rec.get("cost_usd") is not None:
            cost = rules.per_tonne(float(rec["cost_usd"]), rec.get("cost_basis", "tonne"))
        elif post is not None:
            # A measured time without a measured cost: the country's average cost.
            cost = rules.per_tonne(post.for_event(event)[1], post.cost_basis)
            basis += " (cost: country average)"
            sources += post.sources
        else:
            raise RuleMissingError(
                f"{pid}: no {event} cost for {country} and rules.toml has no border_default.{country}"
            )
        return float(rec["hours"]) * hours_scale, cost * cost_scale, basis, sources
    if post is None:
        raise RuleMissingError(f"{pid}: no {event} figure for {country} and rules.toml has no border_default.{country}")
    hours, cost_usd = post.for_event(event)
    return (
        hours * hours_scale,
        rules.per_tonne(cost_usd, post.cost_basis) * cost_scale,
        f"{country} {event}: country average (rules.toml)",
        post.sources,
    )


def place_event(
    pid: str,
    node: dict[str, Any],
    event: str,
    mode: str,
    rules: Rules,
    *,
    hours_scale: float = 1.0,
    cost_scale: float = 1.0,
    gauges: tuple[int, int] | None = None,
) -> tuple[float, float, str, tuple[str, ...]]:
    """Time and cost (USD/t) of a transfer, transshipment, handling or connection at a place.

    The place's own latest record where it has one; a record that measures the time but
    not the cost takes the cost of the rules.toml default, and says so.
    """
    section = {"connection": "air_connection"}.get(event, event)
    if event == "handling" and node.get("kind") == "airport":
        section = "handling_air"
    post: _Post | None = getattr(rules, section)
    if event == "transshipment" and gauges is not None:
        post = rules.transshipment_by_gauges.get(frozenset(gauges), post)
    rec = _latest(_place_records(node, event, mode, None))
    if rec is not None:
        year = f" {rec['year']}" if rec.get("year") else ""
        basis = f"{event} measured here{year}"
        sources = _cites(rec.get("sources"))
        if rec.get("cost_usd") is not None:
            cost = rules.per_tonne(float(rec["cost_usd"]), rec.get("cost_basis", "tonne"))
        elif post is not None:
            cost = rules.per_tonne(post.cost_usd, post.cost_basis)
            basis += f" (cost: default, rules.toml [{section}])"
            sources += post.sources
        else:
            raise RuleMissingError(f"{pid}: no {event} cost here and rules.toml has no [{section}]")
        return float(rec["hours"]) * hours_scale, cost * cost_scale, basis, sources
    if post is None:
        raise RuleMissingError(f"{pid}: no {event} figure and rules.toml has no [{section}]")
    return (
        post.hours * hours_scale,
        rules.per_tonne(post.cost_usd, post.cost_basis) * cost_scale,
        f"{event}: default (rules.toml [{section}])",
        post.sources,
    )
