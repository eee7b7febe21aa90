"""The CLI, driven through Typer's runner, on a slice of the shipped fact base (the article's records).

Answers come from the compiled index; test_index.py checks that the files read into memory give the same.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from azpak import __version__
from azpak.render import Format
from conftest import ARTICLE, Facts, invoke, invoke_json


def ids(records: list[dict[str, object]]) -> list[object]:
    return [r["id"] for r in records]


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"azpak {__version__}"


def test_events_are_in_date_order_and_all_listed(article: Facts) -> None:
    records = article.json("events")
    assert len(records) == len(article.base.events)
    starts = [r["date_start"] for r in records]
    assert starts == sorted(starts)


def test_year_filter_overlaps(article: Facts) -> None:
    in_2025 = article.json("events", "--year", "2025")
    assert in_2025 and all(r["date_start"] <= "2025-12-31" and r["date_end"] >= "2025-01-01" for r in in_2025)
    assert "jf-17-delivery-2024" not in ids(in_2025)
    assert "jf-17-delivery-2024" in ids(article.json("events", "--year", "2024"))


def test_month_and_day_filters_match_month_precision_events(article: Facts) -> None:
    assert "jf-17-delivery-2024" in ids(article.json("events", "--month", "2024-09"))
    assert "jf-17-delivery-2024" in ids(article.json("events", "--on", "2024-09-30"))
    on_24 = ids(article.json("events", "--on", "2025-01-24"))
    assert "political-consultations-round-4" in on_24
    assert "musadik-malik-visit-2025" not in on_24


def test_since_and_until(article: Facts) -> None:
    window = ids(article.json("events", "--since", "2025-01-20", "--until", "2025-01-24"))
    assert "political-consultations-round-4" in window
    assert "musadik-malik-visit-2025" not in window
    assert "sharif-mustafayev-meeting" not in window


def test_person_org_country_sector_filters(article: Facts) -> None:
    assert "sharif-mustafayev-meeting" in ids(article.json("events", "--person", "mustafayev"))
    socar = article.json("events", "--org", "SOCAR")
    assert "musadik-malik-visit-2025" in ids(socar)
    for row in socar:
        involved = {p["id"] for p in row["participants"]} | {o["id"] for o in row["organisations"]}
        assert "socar" in involved, row["id"]
    defence = article.json("events", "--sector", "defense")
    assert "jf-17-delivery-2024" in ids(defence)
    assert all(any(s["id"] == "defence" for s in r["sectors"]) for r in defence)
    pakistan = article.json("events", "--country", "Pakistan")
    assert pakistan and all(any(c["id"] == "PK" for c in r["countries"]) for r in pakistan)


def test_kind_status_text_filters(article: Facts) -> None:
    announced = article.json("events", "--status", "announced")
    assert announced and all(r["status"] == "announced" for r in announced)
    deliveries = article.json("events", "--kind", "delivery")
    assert "jf-17-delivery-2024" in ids(deliveries) and all(r["kind"] == "delivery" for r in deliveries)
    assert "jf-17-delivery-2024" in ids(article.json("events", "--text", "thunder"))


def test_filters_combine_with_and(article: Facts) -> None:
    both = ids(article.json("events", "--year", "2024", "--sector", "defence"))
    assert "jf-17-delivery-2024" in both
    assert all(i not in both for i in ids(article.json("events", "--year", "2025")))


def test_no_match_is_success_with_empty_array_and_note(article: Facts) -> None:
    result = article.invoke("events", "--year", "1999", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "no events match" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--month", "2025-13"], "month 13 does not exist"),
        (["events", "--on", "2025-02-30"], "day 30 does not exist"),
        (["events", "--year", "25"], "expected YYYY"),
        (["events", "--kind", "party"], "unknown kind"),
        (["events", "--status", "done"], "unknown status"),
    ],
)
def test_bad_option_values_are_usage_errors(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error() -> None:
    result = invoke("events", "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.output


def test_who_profile_names_everything(article: Facts) -> None:
    profile = article.json("who", "Vugar Mustafayev")
    assert profile["id"] == "vugar-mustafayev"
    assert profile["country"] == {"id": "AZ", "name": "Azerbaijan"}
    assert profile["roles"][0]["title"] == "Minister of Defense Industry"
    (citation,) = profile["roles"][0]["citations"]
    assert citation["publisher"] == {"id": "azernews", "name": "Azernews"} and citation["evidence"]
    meeting = next(e for e in profile["events"] if e["id"] == "sharif-mustafayev-meeting")
    names = {p["name"] for p in meeting["participants"]}
    assert "Muhammad Shehbaz Sharif" in names


def test_who_matches_case_accent_and_alias(article: Facts) -> None:
    assert article.json("who", "MUSTAFAYEV")["id"] == "vugar-mustafayev"
    assert article.json("who", "Shehbaz Sharif")["id"] == "muhammad-shehbaz-sharif"
    assert article.json("who", "Mammadov")["id"] == "elnur-mammadov"


def test_who_unknown_suggests_and_exits_1(article: Facts) -> None:
    result = article.invoke("who", "Mustafaev")
    assert result.exit_code == 1
    assert "Vugar Mustafayev" in result.stderr
    assert result.stdout == ""


def test_ambiguous_name_lists_candidates(article: Facts) -> None:
    result = article.invoke("org", "organization")
    assert result.exit_code == 1
    assert "oic" in result.stderr and "eco" in result.stderr


def test_org_profile(article: Facts) -> None:
    socar = article.json("org", "socar")
    assert socar["name"] == "State Oil Company of the Azerbaijani Republic"
    assert socar["country"]["id"] == "AZ" and socar["multilateral"] is False
    assert "musadik-malik-visit-2025" in ids(socar["events"])
    assert any(s["kind"] == "press-release" for s in socar["statements"])
    eco = article.json("org", "ECO")
    assert eco["multilateral"] is True and eco["country"] is None


def test_org_lists_its_people(article: Facts) -> None:
    daily = article.json("org", "The Pakistan Daily")
    assert ids(daily["people"]) == ["raja-furqan-ahmed"]


def test_sector_profile(article: Facts) -> None:
    energy = article.json("sector", "energy")
    assert "musadik-malik-visit-2025" in ids(energy["events"])
    assert energy["statements"]


def test_listings_count_events(article: Facts) -> None:
    people = article.json("people")
    assert len(people) == len(article.base.people)
    mustafayev = next(p for p in people if p["id"] == "vugar-mustafayev")
    assert mustafayev["events"] >= 1
    countries = {c["id"]: c for c in article.json("countries")}
    assert countries["AZ"]["events"] == len(article.json("events", "--country", "AZ"))
    assert {s["id"] for s in article.json("sectors")} == set(article.base.sectors)
    assert {o["id"] for o in article.json("orgs")} == set(article.base.organisations)


def test_quotes_filters(article: Facts) -> None:
    by_furqan = article.json("quotes", "--person", "Raja Furqan")
    assert by_furqan and all(q["speaker"]["id"] == "raja-furqan-ahmed" for q in by_furqan)
    kashmir = article.json("quotes", "--topic", "Kashmir")
    assert kashmir and all(any(t["id"] == "kashmir" for t in q["topics"]) for q in kashmir)
    assert article.invoke("quotes", "--topic", "Karabakh").exit_code == 0
    assert article.invoke("quotes", "--person", "Nobody Atall").exit_code == 1


def test_search_finds_records_of_every_kind(article: Facts) -> None:
    found = article.json("search", "SOCAR")
    types = {r["type"] for r in found}
    assert {"organisation", "event", "statement"} <= types
    assert "garabagh-conflict" in ids(article.json("search", "Karabakh"))


def test_show_any_record(article: Facts) -> None:
    event = article.json("show", "pta-signing-2024")
    assert event["type"] == "event" and event["source_count"] == len(event["citations"]) >= 1
    assert any(c["evidence"] and c["published"] == "2025-02-23" for c in event["citations"])
    assert article.json("show", "AZ")["name"] == "Azerbaijan"
    missing = article.invoke("show", "pta-signing")
    assert missing.exit_code == 1 and "pta-signing-2024" in missing.stderr


def test_sources(article: Facts) -> None:
    found = article.json("sources")
    source = next(s for s in found if s["id"] == "azernews-2025-02-23")
    assert source["publisher"] == {"id": "azernews", "name": "Azernews"} and source["author"] == "Qabil Ashirov"
    assert source["published"] == "2025-02-23" and source["local"] is True
    assert source["cited_by"] == source["events"] + source["statements"] > 0
    for key in ("id", "publisher", "url", "published", "title", "language", "kind", "based_on", "cited_by"):
        assert all(key in s for s in found), key


def test_every_format_parses_back_and_carries_the_citations(article: Facts) -> None:
    def year_2025(fmt: str) -> str:
        return str(article.invoke("events", "--year", "2025", "--format", fmt).stdout)

    records = article.json("events", "--year", "2025")
    assert [json.loads(line) for line in year_2025("jsonl").splitlines()] == records
    assert yaml.safe_load(year_2025("yaml")) == records
    rows = list(csv.DictReader(io.StringIO(year_2025("csv"))))
    assert [r["id"] for r in rows] == ids(records)
    for row, record in zip(rows, records, strict=True):
        assert row["citation_sources"] == "; ".join(c["source"]["id"] for c in record["citations"])
        assert row["source_count"] == str(record["source_count"]) and row["publisher_count"]
    meeting = next(r for r in rows if r["id"] == "sharif-mustafayev-meeting")
    assert "vugar-mustafayev" in meeting["participants_ids"]
    assert [r["id"] for r in csv.DictReader(io.StringIO(year_2025("tsv")), delimiter="\t")] == ids(records)
    assert year_2025("markdown").startswith("| Date | Event |")


def test_profile_formats(article: Facts) -> None:
    as_yaml = yaml.safe_load(article.invoke("who", "Sharif", "--format", "yaml").stdout)
    assert as_yaml == article.json("who", "Sharif")
    rows = list(csv.DictReader(io.StringIO(article.invoke("who", "Sharif", "--format", "csv").stdout)))
    assert len(rows) == 1 and rows[0]["id"] == "muhammad-shehbaz-sharif"
    markdown = article.invoke("who", "Sharif", "--format", "markdown").stdout
    assert markdown.startswith("# Muhammad Shehbaz Sharif")


def test_piped_table_is_plain_and_complete(article: Facts) -> None:
    result = article.invoke("events")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["Date", "Event"]
    assert "\x1b[" not in result.stdout and "─" not in result.stdout
    assert any("2025-01-25 (derived)" in line for line in lines)
    assert article.base.events["jf-17-delivery-2024"].title in result.stdout  # nothing cut


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_works_on_every_listing_command(fmt: Format, article: Facts) -> None:
    for command in ("events", "people", "orgs", "sectors", "countries", "topics", "quotes", "sources"):
        result = article.invoke(command, "--format", fmt.value)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout.strip()


LOOKUPS = ["events", "who", "org", "sector", "people", "orgs", "sectors", "countries", "quotes", "search"]
DRAWINGS = ["timeline", "graph", "export"]


@pytest.mark.parametrize("command", LOOKUPS + DRAWINGS)
def test_help_has_examples(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    _, examples = result.stdout.split("Example", 1)  # after the usage line, which names the command anyway
    examples = re.split(r"\n(?:Options|Arguments):", examples)[0]
    assert re.search(rf"^ +azpak {command}\b", examples, re.MULTILINE), examples
    if command in DRAWINGS:  # the same filters as `events`
        for option in ("--year", "--person", "--status", "--text", "--data"):
            assert option in result.stdout


def test_text_matches_words_not_ids_or_fragments(article: Facts, tmp_path: Path) -> None:
    from azpak.query.questions import record_text

    base = article.base
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        'events:\n  - id: talks-2025\n    date: "2025-03-01"\n    title: Talks\n    summary: They talked.\n'
        f"    kind: meeting\n    status: occurred\n    citations: [{{source: {ARTICLE}, says: They talked.}}]\n",
        encoding="utf-8",
    )
    in_2025 = ids(invoke_json("events", "--text", "2025", *article.args, "--data", str(extra)))
    # Ids, dates and sources' dates are not text: an event with 2025 only in its id and date does not match.
    assert in_2025 and "talks-2025" not in in_2025
    assert all(" 2025 " in record_text(base, base.events[i]) for i in in_2025)
    # "war" is in "towards" of this statement: a fragment inside a word does not match.
    assert "towards" in record_text(base, base.statements["furqan-visit-diplomatic-effort"])
    assert all(r["id"] != "furqan-visit-diplomatic-effort" for r in article.json("search", "war"))
    assert "jf-17-delivery-2024" in ids(article.json("events", "--text", "thund"))  # a word start matches


def test_names_in_other_scripts_match(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "cyrillic.yaml"
    extra.write_text("people:\n  - id: sharif-ru\n    name: Шахбаз Шариф\n    aliases: [Шариф]\n", encoding="utf-8")
    result = invoke("who", "шариф", "--no-default", "--data", str(extra), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "sharif-ru"


def test_an_empty_name_is_a_usage_error(article: Facts) -> None:
    for args in (["who", ""], ["events", "--country", " "], ["quotes", "--person", ""]):
        result = article.invoke(*args)
        assert result.exit_code == 2, (args, result.output)


def test_rows_have_the_documented_fields_and_csv_headers_do_not_depend_on_the_data(article: Facts) -> None:
    from azpak.views.rows import RECORD_FIELDS

    for command, kind in (("events", "event"), ("quotes", "statement"), ("people", "person"), ("orgs", "organisation")):
        for row in article.json(command):
            assert tuple(row) == RECORD_FIELDS[kind], command
    headers = {
        article.invoke("events", *args, "--format", "csv").stdout.splitlines()[0]
        for args in (["--year", "1999"], ["--year", "2024"], ["--year", "2025"], ["--org", "socar"])
    }
    assert len(headers) == 1
    assert "organisations_ids" in headers.pop()


def test_a_command_without_any_error_decorator_still_exits_with_the_documented_code() -> None:
    from azpak.cli.app import app
    from azpak.errors import NotFoundError

    def boom() -> None:
        raise NotFoundError("nothing by that name")

    app.command("boom-for-a-test")(boom)
    try:
        result = invoke("boom-for-a-test")
    finally:
        app.registered_commands = [c for c in app.registered_commands if c.name != "boom-for-a-test"]
    assert result.exit_code == 1
    assert result.stderr == "azpak: nothing by that name\n" and "Traceback" not in result.output


def test_the_command_table_says_what_each_command_says_of_itself() -> None:
    from azpak.cli.app import COMMANDS, build_command

    for name, (_, summary) in COMMANDS.items():
        command = build_command(name)
        first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
        assert first_paragraph == summary, name
        assert command.name == name
