"""Records as output data: plain dicts with every reference named, and the citations attached.

These dicts are what the machine formats (JSON, JSONL, YAML) print as they are,
and what the other formats flatten. Their field names are part of azpak's
interface: see the README's "Output fields".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from azpak.facts.dates import EdtfDate
from azpak.facts.declaration import SHAPES, Field
from azpak.facts.model import (
    RECORD_TYPE_NAMES,
    RECORD_TYPES,
    Citation,
    Event,
    FactBase,
    Organisation,
    Participant,
    Record,
    Source,
    Statement,
    citations_of,
)
from azpak.query.citing import publisher_count
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
    """A cited source: ``{"id", "name", "publisher", "published", "url"}`` (name: its title, else its publisher)."""
    if source_id is None:
        return None
    source = base.sources.get(source_id)
    if source is None:
        return {"id": source_id, "name": source_id, "publisher": None, "published": None, "url": None}
    return {
        "id": source.id,
        "name": base.entity_name(source.id),
        "publisher": ref(base, source.publisher),
        "published": source.published.text if source.published else None,
        "url": source.url,
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


DATE_FIELDS = tuple(date_fields(None, "stated", None))


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


def citation_row(base: FactBase, citation: Citation) -> Row:
    """One citation with what a reader needs to find the page: publisher, date, title, address, language."""
    source = base.sources.get(citation.source)
    return {
        "source": ref(base, citation.source),
        "publisher": ref(base, source.publisher) if source else None,
        "url": source.url if source else None,
        "published": source.published.text if source and source.published else None,
        "title": source.title if source else None,
        "language": source.language if source else None,
        "evidence": citation.evidence,
        "says": citation.says,
        "where": citation.where,
    }


CITATION_FIELDS = tuple(citation_row(FactBase(), Citation("")))

#: Fields whose value a row shows differently from the declaration's generic rule.
_LEGACY = ("source", "evidence")
_DATE_PARTS = ("date_basis", "date_note")


def _value(base: FactBase, value: Any, spec: Field) -> Any:
    """A declared field's value as output data, by its kind."""
    kind = spec.kind
    if kind in ("texts", "refs", "records") and value is None:
        return []
    if value is None:
        return None
    if kind == "date":
        return value.text
    if kind == "texts":
        return list(value)
    if kind == "ref":
        return ref(base, value)
    if kind == "refs":
        return refs(base, value)
    if kind == "record":
        return nested_row(base, value, spec.shape)
    if kind == "records":
        return [nested_row(base, item, spec.shape) for item in value]
    return value


def nested_row(base: FactBase, value: Any, shape: str) -> Row:
    """A nested record (role, participant, citation, dispute, figure, outcome) as output data."""
    if shape == "participant":
        return participant_row(base, value)
    if shape == "citation":
        return citation_row(base, value)
    return {key: _value(base, getattr(value, key, None), spec) for key, spec in _output_shape(shape)}


def _output_shape(shape: str) -> list[tuple[str, Field]]:
    """The declared fields a row shows, in declaration order (the one-source form is shown as citations)."""
    return [(key, spec) for key, spec in SHAPES[shape].items() if key not in _LEGACY or shape == "citation"]


def corroboration(base: FactBase, record: Record) -> Row:
    cited = citations_of(record)
    return {"source_count": len(cited), "publisher_count": publisher_count(base, cited)}


#: Computed fields each kind of row adds after a declared field.
_AFTER: dict[str, dict[str, tuple[str, ...]]] = {
    "events": {"citations": ("source_count", "publisher_count")},
    "statements": {"citations": ("source_count", "publisher_count")},
    "sources": {"based_on": ("cited_by",)},
    "organisations": {"kind": ("multilateral",)},
}
#: Entities also show how many events and statements involve them, and the sources that mention them.
_ENTITY_COUNTS = ("events", "statements", "sources")
_COUNTED_BEFORE = {"people": "notes", "organisations": "notes", "countries": None, "sectors": None, "topics": None}


def output_fields(collection: str) -> tuple[str, ...]:
    """The fields of a row of this collection, in order: derived from the declaration."""
    names: list[str] = ["type"]
    for key, _ in _output_shape(collection):
        if collection in _COUNTED_BEFORE and key == _COUNTED_BEFORE[collection]:
            names.extend(_ENTITY_COUNTS)
        if key == "date":
            names.extend(DATE_FIELDS)
            continue
        if key in _DATE_PARTS:
            continue
        names.append(key)
        names.extend(_AFTER.get(collection, {}).get(key, ()))
    if collection in _COUNTED_BEFORE and _COUNTED_BEFORE[collection] is None:
        names.extend(_ENTITY_COUNTS)
    if collection == "sources":
        names[names.index("cited_by") + 1 : names.index("cited_by") + 1] = ["events", "statements"]
    return tuple(names)


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
        collection = _COLLECTION_OF[type(record)]
        computed: Row = {"type": RECORD_TYPE_NAMES[collection]}
        if isinstance(record, (Event, Statement)):
            computed.update(date_fields(record.date, record.date_basis, record.date_note))
            computed.update(corroboration(base, record))
        if isinstance(record, Event):
            computed["countries"] = refs(base, sorted(event_countries(base, record)))
            computed["location"] = location_row(base, record.location)
        if isinstance(record, Statement):
            speaker_type = "person" if record.speaker in base.people else "organisation"
            computed["speaker"] = {"id": record.speaker, "name": base.entity_name(record.speaker), "type": speaker_type}
        if isinstance(record, Organisation):
            computed["multilateral"] = record.kind == "multilateral"
        if isinstance(record, Source):
            stats = self.stats(record.id)
            computed.update(cited_by=stats.events + stats.statements, events=stats.events, statements=stats.statements)
        elif not isinstance(record, (Event, Statement)):
            stats = self.stats(record.id)
            computed.update(
                events=stats.events,
                statements=stats.statements,
                sources=[row for row in (source_ref(base, i) for i in stats.sources) if row],
            )
        shape = SHAPES[collection]
        row: Row = {}
        for key in RECORD_FIELDS[RECORD_TYPE_NAMES[collection]]:
            if key in computed:
                row[key] = computed[key]
            else:
                row[key] = _value(base, getattr(record, key, None), shape[key])
        return row


_COLLECTION_OF: dict[type, str] = {cls: name for name, cls in RECORD_TYPES.items()}

#: The field names of each type of row, in order: the interface scripts rely on (derived from the declaration).
RECORD_FIELDS: dict[str, tuple[str, ...]] = {RECORD_TYPE_NAMES[name]: output_fields(name) for name in RECORD_TYPES}
