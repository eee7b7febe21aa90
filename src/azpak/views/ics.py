"""Events as an iCalendar (RFC 5545) file: all-day events, honest about imprecise dates.

Every event becomes a VEVENT with ``DTSTART;VALUE=DATE`` and an exclusive
``DTEND;VALUE=DATE``: a day is one all-day event, an interval a multi-day
event, and a date known only to the month (or year) spans the whole month (or
year), with the summary and description saying that the day is not stated.
An open end cannot be drawn in a calendar: the known end is used and the
description says the other is open. Status, source, evidence, attribution and
how the date was derived are in the description; the status is also the
iCalendar ``STATUS`` (``CONFIRMED`` for occurred and planned, ``TENTATIVE``
for announced).

Lines end in CRLF and are folded at 75 octets without splitting a UTF-8
character; text values are escaped (``\\``, ``;``, ``,``, newlines).
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from azpak import __version__
from azpak.facts.dates import DatePoint
from azpak.facts.model import Event, FactBase
from azpak.views.rows import participant_row

PRODID = f"-//azpak//azpak {__version__}//EN"
UID_DOMAIN = "azpak.invalid"
STATUS = {"occurred": "CONFIRMED", "announced": "TENTATIVE", "planned": "CONFIRMED"}


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """A content line folded at ``limit`` octets (CRLF + space), never inside a UTF-8 character."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    budget = limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > budget:
            chunks.append("".join(current))
            current, size = [], 0
            budget = limit - 1  # continuation lines start with a space
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks) + "\r\n"


def _ical_date(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"  # strftime("%Y") does not pad years before 1000


def _precision_words(point: DatePoint) -> str:
    if point.precision == "year":
        return f"some time in {point.first.year}"
    if point.precision == "month":
        return f"some time in {calendar.month_name[point.first.month]} {point.first.year}"
    return point.first.isoformat()


def date_description(event: Event) -> tuple[date, date, str, str]:
    """First day, last day (inclusive), a note for the summary ("" when exact) and a sentence for the description."""
    value = event.date
    start, end = value.start, value.end
    first = end.first if value.open_start else value.first
    last = start.last if value.open_end else value.last
    notes: list[str] = []
    summary_note = ""
    if value.open_start:
        notes.append("the start is not known; shown on the known end")
        summary_note = "until " + _precision_words(end)
    elif value.open_end:
        notes.append("the end is not known; shown on the known start")
        summary_note = "from " + _precision_words(start)
    imprecise = [p for p in (start, end) if p.precision in ("month", "year")]
    if imprecise:
        notes.append("the source does not give the day; the event spans the whole period it falls in")
        if not summary_note:
            if value.is_interval:
                summary_note = f"between {_precision_words(start)} and {_precision_words(end)}"
            else:
                summary_note = _precision_words(start) + ", day not stated"
    if value.approximate:
        notes.append("approximate")
        summary_note = summary_note or "approximate date"
    if value.uncertain:
        notes.append("uncertain")
        summary_note = summary_note or "uncertain date"
    if event.date_basis == "derived":
        notes.append("derived, not stated by the source" + (f": {event.date_note}" if event.date_note else ""))
    elif event.date_note:
        notes.append(event.date_note)
    sentence = f"Date: {value.text}" + (f" ({'; '.join(notes)})" if notes else "")
    return first, last, summary_note, sentence


def _description(base: FactBase, event: Event, date_sentence: str) -> str:
    parts = [event.summary.strip(), "", f"Status: {event.status}", f"Kind: {event.kind}", date_sentence]
    names = []
    for participant in event.participants:
        row = participant_row(base, participant)
        names.append(f"{row['name']} ({row['role']})")
    if names:
        parts.append("Participants: " + "; ".join(names))
    if event.attribution:
        parts.append(f"Attribution: {event.attribution}")
    for number, citation in enumerate(event.citations, 1):
        source = base.sources.get(citation.source)
        if source is not None:
            published = source.published.text if source.published else None
            cited = ", ".join(x for x in (base.entity_name(source.publisher), source.author, published) if x)
            if source.title:
                cited += f", “{source.title}”"
            if source.url:
                cited += f", {source.url}"
        else:
            cited = citation.source
        parts.append(f"Source {number}: {cited}")
        if citation.evidence:
            parts.append(f"Evidence: “{citation.evidence.strip()}”")
        if citation.says:
            parts.append(f"It says: {citation.says.strip()}")
    if event.notes:
        parts.append(f"Notes: {event.notes.strip()}")
    parts.append(f"azpak id: {event.id}")
    return "\n".join(parts)


def uid(event_id: str) -> str:
    return f"{event_id}@{UID_DOMAIN}"


def stamp_now() -> datetime:
    """When the calendar was made: now, or ``SOURCE_DATE_EPOCH`` (for reproducible files) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def _property(name: str, value: str, params: str = "") -> str:
    return fold(f"{name}{params}:{value}")


# A URI value is written as it is, so only one without spaces or control characters is written at all.
_URI = re.compile(r"[!-~]+")


def _end_property(first: date, last: date) -> str:
    """DTEND, exclusive; for an event ending on 9999-12-31, where no next day exists, a DURATION instead."""
    if last == date.max:
        return _property("DURATION", f"P{(last - first).days + 1}D")
    return _property("DTEND", _ical_date(last + timedelta(days=1)), ";VALUE=DATE")


def event_lines(base: FactBase, event: Event, stamp: datetime) -> list[str]:
    first, last, summary_note, date_sentence = date_description(event)
    title = event.title
    if event.status != "occurred":
        title = f"[{event.status}] {title}"
    if summary_note:
        title = f"{title} ({summary_note})"
    lines = [
        "BEGIN:VEVENT",
        _property("UID", uid(event.id)),
        _property("DTSTAMP", stamp.strftime("%Y%m%dT%H%M%SZ")),
        _property("DTSTART", _ical_date(first), ";VALUE=DATE"),
        _end_property(first, last),
        _property("SUMMARY", escape_text(title)),
        _property("DESCRIPTION", escape_text(_description(base, event, date_sentence))),
        _property("STATUS", STATUS.get(event.status, "TENTATIVE")),
        _property("TRANSP", "TRANSPARENT"),
        _property("CLASS", "PUBLIC"),
    ]
    categories = [event.kind, *(base.entity_name(s) for s in event.sectors)]
    lines.append(_property("CATEGORIES", ",".join(escape_text(c) for c in categories)))
    if event.location:
        location = base.countries[event.location].name if event.location in base.countries else event.location
        lines.append(_property("LOCATION", escape_text(location)))
    if event.part_of:
        lines.append(_property("RELATED-TO", uid(event.part_of), ";RELTYPE=PARENT"))
    for citation in event.citations:
        source = base.sources.get(citation.source)
        if source is not None and source.url and _URI.fullmatch(source.url):
            lines.append(_property("URL", source.url, ";VALUE=URI"))
            break
    lines.append("END:VEVENT\r\n")
    return [line if line.endswith("\r\n") else line + "\r\n" for line in lines]


def to_ics(base: FactBase, events: Iterable[Event], *, stamp: datetime | None = None) -> str:
    """A VCALENDAR with one VEVENT per event; CRLF line endings, folded lines."""
    when = stamp or stamp_now()
    lines = [
        "BEGIN:VCALENDAR\r\n",
        "VERSION:2.0\r\n",
        fold(f"PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN\r\n",
        fold("X-WR-CALNAME:" + escape_text("Azerbaijan–Pakistan relations (azpak)")),
    ]
    for event in events:
        lines.extend(event_lines(base, event, when))
    lines.append("END:VCALENDAR\r\n")
    return "".join(lines)
