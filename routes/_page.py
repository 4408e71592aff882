"""What every brief page shares: its CSS, escaping, numbered bibliography and inline SVG.

`routes.brief` (a route question) and `routes.analysis_brief` (a network-wide analysis)
build their pages from these parts, so they look alike, cite alike and print alike.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

__all__ = ["PAGE_CSS", "Citation", "Numbering", "bibliography_html", "e", "figure", "page", "refs", "svg_of"]


@dataclass(frozen=True)
class Citation:
    """One numbered entry of a brief's bibliography."""

    number: int
    id: str
    entry: dict[str, Any]
    quotes: tuple[str, ...]
    cited_by: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as JSON-ready data."""
        return {
            "number": self.number,
            "id": self.id,
            **{k: v for k, v in self.entry.items() if isinstance(v, (str, int, float))},
            "quotes": list(self.quotes),
            "cited_by": list(self.cited_by),
        }


class Numbering:
    """Numbers sources in order of first use and remembers what cites each.

    Seed quotes are kept in full (whitespace folded), once per source.
    """

    def __init__(self, G: nx.MultiGraph) -> None:
        self.bib: dict[str, dict[str, Any]] = dict(G.graph.get("sources", {}))
        self.order: dict[str, int] = {}
        self.quotes: dict[str, list[str]] = {}
        self.users: dict[str, list[str]] = {}

    def cite(self, citations: Sequence[dict[str, Any]], user: str) -> list[int]:
        """Number ``citations`` (each ``{"id", "quote"?}``) for ``user``; return their numbers."""
        numbers = []
        for c in citations:
            sid = c["id"]
            if sid not in self.order:
                self.order[sid] = len(self.order) + 1
            quote = c.get("quote")
            if quote:
                text = " ".join(str(quote).split())
                if text not in self.quotes.setdefault(sid, []):
                    self.quotes[sid].append(text)
            if user not in self.users.setdefault(sid, []):
                self.users[sid].append(user)
            numbers.append(self.order[sid])
        return sorted(set(numbers))

    def entries(self) -> tuple[Citation, ...]:
        """The bibliography, in number order."""
        return tuple(
            Citation(n, sid, self.bib.get(sid, {}), tuple(self.quotes.get(sid, ())), tuple(self.users.get(sid, ())))
            for sid, n in sorted(self.order.items(), key=lambda kv: kv[1])
        )


def e(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def refs(numbers: Sequence[int]) -> str:
    """Links to bibliography entries: ``[1][4]``."""
    return "".join(f"<a href='#src-{n}'>[{n}]</a>" for n in numbers)


def bibliography_html(citations: Sequence[Citation]) -> str:
    """The numbered bibliography as an ordered list, seed quotes in full."""
    items = []
    for c in citations:
        entry = c.entry
        who = entry.get("publisher") or entry.get("author") or ""
        text = e(entry.get("title", "(not in the bibliography)"))
        if who:
            text += f". {e(who)}"
        if entry.get("date"):
            text += f", {e(entry['date'])}"
        text += "."
        if entry.get("url"):
            text += f" <a href='{e(entry['url'])}'>{e(entry['url'])}</a>"
        if entry.get("seed"):
            text += f" (seed document seeds/{e(entry['seed'])})"
        quotes = "".join(f"<blockquote>“{e(q)}”</blockquote>" for q in c.quotes)
        items.append(f"<li id='src-{c.number}' value='{c.number}'><code>{e(c.id)}</code>: {text}{quotes}</li>")
    return f"<ol class='bib'>{''.join(items)}</ol>"


@contextmanager
def figure(width_in: float, height_in: float) -> Iterator[Figure]:
    """A matplotlib figure for an inline SVG chart: text kept as text, fixed ids, no date."""
    import matplotlib as mpl  # noqa: PLC0415

    mpl.use("Agg", force=False)
    from matplotlib.figure import Figure  # noqa: PLC0415

    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "routes-brief", "font.size": 9}):
        yield Figure(figsize=(width_in, height_in))


def svg_of(fig: Figure) -> str:
    """The figure as an ``<svg>`` element (deterministic: no date, fixed ids)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "routes"})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


PAGE_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:1040px;margin:1.5em auto;
  padding:0 1em;}
h1{font-size:1.6em;margin:.2em 0;} h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid #ccc;}
table{border-collapse:collapse;margin:.3em 0;} th,td{padding:2px 8px;border-bottom:1px solid #e3e3e3;text-align:left;
  vertical-align:top;}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;}
.question{background:#f5f7fa;border-left:4px solid #4e79a7;padding:.5em .8em;}
.question dt{font-weight:bold;float:left;width:8em;} .question dd{margin:0 0 0 8.5em;}
.delta{color:#666;font-size:.9em;} .none{color:#a00;}
iframe.map{width:100%;max-width:1000px;height:560px;border:1px solid #ccc;}
figure{margin:0;} figure svg{width:100%;height:auto;}
ol.bib li{margin:.3em 0;overflow-wrap:anywhere;}
blockquote{margin:.2em 0 .3em 1em;padding-left:.6em;border-left:3px solid #ccc;font-style:italic;color:#444;}
.small{font-size:.85em;color:#555;}
@page{size:A4;margin:14mm;}
@media print{body{max-width:none;margin:0;font-size:10.5pt;}
  iframe.map{width:1000px;max-width:none;zoom:.66;} /* the map as on screen, scaled to the A4 width */
  section{break-inside:avoid-page;} #sources{break-before:page;} a{color:inherit;text-decoration:none;}
  h2{break-after:avoid;} tr{break-inside:avoid;}}
"""


def page(title: str, kicker: str, header: str, sections: Sequence[str], footer: str) -> str:
    """One self-contained HTML page: ``<title>Brief: title``, a header and the sections."""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Brief: {e(title)}</title><style>{PAGE_CSS}</style></head><body>"
        f"<header><p class='small'>{e(kicker)}</p><h1>{e(title)}</h1>{header}</header>"
        + "".join(sections)
        + f"<footer class='small'><p>{footer}</p></footer></body></html>\n"
    )
