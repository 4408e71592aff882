"""How the command line meets its terminal: encodings, closed pipes and signals.

- A terminal or pipe that cannot show a character (``PYTHONIOENCODING=ascii``, a cp1252
  Windows console) gets a plain stand-in ("→" becomes "->", "Ō" becomes "O", anything
  else "?"), never a crash.
- When the reader of the output goes away (``routes places | head -1``), the command stops
  quietly, as Unix tools do, and nothing more is written to the closed pipe.
- SIGTERM unwinds like Ctrl-C, so temporary files are removed.
"""

from __future__ import annotations

import codecs
import io
import os
import signal
import sys
import unicodedata
from types import FrameType
from typing import TextIO

__all__ = ["READABLE", "fit_streams", "flush_or_silence", "handle_sigterm", "readable"]

#: The codec error handler that `fit_streams` installs.
READABLE = "routes-readable"

_PLAIN = {
    "→": "->",
    "←": "<-",
    "↔": "<->",
    "–": "-",
    "—": "--",
    "−": "-",
    "…": "...",
    "×": "x",
    "·": ".",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "≈": "~",
    "≤": "<=",
    "≥": ">=",
    "°": " deg",
    "\u00a0": " ",
}


def _plain(char: str, encoding: str) -> str:
    candidates = [_PLAIN.get(char, "")]
    # Latin letters with accents lose them: "Ō" -> "O", "ş" -> "s".
    candidates.append("".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)))
    for text in candidates:
        if text and text != char:
            try:
                text.encode(encoding)
            except UnicodeError:
                continue
            return text
    return "?"


def readable(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: replace what an encoding cannot hold by a plain stand-in.

    Examples
    --------
    >>> "Dushanbe → Karachi, Ōsh".encode("ascii", errors=READABLE)
    b'Dushanbe -> Karachi, Osh'
    """
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    return "".join(_plain(c, exc.encoding) for c in text), exc.end


codecs.register_error(READABLE, readable)


def fit_streams() -> None:
    """Let standard output and error degrade characters their encoding lacks."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(errors=READABLE)


def _silence(stream: TextIO) -> None:
    # As the Python documentation on SIGPIPE advises: point the descriptor at devnull so
    # the flush at interpreter exit does not complain about the closed pipe again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)


def flush_or_silence() -> bool:
    """Flush standard output and error; return whether either pipe was closed.

    A stream whose reader went away is pointed at ``os.devnull``.
    """
    closed = False
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            closed = True
            _silence(stream)
    return closed


def _terminated(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def handle_sigterm() -> None:
    """Make SIGTERM exit with 143 through the normal unwinding (and its clean-ups)."""
    signal.signal(signal.SIGTERM, _terminated)
