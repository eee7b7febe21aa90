"""Questions asked of a FactBase: find entities by name, filter events, gather profiles, search."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from azpak.errors import AmbiguousNameError, NotFoundError, UsageError
from azpak.facts.dates import DateError, parse_filter_date
from azpak.facts.declaration import EVENT_KINDS, EVENT_STATUSES, SHAPES
from azpak.facts.model import (
    RECORD_TYPE_NAMES,
    RECORD_TYPES,
    Country,
    Event,
    FactBase,
    Organisation,
    Person,
    Record,
    Sector,
    Statement,
    Topic,
    references_of,
)
from azpak.facts.names import Named, match, normalise, suggest
from azpak.query.citing import CitationFilter
from azpak.structs import struct

E = TypeVar("E", Person, Organisation, Country, Sector, Topic)


def _named(items: Iterable[E]) -> list[Named[E]]:
    return [Named(i.id, i.name, i.aliases, i) for i in items]


def _not_found(word: str, query: str, candidates: Sequence[Named[Any]]) -> NotFoundError:
    close = suggest(query, candidates)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return NotFoundError(f"no {word} matches {query!r}.{hint}")


def _check_name(word: str, query: str) -> None:
    if not normalise(query):
        raise UsageError(f"give a {word} name: {query!r} has no letters or digits")


def find_entities(collection: dict[str, E], word: str, query: str) -> list[E]:
    """Every entity of a collection that the name matches; NotFoundError with suggestions if none."""
    _check_name(word, query)
    candidates = _named(collection.values())
    found = match(query, candidates)
    if not found:
        raise _not_found(word, query, candidates)
    return [c.item for c in found]


def find_entity(collection: dict[str, E], word: str, query: str) -> E:
    """The one entity a name designates; AmbiguousNameError listing candidates if several."""
    found = find_entities(collection, word, query)
    if len(found) > 1:
        raise AmbiguousNameError(
            f"{query!r} matches {len(found)} records; be more specific, or use one of these ids:",
            # by name, then id: the same list whichever store found them, in whatever order
            details=[f"{item.id}  {item.name}" for item in sorted(found, key=lambda i: (i.name.casefold(), i.id))],
        )
    return found[0]


def _ids_matching(word: str, query: str, *collections: dict[str, Any]) -> set[str]:
    """Ids of the entities of several collections that a name matches; NotFoundError with suggestions if none."""
    _check_name(word, query)
    candidates: list[Named[str]] = [
        Named(e.id, e.name, e.aliases, e.id) for collection in collections for e in collection.values()
    ]
    found = match(query, candidates)
    if not found:
        raise _not_found(word, query, candidates)
    return {c.item for c in found}


def find_speakers(base: FactBase, query: str) -> set[str]:
    """Ids of the people and organisations a name matches (statements have either as speaker)."""
    return _ids_matching("person or organisation", query, base.people, base.organisations)


class EventFilter:
    """Conditions on events, combined with AND. Date bounds are inclusive day ranges."""

    def __init__(self) -> None:
        self.ranges: list[tuple[date, date]] = []
        self.people: set[str] | None = None
        self.organisations: set[str] | None = None
        self.countries: set[str] | None = None
        self.sectors: set[str] | None = None
        self.topics: set[str] | None = None
        self.kind: str | None = None
        self.status: str | None = None
        self.words: list[str] = []
        self.citing = CitationFilter()


@struct
class EventQuery:
    """The event filters of ``events``, ``timeline``, ``graph`` and ``export``, as the user gave them."""

    year: str | None = None
    month: str | None = None
    on: str | None = None
    since: str | None = None
    until: str | None = None
    person: str | None = None
    org: str | None = None
    country: str | None = None
    sector: str | None = None
    topic: str | None = None
    kind: str | None = None
    status: str | None = None
    text: str | None = None
    source: str | None = None
    publisher: str | None = None
    min_sources: int | None = None
    language: str | None = None
    disputed: bool = False

    def names(self) -> list[tuple[str, str]]:
        """The (collection, name) pairs the query names: what a store must resolve first."""
        pairs = (
            ("people", self.person),
            ("organisations", self.org),
            ("countries", self.country),
            ("sectors", self.sector),
            ("topics", self.topic),
            ("organisations", self.publisher),
            ("sources", self.source),
        )
        return [(collection, name) for collection, name in pairs if name is not None]

    def only(self, *names: str) -> bool:
        """Whether no filter is set but these."""
        fields: tuple[str, ...] = self.__struct_fields__  # type: ignore[attr-defined]
        return all(getattr(self, name) in (None, False) for name in fields if name not in names)

    def citation_filter(self, base: FactBase) -> CitationFilter:
        """The citation conditions of this query, with the publisher's name resolved in ``base``."""
        return build_citation_filter(
            base,
            source=self.source,
            publisher=self.publisher,
            min_sources=self.min_sources,
            language=self.language,
            disputed=self.disputed,
        )

    def event_filter(self, base: FactBase) -> EventFilter:
        """The EventFilter of this query, with names resolved in ``base``."""
        values = {name: getattr(self, name) for name in self.__struct_fields__}  # type: ignore[attr-defined]
        return build_event_filter(base, **values)


def _date_range(value: str, form: str, option: str) -> tuple[date, date]:
    try:
        return parse_filter_date(value, form)
    except DateError as exc:
        raise UsageError(f"{option}: {exc}") from None


def build_event_filter(
    base: FactBase,
    *,
    year: str | None = None,
    month: str | None = None,
    on: str | None = None,
    since: str | None = None,
    until: str | None = None,
    person: str | None = None,
    org: str | None = None,
    country: str | None = None,
    sector: str | None = None,
    topic: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    text: str | None = None,
    source: str | None = None,
    publisher: str | None = None,
    min_sources: int | None = None,
    language: str | None = None,
    disputed: bool = False,
) -> EventFilter:
    """Turn option values into an EventFilter; UsageError for bad values, NotFoundError for unknown names."""
    spec = EventFilter()
    spec.citing = build_citation_filter(
        base, source=source, publisher=publisher, min_sources=min_sources, language=language, disputed=disputed
    )
    if year is not None:
        spec.ranges.append(_date_range(year, "year", "--year"))
    if month is not None:
        spec.ranges.append(_date_range(month, "month", "--month"))
    if on is not None:
        spec.ranges.append(_date_range(on, "date", "--on"))
    if since is not None:
        spec.ranges.append((_date_range(since, "date", "--since")[0], date.max))
    if until is not None:
        spec.ranges.append((date.min, _date_range(until, "date", "--until")[1]))
    if kind is not None:
        if kind not in EVENT_KINDS:
            raise UsageError(f"--kind: unknown kind {kind!r}; expected one of: {', '.join(EVENT_KINDS)}")
        spec.kind = kind
    if status is not None:
        if status not in EVENT_STATUSES:
            raise UsageError(f"--status: unknown status {status!r}; expected one of: {', '.join(EVENT_STATUSES)}")
        spec.status = status
    if person is not None:
        spec.people = {p.id for p in find_entities(base.people, "person", person)}
    if org is not None:
        spec.organisations = {o.id for o in find_entities(base.organisations, "organisation", org)}
    if country is not None:
        spec.countries = {c.id for c in find_entities(base.countries, "country", country)}
    if sector is not None:
        spec.sectors = {s.id for s in find_entities(base.sectors, "sector", sector)}
    if topic is not None:
        spec.topics = {t.id for t in find_entities(base.topics, "topic", topic)}
    if text is not None:
        spec.words = search_words(text)
    return spec


def build_citation_filter(
    base: FactBase,
    *,
    source: str | None = None,
    publisher: str | None = None,
    min_sources: int | None = None,
    language: str | None = None,
    disputed: bool = False,
) -> CitationFilter:
    """Turn the citation options into a CitationFilter; NotFoundError for an unknown source or publisher."""
    found = CitationFilter()
    if source is not None:
        if source not in base.sources:
            import difflib

            close = difflib.get_close_matches(source, list(base.sources), n=3, cutoff=0.5)
            hint = f" Did you mean: {', '.join(close)}?" if close else " List them with: azpak sources"
            raise NotFoundError(f"no source has the id {source!r}.{hint}")
        found.sources = {source}
    if publisher is not None:
        found.publishers = {o.id for o in find_entities(base.organisations, "publisher", publisher)}
    if min_sources is not None:
        if min_sources < 0:
            raise UsageError(f"--min-sources: expected a count of 0 or more, got {min_sources}")
        found.min_publishers = min_sources
    if language is not None:
        code = language.strip().split("-")[0].casefold()
        if not code.isalpha():
            raise UsageError(f"--language: expected a language code such as en, ur, az or ru, got {language!r}")
        found.language = code
    found.disputed = disputed
    return found


def event_people(event: Event) -> set[str]:
    return {p.person for p in event.participants if p.person}


def event_organisations(event: Event) -> set[str]:
    return {p.organisation for p in event.participants if p.organisation} | set(event.organisations)


def event_countries(base: FactBase, event: Event) -> set[str]:
    """Countries an event involves: listed, participating, or those of its participants."""
    found = set(event.countries)
    for participant in event.participants:
        if participant.country:
            found.add(participant.country)
        if participant.person:
            person = base.people.get(participant.person)
            if person and person.country:
                found.add(person.country)
        if participant.organisation:
            organisation = base.organisations.get(participant.organisation)
            if organisation and organisation.country:
                found.add(organisation.country)
    return found


def _searchable(shape: str) -> tuple[tuple[str, str, str], ...]:
    """(field, kind, nested shape) of every field of a shape that search reads or descends into."""
    return tuple(
        (key, spec.kind, spec.shape)
        for key, spec in SHAPES[shape].items()
        if spec.searchable or spec.kind in ("record", "records")
    )


_SEARCHED: dict[str, tuple[tuple[str, str, str], ...]] = {name: _searchable(name) for name in SHAPES}
_COLLECTION_OF: dict[type, str] = {cls: name for name, cls in RECORD_TYPES.items()}


def _texts(value: object, shape: str, parts: list[str]) -> None:
    for key, kind, nested in _SEARCHED[shape]:
        item = getattr(value, key, None)
        if not item:
            continue
        if kind == "record":
            _texts(item, nested, parts)
        elif kind == "records":
            for child in item:
                _texts(child, nested, parts)
        elif isinstance(item, str):
            parts.append(item)
        else:
            parts.extend(item)


def record_text(base: FactBase, record: Record) -> str:
    """The searchable words of a record, normalised: its text fields, and the names of what it refers to.

    The text fields are those the declaration marks ``searchable``, nested records included (what
    each citation says, roles' titles). Ids, dates and coded values (kind, status) are not text:
    ``--text 2025`` does not match every record of a source published in 2025.
    """
    cached = base.text_cache.get(record.id)
    if cached is not None:
        return cached
    parts: list[str] = []
    _texts(record, _COLLECTION_OF[type(record)], parts)
    if isinstance(record, Person):
        parts.extend(role.title for role in record.roles)
    for entity_id in sorted(references_of(record)):
        for collection in ("people", "organisations", "countries", "sectors", "topics"):
            entity = base.collection(collection).get(entity_id)
            if entity is not None:
                parts.append(entity.name)  # type: ignore[union-attr]
    text = " " + normalise(" ".join(parts)) + " "
    base.text_cache[record.id] = text
    return text


def search_words(text: str) -> list[str]:
    """The normalised words of a search; UsageError when there are none."""
    words = normalise(text).split()
    if not words:
        raise UsageError("give at least one word to look for")
    return words


def _words_match(words: list[str], haystack: str) -> bool:
    """Every word starts a word of the haystack (``energ`` finds "energy"; ``war`` does not find "towards")."""
    return all(" " + word in haystack for word in words)


def filter_events(base: FactBase, spec: EventFilter) -> list[Event]:
    """Events matching every condition, in date order."""
    result: list[Event] = []
    for event in base.sorted_events():
        if any(not event.date.overlaps(first, last) for first, last in spec.ranges):
            continue
        if spec.kind and event.kind != spec.kind:
            continue
        if spec.status and event.status != spec.status:
            continue
        if spec.people is not None and not (event_people(event) & spec.people):
            continue
        if spec.organisations is not None and not (event_organisations(event) & spec.organisations):
            continue
        if spec.countries is not None and not (event_countries(base, event) & spec.countries):
            continue
        if spec.sectors is not None and not (set(event.sectors) & spec.sectors):
            continue
        if spec.topics is not None and not (set(event.topics) & spec.topics):
            continue
        if spec.words and not _words_match(spec.words, record_text(base, event)):
            continue
        if not spec.citing.is_empty() and not spec.citing.accepts(base, event):
            continue
        result.append(event)
    return result


def statements_by(
    base: FactBase,
    *,
    speakers: set[str] | None = None,
    topics: set[str] | None = None,
    citing: CitationFilter | None = None,
) -> list[Statement]:
    """Statements by any of the speakers and about any of the topics or sectors (when given)."""
    result = []
    for statement in base.sorted_statements():
        if speakers is not None and statement.speaker not in speakers:
            continue
        if topics is not None and not ((set(statement.topics) | set(statement.sectors)) & topics):
            continue
        if citing is not None and not citing.is_empty() and not citing.accepts(base, statement):
            continue
        result.append(statement)
    return result


def find_topic_or_sector(base: FactBase, query: str) -> set[str]:
    """Ids of the topics and sectors a name matches (``quotes --topic`` accepts either)."""
    return _ids_matching("topic or sector", query, base.topics, base.sectors)


def events_of_person(base: FactBase, person_id: str) -> list[Event]:
    return [e for e in base.sorted_events() if person_id in event_people(e)]


def events_of_organisation(base: FactBase, organisation_id: str) -> list[Event]:
    return [e for e in base.sorted_events() if organisation_id in event_organisations(e)]


def people_of_organisation(base: FactBase, organisation_id: str) -> list[Person]:
    found = [p for p in base.people.values() if any(r.organisation == organisation_id for r in p.roles)]
    return sorted(found, key=by_name)


def by_name(record: Record) -> tuple[str, str]:
    """Sort key of entities: display name without case, then id."""
    return (str(getattr(record, "name", None) or getattr(record, "publisher", "")).casefold(), record.id)


def statements_about_organisation(base: FactBase, organisation_id: str) -> list[Statement]:
    return [s for s in base.sorted_statements() if s.speaker == organisation_id or organisation_id in s.organisations]


def event_mentions(base: FactBase, event: Event) -> set[str]:
    """Ids of the people, organisations, countries, sectors and topics an event involves."""
    return (
        event_people(event)
        | event_organisations(event)
        | event_countries(base, event)
        | set(event.sectors)
        | set(event.topics)
    )


def statement_mentions(statement: Statement) -> set[str]:
    """Ids of the speaker and the organisations, countries, sectors and topics a statement names."""
    return {statement.speaker, *statement.sectors, *statement.topics, *statement.organisations, *statement.countries}


def role_mentions(person: Person) -> set[str]:
    """Ids a person's roles refer to (the person included)."""
    found = {person.id}
    for role in person.roles:
        found.update(i for i in (role.organisation, role.country) if i)
    return found


@struct
class EntityStats:
    """How many events and statements involve an entity, and the sources that mention it."""

    events: int = 0
    statements: int = 0
    sources: tuple[str, ...] = ()


NO_STATS = EntityStats()


def record_mentions(base: FactBase) -> list[tuple[str, str, set[str], set[str]]]:
    """(collection, id, ids mentioned, sources cited) of every event, then every statement."""
    found = [
        ("events", event.id, event_mentions(base, event), {c.source for c in event.citations})
        for event in base.events.values()
    ]
    found.extend(
        ("statements", statement.id, statement_mentions(statement), {c.source for c in statement.citations})
        for statement in base.statements.values()
    )
    return found


def entity_stats(
    base: FactBase, mentions: list[tuple[str, str, set[str], set[str]]] | None = None
) -> dict[str, EntityStats]:
    """EntityStats of every entity mentioned anywhere (and of each source: what it supports), in one pass.

    ``mentions`` is ``record_mentions(base)``, when the caller has it already.
    """
    events: dict[str, int] = {}
    statements: dict[str, int] = {}
    sources: dict[str, set[str]] = {}

    def count(mentioned: set[str], cited: set[str], tally: dict[str, int]) -> None:
        for entity_id in mentioned:
            tally[entity_id] = tally.get(entity_id, 0) + 1
            found = sources.get(entity_id)
            if found is None:
                sources[entity_id] = found = set()
            found |= cited
        for source_id in cited:  # what each source supports
            tally[source_id] = tally.get(source_id, 0) + 1
            if source_id not in sources:
                sources[source_id] = set()

    for collection, _, involved, cited in record_mentions(base) if mentions is None else mentions:
        count(involved, cited, events if collection == "events" else statements)
    for person in base.people.values():
        for role in person.roles:
            for mentioned in (person.id, role.organisation, role.country):
                if mentioned:
                    sources.setdefault(mentioned, set()).update(c.source for c in role.citations)
    return {
        entity_id: EntityStats(events.get(entity_id, 0), statements.get(entity_id, 0), tuple(sorted(found)))
        for entity_id, found in sources.items()
    }


def search(base: FactBase, text: str, citing: CitationFilter | None = None) -> list[tuple[str, Record]]:
    """Every record of any kind whose text, names or aliases contain all the words.

    A citation filter keeps only events and statements that pass it (other records cite nothing to filter on).
    """
    words = search_words(text)
    found: list[tuple[str, Record]] = []
    for collection in ("people", "organisations", "countries", "sectors", "topics", "sources"):
        for record in sorted(base.collection(collection).values(), key=by_name):
            if _words_match(words, record_text(base, record)):
                found.append((RECORD_TYPE_NAMES[collection], record))
    if citing is not None and not citing.is_empty():
        found = []
    for event in base.sorted_events():
        if _words_match(words, record_text(base, event)) and (citing is None or citing.accepts(base, event)):
            found.append(("event", event))
    for statement in base.sorted_statements():
        if _words_match(words, record_text(base, statement)) and (citing is None or citing.accepts(base, statement)):
            found.append(("statement", statement))
    return found


def find_record(
    base: FactBase, record_id: str, all_ids: Callable[[], Iterable[str]] | None = None
) -> tuple[str, Record]:
    """The record with this id, of any kind; NotFoundError with close ids (from ``all_ids``, or the base's)."""
    found = base.find_id(record_id)
    if found is None:
        import difflib

        ids = list(all_ids()) if all_ids else [i for name in RECORD_TYPE_NAMES for i in base.collection(name)]
        close = difflib.get_close_matches(record_id, ids, n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise NotFoundError(f"no record has the id {record_id!r}.{hint}")
    return RECORD_TYPE_NAMES[found[0]], found[1]
