"""The installed program, run as a user runs it: entry point, ``python -m``, and a built wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("AZPAK_DATA", "FORCE_COLOR")}
    environment.update({"NO_COLOR": "1", **env})
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, env=environment)


def test_entry_point_runs_outside_the_repository(tmp_path: Path) -> None:
    azpak = shutil.which("azpak", path=str(BIN))
    if azpak is None:
        pytest.skip("azpak is not installed in this environment")
    result = run([azpak, "who", "Vugar Mustafayev", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Vugar Mustafayev"
    missing = run([azpak, "who", "Nobody Atall"], tmp_path)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr and missing.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    result = run([sys.executable, "-m", "azpak", "events", "--year", "2025"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Musadik Malik" in result.stdout


def test_every_command_is_reachable_through_the_entry_point(tmp_path: Path) -> None:
    """Commands of other modules are imported on demand: each runs, and help lists them all."""
    help_text = run([sys.executable, "-m", "azpak", "--help"], tmp_path).stdout
    for command in ("events", "who", "timeline", "graph", "export", "validate", "schema", "cache"):
        assert command in help_text, command
    for args in (["timeline", "--year", "2024"], ["schema"], ["validate"], ["cache", "info"]):
        result = run([sys.executable, "-m", "azpak", *args], tmp_path)
        assert result.returncode == 0, (args, result.stderr)
    misspelt = run([sys.executable, "-m", "azpak", "timelin"], tmp_path)
    assert misspelt.returncode == 2 and "timeline" in misspelt.stderr


def test_piped_head_ends_quietly(tmp_path: Path) -> None:
    command = f"'{sys.executable}' -m azpak events --format jsonl | head -n 1"
    result = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert json.loads(result.stdout)["type"] == "event"
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_wheel_ships_the_fact_base_and_finds_it(tmp_path: Path) -> None:
    """A built wheel, unpacked elsewhere, answers from its own copy of data/facts.yaml."""
    build = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(REPO)],
        REPO,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-200:]}")
    (wheel,) = tmp_path.glob("azpak-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "azpak/data/facts.yaml" in archive.namelist()
        archive.extractall(tmp_path / "site")
    code = "from azpak.facts.load import default_fact_file as f; print(f())"
    where = run([sys.executable, "-c", code], tmp_path, PYTHONPATH=str(tmp_path / "site"))
    assert where.stdout.strip() == str(tmp_path / "site" / "azpak" / "data" / "facts.yaml"), where.stderr
    events = run(
        [sys.executable, "-m", "azpak", "events", "--format", "json"], tmp_path, PYTHONPATH=str(tmp_path / "site")
    )
    assert events.returncode == 0, events.stderr
    assert len(json.loads(events.stdout)) >= 8


def test_source_tree_fact_base_is_found_in_an_editable_install() -> None:
    from azpak.facts.load import default_fact_file

    found = default_fact_file()
    assert found.is_file()
    if not (REPO / "src" / "azpak" / "data").exists():
        assert found == REPO / "data" / "facts.yaml"
