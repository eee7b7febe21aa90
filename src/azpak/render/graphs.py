"""The network as drawn: its nodes and edges, and its text, DOT, Mermaid and JSON forms.

``azpak.views.graph`` builds a ``Graph`` from the facts; this module draws it,
knowing nothing of where its nodes and links came from. A ``Node`` is a person,
an organisation or a country; an ``Edge`` joins two nodes, and each of its
links says why (an event, a statement or a recorded relation). An edge's
``weight`` is how many links it has. Edges are undirected; ``source`` is the
smaller id.

``graph_text`` writes the graph in a ``GraphFormat``, each made by one function
of ``GRAPH_FORMATS``; ``write_graph`` draws the adjacency list on an output, in
colour on a colour terminal. ``azpak.render.graphviz`` turns DOT into an image.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from azpak.render import Output
from azpak.render.lines import Line, Styles, line_width, plain_text, write_lines
from azpak.textsafe import visible

NODE_TYPES = ("person", "organisation", "country")
LINK_TYPES = ("event", "statement", "role", "country", "based-in")


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    name: str
    type: str  # person | organisation | country
    country: str | None = None
    label: str = ""  # short display name: an acronym for a long organisation name

    @property
    def short(self) -> str:
        return self.label or self.name


@dataclass(frozen=True, slots=True)
class Link:
    """One reason two nodes are linked: an event, a statement or a recorded relation."""

    type: str  # event | statement | role | country | based-in
    id: str | None
    label: str


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    links: list[Link] = field(default_factory=list)

    @property
    def weight(self) -> int:
        return len(self.links)

    def summary(self, limit: int = 48) -> str:
        """A short label: the relations by name, then the events and statements (by title when only one)."""
        relations = [link.label for link in self.links if link.type not in ("event", "statement")]
        events = [link for link in self.links if link.type == "event"]
        statements = [link for link in self.links if link.type == "statement"]
        parts = list(dict.fromkeys(relations))
        if len(events) == 1 and not statements and not parts:
            parts.append(_shorten(events[0].label, limit))
        else:
            if events:
                parts.append(f"{len(events)} event{'s' if len(events) != 1 else ''}")
            if statements:
                parts.append(f"{len(statements)} statement{'s' if len(statements) != 1 else ''}")
        return "; ".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(slots=True)
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)
    # The links of each edge as a set, so that adding one is not a scan of the edge's list
    # (every event links Azerbaijan and Pakistan: that edge has as many links as events).
    _seen: dict[tuple[str, str], set[Link]] = field(default_factory=dict, repr=False, compare=False)
    # Each node's (neighbour, edge) pairs, built on first use and again when edges are added.
    _adjacency: dict[str, list[tuple[str, Edge]]] | None = field(default=None, repr=False, compare=False)
    _adjacency_edges: int = field(default=-1, repr=False, compare=False)

    def link(self, a: str, b: str, link: Link) -> None:
        if a == b or a not in self.nodes or b not in self.nodes:
            return
        key = (a, b) if a < b else (b, a)
        edge = self.edges.get(key)
        if edge is None:
            edge = self.edges[key] = Edge(*key)
        seen = self._seen.get(key)
        if seen is None or len(seen) != len(edge.links):  # edge.links was changed directly: start again
            seen = self._seen[key] = set(edge.links)
        if link not in seen:
            seen.add(link)
            edge.links.append(link)

    def _pairs(self, node_id: str) -> list[tuple[str, Edge]]:
        if self._adjacency is None or self._adjacency_edges != len(self.edges):
            adjacency: dict[str, list[tuple[str, Edge]]] = {}
            for (a, b), edge in self.edges.items():
                adjacency.setdefault(a, []).append((b, edge))
                adjacency.setdefault(b, []).append((a, edge))
            self._adjacency, self._adjacency_edges = adjacency, len(self.edges)
        return self._adjacency.get(node_id, [])

    def neighbours(self, node_id: str) -> list[tuple[str, Edge]]:
        return sorted(self._pairs(node_id), key=lambda item: (-item[1].weight, self.nodes[item[0]].name.casefold()))

    def degree(self, node_id: str) -> int:
        return sum(edge.weight for _, edge in self._pairs(node_id))


def _ordered_nodes(graph: Graph) -> list[Node]:
    order = {t: i for i, t in enumerate(NODE_TYPES)}
    return sorted(graph.nodes.values(), key=lambda n: (order[n.type], n.name.casefold(), n.id))


def _ordered_edges(graph: Graph) -> list[Edge]:
    return [graph.edges[key] for key in sorted(graph.edges)]


# --- JSON -------------------------------------------------------------------------------


def to_data(graph: Graph) -> dict[str, object]:
    """Node-link data: ``networkx.node_link_graph(data)`` reads it (networkx 3.4+: ``edges="edges"``)."""
    return {
        "directed": False,
        "multigraph": False,
        "graph": {"name": "azpak"},
        "nodes": [
            {
                "id": n.id,
                "name": n.name,
                "label": n.short,
                "type": n.type,
                "country": n.country,
                "degree": graph.degree(n.id),
            }
            for n in _ordered_nodes(graph)
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "weight": e.weight,
                "label": e.summary(),
                "links": [{"type": link.type, "id": link.id, "label": link.label} for link in e.links],
            }
            for e in _ordered_edges(graph)
        ],
    }


def to_json(graph: Graph) -> str:
    return json.dumps(to_data(graph), ensure_ascii=False, indent=2) + "\n"


# --- DOT (Graphviz) ---------------------------------------------------------------------

_DOT_SHAPES = {
    "person": 'shape=ellipse, style=filled, fillcolor="#dbeafe", color="#1d4ed8"',
    "organisation": 'shape=box, style="rounded,filled", fillcolor="#fef3c7", color="#b45309"',
    "country": 'shape=hexagon, style=filled, fillcolor="#dcfce7", color="#15803d", penwidth=2',
}


def _dot_string(text: str) -> str:
    escaped = visible(text, keep="\n").replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(graph: Graph) -> str:
    lines = [
        "graph azpak {",
        '  graph [layout=neato, overlap=false, splines=true, sep="+12", fontname="Helvetica", '
        'label="Azerbaijan–Pakistan relations: who is linked to whom\\n'
        'ellipse: person · box: organisation · hexagon: country · line width: how many links", '
        "labelloc=t, fontsize=14];",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=8, color="#6b7280", fontcolor="#374151"];',
    ]
    for node in _ordered_nodes(graph):
        shown = f"label={_dot_string(node.short)}, tooltip={_dot_string(node.name)}, {_DOT_SHAPES[node.type]}"
        lines.append(f"  {_dot_string(node.id)} [{shown}];")
    for edge in _ordered_edges(graph):
        tooltip = "\n".join(f"{link.type}: {link.label}" for link in edge.links)
        width = min(1.0 + 0.5 * (edge.weight - 1), 6.0)
        attributes = [
            f"label={_dot_string(textwrap.fill(edge.summary(64), 26))}",
            f"weight={edge.weight}",
            f"penwidth={width:g}",
            f"tooltip={_dot_string(tooltip)}",
        ]
        lines.append(f"  {_dot_string(edge.source)} -- {_dot_string(edge.target)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- Mermaid ----------------------------------------------------------------------------

_MERMAID_SHAPES = {"person": ('(["', '"])'), "organisation": ('["', '"]'), "country": ('{{"', '"}}')}
_MERMAID_CLASSES = {
    "person": "fill:#dbeafe,stroke:#1d4ed8",
    "organisation": "fill:#fef3c7,stroke:#b45309",
    "country": "fill:#dcfce7,stroke:#15803d",
}


def _mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: quotes and markup characters as entity codes."""
    return (
        visible(text, keep="")
        .replace("#", "#35;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
        .replace("\n", " ")
    )


def mermaid_ids(graph: Graph) -> dict[str, str]:
    """A Mermaid-safe id for each node id (letters, digits and underscores, unique)."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for node in _ordered_nodes(graph):
        base = "n_" + re.sub(r"[^A-Za-z0-9_]", "_", node.id)
        candidate, counter = base, 2
        while candidate in used:
            candidate, counter = f"{base}_{counter}", counter + 1
        used.add(candidate)
        ids[node.id] = candidate
    return ids


def to_mermaid(graph: Graph) -> str:
    ids = mermaid_ids(graph)
    lines = ["flowchart LR"]
    for node in _ordered_nodes(graph):
        opening, closing = _MERMAID_SHAPES[node.type]
        lines.append(f"  {ids[node.id]}{opening}{_mermaid_text(node.short)}{closing}")
    for edge in _ordered_edges(graph):
        lines.append(f'  {ids[edge.source]} ---|"{_mermaid_text(edge.summary(40))}"| {ids[edge.target]}')
    for node_type, style in _MERMAID_CLASSES.items():
        members = [ids[n.id] for n in _ordered_nodes(graph) if n.type == node_type]
        if members:
            lines.append(f"  classDef {node_type} {style}")
            lines.append(f"  class {','.join(members)} {node_type}")
    return "\n".join(lines) + "\n"


# --- Text (adjacency list) --------------------------------------------------------------


def adjacency_lines(graph: Graph, width: int = 80) -> list[Line]:
    """Each node (most linked first) with its neighbours, as lines of (text, style) segments."""
    width = max(width, 40)
    edges = len(graph.edges)
    lines: list[Line] = [
        [("Network: ", "title"), (f"{len(graph.nodes)} nodes, {edges} edge{'s' if edges != 1 else ''}", "")]
    ]
    note = "×n after a neighbour: how many events, statements and relations link the two."
    lines += [[(text, "legend")] for text in textwrap.wrap(note, width=width)]
    ranked = sorted(graph.nodes.values(), key=lambda n: (-graph.degree(n.id), n.name.casefold(), n.id))
    for node in ranked:
        neighbours = graph.neighbours(node.id)
        lines.append([])
        count = f"{len(neighbours)} neighbour{'s' if len(neighbours) != 1 else ''}" if neighbours else "no links"
        header = textwrap.wrap(
            f"{node.name} ({node.type}, {count})", width=width, subsequent_indent="    ", break_on_hyphens=False
        )
        name_end = min(len(node.name), len(header[0]))
        lines.append([(header[0][:name_end], f"node.{node.type}"), (header[0][name_end:], "legend")])
        lines += [[(rest, "legend")] for rest in header[1:]]
        for position, (other_id, edge) in enumerate(neighbours):
            other = graph.nodes[other_id]
            last = position == len(neighbours) - 1
            branch, stem = ("└─ ", "   ") if last else ("├─ ", "│  ")
            head = f"{other.name} ({other.type}) ×{edge.weight}: "
            text = head + edge.summary(limit=10_000)
            wrapped = textwrap.wrap(text, width=width - 2 - len(branch), subsequent_indent="  ", break_on_hyphens=False)
            first = wrapped[0]
            name_end = min(len(other.name), len(first))
            lines.append(
                [
                    ("  " + branch, "rule"),
                    (first[:name_end], f"node.{other.type}"),
                    (first[name_end:], ""),
                ]
            )
            for rest in wrapped[1:]:
                lines.append([("  " + stem, "rule"), ("  ", "indent"), (rest[2:], "")])
    return lines


#: The style of each kind of segment of the adjacency list (see ``azpak.render.lines``).
GRAPH_STYLES: Styles = {
    "title": "bold",
    "indent": "not italic",
    "legend": "dim",
    "rule": "dim",
    "node.person": "bold blue",
    "node.organisation": "bold yellow",
    "node.country": "bold green",
}


def adjacency_text(graph: Graph, width: int = 80) -> str:
    """The adjacency list as plain text ``width`` columns wide."""
    return plain_text(adjacency_lines(graph, width))


def write_graph(graph: Graph, output: Output) -> None:
    """The adjacency list on ``output``, fitted to its width: in colour on a colour terminal, plain otherwise."""
    write_lines(adjacency_lines(graph, line_width(output)), GRAPH_STYLES, output)


# --- Formats ----------------------------------------------------------------------------


class GraphFormat(StrEnum):
    """The text forms of a graph."""

    text = "text"
    dot = "dot"
    mermaid = "mermaid"
    json = "json"


#: The function that writes each format (``text``: the adjacency list at 80 columns).
GRAPH_FORMATS: dict[GraphFormat, Callable[[Graph], str]] = {
    GraphFormat.text: adjacency_text,
    GraphFormat.dot: to_dot,
    GraphFormat.mermaid: to_mermaid,
    GraphFormat.json: to_json,
}


def graph_text(graph: Graph, fmt: GraphFormat) -> str:
    """The graph in format ``fmt``."""
    return GRAPH_FORMATS[fmt](graph)
