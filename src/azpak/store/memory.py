"""Where a command's facts come from: the whole fact base in memory, or a compiled index.

A store hands each command a FactBase holding at least every record that can be
part of its answer, plus every record those refer to; the query functions then
compute the answer from it exactly as they would from the whole fact base. The
in-memory store simply hands out the whole base; the index store (azpak.store.index)
narrows with SQL first, so a lookup costs about the same at 100,000 facts as at
30, and answers are identical either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from azpak.facts.model import Event, FactBase
from azpak.query.questions import NO_STATS, EntityStats, EventFilter, EventQuery, entity_stats, filter_events


class FactStore(Protocol):
    def names_base(self, queries: list[tuple[str, str]]) -> FactBase:
        """Entities that a (collection, name) query may designate; when none matches, at least those whose
        names are the closest (the whole collection will do)."""
        ...

    def events_base(self, spec: EventFilter) -> FactBase:
        """Events that may match the filter, with what they refer to."""
        ...

    def related_base(self, entity_id: str) -> FactBase:
        """The entity, the events, statements and people that refer to it, and what those refer to."""
        ...

    def collection_base(self, collection: str) -> FactBase:
        """A whole collection, with what it refers to."""
        ...

    def statements_base(self, entity_ids: set[str] | None) -> FactBase:
        """Statements that mention any of the ids (all statements when None), with what they refer to."""
        ...

    def search_base(self, words: list[str]) -> FactBase:
        """Records of any kind whose text may contain all the (normalised) words."""
        ...

    def record_base(self, record_id: str) -> FactBase:
        """One record, with what it refers to (empty when there is no such id)."""
        ...

    def all_ids(self) -> Iterable[str]: ...

    def full_base(self) -> FactBase:
        """Every record (for views of the whole network or calendar)."""
        ...

    def stats(self, entity_id: str) -> EntityStats: ...

    def names(self, collection: str) -> list[str]:
        """Display names and ids of a collection, for shell completion."""
        ...


class MemoryStore:
    """The whole fact base in memory: every question is answered from all of it."""

    def __init__(self, base: FactBase) -> None:
        self.base = base
        self._stats: dict[str, EntityStats] | None = None

    def names_base(self, queries: list[tuple[str, str]]) -> FactBase:
        return self.base

    def events_base(self, spec: EventFilter) -> FactBase:
        return self.base

    def related_base(self, entity_id: str) -> FactBase:
        return self.base

    def collection_base(self, collection: str) -> FactBase:
        return self.base

    def statements_base(self, entity_ids: set[str] | None) -> FactBase:
        return self.base

    def search_base(self, words: list[str]) -> FactBase:
        return self.base

    def record_base(self, record_id: str) -> FactBase:
        return self.base

    def full_base(self) -> FactBase:
        return self.base

    def all_ids(self) -> Iterable[str]:
        for collection in ("sources", "countries", "people", "organisations", "sectors", "topics"):
            yield from self.base.collection(collection)
        yield from self.base.events
        yield from self.base.statements

    def stats(self, entity_id: str) -> EntityStats:
        if self._stats is None:
            self._stats = entity_stats(self.base)
        return self._stats.get(entity_id, NO_STATS)

    def names(self, collection: str) -> list[str]:
        names: set[str] = set()
        for record in self.base.collection(collection).values():
            names.update((record.id, getattr(record, "name", record.id), *getattr(record, "aliases", ())))
        return sorted(names)


def find_events(store: FactStore, query: EventQuery) -> tuple[FactBase, list[Event]]:
    """The events a query selects, in date order, and the base they were found in (for naming references).

    The one path from options to answer: names are resolved, the store narrows, the question filters.
    """
    spec = query.event_filter(store.names_base(query.names()))
    base = store.events_base(spec)
    return base, filter_events(base, spec)
