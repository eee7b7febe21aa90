"""The drawing renderers on their own, without the CLI: styled lines, the network's formats, Graphviz's errors."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from azpak.errors import CannotWriteError, ExternalToolError
from azpak.render import Output
from azpak.render.graphs import (
    GRAPH_FORMATS,
    GRAPH_STYLES,
    Graph,
    GraphFormat,
    Link,
    Node,
    adjacency_lines,
    adjacency_text,
    graph_text,
    mermaid_ids,
    write_graph,
)
from azpak.render.graphviz import GRAPHVIZ_HELP, graphviz_image
from azpak.render.lines import TIMELINE_STYLES, Line, line_width, lines_svg, plain_text, write_lines

HOSTILE = "Evil \x1b[2J\u202e Name"
LINES: list[Line] = [
    [("Title", "title"), (", plain  ", "")],
    [],
    [("  ", ""), (HOSTILE, "month"), ("   ", "")],
]


def small_graph() -> Graph:
    graph = Graph(
        nodes={
            "az": Node("az", "Azerbaijan", "country"),
            "pk": Node("pk", "Pakistan", "country"),
            "p1": Node("p1", HOSTILE, "person", "az"),
            "org": Node("org", "State Oil Company of Azerbaijan Republic", "organisation", "az", "SOCAR"),
        }
    )
    graph.link("az", "pk", Link("event", "e1", "A visit"))
    graph.link("p1", "az", Link("role", None, "Minister"))
    graph.link("p1", "pk", Link("event", "e1", "A visit"))
    graph.link("org", "az", Link("based-in", None, "based in"))
    return graph


def test_plain_text_drops_styles_and_trailing_spaces_and_escapes_controls() -> None:
    assert plain_text(LINES) == "Title, plain\n\n  Evil \\x1b[2J\\u202e Name\n"


def test_write_lines_is_plain_without_colour() -> None:
    stream = io.StringIO()
    write_lines(LINES, TIMELINE_STYLES, Output(stream=stream, width=40))
    assert stream.getvalue() == plain_text(LINES)


def test_write_lines_styles_each_segment_in_colour() -> None:
    stream = io.StringIO()
    write_lines(LINES, TIMELINE_STYLES, Output(stream=stream, color=True, width=40))
    shown = stream.getvalue()
    assert shown.startswith("\x1b[1mTitle\x1b[0m, plain\n\n")  # "title" is bold; trailing spaces dropped
    assert "\x1b[1;36mEvil \\x1b[2J\\u202e Name\x1b[0m" in shown  # "month" is bold cyan, the text made safe
    assert "\x1b[2J" not in shown.replace("\\x1b[2J", "")


def test_line_width_is_columns_then_the_terminal_then_80(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((97, 30)))
    assert line_width(Output(stream=io.StringIO(), width=55, terminal=True)) == 55
    assert line_width(Output(stream=io.StringIO(), terminal=True)) == 97
    assert line_width(Output(stream=io.StringIO())) == 80


def test_lines_svg_is_a_picture_of_the_text() -> None:
    svg = lines_svg(LINES, TIMELINE_STYLES, 40, "a title")
    ET.fromstring(svg)
    text = svg.replace("&#160;", " ")
    assert "Title" in text and "Name" in text and "a title" in text


def test_every_graph_format_has_a_writer() -> None:
    assert set(GRAPH_FORMATS) == set(GraphFormat)


def test_graph_formats_agree_on_nodes_and_edges() -> None:
    graph = small_graph()
    data = json.loads(graph_text(graph, GraphFormat.json))
    assert {n["id"] for n in data["nodes"]} == {"az", "pk", "p1", "org"}
    assert {(e["source"], e["target"], e["weight"]) for e in data["edges"]} == {
        ("az", "pk", 1),
        ("az", "p1", 1),
        ("p1", "pk", 1),
        ("az", "org", 1),
    }
    dot = graph_text(graph, GraphFormat.dot)
    assert dot.startswith("graph azpak {") and dot.count(" -- ") == 4 and "\x1b" not in dot
    assert 'label="SOCAR", tooltip="State Oil Company of Azerbaijan Republic"' in dot
    mermaid = graph_text(graph, GraphFormat.mermaid)
    ids = mermaid_ids(graph)
    assert mermaid.startswith("flowchart LR") and mermaid.count(" ---|") == 4 and "\x1b" not in mermaid
    assert f'{ids["org"]}["SOCAR"]' in mermaid and len(set(ids.values())) == 4
    assert graph_text(graph, GraphFormat.text) == adjacency_text(graph, 80)


def test_adjacency_text_lists_each_node_with_its_neighbours_safely() -> None:
    text = adjacency_text(small_graph(), 60)
    assert text.startswith("Network: 4 nodes, 4 edges\n")
    assert "Azerbaijan (country, 3 neighbours)" in text and "SOCAR" not in text  # full names in the list
    assert "Evil \\x1b[2J\\u202e Name (person, 2 neighbours)" in text and "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= 60


def test_write_graph_fits_the_output_and_colours_node_types() -> None:
    graph = small_graph()
    plain = io.StringIO()
    write_graph(graph, Output(stream=plain, width=50))
    assert plain.getvalue() == adjacency_text(graph, 50)
    coloured = io.StringIO()
    write_graph(graph, Output(stream=coloured, color=True, width=50))
    assert "\x1b[1;32mAzerbaijan\x1b[0m" in coloured.getvalue()  # a country is bold green
    styles = {style for line in adjacency_lines(graph, 50) for _, style in line}
    assert styles - {""} <= set(GRAPH_STYLES)


def test_graphviz_missing_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(ExternalToolError) as caught:
        graphviz_image("graph {}", "svg", tmp_path / "x.svg")
    assert "not on PATH" in caught.value.message and caught.value.details == [GRAPHVIZ_HELP]


def test_graphviz_checks_the_directory_before_running(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("shutil.which", lambda name: "/nonexistent/dot")
    with pytest.raises(CannotWriteError, match="no such directory"):
        graphviz_image("graph {}", "svg", tmp_path / "missing" / "x.svg")


def test_graphviz_failing_is_an_external_tool_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("shutil.which", lambda name: "/nonexistent/dot")
    with pytest.raises(ExternalToolError, match="running Graphviz failed"):
        graphviz_image("graph {}", "svg", tmp_path / "x.svg")
