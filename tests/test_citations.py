"""Citations at scale: several sources per fact, corroboration, disagreements, figures, outcomes, bibliography."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from azpak.facts.load import build_fact_base, validate_files
from azpak.facts.model import FactBase
from azpak.query.citing import followups, publisher_count
from conftest import invoke

FACTS = """
sources:
  - id: agency-report
    publisher: state-agency
    url: https://agency.example/report
    title: Leaders meet in Baku
    published: "2025-02-24"
    language: en
    kind: news article
  - id: ministry-release
    publisher: ministry
    url: https://ministry.example/release
    published: "2025-02-24"
    language: en
    kind: press release
  - id: daily-reprint
    publisher: daily
    url: https://daily.example/reprint
    published: "2025-02-25"
    language: en
    based_on: agency-report
  - id: urdu-daily
    publisher: urdu-paper
    url: https://urdu.example/khabar
    title: "{Braces} & 100% $pecial_chars #1 ~ ^"
    author: A. Writer
    published: "2025-02-25"
    language: ur
  - id: announcement-page
    publisher: daily
    url: https://daily.example/announce
    published: "2025-01-10"
    language: en
organisations:
  - id: state-agency
    name: State Agency
    kind: media
    group: state
  - id: ministry
    name: Foreign Ministry
    kind: ministry
    group: state
  - id: daily
    name: The Daily
    kind: media
  - id: urdu-paper
    name: Urdu Paper
    kind: media
events:
  - id: visit-announced
    date: "2025-02"
    announced_on: "2025-01-10"
    title: A visit to Baku is announced
    summary: A visit was announced for February.
    kind: visit
    status: announced
    citations:
      - source: announcement-page
        says: Announces a visit to Baku next month.
    outcome:
      state: fulfilled
      fulfilled_by: visit
      as_of: "2025-02-25"
      citations:
        - source: urdu-daily
          says: Reports the visit took place.
  - id: visit
    date: "2025-02-24"
    title: Leaders meet in Baku
    summary: The leaders met in Baku and signed agreements.
    kind: visit
    status: occurred
    location: Baku
    citations:
      - source: agency-report
        says: Reports the meeting and the agreements.
      - source: ministry-release
        says: Describes the talks.
      - source: daily-reprint
        says: Carries the agency's report.
      - source: urdu-daily
        says: Reports the meeting in Urdu.
    disputed:
      - field: label
        value: official visit
        citations:
          - source: daily-reprint
            says: Calls it an official visit.
    figures:
      - what: agreements signed
        value: "13"
        unit: agreements
        qualifier: exact
        citations:
          - source: ministry-release
            says: Gives thirteen agreements.
  - id: talks-planned
    date: "2026-05"
    title: Talks are planned
    summary: Further talks are planned.
    kind: consultations
    status: planned
    citations:
      - source: ministry-release
        says: Plans further talks.
statements:
  - id: pledge
    speaker: ministry
    kind: paraphrase
    category: pledge
    date: "2025-02-24"
    summary: The ministry pledged more investment.
    citations:
      - source: ministry-release
        says: Pledges investment.
    outcome:
      state: no-report
      as_of: "2026-11-28"
      note: Searched for reports of the investment being made.
"""


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("citations") / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base(facts: Path) -> FactBase:
    result = validate_files([facts])
    assert [str(p) for p in result.problems] == []
    return build_fact_base(result)


def run(facts: Path, *args: str) -> Any:
    result = invoke(*args, "--no-default", "--data", str(facts), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


def test_publishers_count_once_per_reporting_chain(base: FactBase) -> None:
    visit = base.events["visit"]
    # agency + ministry share a group; the daily reprints the agency; the Urdu paper is independent.
    assert len(visit.citations) == 4
    assert publisher_count(base, visit.citations) == 2
    assert publisher_count(base, visit.citations[:1]) == 1


@pytest.mark.parametrize("store", ["index", "memory"])
def test_the_json_contract_of_events(facts: Path, store: str) -> None:
    extra = ["--no-cache"] if store == "memory" else []
    (event,) = run(facts, "events", "--on", "2025-02-24", "--status", "occurred", *extra)
    for key in ("citations", "source_count", "publisher_count", "disputed", "figures", "outcome"):
        assert key in event
    assert "source" not in event and "evidence" not in event
    assert event["source_count"] == 4 and event["publisher_count"] == 2
    first = event["citations"][0]
    assert set(first) == {"source", "publisher", "url", "published", "title", "language", "evidence", "says", "where"}
    assert first["source"] == {"id": "agency-report", "name": "Leaders meet in Baku"}
    assert first["publisher"] == {"id": "state-agency", "name": "State Agency"}
    assert first["url"] == "https://agency.example/report" and first["says"]
    assert event["figures"][0]["value"] == 13 and isinstance(event["figures"][0]["value"], int)
    assert event["disputed"][0]["field"] == "label" and event["disputed"][0]["value"] == "official visit"
    assert event["outcome"] is None
    (announced,) = run(facts, "events", "--status", "announced", *extra)
    assert announced["outcome"]["state"] == "fulfilled"
    assert announced["outcome"]["fulfilled_by"] == {"id": "visit", "name": "Leaders meet in Baku"}


@pytest.mark.parametrize("store", ["index", "memory"])
def test_citation_filters(facts: Path, store: str) -> None:
    extra = ["--no-cache"] if store == "memory" else []
    assert ids(run(facts, "events", "--min-sources", "2", *extra)) == ["visit"]
    assert ids(run(facts, "events", "--language", "ur", *extra)) == ["visit"]
    assert ids(run(facts, "events", "--disputed", *extra)) == ["visit"]
    assert ids(run(facts, "events", "--source", "announcement-page", *extra)) == ["visit-announced"]
    assert ids(run(facts, "events", "--publisher", "The Daily", *extra)) == ["visit-announced", "visit"]
    assert ids(run(facts, "events", "--publisher", "Foreign Ministry", "--year", "2026", *extra)) == ["talks-planned"]
    assert ids(run(facts, "quotes", "--publisher", "ministry", *extra)) == ["pledge"]
    assert ids(run(facts, "quotes", "--min-sources", "2", *extra)) == []
    assert [r["id"] for r in run(facts, "search", "Baku", "--min-sources", "2", *extra)] == ["visit"]


def test_unknown_source_or_publisher_is_not_found(facts: Path) -> None:
    result = invoke("events", "--no-default", "--data", str(facts), "--source", "agency-reprot")
    assert result.exit_code == 1 and "agency-report" in result.stderr
    result = invoke("events", "--no-default", "--data", str(facts), "--publisher", "Nobody Times")
    assert result.exit_code == 1 and "no publisher matches" in result.stderr


def test_drawing_commands_take_the_citation_filters(facts: Path) -> None:
    result = invoke("export", "--no-default", "--data", str(facts), "--min-sources", "2")
    assert result.exit_code == 0 and result.stdout.count("BEGIN:VEVENT") == 1
    assert "https://urdu.example/khabar" in result.stdout.replace("\r\n ", "")  # every citation's address
    result = invoke("timeline", "--no-default", "--data", str(facts), "--disputed")
    assert result.exit_code == 0 and "Leaders meet in Baku" in result.stdout
    assert "A visit to Baku is announced" not in result.stdout


def test_followups_and_lag(base: FactBase, facts: Path) -> None:
    found = {f.record.id: f for f in followups(base)}
    assert set(found) == {"visit-announced", "talks-planned", "pledge"}
    assert found["visit-announced"].lag_days == 45  # 2025-01-10 to 2025-02-24
    rows = run(facts, "followups")
    row = next(r for r in rows if r["id"] == "visit-announced")
    assert row == {
        "type": "event",
        "id": "visit-announced",
        "title": "A visit to Baku is announced",
        "status": "announced",
        "announced": "2025-01-10",
        "planned_for": "2025-02",
        "outcome": "fulfilled",
        "fulfilled_by": "visit",
        "done": "2025-02-24",
        "lag_days": 45,
        "as_of": "2025-02-25",
        "note": None,
    }
    open_ones = run(facts, "followups", "--open")
    assert ids(open_ones) == ["talks-planned", "pledge"]
    assert next(r for r in open_ones if r["id"] == "talks-planned")["outcome"] is None


def test_sources_listing_and_show(facts: Path) -> None:
    rows = run(facts, "sources")
    agency = next(r for r in rows if r["id"] == "agency-report")
    assert agency["publisher"] == {"id": "state-agency", "name": "State Agency"} and agency["cited_by"] == 1
    assert next(r for r in rows if r["id"] == "daily-reprint")["based_on"]["id"] == "agency-report"
    profile = run(facts, "show", "ministry-release")
    assert ids(profile["events"]) == ["visit", "talks-planned"] and ids(profile["statements"]) == ["pledge"]
    csv_rows = list(
        csv.DictReader(io.StringIO(invoke("events", "--no-default", "--data", str(facts), "-f", "csv").stdout))
    )
    visit = next(r for r in csv_rows if r["id"] == "visit")
    assert visit["citation_sources"] == "agency-report; ministry-release; daily-reprint; urdu-daily"
    assert visit["source_count"] == "4" and visit["publisher_count"] == "2"


def test_bibtex_parses_in_bibtexparser(facts: Path) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    result = invoke("sources", "--no-default", "--data", str(facts), "--format", "bibtex")
    assert result.exit_code == 0
    library = bibtexparser.parse_string(result.stdout)
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    assert set(entries) == {"agency-report", "ministry-release", "daily-reprint", "urdu-daily", "announcement-page"}
    assert entries["agency-report"]["url"] == "https://agency.example/report"
    assert entries["urdu-daily"]["langid"] == "ur" and entries["urdu-daily"]["year"] == "2025"
    assert "\\&" in entries["urdu-daily"]["title"] and "\\%" in entries["urdu-daily"]["title"]


def test_csl_json_renders_every_item_in_citeproc(facts: Path) -> None:
    pytest.importorskip("citeproc")
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    result = invoke("sources", "--no-default", "--data", str(facts), "--format", "csl-json")
    items = json.loads(result.stdout)
    assert [i["id"] for i in items]
    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False), CiteProcJSON(items), formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    assert any("Leaders meet in Baku" in text for text in rendered)
    assert any("https://urdu.example/khabar" in text for text in rendered)


def test_stats(facts: Path) -> None:
    stats = run(facts, "stats")
    assert stats["events"] == 3 and stats["statements"] == 1 and stats["sources"] == 5
    assert stats["languages"] == {"en": 4, "ur": 1}
    assert stats["events_per_year"] == {"2025": 2, "2026": 1}
    assert stats["corroborated_events"] == 1 and stats["open_followups"] == 2 and stats["disputes"] == 1


def test_stats_count_an_event_of_unknown_start_in_the_year_it_is_known_by(facts: Path, tmp_path: Path) -> None:
    """``../2020-12-26``: on or before that day. It is counted in 2020, not in the year 1 its first day stands for."""
    before = tmp_path / "before.yaml"
    before.write_text(
        "events:\n  - id: before\n    date: ../2020-12-26\n    title: T\n    summary: S.\n    kind: meeting\n"
        "    status: occurred\n    citations:\n      - source: agency-report\n        says: Reports it.\n",
        encoding="utf-8",
    )
    result = invoke("stats", "--no-default", "--data", str(facts), "--data", str(before), "--format", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["events_per_year"] == {"2020": 1, "2025": 2, "2026": 1}
    assert stats["coverage"] == "2020–2026"


def test_the_one_source_form_loads_as_one_citation_and_validate_says_how_to_write_it(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(
        "sources:\n  - id: notes\n    publisher: me\n    local: true\n"
        "organisations:\n  - id: me\n    name: Me\n    kind: other\n"
        "events:\n  - id: e1\n    date: '2025'\n    title: T\n    summary: S.\n    kind: other\n"
        "    status: occurred\n    source: notes\n    evidence: some words\n",
        encoding="utf-8",
    )
    result = invoke("validate", "--no-default", str(path))
    assert result.exit_code == 0
    assert "citations: [{source: ID, evidence: ...}]" in result.stderr
    (event,) = run(path, "events")
    assert event["citations"][0]["source"]["id"] == "notes" and event["citations"][0]["evidence"] == "some words"


def test_a_says_copying_a_local_source_is_reported(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "article.txt").write_text(
        "The two ministers agreed on Monday to expand cooperation in energy and trade next year.", encoding="utf-8"
    )
    path = tmp_path / "facts.yaml"
    path.write_text(
        "sources:\n  - id: article\n    publisher: me\n    local: true\n"
        "organisations:\n  - id: me\n    name: Me\n    kind: other\n"
        "events:\n  - id: e1\n    date: '2025'\n    title: T\n    summary: S.\n    kind: other\n"
        "    status: occurred\n    citations:\n      - source: article\n"
        "        says: They agreed on Monday to expand cooperation in energy and trade.\n",
        encoding="utf-8",
    )
    result = invoke("validate", "--no-default", "--sources", str(texts), str(path))
    assert result.exit_code == 65
    assert "events[0].citations[0].says: copied text" in result.stdout
