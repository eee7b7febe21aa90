"""One answer per lookup command: the question put to a fact store, and the view that answers it.

Each function here is the single call a command makes into the core. It narrows the store to
the records the question needs (the index serves that part), asks ``query`` for the answer,
and returns the view to render with the note to give when the answer is empty.
"""

from __future__ import annotations

from typing import Any

from azpak.facts.model import RECORD_TYPE_NAMES
from azpak.query.citing import base_stats
from azpak.query.citing import followups as find_followups
from azpak.query.questions import (
    EventQuery,
    by_name,
    find_entity,
    find_record,
    find_speakers,
    find_topic_or_sector,
    search_words,
    statements_by,
)
from azpak.query.questions import search as search_records
from azpak.render import View
from azpak.store.memory import FactStore, find_events
from azpak.structs import struct
from azpak.views.listings import (
    followups_listing,
    listing,
    organisation_profile,
    person_profile,
    record_profile,
    search_listing,
    sector_profile,
    stats_profile,
)


@struct
class Answer:
    """A view to render, and what to say on stderr when it lists nothing."""

    view: View
    empty_note: str | None = None


def events(store: FactStore, query: EventQuery) -> Answer:
    """Events matching every filter of ``query``, in date order."""
    base, found = find_events(store, query)
    note = "azpak: no events match."
    if not found and (query.topic is not None or query.text is not None) and query.only("topic", "text"):
        note = _other_kinds_note(store, query.topic, query.text)
    return Answer(listing(base, "event", list[Any](found), store.stats), note)


def _other_kinds_note(store: FactStore, topic: str | None, text: str | None) -> str:
    """The note for a topic or text that no event matches: say when statements (or other records) do."""
    from shlex import quote  # only for this note

    note = "azpak: no events match"
    if topic is not None and text is None:
        topics = find_topic_or_sector(store.names_base([("topics", topic), ("sectors", topic)]), topic)
        count = len(statements_by(store.statements_base(topics), topics=topics))
        if count:
            plural = "statement does" if count == 1 else "statements do"
            return f"{note}; {count} {plural}: azpak quotes --topic {quote(topic)}"
    if text is not None and topic is None and search_words(text):
        count = len(search_records(store.search_base(search_words(text)), text))
        if count:
            plural = "record of another kind does" if count == 1 else "records of other kinds do"
            return f"{note}; {count} {plural}: azpak search {quote(text)}"
    return note + "."


def person(store: FactStore, name: str) -> Answer:
    """A person's profile, found by full name, surname, alias or id."""
    found = find_entity(store.names_base([("people", name)]).people, "person", name)
    return Answer(person_profile(store.related_base(found.id), found, store.stats))


def organisation(store: FactStore, name: str) -> Answer:
    """An organisation's profile, found by name, acronym, alias or id."""
    found = find_entity(store.names_base([("organisations", name)]).organisations, "organisation", name)
    return Answer(organisation_profile(store.related_base(found.id), found, store.stats))


def sector(store: FactStore, name: str) -> Answer:
    """A sector's profile, found by name, alias or id."""
    found = find_entity(store.names_base([("sectors", name)]).sectors, "sector", name)
    return Answer(sector_profile(store.related_base(found.id), found, store.stats))


def entities(store: FactStore, collection: str) -> Answer:
    """Every record of a named collection (people, organisations…), by name."""
    base = store.collection_base(collection)
    records = sorted(base.collection(collection).values(), key=by_name)
    return Answer(listing(base, RECORD_TYPE_NAMES[collection], records, store.stats), f"azpak: no {collection}.")


def statements(store: FactStore, person: str | None, topic: str | None, citing: EventQuery) -> Answer:
    """Statements by a person or organisation and on a topic or sector, with the citation filters of ``citing``."""
    queries: list[tuple[str, str]] = []
    if person is not None:
        queries += [("people", person), ("organisations", person)]
    if topic is not None:
        queries += [("topics", topic), ("sectors", topic)]
    names = store.names_base(queries + citing.names())
    speakers = find_speakers(names, person) if person is not None else None
    topics_found = find_topic_or_sector(names, topic) if topic is not None else None
    citation_filter = citing.citation_filter(names)
    base = store.statements_base(speakers if speakers is not None else topics_found)
    found = statements_by(base, speakers=speakers, topics=topics_found, citing=citation_filter)
    return Answer(listing(base, "statement", list(found), store.stats), "azpak: no statements match.")


def search(store: FactStore, text: str, citing: EventQuery) -> Answer:
    """Records of every kind whose text, names or aliases contain all the words."""
    citation_filter = citing.citation_filter(store.names_base(citing.names()))
    base = store.search_base(search_words(text))
    found = search_records(base, text, citation_filter)
    return Answer(search_listing(base, found, store.stats), f"azpak: nothing matches {text!r}.")


def record(store: FactStore, record_id: str) -> Answer:
    """One record in full; for a source, with the records citing it."""
    base = store.record_base(record_id)
    kind, found = find_record(base, record_id, store.all_ids)
    if kind == "source":
        base = store.related_base(record_id)
    return Answer(record_profile(base, kind, found, store.stats))


def sources(store: FactStore) -> Answer:
    """Every source, oldest first (undated ones first), then by id."""
    base = store.collection_base("sources")
    ordered = sorted(base.sources.values(), key=lambda s: (s.published.text if s.published else "", s.id))
    return Answer(listing(base, "source", list[Any](ordered), store.stats), "azpak: no sources.")


def followups(store: FactStore, still_open: bool) -> Answer:
    """What became of each announcement, plan and pledge; only the open ones when ``still_open``."""
    base = store.full_base()
    found = [f for f in find_followups(base) if f.is_open or not still_open]
    empty = "azpak: nothing is still open." if still_open else "azpak: no announcements, plans or pledges."
    return Answer(followups_listing(base, found), empty)


def stats(store: FactStore) -> Answer:
    """What the fact base covers."""
    base = store.full_base()
    return Answer(stats_profile(base, base_stats(base)))
