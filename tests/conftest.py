"""Shared fixtures: a hermetic environment, the CLI runner, the shipped fact base and its source text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from azpak.cli.app import app
from azpak.facts.load import load_fact_base
from azpak.facts.model import FactBase

REPO = Path(__file__).resolve().parent.parent
SOURCES_DIR = REPO.parent / "shared" / "sources"

runner = CliRunner()


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def fake_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The HOME every test runs with; the run fails if anything writes a cache into it."""
    home = tmp_path_factory.mktemp("home")
    yield home
    assert not (home / ".cache").exists(), "a test wrote into HOME's cache instead of its own"


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch, cache_root: Path, fake_home: Path) -> None:
    """Tests see no user configuration, use their own index cache, and get stable, uncoloured output."""
    monkeypatch.setenv("AZPAK_CACHE_DIR", str(cache_root))
    monkeypatch.setenv("HOME", str(fake_home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name in ("AZPAK_DATA", "AZPAK_NO_CACHE", "FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERMINAL_WIDTH", "120")
    monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "1")


@pytest.fixture(scope="session")
def base() -> FactBase:
    return load_fact_base()


@pytest.fixture(scope="session")
def source_text() -> str:
    """The text of the article the shipped facts come from (skips when the source folder is absent)."""
    files = sorted(SOURCES_DIR.glob("*.txt")) if SOURCES_DIR.is_dir() else []
    if not files:
        pytest.skip("the source article is not present beside the repository")
    return files[0].read_text(encoding="utf-8")


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def invoke_json(*args: str) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
