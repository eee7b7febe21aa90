"""The network of people, organisations and countries, built from the facts (``azpak.render.graphs`` draws it).

Nodes are people, organisations and countries. Two nodes are linked by:

- an **event** that involves both (participants, listed organisations, the
  countries it involves: ``azpak.query.questions.event_people`` and friends);
- a **statement** whose speaker names the other (an organisation or country
  it names);
- a **relation** the fact base records: a person's role at an organisation or
  for a country, a person's country, an organisation's country.

An edge's ``weight`` is how many such links join its two nodes, and its links
keep each event, statement or relation with its label.
"""

from __future__ import annotations

from collections.abc import Iterable

from azpak.errors import AmbiguousNameError, NotFoundError
from azpak.facts.model import Event, FactBase, Statement
from azpak.facts.names import Named, match, suggest
from azpak.query.questions import EventQuery, event_countries, event_organisations, event_people, filter_events
from azpak.render.graphs import Graph, Link, Node


def _all_nodes(base: FactBase) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for person in base.people.values():
        nodes[person.id] = Node(person.id, person.name, "person", person.country)
    for organisation in base.organisations.values():
        acronyms = [a for a in organisation.aliases if a.isupper() and len(a) <= 8]
        label = acronyms[0] if acronyms and len(organisation.name) > 24 else ""
        nodes[organisation.id] = Node(organisation.id, organisation.name, "organisation", organisation.country, label)
    for country in base.countries.values():
        nodes[country.id] = Node(country.id, country.name, "country")
    return nodes


def event_entities(base: FactBase, event: Event) -> set[str]:
    """The people, organisations and countries an event involves."""
    return event_people(event) | event_organisations(event) | event_countries(base, event)


def _relations(base: FactBase) -> Iterable[tuple[str, str, Link]]:
    for person in base.people.values():
        role_countries = set()
        for role in person.roles:
            for target in (role.organisation, role.country):
                if target:
                    yield person.id, target, Link("role", None, role.title)
            if role.country:
                role_countries.add(role.country)
        if person.country and person.country not in role_countries:
            yield person.id, person.country, Link("country", None, "country")
    for organisation in base.organisations.values():
        if organisation.country:
            yield organisation.id, organisation.country, Link("based-in", None, "based in")


def build_graph(
    base: FactBase,
    events: list[Event],
    statements: list[Statement],
    *,
    everything: bool = False,
) -> Graph:
    """The network linking the given events and statements.

    ``everything``: also every person, organisation and country without links,
    and every recorded relation (the whole fact base). Otherwise only the nodes
    the events and statements link, with the relations among them. An
    organisation that is only a publisher (cited, never taking part in an event,
    a statement or a role) is not a node: being cited is not a link.
    """
    candidates = _all_nodes(base)
    if everything:
        taking_part = _organisations_taking_part(base)
        candidates = {k: v for k, v in candidates.items() if v.type != "organisation" or k in taking_part}
    graph = Graph(nodes=dict(candidates))
    for event in events:
        ids = sorted(event_entities(base, event))
        link = Link("event", event.id, event.title)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                graph.link(a, b, link)
    for statement in statements:
        link = Link("statement", statement.id, statement.summary)
        for other in (*statement.organisations, *statement.countries):
            graph.link(statement.speaker, other, link)
    linked = {node for edge in graph.edges for node in edge}
    for a, b, link in _relations(base):
        if everything or (a in linked and b in linked):
            graph.link(a, b, link)
    if not everything:
        graph.nodes = {k: v for k, v in candidates.items() if k in linked}
    return graph


def _organisations_taking_part(base: FactBase) -> set[str]:
    """Organisations that are participants, involved, speakers, named in statements or hold people's roles."""
    found: set[str] = set()
    for event in base.events.values():
        found |= event_organisations(event)
    for statement in base.statements.values():
        found.update(statement.organisations)
        found.add(statement.speaker)
    for person in base.people.values():
        found.update(role.organisation for role in person.roles if role.organisation)
    return found & set(base.organisations)


def find_node(base: FactBase, query: str) -> str:
    """The id of the one person, organisation or country a name designates."""
    candidates: list[Named[str]] = []
    for collection in (base.people, base.organisations, base.countries):
        candidates += [Named(r.id, r.name, r.aliases, r.id) for r in collection.values()]
    found = match(query, candidates)
    if not found:
        close = suggest(query, candidates)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise NotFoundError(f"no person, organisation or country matches {query!r}.{hint}")
    if len(found) > 1:
        raise AmbiguousNameError(
            f"{query!r} matches {len(found)} records; be more specific, or use one of these ids:",
            details=[f"{c.id}  {c.name}" for c in found],
        )
    return found[0].item


def around(graph: Graph, base: FactBase, centre: str) -> Graph:
    """One node, its neighbours, and the edges between it and them."""
    nodes = _all_nodes(base)
    result = Graph(nodes={centre: graph.nodes.get(centre, nodes[centre])})
    for other, edge in graph.neighbours(centre):
        result.nodes[other] = graph.nodes[other]
        result.edges[(edge.source, edge.target)] = edge
    return result


def select_network(base: FactBase, query: EventQuery, around_name: str | None = None) -> Graph:
    """The network of the events ``query`` selects and the statements about them, or of the whole base.

    With no filter, the whole fact base (every node and recorded relation);
    ``around_name``: only that person, organisation or country and its neighbours.
    """
    filtered = not query.only()
    events = list(filter_events(base, query.event_filter(base)))
    if filtered:
        chosen = {e.id for e in events}
        statements = [s for s in base.sorted_statements() if chosen & set(s.about_events)]
    else:
        statements = base.sorted_statements()
    network = build_graph(base, events, statements, everything=not filtered)
    if around_name is not None:
        network = around(network, base, find_node(base, around_name))
    return network
