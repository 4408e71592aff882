"""Take the README's screenshot of a brief: maps/brief.png.

Runs the README's command (`routes brief Dushanbe Karachi -s baseline -s afghanistan-closed
-s wakhan-built`) into a temporary folder, opens the page in headless Chromium with every
network request blocked (the page must need none: a request fails the script), and saves
the top of the page as a palette PNG under 300 KB.

Needs Debian's ``chromium`` and the Python package ``playwright`` (pip install -e '.[test]').

Run: python scripts/screenshot_brief.py [OUTPUT]   (default: maps/brief.png)
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from routes.cli import main as routes_main

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ["brief", "Dushanbe", "Karachi", "-s", "baseline", "-s", "afghanistan-closed", "-s", "wakhan-built"]
MAX_BYTES = 300_000


def screenshot(out: Path) -> int:
    """Write the brief, screenshot it offline, save ``out``; return its size in bytes."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "brief.html"
        code = routes_main([*COMMAND, "-o", str(page_path)], out=io.StringIO(), err=sys.stderr)
        if code != 0:
            raise SystemExit(f"routes brief failed with exit code {code}")
        requests: list[str] = []
        errors: list[str] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1100, "height": 1500})
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            def block(route: object) -> None:
                url = route.request.url  # type: ignore[attr-defined]
                if url.startswith(("file:", "data:")):
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    requests.append(url)
                    route.abort()  # type: ignore[attr-defined]

            page.route("**/*", block)
            page.goto(page_path.as_uri())
            page.wait_for_timeout(1000)
            png = page.screenshot(full_page=False)
            browser.close()
    if requests or errors:
        raise SystemExit(f"the brief is not self-contained: requests {requests}, errors {errors}")
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    if buf.tell() > MAX_BYTES:
        raise SystemExit(f"the screenshot is {buf.tell():,} bytes, over {MAX_BYTES:,}")
    out.write_bytes(buf.getvalue())
    return buf.tell()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "maps" / "brief.png"
    size = screenshot(target)
    print(f"{target}: {size:,} bytes")
