"""The records of the fact base, and the fact base that holds and indexes them."""

from __future__ import annotations

from typing import Any, Union

from azpak.facts.dates import EdtfDate, parse_edtf
from azpak.facts.declaration import SHAPES, Field
from azpak.structs import struct


@struct
class Source:
    id: str
    publisher: str
    published: EdtfDate
    author: str | None = None
    title: str | None = None
    url: str | None = None
    kind: str | None = None
    notes: str | None = None


@struct
class Country:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@struct
class Role:
    title: str
    as_of: EdtfDate
    source: str
    evidence: str
    organisation: str | None = None
    country: str | None = None


@struct
class Person:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    roles: tuple[Role, ...] = ()
    notes: str | None = None


@struct
class Organisation:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    description: str | None = None
    source: str | None = None
    evidence: str | None = None
    notes: str | None = None


@struct
class Sector:
    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()


@struct
class Topic:
    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    source: str | None = None
    evidence: str | None = None


@struct
class Participant:
    role: str
    person: str | None = None
    organisation: str | None = None
    country: str | None = None
    description: str | None = None


@struct
class Event:
    id: str
    date: EdtfDate
    title: str
    summary: str
    kind: str
    status: str
    source: str
    evidence: str
    date_basis: str = "stated"
    date_note: str | None = None
    participants: tuple[Participant, ...] = ()
    countries: tuple[str, ...] = ()
    location: str | None = None
    sectors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    part_of: str | None = None
    attribution: str | None = None
    notes: str | None = None


@struct
class Statement:
    id: str
    speaker: str
    kind: str
    summary: str
    source: str
    evidence: str
    date: EdtfDate | None = None
    date_basis: str = "stated"
    date_note: str | None = None
    audience: str | None = None
    about_events: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    notes: str | None = None


Entity = Union[Country, Person, Organisation, Sector, Topic]
Record = Union[Source, Country, Person, Organisation, Sector, Topic, Event, Statement]

RECORD_TYPES: dict[str, type] = {
    "sources": Source,
    "countries": Country,
    "people": Person,
    "organisations": Organisation,
    "sectors": Sector,
    "topics": Topic,
    "events": Event,
    "statements": Statement,
}
NESTED_TYPES: dict[str, type] = {"role": Role, "participant": Participant}

#: The singular name of each collection, as shown to users ("type" in output).
RECORD_TYPE_NAMES = {
    "sources": "source",
    "countries": "country",
    "people": "person",
    "organisations": "organisation",
    "sectors": "sector",
    "topics": "topic",
    "events": "event",
    "statements": "statement",
}


class FactBase:
    """All records, by collection and by id; events and statements in date order."""

    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.countries: dict[str, Country] = {}
        self.people: dict[str, Person] = {}
        self.organisations: dict[str, Organisation] = {}
        self.sectors: dict[str, Sector] = {}
        self.topics: dict[str, Topic] = {}
        self.events: dict[str, Event] = {}
        self.statements: dict[str, Statement] = {}

    def collection(self, name: str) -> dict[str, Record]:
        value: dict[str, Record] = getattr(self, name)
        return value

    def find_id(self, record_id: str) -> tuple[str, Record] | None:
        """The collection and record with this id, if any."""
        for name in RECORD_TYPES:
            record = self.collection(name).get(record_id)
            if record is not None:
                return name, record
        return None

    def sorted_events(self) -> list[Event]:
        return sorted(self.events.values(), key=lambda e: (e.date.sort_key(), e.id))

    def sorted_statements(self) -> list[Statement]:
        def key(s: Statement) -> tuple[int, tuple[object, ...], str]:
            return (0, s.date.sort_key(), s.id) if s.date else (1, (), s.id)

        return sorted(self.statements.values(), key=key)

    def entity_name(self, entity_id: str) -> str:
        """Display name of a person, organisation, country, sector, topic, event or source id."""
        found = self.find_id(entity_id)
        if found is None:
            return entity_id
        record = found[1]
        if isinstance(record, Event):
            return record.title
        if isinstance(record, Source):
            return record.publisher
        if isinstance(record, Statement):
            return record.summary
        return record.name


def references_of(record: Record) -> set[str]:
    """Ids a record refers to directly (a location is included: it may be a country id)."""
    found: set[str] = set()
    if isinstance(record, Event):
        for participant in record.participants:
            found.update(i for i in (participant.person, participant.organisation, participant.country) if i)
        found.update(record.countries, record.sectors, record.topics, record.organisations)
        found.update(i for i in (record.part_of, record.source, record.location) if i)
    elif isinstance(record, Statement):
        found.update(record.about_events, record.sectors, record.topics, record.organisations, record.countries)
        found.update((record.speaker, record.source))
    elif isinstance(record, Person):
        if record.country:
            found.add(record.country)
        for role in record.roles:
            found.update(i for i in (role.organisation, role.country, role.source) if i)
    elif isinstance(record, Organisation):
        found.update(i for i in (record.country, record.source) if i)
    elif isinstance(record, Topic) and record.source:
        found.add(record.source)
    return found


def _convert(value: Any, spec: Field) -> object:
    kind = spec.kind
    if kind == "date":
        return parse_edtf(value)
    if kind == "texts" or kind == "refs":
        return tuple(value)
    if kind == "records":
        return tuple(build_record(item, spec.shape) for item in value)
    return value


def build_record(item: dict[str, Any], shape_name: str) -> Any:
    """The model object of one validated record (a YAML mapping, or the same data read back from JSON).

    The record was validated, so its fields are known to fit: the object is filled in directly
    (defaults stay on the class), which is what makes compiling and reading the index cheap.
    """
    shape = SHAPES[shape_name]
    cls: Any = RECORD_TYPES.get(shape_name) or NESTED_TYPES[shape_name]
    record = cls.__new__(cls)
    record.__dict__.update({key: _convert(value, shape[key]) for key, value in item.items() if value is not None})
    return record
