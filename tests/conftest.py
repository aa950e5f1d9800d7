"""Shared fixtures: run the CLI in-process, write logs into temporary folders."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from chrono.app.cli import app
from chrono.app.settings import from_environment
from chrono.storage.indexing import CacheSettings
from tests.browser import browser, watched  # noqa: F401 - the browser fixtures, for every test

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "events.toml"

Run = Callable[..., Result]


def cache() -> CacheSettings:
    """The cache settings a run in this environment would have (the test's own folder)."""
    return from_environment(os.environ).cache


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own index cache directory."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CHRONO_CACHE_DIR", str(folder))
    monkeypatch.setenv("CHRONO_INDEX_SYNC", "1")  # build the index inline: tests look at it
    monkeypatch.delenv("CHRONO_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke chrono in-process with a pinned today and no colour; returns the Result."""
    monkeypatch.setenv("CHRONO_TODAY", "2026-11-25")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("CHRONO_FILE", raising=False)

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(app, list(args), input=input, env=env)

    return invoke


@pytest.fixture
def write_log(tmp_path: Path) -> Callable[[str | bytes], Path]:
    """Write text or bytes to tmp_path/events.toml and return its path."""

    def write(content: str | bytes, name: str = "events.toml") -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return path

    return write
