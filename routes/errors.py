"""The errors `routes` raises. Every one of them is a `RoutesError`.

The command line turns each into a message and an exit code; a notebook shows the
message, which always says what was wrong and, where it can, what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AmbiguousPlaceError",
    "InvalidDataError",
    "NoRouteError",
    "OutputError",
    "Problem",
    "RoutesError",
    "ScenarioError",
    "UnknownPlaceError",
]


class RoutesError(Exception):
    """Base class of every error raised by `routes`."""


class UnknownPlaceError(RoutesError, LookupError):
    """A place name, id or alias matches no place in the network.

    Attributes
    ----------
    query : str
        What was asked for.
    suggestions : list of str
        The nearest place names, best first.
    """

    def __init__(self, query: str, suggestions: list[str], *, message: str | None = None) -> None:
        self.query = query
        self.suggestions = suggestions
        if message is None:
            hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
            message = f"Unknown place {query!r}.{hint} (`routes places QUERY` searches the places.)"
        super().__init__(message)


class AmbiguousPlaceError(UnknownPlaceError):
    """A place query matches several places.

    Attributes
    ----------
    candidates : list of tuple of str
        ``(id, name, country)`` of each place it matches.
    suggestions : list of str
        What to type to choose each candidate, in the same order: ``"Name, ISO3"``
        where the country tells them apart, else the id.
    """

    def __init__(self, query: str, candidates: list[tuple[str, str, str]], choices: list[str] | None = None) -> None:
        choices = list(choices) if choices is not None else [pid for pid, _, _ in candidates]
        super().__init__(
            query,
            choices,
            message=(
                f"Place {query!r} is ambiguous; it matches "
                + "; ".join(f"{name} ({country}, id {pid})" for pid, name, country in candidates)
                + ". Choose one: "
                + " or ".join(repr(choice) for choice in choices)
                + " (a name with ', ISO3' picks the place in that country; an id always picks one)."
            ),
        )
        self.candidates = candidates


class NoRouteError(RoutesError):
    """No route joins origin and destination under the constraints given.

    Attributes
    ----------
    origin, destination : str
        Place ids.
    closures : list of str
        The closures that cut the origin from the destination, each a sentence
        ("Khunjerab Pass is closed in January (open April to November)").
    """

    def __init__(
        self,
        origin: str,
        destination: str,
        closures: list[str],
        context: str = "",
        names: tuple[str, str] | None = None,
    ) -> None:
        self.origin = origin
        self.destination = destination
        self.closures = closures
        where = f" under {context}" if context else ""
        if names is not None:
            origin, destination = names
        if closures:
            why = " What cuts it: " + "; ".join(closures) + "."
        else:
            why = " No links of the network join them at all."
        super().__init__(f"No route from {origin} to {destination}{where}.{why}")


class OutputError(RoutesError, OSError):
    """An output path cannot be written, or writing it failed.

    Raised before anything is created when the path itself is wrong (a folder, a missing
    folder, a socket), and after cleaning up when writing failed (no space left): a file
    that was there is left as it was. It is an `OSError` too, with ``errno``,
    ``strerror`` (the reason, in words) and ``filename`` (the path as given).
    """

    def __init__(self, code: int, reason: str, path: str) -> None:
        super().__init__(code, reason, path)

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file or a scenario file."""

    file: str
    feature: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.feature:
            parts.append(self.feature)
        if self.field:
            parts.append(self.field)
        return " | ".join(parts) + f": {self.message}"


class InvalidDataError(RoutesError, ValueError):
    """A data folder breaks the schema in `geodata/README.md`.

    Attributes
    ----------
    problems : list of Problem
        Every problem found, each naming its file, feature id and field.
    """

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems = [Problem("", "", "", problems)]
            super().__init__(problems)
            return
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  ... and {more} more (`routes validate` lists them all)" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the network data:\n{shown}{tail}")


class ScenarioError(RoutesError, ValueError):
    """A scenario name is unknown or a scenario file is malformed.

    Attributes
    ----------
    problems : list of Problem
        For a malformed file: each problem with file, line and field.
    """

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = problems or []
        if self.problems:
            message += "\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(message)
