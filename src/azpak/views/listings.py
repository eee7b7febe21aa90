"""What each command shows: records turned into Listings and Profiles with their columns."""

from __future__ import annotations

from typing import Any

from azpak.facts.model import Event, FactBase, Organisation, Person, Record, Sector, Source
from azpak.query.citing import BaseStats, Followup
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


def sources_label(row: Row) -> str:
    """How many sources cite a record, and how many independent publishers; ``!`` when sources disagree."""
    count = row.get("source_count")
    if count is None:
        return ""
    text = f"{count}" if row.get("publisher_count") == count else f"{count} ({row.get('publisher_count')} ind.)"
    return f"{text} !" if row.get("disputed") else text


DATE = Column("date", "Date", show=date_label)
ID = Column("id", "Id")
SOURCES = Column("source_count", "Sources", show=sources_label)
CITATIONS = Column("citations", "Citations")
EVENTS = Column("events", "Events")
STATEMENTS = Column("statements", "Statements")

COLUMNS: dict[str, list[Column]] = {
    "event": [
        DATE,
        Column("title", "Event"),
        Column("status", "Status"),
        Column("participants", "Participants"),
        Column("sectors", "Sectors"),
        SOURCES,
        ID,
        CITATIONS,
    ],
    "statement": [
        DATE,
        Column("speaker", "Speaker"),
        Column("category", "Category", ("kind",)),
        Column("summary", "Summary"),
        SOURCES,
        ID,
        CITATIONS,
    ],
    "person": [
        Column("name", "Name"),
        Column("country", "Country"),
        Column("roles", "Roles"),
        EVENTS,
        STATEMENTS,
        ID,
    ],
    "organisation": [
        Column("name", "Name"),
        Column("aliases", "Aliases"),
        Column("kind", "Kind"),
        Column("country", "Country"),
        EVENTS,
        ID,
    ],
    "country": [ID, Column("name", "Name"), Column("aliases", "Aliases"), EVENTS, STATEMENTS],
    "sector": [
        Column("name", "Sector"),
        Column("aliases", "Aliases"),
        EVENTS,
        STATEMENTS,
        Column("description", "Description"),
    ],
    "topic": [Column("name", "Topic"), Column("aliases", "Aliases"), EVENTS, STATEMENTS, ID],
    "source": [
        ID,
        Column("publisher", "Publisher"),
        Column("published", "Published"),
        Column("language", "Lang"),
        Column("url", "URL", ("title",)),
        Column("cited_by", "Cited by"),
    ],
    "search": [
        Column("type", "Type"),
        ID,
        Column("name", "Name", ("title", "summary")),
        DATE,
        SOURCES,
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
        # Left out only when a long id needs the room: the id under the title is never cut.
        Column("status", "Status", priority=1),
        Column("participants", "Who", priority=2),
        Column("sectors", "Sectors", priority=3),
        Column("source_count", "Sources", show=sources_label, priority=4),
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


#: The field a profile takes its heading from, and what that field is called.
TITLE_KEYS = {"event": ("title", "Event"), "statement": ("summary", "Statement"), "source": ("title", "Title")}
#: Headings that are not the field name with its first letter capitalised.
_LABELS = {"url": "URL", "id": "Id", "aliases": "Aliases", "part_of": "Part of", "as_of": "As of"}
#: Row fields a profile leaves out: the row's type, and the parts of a date (the date shows them).
_NOT_IN_PROFILE = {"type", "date_start", "date_end", "date_precision", "date_approximate", "date_uncertain"}


def _label(key: str) -> str:
    return _LABELS.get(key) or key[:1].upper() + key[1:].replace("_", " ")


def _profile_fields(kind: str) -> list[tuple[str, str]]:
    """A profile's fields: the heading field first, then every row field in declaration order."""
    title_key, title_label = TITLE_KEYS.get(kind, ("name", "Name"))
    fields = [(title_key, title_label)]
    fields += [(key, _label(key)) for key in RECORD_FIELDS[kind] if key not in _NOT_IN_PROFILE and key != title_key]
    return fields


PROFILE_FIELDS: dict[str, list[tuple[str, str]]] = {kind: _profile_fields(kind) for kind in RECORD_FIELDS}


def record_profile(base: FactBase, kind: str, record: Record, stats: StatsLookup | None = None) -> Profile:
    """One record in full (``azpak show``)."""
    maker = RowMaker(base, stats)
    row = maker.row(record)
    sections: list[tuple[str, Listing]] = []
    if isinstance(record, Source):
        citing_events = [e for e in base.sorted_events() if any(c.source == record.id for c in e.citations)]
        citing_statements = [s for s in base.sorted_statements() if any(c.source == record.id for c in s.citations)]
        sections = [
            _section("events", "event", citing_events, maker),
            _section("statements", "statement", citing_statements, maker),
        ]
    title_key = TITLE_KEYS.get(kind, ("name", ""))[0]
    if kind == "source" and not row.get("title"):
        title_key = "id"
    return Profile(row, PROFILE_FIELDS[kind], sections, title_key=title_key)


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


FOLLOWUP_FIELDS = (
    "type",
    "id",
    "title",
    "status",
    "announced",
    "planned_for",
    "outcome",
    "fulfilled_by",
    "done",
    "lag_days",
    "as_of",
    "note",
)
FOLLOWUP_COLUMNS = [
    Column("announced", "Announced"),
    Column("title", "Announcement"),
    Column("planned_for", "Planned for"),
    Column("outcome", "Outcome", show=lambda row: row.get("outcome") or "(none)"),
    Column("done", "Done", show=lambda row: row["done"] if row.get("done") else ""),
    Column("lag_days", "Days"),
    ID,
]


def followup_row(base: FactBase, found: Followup) -> Row:
    record = found.record
    outcome = record.outcome
    planned = record.date.text if record.date is not None else None
    return {
        "type": "event" if isinstance(record, Event) else "statement",
        "id": record.id,
        "title": record.title if isinstance(record, Event) else record.summary,
        "status": record.status if isinstance(record, Event) else "pledge",
        "announced": found.announced_text,
        "planned_for": planned,
        "outcome": found.state,
        "fulfilled_by": found.fulfilled_by.id if found.fulfilled_by else None,
        "done": found.fulfilled_by.date.text if found.fulfilled_by else None,
        "lag_days": found.lag_days,
        "as_of": outcome.as_of.text if outcome and outcome.as_of else None,
        "note": outcome.note if outcome else None,
    }


def followups_listing(base: FactBase, found: list[Followup]) -> Listing:
    """Announcements, plans and pledges with what became of each (``azpak followups``)."""
    return Listing([followup_row(base, f) for f in found], FOLLOWUP_COLUMNS, "Follow-ups", FOLLOWUP_FIELDS)


STATS_FIELDS = [
    ("coverage", "Covers"),
    ("events", "Events"),
    ("statements", "Statements"),
    ("people", "People"),
    ("organisations", "Organisations"),
    ("sources", "Sources"),
    ("urls", "Distinct URLs"),
    ("publishers", "Publishers"),
    ("languages", "Sources by language"),
    ("corroborated_events", "Events from 2+ independent publishers"),
    ("corroborated_share", "Share of events corroborated"),
    ("followups", "Announcements, plans and pledges"),
    ("open_followups", "Still open"),
    ("disputed_records", "Records with disagreements"),
    ("disputes", "Disagreements"),
    ("events_per_year", "Events per year"),
    ("sources_per_publisher", "Sources per publisher"),
]


def stats_profile(base: FactBase, stats: BaseStats) -> Profile:
    """What the base covers (``azpak stats``)."""
    span = f"{stats.first_year}–{stats.last_year}" if stats.first_year is not None else "no events"
    row: Row = {
        "title": f"Fact base: {span}",
        "coverage": span,
        "events": stats.events,
        "statements": stats.statements,
        "people": stats.people,
        "organisations": stats.organisations,
        "sources": stats.sources,
        "urls": stats.urls,
        "publishers": stats.publishers,
        "languages": stats.languages,
        "corroborated_events": stats.corroborated_events,
        "corroborated_share": round(stats.corroborated_events / stats.events, 3) if stats.events else None,
        "followups": stats.followups,
        "open_followups": stats.open_followups,
        "disputed_records": stats.disputed_records,
        "disputes": stats.disputes,
        "events_per_year": {str(year): count for year, count in stats.events_per_year.items()},
        "sources_per_publisher": {base.entity_name(p): n for p, n in stats.sources_per_publisher.items()},
    }
    return Profile(row, STATS_FIELDS, title_key="title")
