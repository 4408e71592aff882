"""The README's console examples, run for real.

Each ```console block of README.md starts with ``$ routes ...``; what follows is the output
that command gives (stdout, then stderr). `tests/test_readme.py` checks every block against a
fresh run; after a change to the data or the output, rewrite the blocks with::

    python tests/readme_blocks.py --update
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"^```console\n\$ (?P<cmd>routes [^\n]*)\n(?P<out>.*?)^```\n", re.M | re.S)


@dataclass(frozen=True)
class ConsoleBlock:
    """One ```console block: the command and the output the README shows."""

    command: str
    shown: str
    span: tuple[int, int]


def console_blocks(text: str) -> list[ConsoleBlock]:
    """Return the console blocks of a README text, in order."""
    return [ConsoleBlock(m["cmd"], m["out"], m.span("out")) for m in _BLOCK.finditer(text)]


def run_command(command: str) -> str:
    """Run a ``routes ...`` command line in-process; return its stdout then its stderr.

    It runs in a temporary working folder, so a command that writes a file (``-o brief.html``)
    writes it there, never into the checkout.
    """
    from routes.cli import main

    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        main(shlex.split(command)[1:], out=out, err=err)
    text = out.getvalue() + err.getvalue()
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def update(path: Path = README) -> int:
    """Rewrite every console block of ``path`` with a fresh run; return how many changed."""
    text = path.read_text(encoding="utf-8")
    changed = 0
    for block in reversed(console_blocks(text)):
        fresh = run_command(block.command)
        if fresh != block.shown:
            changed += 1
            text = text[: block.span[0]] + fresh + text[block.span[1] :]
    path.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/readme_blocks.py --update")
    print(f"{update()} block(s) rewritten in {README}")
