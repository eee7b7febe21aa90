"""The README's pictures: they must match what azpak prints, with the settings docs/make_pictures.py uses."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest

from conftest import REPO, invoke

PICTURES = REPO / "docs" / "pictures"
FIX = "regenerate them with: python docs/make_pictures.py"


@pytest.fixture()
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """What azpak prints piped at 80 columns, without colour (the settings of the pictures)."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "dumb")

    def output(*args: str) -> str:
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        return str(result.stdout)

    return output


def _pictures_module() -> Any:
    sys.path.insert(0, str(REPO / "docs"))
    import make_pictures

    return make_pictures


def test_timeline_capture_is_current(run: Callable[..., str]) -> None:
    args = _pictures_module().TIMELINE_ARGS
    assert (PICTURES / "timeline.txt").read_text(encoding="utf-8") == run(*args), FIX


def test_timeline_svg_shows_every_event(base) -> None:  # type: ignore[no-untyped-def]
    from azpak.query.questions import EventQuery, filter_events

    args = _pictures_module().TIMELINE_ARGS
    svg = (PICTURES / "timeline.svg").read_text(encoding="utf-8")
    ET.fromstring(svg)
    text = re.sub(r"<[^>]+>", "", svg).replace("&#160;", " ")
    shown = filter_events(base, EventQuery(since=args[2], until=args[4]).event_filter(base))
    words = {w for e in shown for w in e.title.split() if len(w) > 6 and w.isalpha()}
    assert shown and all(word in text for word in words), FIX


def test_network_pictures_are_current(run: Callable[..., str]) -> None:
    dot = run(*_pictures_module().NETWORK_ARGS, "--format", "dot")
    assert (PICTURES / "network.dot").read_text(encoding="utf-8") == dot, FIX
    titles = {el.text for el in ET.parse(PICTURES / "network.svg").iter("{http://www.w3.org/2000/svg}title")}
    nodes = set(re.findall(r'^  "([^"]+)" \[label=', dot, re.MULTILINE))
    edges = {f"{a}--{b}" for a, b in re.findall(r'^  "([^"]+)" -- "([^"]+)"', dot, re.MULTILINE)}
    assert nodes and edges and nodes | edges <= titles, FIX


def test_readme_mermaid_block_is_current(run: Callable[..., str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- graph:mermaid -->\n```mermaid\n(.*?)```\n", readme, re.DOTALL)
    assert block is not None
    assert block.group(1) == run(*_pictures_module().NETWORK_ARGS, "--format", "mermaid"), FIX


def test_readme_documents_each_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in (
        "azpak timeline",
        "azpak graph --around",
        "azpak graph --format mermaid",
        "azpak export --format ics",
    ):
        assert command in readme


def _terminal_pictures() -> list[tuple[str, tuple[str, ...], int]]:
    sys.path.insert(0, str(REPO / "docs"))
    from make_pictures import TERMINAL_PICTURES, TERMINAL_WIDTHS

    return [(name, args, width) for name, args in TERMINAL_PICTURES for width in TERMINAL_WIDTHS]


@pytest.mark.parametrize(("name", "args", "width"), _terminal_pictures(), ids=lambda v: str(v))
def test_terminal_table_pictures_are_current(
    name: str, args: tuple[str, ...], width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from make_pictures import ANSI

    # What make_pictures.on_a_terminal sets: Rich's output on a colour terminal, forced into a pipe.
    for variable in ("NO_COLOR", "COLORTERM"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in {"COLUMNS": str(width), "FORCE_COLOR": "1", "TERM": "xterm-256color"}.items():
        monkeypatch.setenv(variable, value)
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    text = (PICTURES / f"{name}-{width}.txt").read_text(encoding="utf-8")
    assert text == ANSI.sub("", result.stdout), FIX
    assert "─" * 20 in text and max(len(line) for line in text.splitlines()) <= width
    svg = (PICTURES / f"{name}-{width}.svg").read_text(encoding="utf-8")
    ET.fromstring(svg)
    shown = re.sub(r"<[^>]+>", "", svg).replace("&#160;", " ")
    assert all(word in shown for word in text.split()[:12] if word.isalpha()), FIX
