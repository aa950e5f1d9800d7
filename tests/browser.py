"""A real browser for the tests: Debian's headless Chromium driven by Playwright.

A test module imports the fixtures (``from tests.browser import browser, watched``) and
takes ``watched``: a fresh page that records every console message, page error and request,
and refuses any request that leaves the machine. Where no Chromium is installed
the tests are skipped, but not under CI (``CI=true``), where .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
"""Where screenshots for review are saved (not compared pixel by pixel; git ignores build/)."""


def chromium_path() -> str | None:
    """The system Chromium, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def need_browser() -> str:
    """The Chromium executable; skips the test without one (fails under CI)."""
    path = chromium_path()
    try:
        import playwright  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("no Chromium or Playwright: .ci/run installs both")
        pytest.skip("no Chromium or Playwright installed")
    return path


@dataclass
class Watched:
    """A page and what happened on it."""

    page: Page
    console: list[str] = field(default_factory=list)  # "type: text"
    errors: list[str] = field(default_factory=list)  # uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL asked for

    def problems(self) -> list[str]:
        """Console errors and warnings, page errors, and requests that were not the page."""
        noisy = [c for c in self.console if c.startswith(("error", "warning"))]
        remote = [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]
        return noisy + self.errors + [f"request: {u}" for u in remote]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for a test module, closed after it: its driver's threads would
    stop chrono's own forks in later tests (a process with threads does not fork)."""
    executable = need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    """A fresh page in its own context; any request off the machine is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    seen = Watched(page)
    page.on("console", lambda m: seen.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on("request", lambda r: seen.requests.append(r.url))

    def refuse(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", refuse)
    yield seen
    context.close()


def shot(page: Page, name: str) -> Path:
    """Save a screenshot for review as build/screenshots/NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    return target


def npm_package(spec: str, name: str) -> Path:
    """The folder of npm package ``name`` (installed from ``spec``, e.g. ``axe-core@4``) in a
    cache shared by test runs; skips without npm (fails under CI)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chrono-tests"
    folder = cache / "node_modules" / name
    if not (folder / "package.json").exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI"):
                pytest.fail("no npm: .ci/run installs Node.js")
            pytest.skip("no npm to install the reader")
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(cache), spec],
            check=True,
            timeout=300,
            capture_output=True,
        )
    return folder
