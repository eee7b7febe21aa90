"""``azpak timeline``: every event once, in year and month groups, days drawn where they fall, gaps shown."""

from __future__ import annotations

import calendar
import itertools
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from azpak.facts.model import Event, FactBase
from azpak.views.timeline import CONTINUES, EMPTY, EXACT, SPAN, STATUS_MARKERS, build_timeline
from conftest import Facts, invoke

STRIP = slice(2, 33)  # the 31 day cells of an entry line


def timeline_text(monkeypatch: pytest.MonkeyPatch, *args: str, width: int = 200) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = invoke("timeline", *args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.fixture(scope="module")
def whole_timeline() -> str:
    """The timeline of the whole shipped fact base, 200 columns wide."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return timeline_text(monkeypatch)


def entry_line(text: str, title: str) -> str:
    (line,) = [line for line in text.splitlines() if line.endswith(title) or f" · {title}" in line]
    return line


def placed(event: Event) -> tuple[int, int]:
    """Where the timeline lists an event: its year and month, or (year, 0) when only the year is stated."""
    return (event.date.first.year, 0 if event.date.start.precision == "year" else event.date.first.month)


def months_with_events(events: list[Event]) -> list[tuple[int, int]]:
    return sorted({placed(e) for e in events if placed(e)[1]})


def covered_months(events: list[Event]) -> set[int]:
    return {
        month
        for e in events
        for month in range(e.date.first.year * 12 + e.date.first.month - 1, e.date.last.year * 12 + e.date.last.month)
    }


def test_every_event_exactly_once(base: FactBase, whole_timeline: str) -> None:
    text = whole_timeline
    for event in base.events.values():
        assert text.count(event.title) == 1, event.id
    built = build_timeline(base.sorted_events())
    assert Counter(entry.event.id for entry in built.entries) == Counter(list(base.events))


def test_grouped_by_year_then_month_in_order(base: FactBase, whole_timeline: str) -> None:
    lines = whole_timeline.splitlines()
    years = [int(line.split()[0]) for line in lines if line[:4].isdigit() and line[4:6] == " ─"]
    assert years == sorted({e.date.first.year for e in base.events.values()})
    headers = [
        line.rsplit(maxsplit=2)[-2:] for line in lines if line.startswith("  1   5") and line.split()[-1].isdigit()
    ]
    shown = [(int(y), list(calendar.month_name).index(m)) for m, y in headers]
    assert shown == months_with_events(list(base.events.values()))


def test_each_event_sits_under_its_month(base: FactBase, whole_timeline: str) -> None:
    month = None
    found: dict[str, tuple[int, int] | None] = {}
    titles = {e.title: e for e in base.events.values()}
    for line in whole_timeline.splitlines():
        if line.startswith("  1   5"):
            name, year = line.split()[-2:]
            month = (int(year), list(calendar.month_name).index(name))
        elif line.startswith("  Some time in "):
            month = (int(line.split()[3]), 0)
        for title, event in titles.items():
            if line.endswith(title) or f"· {title} (" in line:
                found[event.id] = month
    assert found == {e.id: placed(e) for e in base.events.values()}


def expected_strip(event: Event) -> str:
    year, month = event.date.first.year, event.date.first.month
    days = calendar.monthrange(year, month)[1]
    exact = event.date.start.precision == "day" and not (event.date.approximate or event.date.uncertain)
    cells = []
    for day in range(1, 32):
        if day > days:
            cells.append(" ")
        elif event.date.first <= date(year, month, day) <= event.date.last:
            cells.append(EXACT if exact else SPAN)
        else:
            cells.append(EMPTY)
    return "".join(cells)


def test_days_are_drawn_where_they_fall(base: FactBase, whole_timeline: str) -> None:
    text = whole_timeline
    for event in base.events.values():
        line = entry_line(text, event.title if event.status == "occurred" else f"{event.title} ({event.status})")
        assert line[STRIP] == expected_strip(event), event.id
        if event.date.precision == "month":
            assert set(line[STRIP].strip()) == {SPAN}, "a month-precision date covers its whole month"
        assert STATUS_MARKERS[event.status] in line[33:]
        assert event.kind in line


def test_status_and_derived_markers(base: FactBase, whole_timeline: str) -> None:
    text = whole_timeline
    for event in base.events.values():
        line = entry_line(text, event.title if event.status == "occurred" else f"{event.title} ({event.status})")
        label = line[34:41].strip()
        assert label.endswith("*") == (event.date_basis == "derived"), event.id
        others = set(STATUS_MARKERS.values()) - {STATUS_MARKERS[event.status]}
        assert not others & set(line[33:])


def test_gaps_between_clusters_are_shown(base: FactBase, whole_timeline: str) -> None:
    events = list(base.events.values())
    months = [y * 12 + m - 1 for y, m in months_with_events(events)]
    covered = covered_months(events)
    expected = []
    for a, b in itertools.pairwise(months):  # runs of months no event covers, between two listed months
        run = 0
        for month in range(a + 1, b):
            if month in covered:
                if run:
                    expected.append(run)
                run = 0
            else:
                run += 1
        if run:
            expected.append(run)
    assert expected, "the shipped facts have gaps between months"
    gaps = [line for line in whole_timeline.splitlines() if "without events" in line]
    assert [int(line.split("┆")[1].split()[0]) for line in gaps] == expected


def test_fits_80_columns_and_is_plain_when_piped(article: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    text = timeline_text(monkeypatch, *article.args, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "\x1b[" not in text


def test_colour_on_a_colour_terminal(article: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    result = article.invoke("timeline")
    assert result.exit_code == 0 and "\x1b[" in result.stdout


def test_same_filters_as_events(article: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = article.json("events")
    for args in (["--year", "2024"], ["--person", "Sharif"], ["--status", "announced"], ["--sector", "defence"]):
        chosen = article.json("events", *args)
        text = timeline_text(monkeypatch, *args, *article.args)
        assert chosen and chosen != everything, args
        for record in everything:
            assert (record["title"] in text) == (record in chosen), (args, record["id"])


def test_no_match_and_bad_filter(article: Facts) -> None:
    result = article.invoke("timeline", "--year", "1999")
    assert result.exit_code == 0 and result.stdout == "" and "no events match" in result.stderr
    assert article.invoke("timeline", "--month", "2025-13").exit_code == 2
    assert article.invoke("timeline", "--person", "Nobody Atall").exit_code == 1


IMPRECISE = """
sources:
  - id: notes
    publisher: me
    local: true
organisations:
  - id: me
    name: Me
    kind: other
events:
  - id: whole-year
    date: "2022"
    title: Something some time in 2022
    summary: A test event known only to its year.
    kind: other
    status: planned
    source: notes
    evidence: "test"
  - id: across-months
    date: "2023-03-30/2023-04-02"
    title: Four days across two months
    summary: A test event that runs on into the next month.
    kind: meeting
    status: occurred
    source: notes
    evidence: "test"
  - id: about-june
    date: "2023-06-10~"
    title: About the tenth of June
    summary: An approximate day.
    kind: visit
    status: announced
    source: notes
    evidence: "test"
"""


def test_year_ranged_and_approximate_dates_are_drawn_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = tmp_path / "imprecise.yaml"
    facts.write_text(IMPRECISE, encoding="utf-8")
    text = timeline_text(monkeypatch, "--no-default", "--data", str(facts), "--since", "2022", "--until", "2023")
    assert "Some time in 2022" in text
    across = entry_line(text, "Four days across two months")
    assert across[STRIP].rstrip(" ").endswith(EXACT * 2) and across[33] == CONTINUES
    assert across[34:41].strip() == "30–"
    june = entry_line(text, "About the tenth of June (announced)")
    assert june[STRIP].count(SPAN) == 1 and june[34:41].strip() == "10~"
    assert STATUS_MARKERS["announced"] in june and STATUS_MARKERS["planned"] in entry_line(
        text, "Something some time in 2022 (planned)"
    )
    assert "1 month without events (May 2023)" in text, "April is covered by the event that runs on"
    assert "without events (Jan 2023 – Feb 2023)" not in text, "no gap is drawn between a year group and a month"
    assert text.count("Four days across two months") == 1
