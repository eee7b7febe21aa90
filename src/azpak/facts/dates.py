"""EDTF dates (the subset azpak uses) as ranges of days, and how ranges overlap.

A date is stored as the text the curator wrote (``2024-09``, ``2025-01-23/2025-01-24``,
``2024-09~``) and read as the inclusive range of days it covers: ``2024-09`` is
1–30 September 2024. Approximate (``~``) and uncertain (``?``) dates keep their
stated range for matching; the qualifier is shown, never used to widen the range.
An open end (``..``) or an unknown end (empty) extends the range without limit.
"""

from __future__ import annotations

import re
from datetime import date

from azpak.structs import struct

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?$")

EARLIEST = date.min
LATEST = date.max


def _shown(text: str, limit: int = 40) -> str:
    """A value quoted for a message, cut short when long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


class DateError(ValueError):
    """A string that is not a supported EDTF date; the message says why."""


@struct
class DatePoint:
    """One end of a date: a year, month or day, with its EDTF qualifier."""

    text: str
    first: date
    last: date
    precision: str  # "year" | "month" | "day" | "open"
    approximate: bool = False
    uncertain: bool = False


@struct
class EdtfDate:
    """A parsed EDTF date or interval: the days it covers and how exactly they are known."""

    text: str
    start: DatePoint
    end: DatePoint

    @property
    def first(self) -> date:
        return self.start.first

    @property
    def last(self) -> date:
        return self.end.last

    @property
    def open_start(self) -> bool:
        """The interval has no known start (``../2025``)."""
        return self.start.precision == "open"

    @property
    def open_end(self) -> bool:
        """The interval has no known end (``2025/..``)."""
        return self.end.precision == "open"

    @property
    def is_interval(self) -> bool:
        return "/" in self.text

    @property
    def approximate(self) -> bool:
        return self.start.approximate or self.end.approximate

    @property
    def uncertain(self) -> bool:
        return self.start.uncertain or self.end.uncertain

    @property
    def precision(self) -> str:
        if self.is_interval:
            return "interval"
        return self.start.precision

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EdtfDate) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def overlaps(self, first: date, last: date) -> bool:
        """True when any day of this date lies in [first, last]."""
        return self.first <= last and first <= self.last

    def sort_key(self) -> tuple[date, date]:
        return (self.first, self.last)


def _parse_point(text: str) -> DatePoint:
    match = _PART.match(text)
    if not match:
        raise DateError(f"{_shown(text)} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year_s, month_s, day_s, qualifier = match.groups()
    year = int(year_s)
    if year < 1:
        raise DateError(f"{_shown(text)}: year 0000 does not exist")
    if month_s is None:
        first, last, precision = date(year, 1, 1), date(year, 12, 31), "year"
    else:
        month = int(month_s)
        if not 1 <= month <= 12:
            raise DateError(f"{_shown(text)}: month {month_s} does not exist")
        days_in_month = 31 if month == 12 else (date(year, month + 1, 1) - date(year, month, 1)).days
        if day_s is None:
            first, last, precision = date(year, month, 1), date(year, month, days_in_month), "month"
        else:
            day = int(day_s)
            if not 1 <= day <= days_in_month:
                raise DateError(f"{_shown(text)}: day {day_s} does not exist in {year:04d}-{month:02d}")
            first = last = date(year, month, day)
            precision = "day"
    return DatePoint(
        text=text,
        first=first,
        last=last,
        precision=precision,
        approximate=qualifier in ("~", "%"),
        uncertain=qualifier in ("?", "%"),
    )


_OPEN_START = DatePoint(text="..", first=EARLIEST, last=EARLIEST, precision="open")
_OPEN_END = DatePoint(text="..", first=LATEST, last=LATEST, precision="open")


# Parsed dates by their text: a large fact base repeats its dates, and each is parsed when it is
# validated and again when its record is built. Dates are never changed once made, so one can be shared.
_PARSED: dict[str, EdtfDate] = {}
_PARSED_MAX = 100_000


def parse_edtf(text: str) -> EdtfDate:
    """Parse an EDTF date or interval; raise DateError saying what is wrong."""
    try:
        return _PARSED[text]
    except (KeyError, TypeError):
        pass
    parsed = _parse_edtf(text)
    if len(_PARSED) < _PARSED_MAX:
        _PARSED[text] = parsed
    return parsed


def _parse_edtf(text: str) -> EdtfDate:
    if not isinstance(text, str):
        raise DateError(f"expected a date string, got {type(text).__name__}")
    text = text.strip()
    if not text:
        raise DateError("empty date")
    if "/" not in text:
        point = _parse_point(text)
        return EdtfDate(text=text, start=point, end=point)
    if text.count("/") > 1:
        raise DateError(f"{_shown(text)}: an interval has exactly one '/'")
    start_s, end_s = text.split("/")
    if start_s in ("", "..") and end_s in ("", ".."):
        raise DateError(f"{_shown(text)}: an interval needs at least one known end")
    start = _OPEN_START if start_s in ("", "..") else _parse_point(start_s)
    end = _OPEN_END if end_s in ("", "..") else _parse_point(end_s)
    if end.last < start.first:
        raise DateError(f"{_shown(text)}: the interval ends ({end_s}) before it starts ({start_s})")
    return EdtfDate(text=text, start=start, end=end)


#: What each date filter accepts; compiled (and cached by ``re``) when a filter is given, not at start-up.
_FILTER_FORMS = {
    "year": r"\d{4}",
    "month": r"\d{4}-\d{2}",
    "date": r"\d{4}(?:-\d{2}(?:-\d{2})?)?",
}


def parse_filter_date(text: str, form: str = "date") -> tuple[date, date]:
    """Parse a filter value (YYYY, YYYY-MM or YYYY-MM-DD, as ``form`` allows) to its day range."""
    expected = {"year": "YYYY", "month": "YYYY-MM", "date": "YYYY, YYYY-MM or YYYY-MM-DD"}[form]
    if not re.fullmatch(_FILTER_FORMS[form], text):
        raise DateError(f"{_shown(text)} is not a valid date: expected {expected}")
    point = _parse_point(text)
    return point.first, point.last
