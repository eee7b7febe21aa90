"""Regenerate the pictures in the README from the shipped facts.

    python docs/make_pictures.py

Writes docs/pictures/timeline.txt (``azpak timeline`` at 80 columns, piped),
the terminal tables of ``azpak events --year 2025`` and ``azpak who "Vugar
Mustafayev"`` at 80 and 120 columns (``events-80.txt``, ``events-80.svg``…),
docs/pictures/timeline.svg (the same, as the terminal shows it in colour),
docs/pictures/network.dot and network.svg (``azpak graph``, rendered with
Graphviz's ``dot``, which must be installed), and the Mermaid block of
README.md (``azpak graph --format mermaid``). tests/test_pictures.py fails
when any of them no longer matches what azpak prints.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICTURES = ROOT / "docs" / "pictures"
README = ROOT / "README.md"
MERMAID_BLOCK = re.compile(r"(<!-- graph:mermaid -->\n```mermaid\n)(.*?)(```\n)", re.DOTALL)

#: What the pictures are made with: the shipped facts only, 80 columns, no colour, fixed time.
ENVIRONMENT = {
    "COLUMNS": "80",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "SOURCE_DATE_EPOCH": "0",
}


def azpak(*args: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("AZPAK_DATA", "FORCE_COLOR")}
    environment.update(ENVIRONMENT)
    result = subprocess.run(
        [sys.executable, "-m", "azpak", *args], capture_output=True, text=True, check=True, env=environment
    )
    return result.stdout


#: The timeline and network in the README: a half-year, and one person's links (the whole base is too big to read).
TIMELINE_ARGS = ("timeline", "--since", "2025-01", "--until", "2025-06")
NETWORK_ARGS = ("graph", "--around", "Vugar Mustafayev")

#: The terminal tables in the README: (name, arguments), each at 80 and 120 columns.
TERMINAL_PICTURES = [("events", ("events", "--year", "2025")), ("who", ("who", "Vugar Mustafayev"))]
TERMINAL_WIDTHS = (80, 120)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def on_a_terminal(width: int, *args: str) -> str:
    """What azpak draws on a colour terminal ``width`` columns wide (Rich's output, forced into a pipe)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("AZPAK_DATA", "NO_COLOR", "COLORTERM")}
    environment.update({"COLUMNS": str(width), "FORCE_COLOR": "1", "TERM": "xterm-256color"})
    result = subprocess.run(
        [sys.executable, "-m", "azpak", *args], capture_output=True, text=True, check=True, env=environment
    )
    return result.stdout


def terminal_svg(ansi: str, width: int, title: str) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=io.StringIO(), width=width, record=True, force_terminal=True, color_system="256")
    console.print(Text.from_ansi(ansi), end="")
    svg: str = console.export_svg(title=title)
    return svg


def timeline_svg() -> str:
    """The timeline as a colour terminal shows it, as an SVG (Rich's terminal export)."""
    from azpak.facts.load import load_fact_base
    from azpak.query.questions import EventQuery, filter_events
    from azpak.render.lines import TIMELINE_STYLES, lines_svg
    from azpak.views.timeline import build_timeline, timeline_lines

    base = load_fact_base()
    query = EventQuery(since=TIMELINE_ARGS[2], until=TIMELINE_ARGS[4])
    events = filter_events(base, query.event_filter(base))
    return lines_svg(timeline_lines(build_timeline(events), 80), TIMELINE_STYLES, 80, "azpak timeline")


def network_svg(dot: str) -> bytes:
    """The network drawn by Graphviz's ``dot`` from its DOT source, as azpak draws it for ``--output FILE.svg``."""
    from azpak.render.graphviz import graphviz_image

    return graphviz_image(dot, "svg", PICTURES / "network.svg")


def main() -> None:
    PICTURES.mkdir(parents=True, exist_ok=True)
    (PICTURES / "timeline.txt").write_text(azpak(*TIMELINE_ARGS), encoding="utf-8")
    (PICTURES / "timeline.svg").write_text(timeline_svg(), encoding="utf-8")
    for name, args in TERMINAL_PICTURES:
        for width in TERMINAL_WIDTHS:
            ansi = on_a_terminal(width, *args)
            (PICTURES / f"{name}-{width}.txt").write_text(ANSI.sub("", ansi), encoding="utf-8")
            title = "azpak " + " ".join(f'"{a}"' if " " in a else a for a in args) + f" ({width} columns)"
            (PICTURES / f"{name}-{width}.svg").write_text(terminal_svg(ansi, width, title), encoding="utf-8")
    dot = azpak(*NETWORK_ARGS, "--format", "dot")
    (PICTURES / "network.dot").write_text(dot, encoding="utf-8")
    (PICTURES / "network.svg").write_bytes(network_svg(dot))
    readme = README.read_text(encoding="utf-8")
    mermaid = azpak(*NETWORK_ARGS, "--format", "mermaid")
    updated, count = MERMAID_BLOCK.subn(lambda m: m.group(1) + mermaid + m.group(3), readme)
    if count != 1:
        raise SystemExit("README.md: expected one <!-- graph:mermaid --> block")
    README.write_text(updated, encoding="utf-8")
    print(f"wrote {PICTURES.relative_to(ROOT)}/ and the Mermaid block of README.md")


if __name__ == "__main__":
    main()
