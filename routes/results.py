"""Route results: what a route is made of, its totals, and its conversions.

Plain frozen dataclasses; pandas and geopandas are imported only by the conversion
methods that need them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from routes.costs import Dwell

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["PRECISION", "Leg", "PlaceRef", "Route", "estimated_block_time_notes", "rounded"]

#: Decimal places of every number in JSON and CSV output, by the unit its name ends in:
#: kilometres to 0.1 km, hours and days to 0.01, US dollars per tonne to 0.01 USD/t.
#: Text output rounds further for reading; JSON and CSV carry the same numbers.
PRECISION: dict[str, int] = {"km": 1, "hours": 2, "days": 2, "usd_per_t": 2}


def rounded(value: float, unit: str) -> float:
    """Round a figure for JSON or CSV by the one rule of `PRECISION`.

    Examples
    --------
    >>> rounded(137.5249, "hours"), rounded(2059.33, "km")
    (137.52, 2059.3)
    """
    return round(value, PRECISION[unit])


MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def months_text(months: tuple[int, ...] | list[int]) -> str:
    """Write a set of months compactly: "all year", "Apr-Nov", "Jul-Sep", "none"."""
    ms = sorted(set(months))
    if len(ms) == 12:
        return "all year"
    if not ms:
        return "none"
    # Find runs, allowing a run to wrap from December to January.
    runs: list[list[int]] = []
    for m in ms:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][-1] == 12:
        runs[0] = runs.pop() + runs[0]
    parts = [MONTH_ABBR[r[0] - 1] if len(r) == 1 else f"{MONTH_ABBR[r[0] - 1]}-{MONTH_ABBR[r[-1] - 1]}" for r in runs]
    return ", ".join(parts)


@dataclass(frozen=True)
class PlaceRef:
    """A place as a route reports it."""

    id: str
    name: str
    country: str
    kind: str

    def to_dict(self) -> dict[str, str]:
        """Return ``{"id", "name", "country", "kind"}``."""
        return {"id": self.id, "name": self.name, "country": self.country, "kind": self.kind}


@dataclass(frozen=True)
class Leg:
    """One link of a route, travelled from ``from_id`` to ``to_id``.

    ``km``, ``hours`` and ``cost_usd`` (US dollars per tonne) are for the link alone;
    time and money spent at places are in `Route.stops`. A flight's ``hours`` is its block
    time: ``block_time_basis`` says where that comes from ("schedule", or "estimate" with
    ``block_time_method`` saying how); both are None on a road, railway or sea lane.
    """

    from_id: str
    to_id: str
    link: str
    name: str
    mode: str
    corridor: str
    status: str
    km: float
    hours: float
    cost_usd: float
    speed_kmh: float
    countries: tuple[str, ...]
    max_elevation_m: float
    sources: tuple[str, ...]
    coords: tuple[tuple[float, float], ...] = field(repr=False)
    block_time_basis: str | None = None
    block_time_method: str | None = None

    @property
    def estimated_block_time(self) -> bool:
        """Whether the leg is a flight whose block time no schedule gives (estimated)."""
        return self.block_time_basis == "estimate"

    def to_dict(self) -> dict[str, Any]:
        """Return the leg as the JSON contract writes it (``the JSON contract in README.md``)."""
        return {
            "from": self.from_id,
            "to": self.to_id,
            "link": self.link,
            "name": self.name,
            "mode": self.mode,
            "corridor": self.corridor,
            "status": self.status,
            "km": rounded(self.km, "km"),
            "hours": rounded(self.hours, "hours"),
            "cost_usd_per_t": rounded(self.cost_usd, "usd_per_t"),
            "speed_kmh": round(self.speed_kmh, 1),
            "countries": list(self.countries),
            "max_elevation_m": self.max_elevation_m,
            "sources": list(self.sources),
            "block_time_basis": self.block_time_basis,
            "block_time_method": self.block_time_method,
        }


def estimated_block_time_notes(legs: Sequence[Leg]) -> list[str]:
    """The footnotes of the flights among ``legs`` whose block time is estimated, one per method.

    Wherever legs are shown, an estimated block time is marked (``*``) and footnoted so.

    Examples
    --------
    >>> leg = Leg("a", "b", "f", "A – B", "air", "air", "operational", 500.0, 1.2, 136.5, 416.7, (), 800.0, (),
    ...           ((0.0, 0.0), (1.0, 1.0)), block_time_basis="estimate", block_time_method="a fit")
    >>> estimated_block_time_notes([leg])
    ['estimated block time (no schedule found): a fit']
    """
    methods = dict.fromkeys(leg.block_time_method or "no method given" for leg in legs if leg.estimated_block_time)
    return [f"estimated block time (no schedule found): {m}" for m in methods]


@dataclass(frozen=True)
class Route:
    """A route between two places under a scenario, with its totals.

    Attributes
    ----------
    origin, destination : PlaceRef
    by : str
        What was minimised: ``"distance"``, ``"time"`` or ``"cost"``.
    scenario : tuple of str
        Names of the scenarios composed (``("baseline",)`` for today's network).
    month : int or None
        Month of travel the route was found for (None: seasons ignored).
    places : tuple of PlaceRef
        Every place passed, in order.
    legs : tuple of Leg
        The links travelled, in order.
    stops : tuple of Dwell
        Time and cost spent at places: border posts, transfers between modes,
        transshipment at gauge breaks, handling at ports.
    total_km, total_hours, total_cost_usd : float
        Totals: km of links; hours of travel plus dwell; US dollars per tonne.
    border_crossings : tuple of str
        Ids of the border crossings passed.
    countries : tuple of str
        ISO3 codes in the order travelled.
    km_by_country : dict of str to float
    max_elevation_m : float or None
        Highest point of the route.
    months_open : tuple of int
        Months in which every place and link of the route is open.
    unbuilt : tuple of str
        Ids of links that are not operational today (built by the scenario).
    sources : tuple of str
        Ids of every source the route rests on.
    """

    origin: PlaceRef
    destination: PlaceRef
    by: str
    scenario: tuple[str, ...]
    month: int | None
    places: tuple[PlaceRef, ...]
    legs: tuple[Leg, ...]
    stops: tuple[Dwell, ...]
    total_km: float
    total_hours: float
    total_cost_usd: float
    border_crossings: tuple[str, ...]
    countries: tuple[str, ...]
    km_by_country: dict[str, float]
    max_elevation_m: float | None
    months_open: tuple[int, ...]
    unbuilt: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def total_days(self) -> float:
        """Total time in days."""
        return self.total_hours / 24.0

    @property
    def dwell_hours(self) -> float:
        """Hours spent at places (border posts, transfers, handling)."""
        return sum(s.hours for s in self.stops)

    @property
    def corridors(self) -> tuple[str, ...]:
        """Corridors travelled, in order, each once per stretch."""
        out: list[str] = []
        for leg in self.legs:
            if not out or out[-1] != leg.corridor:
                out.append(leg.corridor)
        return tuple(out)

    def passes_through(self, place_id: str) -> bool:
        """Whether the route passes the place."""
        return any(p.id == place_id for p in self.places)

    def to_dict(self) -> dict[str, Any]:
        """Return the route as the JSON contract writes it (``the JSON contract in README.md``).

        Figures are rounded by `PRECISION`; money is US dollars per tonne
        (``*_usd_per_t``); ``border_crossings`` and ``unbuilt_links`` are ids.
        """
        return {
            "origin": self.origin.to_dict(),
            "destination": self.destination.to_dict(),
            "by": self.by,
            "scenarios": list(self.scenario),
            "month": self.month,
            "total_km": rounded(self.total_km, "km"),
            "total_hours": rounded(self.total_hours, "hours"),
            "total_days": rounded(self.total_days, "days"),
            "total_cost_usd_per_t": rounded(self.total_cost_usd, "usd_per_t"),
            "moving_hours": rounded(sum(leg.hours for leg in self.legs), "hours"),
            "dwell_hours": rounded(self.dwell_hours, "hours"),
            "places": [p.to_dict() for p in self.places],
            "legs": [leg.to_dict() for leg in self.legs],
            "stops": [
                {
                    "place": s.place,
                    "event": s.event,
                    "hours": rounded(s.hours, "hours"),
                    "cost_usd_per_t": rounded(s.cost_usd, "usd_per_t"),
                    "detail": s.detail,
                    "basis": s.basis,
                    "sources": list(s.sources),
                }
                for s in self.stops
            ],
            "countries": list(self.countries),
            "km_by_country": {k: rounded(v, "km") for k, v in self.km_by_country.items()},
            "border_crossings": list(self.border_crossings),
            "max_elevation_m": self.max_elevation_m,
            "months_open": list(self.months_open),
            "unbuilt_links": list(self.unbuilt),
            "sources": list(self.sources),
        }

    def legs_frame(self) -> pd.DataFrame:
        """Return the legs as a pandas DataFrame, one row per link."""
        import pandas as pd  # noqa: PLC0415

        rows = [
            {
                "from": leg.from_id,
                "to": leg.to_id,
                "link": leg.link,
                "name": leg.name,
                "mode": leg.mode,
                "corridor": leg.corridor,
                "status": leg.status,
                "km": leg.km,
                "hours": leg.hours,
                "cost_usd": leg.cost_usd,
                "speed_kmh": leg.speed_kmh,
                "country": ",".join(leg.countries),
                "max_elevation_m": leg.max_elevation_m,
                "block_time_basis": leg.block_time_basis,
            }
            for leg in self.legs
        ]
        return pd.DataFrame(rows)

    def summary_frame(self) -> pd.DataFrame:
        """Return the totals as a one-row pandas DataFrame indexed by scenario."""
        import pandas as pd  # noqa: PLC0415

        return pd.DataFrame([self._summary_row()]).set_index("scenario")

    def _summary_row(self) -> dict[str, Any]:
        return {
            "scenario": "+".join(self.scenario),
            "origin": self.origin.id,
            "destination": self.destination.id,
            "by": self.by,
            "total_km": self.total_km,
            "total_hours": self.total_hours,
            "total_days": self.total_days,
            "total_cost_usd": self.total_cost_usd,
            "border_crossings": len(self.border_crossings),
            "countries": "-".join(self.countries),
            "max_elevation_m": self.max_elevation_m,
            "months_open": months_text(self.months_open),
            "unbuilt_links": len(self.unbuilt),
        }

    def to_gdf(self) -> gpd.GeoDataFrame:
        """Return the legs as a GeoDataFrame of LineStrings (EPSG:4326)."""
        import geopandas as gpd  # noqa: PLC0415
        from shapely.geometry import LineString  # noqa: PLC0415

        frame = self.legs_frame()
        geoms = [LineString(leg.coords) for leg in self.legs]
        return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")

    def _repr_html_(self) -> str:
        esc = html.escape
        head = (
            f"<b>{esc(self.origin.name)} → {esc(self.destination.name)}</b> "
            f"({esc(' + '.join(self.scenario))}, by {esc(self.by)}"
            + (f", month {self.month}" if self.month else "")
            + f"): {self.total_km:,.0f} km, {self.total_hours:,.1f} h "
            f"({self.total_days:.1f} days), {self.total_cost_usd:,.0f} USD/t; "
            f"crossings: {esc(', '.join(self.border_crossings) or 'none')}; "
            f"max elevation {self.max_elevation_m or 0:,.0f} m; "
            f"open: {esc(months_text(self.months_open))}"
        )
        rows = "".join(
            f"<tr><td>{esc(leg.from_id)}</td><td>{esc(leg.to_id)}</td><td>{esc(leg.mode)}</td>"
            f"<td>{esc(leg.corridor)}</td><td>{esc(leg.status)}</td>"
            f"<td style='text-align:right'>{leg.km:,.0f}</td>"
            f"<td style='text-align:right'>{leg.hours:,.1f}{'*' if leg.estimated_block_time else ''}</td>"
            f"<td style='text-align:right'>{leg.cost_usd:,.1f}</td></tr>"
            for leg in self.legs
        )
        note = "".join(f"<p>* {esc(text)}</p>" for text in estimated_block_time_notes(self.legs))
        return (
            f"<div><p>{head}</p><table><thead><tr><th>from</th><th>to</th><th>mode</th>"
            "<th>corridor</th><th>status</th><th>km</th><th>hours</th><th>USD/t</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>{note}</div>"
        )

    def __repr__(self) -> str:
        return (
            f"<Route {self.origin.id} → {self.destination.id} [{'+'.join(self.scenario)}, by {self.by}]: "
            f"{self.total_km:,.0f} km, {self.total_hours:,.1f} h, {self.total_cost_usd:,.1f} USD/t, "
            f"{len(self.legs)} legs, crossings {', '.join(self.border_crossings) or 'none'}>"
        )

    def __str__(self) -> str:
        return (
            f"{self.origin.name} → {self.destination.name} "
            f"[{'+'.join(self.scenario)}, by {self.by}]: {self.total_km:,.0f} km, "
            f"{self.total_hours:,.1f} h, {self.total_cost_usd:,.0f} USD/t via "
            + " → ".join(p.name for p in self.places)
        )
