"""Who reports what: corroboration by independent publishers, and what became of announcements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from azpak.facts.declaration import FORWARD_STATUSES, OPEN_OUTCOME_STATES
from azpak.facts.model import Citation, Event, FactBase, Record, Statement, citations_of
from azpak.structs import struct


def original_source(base: FactBase, source_id: str) -> str:
    """The source at the end of a ``based_on`` chain: the report a reprint or rewrite goes back to."""
    seen = {source_id}
    current = base.sources.get(source_id)
    while current is not None and current.based_on and current.based_on not in seen:
        seen.add(current.based_on)
        source_id = current.based_on
        current = base.sources.get(source_id)
    return source_id


def reporting_chain(base: FactBase, source_id: str) -> str:
    """One key per independent reporting chain: the original's publisher, or that publisher's group."""
    original = base.sources.get(original_source(base, source_id))
    if original is None:
        return f"source:{source_id}"
    publisher = base.organisations.get(original.publisher)
    if publisher is not None and publisher.group:
        return f"group:{publisher.group}"
    return f"publisher:{original.publisher}"


def publisher_count(base: FactBase, citations: Iterable[Citation]) -> int:
    """How many independent reporting chains the citations come from."""
    return len({reporting_chain(base, citation.source) for citation in citations})


def record_publishers(base: FactBase, record: Record) -> set[str]:
    """Organisation ids of the publishers of every source a record cites (reprints included)."""
    found: set[str] = set()
    for citation in citations_of(record):
        source = base.sources.get(citation.source)
        if source is not None:
            found.add(source.publisher)
    return found


def record_languages(base: FactBase, record: Record) -> set[str]:
    found: set[str] = set()
    for citation in citations_of(record):
        source = base.sources.get(citation.source)
        if source is not None and source.language:
            found.add(source.language.split("-")[0].casefold())
    return found


class CitationFilter:
    """Conditions on what a record cites, combined with AND (none set: every record passes)."""

    def __init__(self) -> None:
        self.sources: set[str] | None = None
        self.publishers: set[str] | None = None
        self.min_publishers: int = 0
        self.language: str | None = None
        self.disputed: bool = False

    def is_empty(self) -> bool:
        return (
            self.sources is None
            and self.publishers is None
            and not self.min_publishers
            and self.language is None
            and not self.disputed
        )

    def accepts(self, base: FactBase, record: Event | Statement) -> bool:
        cited = citations_of(record)
        if self.sources is not None and not ({c.source for c in cited} & self.sources):
            return False
        if self.publishers is not None and not (record_publishers(base, record) & self.publishers):
            return False
        if self.min_publishers and publisher_count(base, cited) < self.min_publishers:
            return False
        if self.language is not None and self.language not in record_languages(base, record):
            return False
        return not (self.disputed and not record.disputed)


@struct
class Followup:
    """An announced or planned event (or a pledge), and what became of it."""

    record: Event | Statement
    announced: date | None
    announced_text: str | None
    state: str | None
    fulfilled_by: Event | None
    lag_days: int | None

    @property
    def is_open(self) -> bool:
        return self.state is None or self.state in OPEN_OUTCOME_STATES


def announcement_date(base: FactBase, record: Event | Statement) -> tuple[date | None, str | None]:
    """When it was announced: ``announced_on``, or the earliest publication date among its citations."""
    if isinstance(record, Event) and record.announced_on is not None:
        return record.announced_on.first, record.announced_on.text
    dates = []
    for citation in citations_of(record):
        source = base.sources.get(citation.source)
        if source is not None and source.published is not None:
            dates.append((source.published.first, source.published.text))
    if isinstance(record, Statement) and record.date is not None:
        dates.append((record.date.first, record.date.text))
    return min(dates) if dates else (None, None)


def _exact_day(text: str | None) -> bool:
    return text is not None and len(text) == 10 and text[4] == "-" and text[7] == "-"


def followups(base: FactBase) -> list[Followup]:
    """Every announced or planned event and every pledge, with its outcome, in date order."""
    records: list[Event | Statement] = [e for e in base.sorted_events() if e.status in FORWARD_STATUSES]
    records.extend(s for s in base.sorted_statements() if s.category == "pledge")
    found: list[Followup] = []
    for record in records:
        announced, announced_text = announcement_date(base, record)
        outcome = record.outcome
        state = outcome.state if outcome else None
        done = base.events.get(outcome.fulfilled_by) if outcome and outcome.fulfilled_by else None
        lag = None
        if done is not None and announced is not None and _exact_day(announced_text) and _exact_day(done.date.text):
            lag = (done.date.first - announced).days
        found.append(Followup(record, announced, announced_text, state, done, lag))
    return found


@struct
class BaseStats:
    """What a fact base covers: counts, years, sources by publisher and language, corroboration, open questions."""

    events: int
    statements: int
    people: int
    organisations: int
    sources: int
    urls: int
    publishers: int
    languages: dict[str, int]
    first_year: int | None
    last_year: int | None
    events_per_year: dict[int, int]
    sources_per_publisher: dict[str, int]
    corroborated_events: int
    followups: int
    open_followups: int
    disputed_records: int
    disputes: int


def base_stats(base: FactBase) -> BaseStats:
    """Summarise a whole base (``azpak stats``)."""
    per_year: dict[int, int] = {}
    for event in base.events.values():
        # An event with no known start (``../2020-12``) is counted in the year it is known by, its end's.
        year = (event.date.end.first if event.date.open_start else event.date.first).year
        per_year[year] = per_year.get(year, 0) + 1
    languages: dict[str, int] = {}
    per_publisher: dict[str, int] = {}
    for source in base.sources.values():
        language = source.language or "unknown"
        languages[language] = languages.get(language, 0) + 1
        per_publisher[source.publisher] = per_publisher.get(source.publisher, 0) + 1
    corroborated = sum(1 for e in base.events.values() if publisher_count(base, e.citations) >= 2)
    found = followups(base)
    records: list[Event | Statement] = [*base.events.values(), *base.statements.values()]
    return BaseStats(
        events=len(base.events),
        statements=len(base.statements),
        people=len(base.people),
        organisations=len(base.organisations),
        sources=len(base.sources),
        urls=len({s.url for s in base.sources.values() if s.url}),
        publishers=len(per_publisher),
        languages=dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        first_year=min(per_year) if per_year else None,
        last_year=max(per_year) if per_year else None,
        events_per_year=dict(sorted(per_year.items())),
        sources_per_publisher=dict(sorted(per_publisher.items(), key=lambda kv: (-kv[1], kv[0]))),
        corroborated_events=corroborated,
        followups=len(found),
        open_followups=sum(1 for f in found if f.is_open),
        disputed_records=sum(1 for r in records if r.disputed),
        disputes=sum(len(r.disputed) for r in records),
    )
