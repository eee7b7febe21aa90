"""``azpak graph``: nodes and edges checked against the fact base, in every format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from azpak.facts.model import FactBase
from conftest import Facts, invoke

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def graph_json(*args: str) -> dict[str, object]:
    result = invoke("graph", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def whole() -> dict[str, object]:
    """The network of the whole shipped fact base."""
    return graph_json()


def edge_weights(data: dict[str, object]) -> dict[Pair, int]:
    return {pair(e["source"], e["target"]): e["weight"] for e in data["edges"]}  # type: ignore[attr-defined]


def expected_weights(base: FactBase, event_ids: set[str] | None = None) -> Counter[Pair]:
    """The edges, recomputed here from the records, independently of azpak.views.graph."""
    entities = set(base.people) | set(base.organisations) | set(base.countries)
    weights: Counter[Pair] = Counter()
    for event in base.events.values():
        if event_ids is not None and event.id not in event_ids:
            continue
        involved = set(event.countries) | set(event.organisations)
        for participant in event.participants:
            for value in (participant.person, participant.organisation, participant.country):
                if value:
                    involved.add(value)
            if participant.person and base.people[participant.person].country:
                involved.add(base.people[participant.person].country)  # type: ignore[arg-type]
            if participant.organisation and base.organisations[participant.organisation].country:
                involved.add(base.organisations[participant.organisation].country)  # type: ignore[arg-type]
        ordered = sorted(involved & entities)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                weights[pair(a, b)] += 1
    for statement in base.statements.values():
        if event_ids is not None and not set(statement.about_events) & event_ids:
            continue
        for other in set(statement.organisations) | set(statement.countries):
            if other != statement.speaker:
                weights[pair(statement.speaker, other)] += 1
    linked = {n for p in weights for n in p}
    relations: Counter[Pair] = Counter()
    for person in base.people.values():
        targets = set()  # the same post recorded at several dates is one relation
        for role in person.roles:
            targets |= {(t, role.title) for t in (role.organisation, role.country) if t}
        if person.country and person.country not in {r.country for r in person.roles}:
            targets.add((person.country, "country"))
        for target, _ in targets:
            relations[pair(person.id, target)] += 1
    taking_part = organisations_taking_part(base)
    for organisation in base.organisations.values():
        if organisation.country and (event_ids is not None or organisation.id in taking_part):
            relations[pair(organisation.id, organisation.country)] += 1
    for key, count in relations.items():
        if event_ids is None or set(key) <= linked:
            weights[key] += count
    return weights


def organisations_taking_part(base: FactBase) -> set[str]:
    found = {o for e in base.events.values() for o in e.organisations}
    found |= {p.organisation for e in base.events.values() for p in e.participants if p.organisation}
    found |= {o for s in base.statements.values() for o in (*s.organisations, s.speaker)}
    found |= {r.organisation for p in base.people.values() for r in p.roles if r.organisation}
    return found & set(base.organisations)


def test_nodes_are_every_person_organisation_and_country(base: FactBase, whole: dict[str, object]) -> None:
    data = whole
    nodes = {n["id"]: n["type"] for n in data["nodes"]}  # type: ignore[attr-defined]
    expected = {i: "person" for i in base.people}
    # Organisations that only publish what is cited are not in the network: being cited is not a link.
    taking_part = organisations_taking_part(base)
    expected |= {i: "organisation" for i in base.organisations if i in taking_part}
    expected |= {i: "country" for i in base.countries}
    assert nodes == expected
    publishers = {s.publisher for s in base.sources.values()}
    assert publishers - taking_part, "the shipped base has publishers that take part in nothing"


def test_edges_and_weights_match_the_fact_base(base: FactBase, whole: dict[str, object]) -> None:
    assert edge_weights(whole) == dict(expected_weights(base))


def test_every_link_names_a_record_that_joins_both_ends(base: FactBase, whole: dict[str, object]) -> None:
    for edge in whole["edges"]:  # type: ignore[attr-defined]
        ends = {edge["source"], edge["target"]}
        assert len(edge["links"]) == edge["weight"] >= 1
        for link in edge["links"]:
            if link["type"] == "event":
                event = base.events[link["id"]]
                assert link["label"] == event.title
            elif link["type"] == "statement":
                statement = base.statements[link["id"]]
                assert statement.speaker in ends
                assert ends - {statement.speaker} <= set(statement.organisations) | set(statement.countries)
            else:
                assert link["type"] in ("role", "country", "based-in") and link["id"] is None


def test_filters_keep_only_the_selected_events(base: FactBase) -> None:
    chosen = {r["id"] for r in json.loads(invoke("events", "--year", "2024", "--format", "json").stdout)}
    data = graph_json("--year", "2024")
    assert edge_weights(data) == dict(expected_weights(base, chosen))
    event_links = {link["id"] for e in data["edges"] for link in e["links"] if link["type"] == "event"}  # type: ignore[attr-defined]
    assert event_links == chosen
    nodes = {n["id"] for n in data["nodes"]}  # type: ignore[attr-defined]
    assert nodes == {n for p in edge_weights(data) for n in p}


def test_around_is_one_entity_and_its_neighbours(base: FactBase, whole: dict[str, object]) -> None:
    full = edge_weights(whole)
    data = graph_json("--around", "SOCAR")
    neighbours = {b if a == "socar" else a for a, b in full if "socar" in (a, b)}
    assert {n["id"] for n in data["nodes"]} == {"socar"} | neighbours  # type: ignore[attr-defined]
    assert edge_weights(data) == {k: v for k, v in full.items() if "socar" in k}


def test_one_minister_links_socar_to_pakistan() -> None:
    """The issue's example: the minister SOCAR hosted is linked to Pakistan by his office."""
    socar = graph_json("--around", "SOCAR")
    people = [n["id"] for n in socar["nodes"] if n["type"] == "person"]  # type: ignore[attr-defined]
    assert "musadik-malik" in people
    for person in ["musadik-malik"]:
        links = {pair(e["source"], e["target"]): e for e in graph_json("--around", person)["edges"]}  # type: ignore[attr-defined]
        to_pakistan = links[pair(person, "PK")]
        assert any(link["type"] == "role" for link in to_pakistan["links"])


def test_around_errors(article: Facts) -> None:
    missing = article.invoke("graph", "--around", "Mustafaev")
    assert missing.exit_code == 1 and "Vugar Mustafayev" in missing.stderr
    ambiguous = article.invoke("graph", "--around", "organization")
    assert ambiguous.exit_code == 1 and "oic" in ambiguous.stderr


def test_networkx_reads_the_json(base: FactBase, whole: dict[str, object]) -> None:
    data = whole
    network = nx.node_link_graph(data)
    assert set(network.nodes) == {n["id"] for n in data["nodes"]}  # type: ignore[attr-defined]
    assert {pair(a, b): w for a, b, w in network.edges(data="weight")} == dict(expected_weights(base))


MERMAID_NODE = re.compile(r'^  (n_\w+)(?:\(\["|\["|\{\{")(.+?)(?:"\]\)|"\]|"\}\})$')
MERMAID_EDGE = re.compile(r'^  (n_\w+) ---\|"(.*)"\| (n_\w+)$')


def test_mermaid_has_the_same_nodes_and_edges(article: Facts) -> None:
    data = graph_json(*article.args)
    result = article.invoke("graph", "--format", "mermaid")
    lines = result.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    names = {m.group(1): m.group(2) for m in map(MERMAID_NODE.match, lines) if m}
    labels = {n["id"]: n["label"] for n in data["nodes"]}  # type: ignore[attr-defined]
    assert sorted(names.values()) == sorted(labels.values())
    ids = {v: k for k, v in names.items()}
    by_label = {v: k for k, v in labels.items()}
    edges = {
        pair(by_label[names[m.group(1)]], by_label[names[m.group(3)]]) for m in map(MERMAID_EDGE.match, lines) if m
    }
    assert edges == set(edge_weights(data))
    assert all(ids.values()) and '"' not in "".join(m.group(2) for m in map(MERMAID_EDGE.match, lines) if m)


@pytest.mark.client
def test_dot_is_valid_and_complete(tmp_path: Path, whole: dict[str, object]) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (.ci/run installs it as root)")
    data = whole
    dot = invoke("graph", "--format", "dot").stdout
    rendered = subprocess.run(["dot", "-Tjson"], input=dot, capture_output=True, text=True, check=True)
    parsed = json.loads(rendered.stdout)
    assert {o["name"] for o in parsed["objects"]} == {n["id"] for n in data["nodes"]}  # type: ignore[attr-defined]
    names = [o["name"] for o in parsed["objects"]]
    assert {pair(names[e["tail"]], names[e["head"]]) for e in parsed["edges"]} == set(edge_weights(data))


@pytest.mark.client
def test_output_svg_and_png_are_rendered(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (.ci/run installs it as root)")
    svg = tmp_path / "network.svg"
    result = invoke("graph", "--around", "Sharif", "--output", str(svg))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote" in result.stderr
    titles = {el.text for el in ET.parse(svg).iter("{http://www.w3.org/2000/svg}title")}
    node_ids = {n["id"] for n in graph_json("--around", "Sharif")["nodes"]}  # type: ignore[attr-defined]
    assert node_ids <= titles
    png = tmp_path / "network.png"
    assert invoke("graph", "--output", str(png)).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_graphviz_says_how_to_get_it(article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = article.invoke("graph", "--output", str(tmp_path / "network.svg"))
    assert result.exit_code == 69
    assert "Graphviz" in result.stderr and "apt-get install graphviz" in result.stderr
    assert "--format dot" in result.stderr and not (tmp_path / "network.svg").exists()


def test_output_text_formats_by_suffix(article: Facts, tmp_path: Path) -> None:
    for suffix, check in ((".json", lambda t: json.loads(t)["nodes"]), (".mmd", lambda t: t.startswith("flowchart"))):
        target = tmp_path / f"network{suffix}"
        assert article.invoke("graph", "--output", str(target)).exit_code == 0
        assert check(target.read_text(encoding="utf-8"))
    dot = tmp_path / "network.dot"
    assert article.invoke("graph", "--output", str(dot)).exit_code == 0
    assert dot.read_text(encoding="utf-8") == article.invoke("graph", "--format", "dot").stdout
    assert article.invoke("graph", "--format", "mermaid", "--output", str(tmp_path / "x.svg")).exit_code == 2
    unwritable = article.invoke("graph", "--output", str(tmp_path / "missing-dir" / "x.json"))
    assert unwritable.exit_code == 73 and "cannot write" in unwritable.stderr
    if shutil.which("dot"):  # an image that cannot be written is the same error, not a Graphviz failure
        image = article.invoke("graph", "--output", str(tmp_path / "missing-dir" / "x.svg"))
        assert image.exit_code == 73 and "cannot write" in image.stderr


def test_output_text_file_shows_controls_literally(tmp_path: Path) -> None:
    facts = tmp_path / "names.yaml"
    facts.write_text(
        "people:\n"
        '  - id: p1\n    name: "Evil \\e[2J\\u202e Name"\n    country: AZ\n'
        "events:\n"
        '  - id: e9\n    date: "2025"\n    title: A meeting\n    summary: They met.\n    kind: meeting\n'
        "    status: occurred\n    participants:\n      - person: p1\n        role: guest\n"
        "      - person: vugar-mustafayev\n        role: host\n"
        "    source: azernews-2025-02-23\n    evidence: Vugar Mustafayev\n",
        encoding="utf-8",
    )
    target = tmp_path / "network.txt"
    result = invoke("graph", "--around", "p1", "--data", str(facts), "--output", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "Evil \\x1b[2J\\u202e Name" in text and "\x1b" not in text and "\u202e" not in text


def test_text_lists_every_node_with_its_neighbours(article: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = article.invoke("graph")
    assert result.exit_code == 0 and "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    data = graph_json(*article.args)
    names = {n["id"]: n["name"] for n in data["nodes"]}  # type: ignore[attr-defined]
    headers: list[str] = []  # a node's line, with the lines a long name wraps onto
    for line in lines:
        if line and not line.startswith(" ") and not line.startswith(("Network", "×n")):
            headers.append(line)
        elif headers and line.startswith("    ") and not line.lstrip().startswith(("├", "└", "│")):
            headers[-1] += " " + line.strip()
    assert sorted(h.rsplit(" (", 1)[0] for h in headers) == sorted(names.values())
    branches = [line for line in lines if line.lstrip().startswith(("├─", "└─"))]
    assert len(branches) == 2 * len(data["edges"])  # type: ignore[arg-type]


def test_empty_selection_is_an_empty_graph(article: Facts) -> None:
    data = graph_json("--year", "1999", *article.args)
    assert data["nodes"] == [] and data["edges"] == []


def test_links_are_kept_once_and_neighbours_follow_new_edges() -> None:
    from azpak.render.graphs import Graph, Link, Node

    graph = Graph(nodes={i: Node(i, i.upper(), "country") for i in ("a", "b", "c")})
    first, second = Link("event", "e1", "One"), Link("event", "e2", "Two")
    for link in (first, second, first, second):
        graph.link("b", "a", link)
    assert graph.edges[("a", "b")].links == [first, second]
    assert graph.degree("a") == 2 and [other for other, _ in graph.neighbours("a")] == ["b"]
    graph.link("a", "c", first)  # a new edge after the neighbours were asked for
    graph.link("c", "a", second)
    graph.link("a", "c", first)
    assert graph.degree("a") == 4 and [other for other, _ in graph.neighbours("a")] == ["b", "c"]
    assert graph.degree("b") == 2 and graph.degree("c") == 2
    graph.edges[("a", "c")].links.append(Link("role", None, "added directly"))
    graph.link("a", "c", first)
    assert graph.edges[("a", "c")].weight == 3
