"""Browser tests: Playwright for Python driving Debian's Chromium (`executable_path`: Playwright's
own browser download cannot work on our machines), axe-core on every page, screenshots.

- Chromium starts headless with a fresh profile (Playwright makes a new user-data dir per
  launch) and the flags that keep it off the network it has no business on.
- `Screens.check(page, name)` runs axe-core (wcag2a, wcag2aa, wcag21aa; zero violations
  allowed), checks that nothing sticks out sideways at 360 px, and saves `<name>-360.png`
  and `<name>-1280.png` under `SCREENSHOTS` (`Screens(sizes=TABLET)`: a phone at 360 px and
  the canteen's tablet at 800x1280, `<name>-360.png` and `<name>-800.png`).
- Requests leaving the machine are refused and remembered: a page of ours that needs a CDN fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page, Playwright, Route

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path(os.environ.get("REFETTORIO_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("REFETTORIO_SCREENSHOTS", ROOT / "browser-screenshots"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = ((360, 900), (1280, 900))  # (width, height): a phone, a desktop
TABLET = ((360, 800), (800, 1280))  # a phone, the canteen's tablet upright
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Whether the page scrolls sideways, and if so the elements that stick out of the screen
# (leaving out those inside a region meant to scroll sideways, a table's).
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-responsive'))
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''));
  return out.length ? out.slice(-5) : ['the page, ' + document.documentElement.scrollWidth + 'px'];
}"""


def versions() -> str:
    """Printed at the start of the run: which Playwright drives which Chromium."""
    try:
        chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=20).stdout
    except OSError as error:
        chromium = f"missing at {CHROMIUM} ({error}): run `make install`"
    return f"browser tests: Playwright {version('playwright')}, {chromium.strip()} ({CHROMIUM})"


def installed() -> None:
    if not CHROMIUM.exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: `make install` installs Debian's chromium")
    if not AXE.exists():
        raise RuntimeError(f"axe-core not found at {AXE}: `make install` runs npm ci")


async def launch(playwright: Playwright) -> Browser:
    installed()
    return await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)


@dataclass
class Offline:
    """Aborts every request that leaves the loopback addresses, and remembers it."""

    refused: list[str] = field(default_factory=list)

    async def __call__(self, route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK or route.request.url.startswith(("data:", "blob:")):
            await route.continue_()
        else:
            self.refused.append(route.request.url)
            await route.abort()

    @property
    def ours(self) -> list[str]:
        """The refused requests but the local SPID/CIE stand-in's own: its login page (the
        oidc-provider-mock package's, standing in for the Comune's) asks a CDN for Pico CSS."""
        return [url for url in self.refused if "/@picocss/" not in url]


async def new_context(browser: Browser, width: int = 1280, height: int = 900) -> tuple[BrowserContext, Offline]:
    context = await browser.new_context(viewport={"width": width, "height": height}, locale="it-IT")
    offline = Offline()
    await context.route("**/*", offline)
    return context, offline


class Screens:
    """The checks every page a test visits goes through."""

    def __init__(self, folder: Path = SCREENSHOTS, sizes: tuple[tuple[int, int], ...] = DESKTOP) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sizes = sizes
        self.checked: list[str] = []

    async def check(self, page: Page, name: str) -> None:
        """axe at each size (zero violations) and a full-page screenshot at each width."""
        original = page.viewport_size or {"width": 1280, "height": 900}
        for width, height in self.sizes:
            await page.set_viewport_size({"width": width, "height": height})
            violations = await axe_violations(page)
            assert not violations, f"{name} at {width}px: axe violations\n{_describe(violations)}"
            wider = await page.evaluate(WIDER_THAN_THE_SCREEN)
            assert not wider, f"{name} at {width}px: wider than the screen (scrolls sideways): {wider}"
            await page.screenshot(path=self.folder / f"{name}-{width}.png", full_page=True)
        await page.set_viewport_size(original)
        self.checked.append(name)


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        await page.add_script_tag(path=str(AXE))
    # Only the violations are asked for and handed back: axe otherwise details every passed rule
    # with its nodes, and Playwright would serialize all of that across for nothing.
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations: list[dict[str, Any]] = await page.evaluate(
        "options => window.axe.run(document, options).then(result => result.violations)", options
    )
    return violations


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [node["target"] for node in v["nodes"][:5]]
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} at {json.dumps(targets)}")
    return "\n".join(lines)
