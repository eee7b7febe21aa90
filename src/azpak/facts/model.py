"""The records of the fact base, and the fact base that holds and indexes them."""

from __future__ import annotations

from typing import Any, Union

from azpak.facts.dates import EdtfDate, parse_edtf
from azpak.facts.declaration import SHAPES, Field
from azpak.structs import struct


@struct
class Citation:
    """One source's report of a fact: a verbatim excerpt (local sources only) or what it says in our words."""

    source: str
    evidence: str | None = None
    says: str | None = None
    where: str | None = None


@struct
class Source:
    id: str
    publisher: str
    url: str | None = None
    title: str | None = None
    published: EdtfDate | None = None
    language: str | None = None
    author: str | None = None
    kind: str | None = None
    based_on: str | None = None
    local: bool = False
    file: str | None = None
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
    organisation: str | None = None
    country: str | None = None
    citations: tuple[Citation, ...] = ()


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
    group: str | None = None
    description: str | None = None
    citations: tuple[Citation, ...] = ()
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
    citations: tuple[Citation, ...] = ()


@struct
class Participant:
    role: str
    person: str | None = None
    organisation: str | None = None
    country: str | None = None
    description: str | None = None


@struct
class Dispute:
    """An alternative that some sources give for a field (or a characterisation: ``label``)."""

    field: str
    value: str
    citations: tuple[Citation, ...] = ()
    note: str | None = None


@struct
class Figure:
    """A number a source gives: an amount of money (``currency``) or a count (``unit``)."""

    what: str
    value: int | float
    unit: str | None = None
    currency: str | None = None
    qualifier: str | None = None
    as_of: EdtfDate | None = None
    citations: tuple[Citation, ...] = ()


@struct
class Outcome:
    """What became of an announcement, plan or pledge."""

    state: str
    fulfilled_by: str | None = None
    as_of: EdtfDate | None = None
    citations: tuple[Citation, ...] = ()
    note: str | None = None


@struct
class Event:
    id: str
    date: EdtfDate
    title: str
    summary: str
    kind: str
    status: str
    date_basis: str = "stated"
    date_note: str | None = None
    announced_on: EdtfDate | None = None
    participants: tuple[Participant, ...] = ()
    countries: tuple[str, ...] = ()
    location: str | None = None
    sectors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    part_of: str | None = None
    attribution: str | None = None
    citations: tuple[Citation, ...] = ()
    disputed: tuple[Dispute, ...] = ()
    figures: tuple[Figure, ...] = ()
    outcome: Outcome | None = None
    notes: str | None = None


@struct
class Statement:
    id: str
    speaker: str
    kind: str
    summary: str
    category: str | None = None
    quoted_in_source: bool = False
    date: EdtfDate | None = None
    date_basis: str = "stated"
    date_note: str | None = None
    audience: str | None = None
    about_events: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    disputed: tuple[Dispute, ...] = ()
    figures: tuple[Figure, ...] = ()
    outcome: Outcome | None = None
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
NESTED_TYPES: dict[str, type] = {
    "role": Role,
    "participant": Participant,
    "citation": Citation,
    "dispute": Dispute,
    "figure": Figure,
    "outcome": Outcome,
}

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
        #: Each record's searchable text, computed once (``query.questions.record_text``).
        self.text_cache: dict[str, str] = {}

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
            return record.title or self.entity_name(record.publisher)
        if isinstance(record, Statement):
            return record.summary
        return record.name


def _shape_of(value: object) -> str:
    return _SHAPE_NAMES[type(value)]


def references_of(record: Record) -> set[str]:
    """Ids a record refers to, found by walking its declared reference fields (nested records included).

    An event's location is included: it may be a country id.
    """
    found: set[str] = set()
    _walk_references(record, found)
    if isinstance(record, Event) and record.location:
        found.add(record.location)
    return found


def _walk_references(value: object, found: set[str]) -> None:
    for key, spec in SHAPES[_shape_of(value)].items():
        if spec.kind not in _REFERRING:
            continue
        item = getattr(value, key, None)
        if not item:
            continue
        if spec.kind == "ref":
            found.add(item)
        elif spec.kind == "refs":
            found.update(item)
        elif spec.kind == "record":
            _walk_references(item, found)
        else:
            for child in item:
                _walk_references(child, found)


_REFERRING = ("ref", "refs", "record", "records")
_SHAPE_NAMES: dict[type, str] = {
    **{cls: name for name, cls in RECORD_TYPES.items()},
    **{cls: name for name, cls in NESTED_TYPES.items()},
}


def citations_of(record: Record) -> tuple[Citation, ...]:
    """The citations of a record that may have them (none for countries and sectors)."""
    found: tuple[Citation, ...] = getattr(record, "citations", ())
    return found


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


# Fields whose value is kept as it was read: most of a record.
_AS_READ = frozenset({"text", "choice", "id", "code", "ref"})


def _convert(value: Any, spec: Field) -> object:
    kind = spec.kind
    if kind == "date":
        return parse_edtf(value)
    if kind == "texts" or kind == "refs":
        return tuple(value)
    if kind == "records":
        return tuple([build_record(item, spec.shape) for item in value])
    if kind == "record":
        return build_record(value, spec.shape)
    if kind == "flag":
        return value is True or value == "true"
    if kind == "number":
        return value if isinstance(value, (int, float)) else _number(value)
    return value


def build_record(item: dict[str, Any], shape_name: str) -> Any:
    """The model object of one validated record (a YAML mapping, or the same data read back from JSON).

    The record was validated, so its fields are known to fit: the object is filled in directly
    (defaults stay on the class), which is what makes compiling and reading the index cheap.
    The one-source form (``source`` + ``evidence`` on the record) becomes its first citation.
    """
    shape = SHAPES[shape_name]
    cls: Any = RECORD_TYPES.get(shape_name) or NESTED_TYPES[shape_name]
    record = cls.__new__(cls)
    fields = record.__dict__
    legacy_source = None
    citation = shape_name == "citation"
    for key, value in item.items():
        if value is None:
            continue
        if not citation and (key == "source" or key == "evidence"):
            if key == "source":
                legacy_source = value
            continue
        spec = shape[key]
        fields[key] = value if spec.kind in _AS_READ else _convert(value, spec)
    if legacy_source is not None:
        cited = Citation.__new__(Citation)
        cited.__dict__.update(source=legacy_source, evidence=item.get("evidence"))  # as Citation(source, evidence)
        fields["citations"] = (cited, *fields.get("citations", ()))
    return record
