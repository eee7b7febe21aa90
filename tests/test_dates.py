"""EDTF parsing, day ranges and overlap."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from azpak.facts.dates import DateError, parse_edtf, parse_filter_date


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28), "month"),
        ("2025-01-18", date(2025, 1, 18), date(2025, 1, 18), "day"),
        ("2025-01-23/2025-01-24", date(2025, 1, 23), date(2025, 1, 24), "interval"),
        ("2025-01/2025-02-23", date(2025, 1, 1), date(2025, 2, 23), "interval"),
    ],
)
def test_ranges(text: str, first: date, last: date, precision: str) -> None:
    parsed = parse_edtf(text)
    assert (parsed.first, parsed.last, parsed.precision) == (first, last, precision)


def test_qualifiers_are_kept_and_do_not_widen_the_range() -> None:
    approx = parse_edtf("2024-09~")
    assert approx.approximate and not approx.uncertain
    assert (approx.first, approx.last) == (date(2024, 9, 1), date(2024, 9, 30))
    assert parse_edtf("2024-09?").uncertain
    both = parse_edtf("2024-09%")
    assert both.approximate and both.uncertain


def test_open_interval_extends_without_limit() -> None:
    parsed = parse_edtf("../2025-02-23")
    assert parsed.overlaps(date(1900, 1, 1), date(1900, 1, 1))
    assert not parsed.overlaps(date(2025, 2, 24), date(2025, 3, 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-13", "month 13 does not exist"),
        ("2025-02-30", "day 30 does not exist"),
        ("2025-01-24/2025-01-23", "ends"),
        ("25-01", "not a date"),
        ("2025/2024", "ends"),
        ("../..", "at least one known end"),
        ("", "empty"),
    ],
)
def test_invalid_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_edtf(text)


def test_filter_dates_accept_only_their_form() -> None:
    assert parse_filter_date("2025", "year") == (date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(DateError):
        parse_filter_date("2025-01", "year")
    with pytest.raises(DateError):
        parse_filter_date("2025-13")


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(days, days, days, days)
def test_overlap_is_symmetric_and_matches_day_sets(a: date, b: date, c: date, d: date) -> None:
    a, b = sorted((a, b))
    c, d = sorted((c, d))
    one = parse_edtf(f"{a.isoformat()}/{b.isoformat()}")
    two = parse_edtf(f"{c.isoformat()}/{d.isoformat()}")
    expected = a <= d and c <= b
    assert one.overlaps(c, d) == expected == two.overlaps(a, b)


@given(days)
def test_a_day_is_inside_its_month_and_year(day: date) -> None:
    month = parse_edtf(day.strftime("%Y-%m"))
    year = parse_edtf(day.strftime("%Y"))
    assert month.overlaps(day, day) and year.overlaps(day, day)
    assert not month.overlaps(month.last + timedelta(days=1), month.last + timedelta(days=1))
