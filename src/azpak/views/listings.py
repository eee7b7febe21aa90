"""What each command shows: records turned into Listings and Profiles with their columns."""

from __future__ import annotations

from typing import Any

from azpak.facts.model import FactBase, Organisation, Person, Record, Sector
from azpak.query.questions import (
    events_of_organisation,
    events_of_person,
    people_of_organisation,
    statements_about_organisation,
    statements_by,
)
from azpak.render import Column, Listing, Profile, Row
from azpak.views.rows import RECORD_FIELDS, RowMaker, StatsLookup


def date_label(row: Row) -> str:
    """A date as written, marked when it was derived rather than stated: ``2025-01-25 (derived)``."""
    text = row.get("date") or row.get("published") or ""
    return f"{text} (derived)" if text and row.get("date_basis") == "derived" else str(text)


DATE = Column("date", "Date", show=date_label)
SOURCE = Column("source", "Source")
EVIDENCE = Column("evidence", "Evidence")
EVENTS = Column("events", "Events")
STATEMENTS = Column("statements", "Statements")

COLUMNS: dict[str, list[Column]] = {
    "event": [
        DATE,
        Column("title", "Event"),
        Column("kind", "Kind"),
        Column("status", "Status"),
        Column("participants", "Participants"),
        Column("sectors", "Sectors"),
        SOURCE,
        EVIDENCE,
    ],
    "statement": [
        DATE,
        Column("speaker", "Speaker"),
        Column("kind", "Kind"),
        Column("summary", "Summary"),
        SOURCE,
        EVIDENCE,
    ],
    "person": [
        Column("name", "Name"),
        Column("country", "Country"),
        Column("roles", "Roles"),
        EVENTS,
        STATEMENTS,
        Column("sources", "Sources"),
    ],
    "organisation": [
        Column("name", "Name"),
        Column("aliases", "Aliases"),
        Column("kind", "Kind"),
        Column("country", "Country"),
        EVENTS,
        SOURCE,
        EVIDENCE,
    ],
    "country": [Column("id", "Id"), Column("name", "Name"), Column("aliases", "Aliases"), EVENTS, STATEMENTS],
    "sector": [
        Column("name", "Sector"),
        Column("aliases", "Aliases"),
        EVENTS,
        STATEMENTS,
        Column("description", "Description"),
    ],
    "topic": [Column("name", "Topic"), Column("aliases", "Aliases"), EVENTS, STATEMENTS, SOURCE, EVIDENCE],
    "source": [
        Column("id", "Id"),
        Column("publisher", "Publisher"),
        Column("author", "Author"),
        Column("published", "Published"),
        Column("title", "Title"),
        EVENTS,
        STATEMENTS,
    ],
    "search": [
        Column("type", "Type"),
        Column("id", "Id"),
        Column("name", "Name", ("title", "publisher", "summary")),
        DATE,
        SOURCE,
        EVIDENCE,
    ],
}

ID = Column("id", "Id", style="dim", under=True)

#: The terminal table (60 columns and wider): what matters most for each kind of record, in the order
#: shown; columns with higher ``priority`` numbers are left out first on a narrower terminal. Evidence,
#: summaries and citations are for ``show ID`` and ``--long``.
TERMINAL_COLUMNS: dict[str, tuple[Column, ...]] = {
    "event": (
        DATE,
        Column("title", "Event"),
        ID,
        Column("status", "Status"),
        Column("participants", "Who", priority=2),
        Column("sectors", "Sectors", priority=3),
    ),
    "statement": (
        DATE,
        Column("speaker", "Speaker"),
        Column("summary", "Summary"),
        ID,
        Column("kind", "Kind", priority=3),
    ),
    "person": (
        Column("name", "Name"),
        ID,
        Column("roles", "Roles", priority=3),
        Column("events", "Events", priority=2),
        Column("statements", "Statements", priority=2),
    ),
    "organisation": (
        Column("name", "Name"),
        ID,
        Column("kind", "Kind", priority=2),
        Column("country", "Country", priority=3),
        Column("events", "Events", priority=2),
    ),
    "country": (Column("id", "Id"), Column("name", "Name"), EVENTS, STATEMENTS),
    "sector": (Column("name", "Sector"), ID, EVENTS, STATEMENTS),
    "topic": (Column("name", "Topic"), ID, EVENTS, STATEMENTS),
    "source": (
        Column("publisher", "Publisher"),
        ID,
        Column("published", "Published"),
        Column("title", "Title", priority=3),
        Column("events", "Events", priority=2),
    ),
    "search": (
        Column("type", "Type"),
        Column("name", "Name", ("title", "publisher", "summary")),
        ID,
        Column("date", "Date", show=date_label, priority=2),
    ),
}

LISTING_TITLES = {
    "event": "Events",
    "statement": "Statements",
    "person": "People",
    "organisation": "Organisations",
    "country": "Countries",
    "sector": "Sectors",
    "topic": "Topics",
    "source": "Sources",
}


def listing(base: FactBase, kind: str, records: list[Record], stats: StatsLookup | None = None) -> Listing:
    maker = RowMaker(base, stats)
    rows = [maker.row(r) for r in records]
    return Listing(
        rows, COLUMNS[kind], LISTING_TITLES.get(kind, ""), RECORD_FIELDS.get(kind, ()), TERMINAL_COLUMNS.get(kind, ())
    )


def search_listing(base: FactBase, found: list[tuple[str, Record]], stats: StatsLookup | None = None) -> Listing:
    maker = RowMaker(base, stats)
    return Listing(
        [maker.row(record) for _, record in found], COLUMNS["search"], "Matches", (), TERMINAL_COLUMNS["search"]
    )


PROFILE_FIELDS: dict[str, list[tuple[str, str]]] = {
    "person": [
        ("name", "Name"),
        ("id", "Id"),
        ("aliases", "Aliases"),
        ("country", "Country"),
        ("roles", "Roles"),
        ("sources", "Sources"),
        ("notes", "Notes"),
    ],
    "organisation": [
        ("name", "Name"),
        ("id", "Id"),
        ("aliases", "Acronyms and aliases"),
        ("kind", "Kind"),
        ("country", "Country"),
        ("multilateral", "Multilateral"),
        ("description", "Description"),
        ("source", "Source"),
        ("evidence", "Evidence"),
        ("notes", "Notes"),
    ],
    "sector": [("name", "Sector"), ("id", "Id"), ("aliases", "Aliases"), ("description", "Description")],
    "topic": [
        ("name", "Topic"),
        ("id", "Id"),
        ("aliases", "Aliases"),
        ("description", "Description"),
        ("source", "Source"),
        ("evidence", "Evidence"),
    ],
    "country": [("name", "Country"), ("id", "Id"), ("aliases", "Aliases"), ("sources", "Sources")],
    "event": [
        ("title", "Event"),
        ("id", "Id"),
        ("date", "Date"),
        ("date_basis", "Date basis"),
        ("date_note", "Date note"),
        ("kind", "Kind"),
        ("status", "Status"),
        ("summary", "Summary"),
        ("participants", "Participants"),
        ("countries", "Countries"),
        ("location", "Location"),
        ("sectors", "Sectors"),
        ("topics", "Topics"),
        ("organisations", "Organisations"),
        ("part_of", "Part of"),
        ("attribution", "Attribution"),
        ("source", "Source"),
        ("evidence", "Evidence"),
        ("notes", "Notes"),
    ],
    "statement": [
        ("summary", "Statement"),
        ("id", "Id"),
        ("speaker", "Speaker"),
        ("kind", "Kind"),
        ("date", "Date"),
        ("date_basis", "Date basis"),
        ("date_note", "Date note"),
        ("audience", "Audience"),
        ("about_events", "About events"),
        ("sectors", "Sectors"),
        ("topics", "Topics"),
        ("organisations", "Organisations"),
        ("countries", "Countries"),
        ("source", "Source"),
        ("evidence", "Evidence"),
        ("notes", "Notes"),
    ],
    "source": [
        ("publisher", "Publisher"),
        ("id", "Id"),
        ("author", "Author"),
        ("published", "Published"),
        ("title", "Title"),
        ("url", "URL"),
        ("kind", "Kind"),
        ("events", "Events"),
        ("statements", "Statements"),
        ("notes", "Notes"),
    ],
}

TITLE_KEYS = {"event": "title", "statement": "summary", "source": "publisher"}


def record_profile(base: FactBase, kind: str, record: Record, stats: StatsLookup | None = None) -> Profile:
    """One record in full (``azpak show``)."""
    row = RowMaker(base, stats).row(record)
    return Profile(row, PROFILE_FIELDS[kind], title_key=TITLE_KEYS.get(kind, "name"))


def _section(key: str, kind: str, records: list[Any], maker: RowMaker) -> tuple[str, Listing]:
    return key, Listing(
        [maker.row(r) for r in records], COLUMNS[kind], LISTING_TITLES[kind], (), TERMINAL_COLUMNS.get(kind, ())
    )


def person_profile(base: FactBase, person: Person, stats: StatsLookup | None = None) -> Profile:
    maker = RowMaker(base, stats)
    return Profile(
        maker.row(person),
        PROFILE_FIELDS["person"],
        [
            _section("events", "event", events_of_person(base, person.id), maker),
            _section("statements", "statement", statements_by(base, speakers={person.id}), maker),
        ],
    )


def organisation_profile(base: FactBase, organisation: Organisation, stats: StatsLookup | None = None) -> Profile:
    maker = RowMaker(base, stats)
    return Profile(
        maker.row(organisation),
        PROFILE_FIELDS["organisation"],
        [
            _section("events", "event", events_of_organisation(base, organisation.id), maker),
            _section("people", "person", people_of_organisation(base, organisation.id), maker),
            _section("statements", "statement", statements_about_organisation(base, organisation.id), maker),
        ],
    )


def sector_profile(base: FactBase, sector: Sector, stats: StatsLookup | None = None) -> Profile:
    maker = RowMaker(base, stats)
    events = [e for e in base.sorted_events() if sector.id in e.sectors]
    return Profile(
        maker.row(sector),
        PROFILE_FIELDS["sector"],
        [
            _section("events", "event", events, maker),
            _section("statements", "statement", statements_by(base, topics={sector.id}), maker),
        ],
    )
