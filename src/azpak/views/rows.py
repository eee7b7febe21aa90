"""Records as output data: plain dicts with every reference named, and the source attached.

These dicts are what the machine formats (JSON, JSONL, YAML) print as they are,
and what the other formats flatten. Their field names are part of azpak's
interface: see the README's "Output fields".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from azpak.facts.dates import EdtfDate
from azpak.facts.model import (
    Country,
    Event,
    FactBase,
    Organisation,
    Participant,
    Person,
    Record,
    Role,
    Sector,
    Source,
    Statement,
    Topic,
)
from azpak.query.questions import NO_STATS, EntityStats, entity_stats, event_countries

Row = dict[str, Any]


def ref(base: FactBase, entity_id: str | None) -> Row | None:
    """``{"id": …, "name": …}`` for a referenced record, or None."""
    if entity_id is None:
        return None
    return {"id": entity_id, "name": base.entity_name(entity_id)}


def refs(base: FactBase, ids: tuple[str, ...] | list[str] | set[str]) -> list[Row]:
    return [{"id": i, "name": base.entity_name(i)} for i in ids]


def source_ref(base: FactBase, source_id: str | None) -> Row | None:
    if source_id is None:
        return None
    source = base.sources.get(source_id)
    if source is None:
        return {"id": source_id, "publisher": None, "published": None, "author": None}
    return {
        "id": source.id,
        "publisher": source.publisher,
        "published": source.published.text,
        "author": source.author,
    }


def date_fields(value: EdtfDate | None, basis: str, note: str | None) -> Row:
    """The date as written, its day range (null for an open end) and qualifiers."""
    if value is None:
        return {
            "date": None,
            "date_start": None,
            "date_end": None,
            "date_precision": None,
            "date_approximate": False,
            "date_uncertain": False,
            "date_basis": basis,
            "date_note": note,
        }
    return {
        "date": value.text,
        "date_start": None if value.open_start else value.first.isoformat(),
        "date_end": None if value.open_end else value.last.isoformat(),
        "date_precision": value.precision,
        "date_approximate": value.approximate,
        "date_uncertain": value.uncertain,
        "date_basis": basis,
        "date_note": note,
    }


def location_row(base: FactBase, location: str | None) -> Row | None:
    """Where an event took place: a country (with its id) or a place named in text (id null)."""
    if location is None:
        return None
    if location in base.countries:
        return {"id": location, "name": base.countries[location].name}
    return {"id": None, "name": location}


def participant_row(base: FactBase, participant: Participant) -> Row:
    entity_id = participant.person or participant.organisation
    kind = "person" if participant.person else "organisation" if participant.organisation else None
    if entity_id is None and participant.description is None:
        entity_id, kind = participant.country, "country"
    row: Row = {
        "role": participant.role,
        "type": kind or "unnamed",
        "id": entity_id,
        "name": base.entity_name(entity_id) if entity_id else participant.description,
    }
    if participant.country and kind != "country":
        row["country"] = ref(base, participant.country)
    return row


def event_row(base: FactBase, event: Event) -> Row:
    return {
        "type": "event",
        "id": event.id,
        **date_fields(event.date, event.date_basis, event.date_note),
        "title": event.title,
        "kind": event.kind,
        "status": event.status,
        "summary": event.summary,
        "participants": [participant_row(base, p) for p in event.participants],
        "countries": refs(base, sorted(event_countries(base, event))),
        "location": location_row(base, event.location),
        "sectors": refs(base, event.sectors),
        "topics": refs(base, event.topics),
        "organisations": refs(base, event.organisations),
        "part_of": ref(base, event.part_of),
        "attribution": event.attribution,
        "source": source_ref(base, event.source),
        "evidence": event.evidence,
        "notes": event.notes,
    }


def statement_row(base: FactBase, statement: Statement) -> Row:
    speaker_type = "person" if statement.speaker in base.people else "organisation"
    return {
        "type": "statement",
        "id": statement.id,
        **date_fields(statement.date, statement.date_basis, statement.date_note),
        "speaker": {"id": statement.speaker, "name": base.entity_name(statement.speaker), "type": speaker_type},
        "kind": statement.kind,
        "audience": statement.audience,
        "summary": statement.summary,
        "about_events": refs(base, statement.about_events),
        "sectors": refs(base, statement.sectors),
        "topics": refs(base, statement.topics),
        "organisations": refs(base, statement.organisations),
        "countries": refs(base, statement.countries),
        "source": source_ref(base, statement.source),
        "evidence": statement.evidence,
        "notes": statement.notes,
    }


def role_row(base: FactBase, role: Role) -> Row:
    return {
        "title": role.title,
        "organisation": ref(base, role.organisation),
        "country": ref(base, role.country),
        "as_of": role.as_of.text,
        "source": source_ref(base, role.source),
        "evidence": role.evidence,
    }


StatsLookup = Callable[[str], EntityStats]


class RowMaker:
    """Turns records into rows; entity counts and sources come from ``stats`` (computed from the base if not given)."""

    def __init__(self, base: FactBase, stats: StatsLookup | None = None) -> None:
        self.base = base
        self._stats = stats
        self._computed: dict[str, EntityStats] | None = None

    def stats(self, entity_id: str) -> EntityStats:
        if self._stats is not None:
            return self._stats(entity_id)
        if self._computed is None:
            self._computed = entity_stats(self.base)
        return self._computed.get(entity_id, NO_STATS)

    def row(self, record: Record) -> Row:
        base = self.base
        if isinstance(record, Event):
            return event_row(base, record)
        if isinstance(record, Statement):
            return statement_row(base, record)
        if isinstance(record, Source):
            return {
                "type": "source",
                "id": record.id,
                "publisher": record.publisher,
                "author": record.author,
                "published": record.published.text,
                "title": record.title,
                "url": record.url,
                "kind": record.kind,
                "events": self.stats(record.id).events,
                "statements": self.stats(record.id).statements,
                "notes": record.notes,
            }
        common: Row = {"id": record.id, "name": record.name, "aliases": list(record.aliases)}
        stats = self.stats(record.id)
        counts: Row = {"events": stats.events, "statements": stats.statements}
        sources = {"sources": [row for row in (source_ref(base, i) for i in stats.sources) if row]}
        if isinstance(record, Person):
            return {
                "type": "person",
                **common,
                "country": ref(base, record.country),
                "roles": [role_row(base, r) for r in record.roles],
                **counts,
                **sources,
                "notes": record.notes,
            }
        if isinstance(record, Organisation):
            return {
                "type": "organisation",
                **common,
                "kind": record.kind,
                "country": ref(base, record.country),
                "multilateral": record.kind == "multilateral",
                "description": record.description,
                **counts,
                "source": source_ref(base, record.source),
                "evidence": record.evidence,
                **sources,
                "notes": record.notes,
            }
        if isinstance(record, Country):
            return {"type": "country", **common, **counts, **sources}
        if isinstance(record, Sector):
            return {"type": "sector", **common, "description": record.description, **counts, **sources}
        if isinstance(record, Topic):
            return {
                "type": "topic",
                **common,
                "description": record.description,
                **counts,
                "source": source_ref(base, record.source),
                "evidence": record.evidence,
                **sources,
            }
        raise TypeError(f"not a record: {record!r}")


#: The field names of each type of row, in order: the interface scripts rely on (a test checks the rows).
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "event": (
        "type",
        "id",
        "date",
        "date_start",
        "date_end",
        "date_precision",
        "date_approximate",
        "date_uncertain",
        "date_basis",
        "date_note",
        "title",
        "kind",
        "status",
        "summary",
        "participants",
        "countries",
        "location",
        "sectors",
        "topics",
        "organisations",
        "part_of",
        "attribution",
        "source",
        "evidence",
        "notes",
    ),
    "statement": (
        "type",
        "id",
        "date",
        "date_start",
        "date_end",
        "date_precision",
        "date_approximate",
        "date_uncertain",
        "date_basis",
        "date_note",
        "speaker",
        "kind",
        "audience",
        "summary",
        "about_events",
        "sectors",
        "topics",
        "organisations",
        "countries",
        "source",
        "evidence",
        "notes",
    ),
    "person": (
        "type",
        "id",
        "name",
        "aliases",
        "country",
        "roles",
        "events",
        "statements",
        "sources",
        "notes",
    ),
    "organisation": (
        "type",
        "id",
        "name",
        "aliases",
        "kind",
        "country",
        "multilateral",
        "description",
        "events",
        "statements",
        "source",
        "evidence",
        "sources",
        "notes",
    ),
    "country": (
        "type",
        "id",
        "name",
        "aliases",
        "events",
        "statements",
        "sources",
    ),
    "sector": (
        "type",
        "id",
        "name",
        "aliases",
        "description",
        "events",
        "statements",
        "sources",
    ),
    "topic": (
        "type",
        "id",
        "name",
        "aliases",
        "description",
        "events",
        "statements",
        "source",
        "evidence",
        "sources",
    ),
    "source": (
        "type",
        "id",
        "publisher",
        "author",
        "published",
        "title",
        "url",
        "kind",
        "events",
        "statements",
        "notes",
    ),
}
