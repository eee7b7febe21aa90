"""``azpak export --format ics``: RFC 5545 text, parsed back by icalendar and imported by calcurse."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from azpak.facts.model import FactBase
from azpak.views.ics import escape_text, fold
from conftest import Facts, Runs, invoke, started_early


def export(*args: str) -> bytes:
    result = invoke("export", "--format", "ics", *args)
    assert result.exit_code == 0, result.output
    return bytes(result.stdout_bytes)


@pytest.fixture(scope="module")
def whole() -> bytes:
    """The calendar of the whole shipped fact base."""
    return export()


@pytest.fixture(scope="module")
def whole_events(whole: bytes) -> dict[str, icalendar.Event]:
    return vevents(whole)


def vevents(raw: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert len(events) == len(calendar.walk("VEVENT")), "UIDs are unique"
    return events


def test_every_event_round_trips(base: FactBase, whole_events: dict[str, icalendar.Event]) -> None:
    events = whole_events
    assert set(events) == set(base.events)
    for event_id, parsed in events.items():
        event = base.events[event_id]
        start, end = parsed.decoded("DTSTART"), parsed.decoded("DTEND")
        assert type(start) is date and type(end) is date, "all-day events"
        assert parsed["DTSTART"].params.get("VALUE") == "DATE"
        assert start == event.date.first
        assert end == event.date.last + timedelta(days=1), "DTEND is exclusive"
        summary = str(parsed["SUMMARY"])
        assert summary.startswith(event.title if event.status == "occurred" else f"[{event.status}] {event.title}")
        description = str(parsed["DESCRIPTION"])
        assert f"Status: {event.status}" in description
        for number, citation in enumerate(event.citations, 1):
            source = base.sources[citation.source]
            assert f"Source {number}: {base.entity_name(source.publisher)}" in description
            assert source.published is None or source.published.text in description
            assert (citation.evidence or citation.says or "").strip() in description
            assert source.url is None or source.url in description
        assert f"Date: {event.date.text}" in description
        if event.date_basis == "derived":
            assert "derived" in description
        assert str(parsed["STATUS"]) == ("TENTATIVE" if event.status == "announced" else "CONFIRMED")
        if event.part_of:
            assert str(parsed["RELATED-TO"]).split("@")[0] == event.part_of
        assert isinstance(parsed.decoded("DTSTAMP"), datetime)


def test_month_precision_is_labelled_honestly(base: FactBase, whole_events: dict[str, icalendar.Event]) -> None:
    events = whole_events
    month_events = [e for e in base.events.values() if e.date.precision == "month"]
    assert month_events
    for event in month_events:
        parsed = events[event.id]
        assert "day not stated" in str(parsed["SUMMARY"])
        assert parsed.decoded("DTSTART").day == 1
        assert (parsed.decoded("DTEND") - timedelta(days=1)).month == event.date.first.month
        assert "does not give the day" in str(parsed["DESCRIPTION"])
    exact = [e for e in base.events.values() if e.date.precision == "day"]
    assert exact and all("day not stated" not in str(events[e.id]["SUMMARY"]) for e in exact)


def test_lines_are_crlf_folded_at_75_octets(whole: bytes) -> None:
    raw = whole
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b""), "no bare line feeds"
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "long lines are folded"
    for line in lines:
        line.decode("utf-8")  # no line ends inside a UTF-8 character
    assert lines[:2] == [b"BEGIN:VCALENDAR", b"VERSION:2.0"] and any(line.startswith(b"PRODID:") for line in lines)


def test_filters_and_empty_calendar(article: Facts) -> None:
    announced = vevents(export("--status", "announced", *article.args))
    assert announced and set(announced) == {e.id for e in article.base.events.values() if e.status == "announced"}
    result = article.invoke("export", "--year", "1999")
    assert result.exit_code == 0 and "empty" in result.stderr
    assert vevents(bytes(result.stdout_bytes)) == {}


def test_source_date_epoch_makes_it_reproducible(article: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740268800")
    first, second = export(*article.args), export(*article.args)
    assert first == second and b"DTSTAMP:20250223T000000Z" in first


SPECIAL = """
events:
  - id: special-characters
    date: "2023-05-02/2023-05-04"
    title: "Talks; commas, back\\\\slashes and Gänsefüßchen — ünïcödé"
    summary: "Line one.\\nLine two; with a semicolon, a comma and a backslash \\\\ here."
    kind: meeting
    status: planned
    location: "Baku; Old City, Icherisheher"
    source: azernews-2025-02-23
    evidence: "ə ı ğ ş ç ö ü — an excerpt long enough to be folded across several lines of the calendar file"
"""


def test_escaping_round_trips_exactly(article: Facts, tmp_path: Path) -> None:
    facts = tmp_path / "special.yaml"
    facts.write_text(SPECIAL, encoding="utf-8")
    parsed = vevents(export(*article.args, "--data", str(facts), "--year", "2023"))["special-characters"]
    assert str(parsed["SUMMARY"]) == "[planned] Talks; commas, back\\slashes and Gänsefüßchen — ünïcödé"
    assert str(parsed["LOCATION"]) == "Baku; Old City, Icherisheher"
    description = str(parsed["DESCRIPTION"])
    assert description.startswith("Line one.\nLine two; with a semicolon, a comma and a backslash \\ here.")
    assert "ə ı ğ ş ç ö ü — an excerpt long enough" in description
    assert parsed.decoded("DTEND") - parsed.decoded("DTSTART") == timedelta(days=3)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_fold_keeps_lines_short_and_unfolds_to_the_original(text: str) -> None:
    line = "DESCRIPTION:" + escape_text(text)
    folded = fold(line).encode("utf-8")
    parts = folded.split(b"\r\n")
    assert parts[-1] == b""
    assert all(len(part) <= 75 for part in parts)
    for part in parts:
        part.decode("utf-8")
    assert folded.decode("utf-8").replace("\r\n ", "")[:-2] == line


def test_escape_text() -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def written_and_piped(article: Facts, tmp_path_factory: pytest.TempPathFactory, environ: dict[str, str]) -> Runs:
    where = tmp_path_factory.mktemp("ics")
    command = [sys.executable, "-m", "azpak", "export", *article.args]
    target = ["--format", "ics", "--output", str(where / "azpak.views.ics")]
    return Runs([[*command, *target], command], env=environ, cwd=where, text=False)


@started_early(written_and_piped)
def test_output_file_in_a_subprocess(article: Facts, started: Runs) -> None:
    written, piped = started.results()
    assert written.returncode == piped.returncode == 0, (written.stderr, piped.stderr)
    raw = Path(started.commands[0][-1]).read_bytes()
    assert b"\r\r\n" not in raw and raw.count(b"BEGIN:VEVENT") == len(vevents(raw)) == len(article.base.events)
    assert re.sub(rb"DTSTAMP:\S+", b"", piped.stdout) == re.sub(rb"DTSTAMP:\S+", b"", raw)


@pytest.mark.client
def test_calcurse_imports_every_event(base: FactBase, tmp_path: Path) -> None:
    """A real calendar program's importer reads every event, with the right first and last day."""
    calcurse = shutil.which("calcurse")
    if calcurse is None:
        pytest.skip("the calcurse calendar program is not installed (.ci/run installs it as root)")
    ics = tmp_path / "azpak.views.ics"
    ics.write_bytes(export())
    folder = tmp_path / "calcurse"
    folder.mkdir()
    result = subprocess.run(
        [calcurse, "-D", str(folder), "-i", str(ics)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(base.events)} events" in result.stdout and "0 skipped" in result.stdout, result.stdout
    imported: dict[str, tuple[date, date]] = {}
    pattern = re.compile(r"^(\d\d/\d\d/\d{4}) \[1\](?: \{1D -> (\d\d/\d\d/\d{4})\})?(?: >\S+)? (.*)$")
    for line in (folder / "apts").read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        assert match, line
        first = datetime.strptime(match.group(1), "%m/%d/%Y").date()
        last = datetime.strptime(match.group(2), "%m/%d/%Y").date() if match.group(2) else first
        imported[match.group(3)] = (first, last)
    by_title = {(e.title if e.status == "occurred" else f"[{e.status}] {e.title}"): e for e in base.events.values()}
    assert len(imported) == len(base.events)
    for summary, (first, last) in imported.items():
        (event,) = [e for title, e in by_title.items() if summary.startswith(title)]
        assert (first, last) == (event.date.first, event.date.last), summary


def test_extreme_dates_and_unsafe_urls_export_cleanly(tmp_path: Path) -> None:
    facts = tmp_path / "edge.yaml"
    facts.write_text(
        "sources:\n"
        '  - id: odd\n    publisher: odd-press\n    published: "2025"\n    url: "http://a/\\nATTACH:http://evil/"\n'
        "organisations:\n  - id: odd-press\n    name: Odd\n    kind: media\n"
        "events:\n"
        '  - id: last-day\n    date: "9999-12-31"\n    title: Far\n    summary: Far away.\n    kind: other\n'
        "    status: planned\n    citations: [{source: odd, says: far}]\n"
        '  - id: first-day\n    date: "0001-01-01/0001-01-02"\n    title: Near\n    summary: Long ago.\n'
        "    kind: other\n    status: occurred\n    citations: [{source: odd, says: near}]\n",
        encoding="utf-8",
    )
    raw = export("--no-default", "--data", str(facts))
    assert not any(line.startswith((b"ATTACH", b"URL")) for line in raw.split(b"\r\n"))  # no injected property
    events = vevents(raw)
    assert events["last-day"]["DTSTART"].dt == date(9999, 12, 31)
    assert events["last-day"]["DURATION"].dt == timedelta(days=1)
    assert events["first-day"]["DTSTART"].dt == date(1, 1, 1)
    rows = invoke("events", "--no-default", "--data", str(facts), "--format", "json")
    assert '"date_start": "0001-01-01"' in rows.stdout and '"date_end": "9999-12-31"' in rows.stdout
