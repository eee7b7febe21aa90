"""The CLI, driven through Typer's runner, on the shipped fact base."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from azpak import __version__
from azpak.facts.load import load_fact_base as _read_fact_base
from azpak.render import Format
from conftest import invoke, invoke_json


@pytest.fixture(autouse=True, params=["index", "memory"])
def answered_from(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs twice: answered from the compiled index, and from the files read into memory."""
    if request.param == "memory":
        monkeypatch.setenv("AZPAK_NO_CACHE", "1")
        monkeypatch.setattr("azpak.facts.load.load_fact_base", _loaded_once)
    return str(request.param)


_LOADED: dict[object, object] = {}


def _loaded_once(extra: list[Path] | None = None, *, include_default: bool = True) -> object:
    """The in-memory store's loader, reading each unchanged set of files once per test run (the answers are
    the same; reading the YAML again for each of a hundred tests only costs time)."""
    from azpak.facts.files import default_fact_file

    paths = ([default_fact_file()] if include_default else []) + [Path(p) for p in extra or []]
    key = (include_default, tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.is_file()))
    if key not in _LOADED or any(not p.is_file() for p in paths):
        _LOADED[key] = _read_fact_base(extra, include_default=include_default)
    return _LOADED[key]


def ids(records: list[dict[str, object]]) -> list[object]:
    return [r["id"] for r in records]


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"azpak {__version__}"


def test_events_are_in_date_order_and_all_listed(base) -> None:  # type: ignore[no-untyped-def]
    records = invoke_json("events")
    assert len(records) == len(base.events)
    starts = [r["date_start"] for r in records]
    assert starts == sorted(starts)


def test_year_filter_overlaps() -> None:
    in_2025 = invoke_json("events", "--year", "2025")
    assert in_2025 and all(r["date_start"] <= "2025-12-31" and r["date_end"] >= "2025-01-01" for r in in_2025)
    assert "jf-17-delivery-2024" not in ids(in_2025)
    assert "jf-17-delivery-2024" in ids(invoke_json("events", "--year", "2024"))


def test_month_and_day_filters_match_month_precision_events() -> None:
    assert "jf-17-delivery-2024" in ids(invoke_json("events", "--month", "2024-09"))
    assert "jf-17-delivery-2024" in ids(invoke_json("events", "--on", "2024-09-30"))
    on_24 = ids(invoke_json("events", "--on", "2025-01-24"))
    assert "political-consultations-round-4" in on_24
    assert "musadik-malik-visit-2025" not in on_24


def test_since_and_until() -> None:
    window = ids(invoke_json("events", "--since", "2025-01-20", "--until", "2025-01-24"))
    assert "political-consultations-round-4" in window
    assert "musadik-malik-visit-2025" not in window
    assert "sharif-mustafayev-meeting" not in window


def test_person_org_country_sector_filters() -> None:
    assert "sharif-mustafayev-meeting" in ids(invoke_json("events", "--person", "mustafayev"))
    socar = invoke_json("events", "--org", "SOCAR")
    assert "musadik-malik-visit-2025" in ids(socar)
    for row in socar:
        involved = {p["id"] for p in row["participants"]} | {o["id"] for o in row["organisations"]}
        assert "socar" in involved, row["id"]
    defence = invoke_json("events", "--sector", "defense")
    assert "jf-17-delivery-2024" in ids(defence)
    assert all(any(s["id"] == "defence" for s in r["sectors"]) for r in defence)
    assert all(any(c["id"] == "TR" for c in r["countries"]) for r in invoke_json("events", "--country", "Turkey"))


def test_kind_status_text_filters() -> None:
    announced = invoke_json("events", "--status", "announced")
    assert announced and all(r["status"] == "announced" for r in announced)
    deliveries = invoke_json("events", "--kind", "delivery")
    assert "jf-17-delivery-2024" in ids(deliveries) and all(r["kind"] == "delivery" for r in deliveries)
    assert "jf-17-delivery-2024" in ids(invoke_json("events", "--text", "thunder"))


def test_filters_combine_with_and() -> None:
    both = ids(invoke_json("events", "--year", "2024", "--sector", "defence"))
    assert "jf-17-delivery-2024" in both
    assert all(i not in both for i in ids(invoke_json("events", "--year", "2025")))


def test_no_match_is_success_with_empty_array_and_note() -> None:
    result = invoke("events", "--year", "1999", "--format", "json")
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


def test_who_profile_names_everything() -> None:
    profile = invoke_json("who", "Vugar Mustafayev")
    assert profile["id"] == "vugar-mustafayev"
    assert profile["country"] == {"id": "AZ", "name": "Azerbaijan"}
    assert profile["roles"][0]["title"] == "Minister of Defense Industry"
    (citation,) = profile["roles"][0]["citations"]
    assert citation["publisher"] == {"id": "azernews", "name": "Azernews"} and citation["evidence"]
    meeting = next(e for e in profile["events"] if e["id"] == "sharif-mustafayev-meeting")
    names = {p["name"] for p in meeting["participants"]}
    assert "Muhammad Shehbaz Sharif" in names


def test_who_matches_case_accent_and_alias() -> None:
    assert invoke_json("who", "MUSTAFAYEV")["id"] == "vugar-mustafayev"
    assert invoke_json("who", "Shehbaz Sharif")["id"] == "muhammad-shehbaz-sharif"
    assert invoke_json("who", "Mammadov")["id"] == "elnur-mammadov"


def test_who_unknown_suggests_and_exits_1() -> None:
    result = invoke("who", "Mustafaev")
    assert result.exit_code == 1
    assert "Vugar Mustafayev" in result.stderr
    assert result.stdout == ""


def test_ambiguous_name_lists_candidates() -> None:
    result = invoke("org", "organization")
    assert result.exit_code == 1
    assert "oic" in result.stderr and "eco" in result.stderr


def test_org_profile() -> None:
    socar = invoke_json("org", "socar")
    assert socar["name"] == "State Oil Company of the Azerbaijani Republic"
    assert socar["country"]["id"] == "AZ" and socar["multilateral"] is False
    assert "musadik-malik-visit-2025" in ids(socar["events"])
    assert any(s["kind"] == "press-release" for s in socar["statements"])
    eco = invoke_json("org", "ECO")
    assert eco["multilateral"] is True and eco["country"] is None


def test_org_lists_its_people() -> None:
    daily = invoke_json("org", "The Pakistan Daily")
    assert ids(daily["people"]) == ["raja-furqan-ahmed"]


def test_sector_profile() -> None:
    energy = invoke_json("sector", "energy")
    assert "musadik-malik-visit-2025" in ids(energy["events"])
    assert energy["statements"]


def test_listings_count_events(base) -> None:  # type: ignore[no-untyped-def]
    people = invoke_json("people")
    assert len(people) == len(base.people)
    mustafayev = next(p for p in people if p["id"] == "vugar-mustafayev")
    assert mustafayev["events"] >= 1
    countries = {c["id"]: c for c in invoke_json("countries")}
    assert countries["AZ"]["events"] == invoke_json("events", "--country", "AZ").__len__()
    assert {s["id"] for s in invoke_json("sectors")} == set(base.sectors)
    assert {o["id"] for o in invoke_json("orgs")} == set(base.organisations)


def test_quotes_filters() -> None:
    by_furqan = invoke_json("quotes", "--person", "Raja Furqan")
    assert by_furqan and all(q["speaker"]["id"] == "raja-furqan-ahmed" for q in by_furqan)
    kashmir = invoke_json("quotes", "--topic", "Kashmir")
    assert kashmir and all(any(t["id"] == "kashmir" for t in q["topics"]) for q in kashmir)
    assert invoke("quotes", "--topic", "Karabakh").exit_code == 0
    assert invoke("quotes", "--person", "Nobody Atall").exit_code == 1


def test_search_finds_records_of_every_kind() -> None:
    found = invoke_json("search", "SOCAR")
    types = {r["type"] for r in found}
    assert {"organisation", "event", "statement"} <= types
    assert "garabagh-conflict" in ids(invoke_json("search", "Karabakh"))


def test_show_any_record() -> None:
    event = invoke_json("show", "pta-signing-2024")
    assert event["type"] == "event" and event["source_count"] == len(event["citations"]) >= 1
    assert any(c["evidence"] and c["published"] == "2025-02-23" for c in event["citations"])
    assert invoke_json("show", "AZ")["name"] == "Azerbaijan"
    missing = invoke("show", "pta-signing")
    assert missing.exit_code == 1 and "pta-signing-2024" in missing.stderr


def test_sources() -> None:
    found = invoke_json("sources")
    source = next(s for s in found if s["id"] == "azernews-2025-02-23")
    assert source["publisher"] == {"id": "azernews", "name": "Azernews"} and source["author"] == "Qabil Ashirov"
    assert source["published"] == "2025-02-23" and source["local"] is True
    assert source["cited_by"] == source["events"] + source["statements"] > 0
    for key in ("id", "publisher", "url", "published", "title", "language", "kind", "based_on", "cited_by"):
        assert all(key in s for s in found), key


def test_every_format_parses_back_and_carries_the_citations() -> None:
    records = invoke_json("events", "--year", "2025")
    jsonl = invoke("events", "--year", "2025", "--format", "jsonl").stdout
    assert [json.loads(line) for line in jsonl.splitlines()] == records
    as_yaml = yaml.safe_load(invoke("events", "--year", "2025", "--format", "yaml").stdout)
    assert as_yaml == records
    rows = list(csv.DictReader(io.StringIO(invoke("events", "--year", "2025", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == ids(records)
    for row, record in zip(rows, records, strict=True):
        assert row["citation_sources"] == "; ".join(c["source"]["id"] for c in record["citations"])
        assert row["source_count"] == str(record["source_count"]) and row["publisher_count"]
    meeting = next(r for r in rows if r["id"] == "sharif-mustafayev-meeting")
    assert "vugar-mustafayev" in meeting["participants_ids"]
    tsv = invoke("events", "--year", "2025", "--format", "tsv").stdout
    assert [r["id"] for r in csv.DictReader(io.StringIO(tsv), delimiter="\t")] == ids(records)
    markdown = invoke("events", "--year", "2025", "--format", "markdown").stdout
    assert markdown.startswith("| Date | Event |")


def test_profile_formats() -> None:
    as_yaml = yaml.safe_load(invoke("who", "Sharif", "--format", "yaml").stdout)
    assert as_yaml == invoke_json("who", "Sharif")
    rows = list(csv.DictReader(io.StringIO(invoke("who", "Sharif", "--format", "csv").stdout)))
    assert len(rows) == 1 and rows[0]["id"] == "muhammad-shehbaz-sharif"
    markdown = invoke("who", "Sharif", "--format", "markdown").stdout
    assert markdown.startswith("# Muhammad Shehbaz Sharif")


def test_piped_table_is_plain_and_complete() -> None:
    result = invoke("events")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["Date", "Event"]
    assert "\x1b[" not in result.stdout and "─" not in result.stdout
    assert any("2025-01-25 (derived)" in line for line in lines)
    title = invoke_json("show", "jf-17-delivery-2024")["title"]
    assert title in result.stdout  # nothing cut


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_works_on_every_listing_command(fmt: Format) -> None:
    for command in ("events", "people", "orgs", "sectors", "countries", "topics", "quotes", "sources"):
        result = invoke(command, "--format", fmt.value)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout.strip()


def test_help_has_examples() -> None:
    for command in ("events", "who", "org", "sector", "people", "orgs", "sectors", "countries", "quotes", "search"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "azpak " + command in result.stdout, command


def test_text_matches_words_not_ids_or_fragments(base) -> None:  # type: ignore[no-untyped-def]
    from azpak.query.questions import record_text

    in_2025 = ids(invoke_json("events", "--text", "2025"))
    # Ids, dates and sources' dates are not text: an event with 2025 only in its id or date does not match.
    only_in_id = [e.id for e in base.events.values() if "2025" in e.id and " 2025 " not in record_text(base, e)]
    assert only_in_id and not set(only_in_id) & set(in_2025)
    assert all(" 2025 " in record_text(base, base.events[i]) for i in in_2025)
    assert all(r["id"] != "furqan-visit-diplomatic-effort" for r in invoke_json("search", "war"))  # not in "towards"
    assert "jf-17-delivery-2024" in ids(invoke_json("events", "--text", "thund"))  # a word start matches


def test_names_in_other_scripts_match(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "cyrillic.yaml"
    extra.write_text("people:\n  - id: sharif-ru\n    name: Шахбаз Шариф\n    aliases: [Шариф]\n", encoding="utf-8")
    result = invoke("who", "шариф", "--data", str(extra), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "sharif-ru"


def test_an_empty_name_is_a_usage_error() -> None:
    for args in (["who", ""], ["events", "--country", " "], ["quotes", "--person", ""]):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)


def test_rows_have_the_documented_fields_and_csv_headers_do_not_depend_on_the_data() -> None:
    from azpak.views.rows import RECORD_FIELDS

    for command, kind in (("events", "event"), ("quotes", "statement"), ("people", "person"), ("orgs", "organisation")):
        for row in invoke_json(command):
            assert tuple(row) == RECORD_FIELDS[kind], command
    headers = {
        invoke("events", *args, "--format", "csv").stdout.splitlines()[0]
        for args in (["--year", "1999"], ["--year", "2024"], ["--year", "2025"], ["--org", "socar"])
    }
    assert len(headers) == 1
    assert "organisations_ids" in headers.pop()


def test_terminal_table_keeps_words_whole_or_falls_back_to_blocks() -> None:
    import io

    from azpak.facts.load import load_fact_base
    from azpak.render import Output
    from azpak.render.table import RichRenderer
    from azpak.views.listings import listing

    base = load_fact_base()
    view = listing(base, "event", base.sorted_events())
    for width in (60, 80, 100, 200):
        stream = io.StringIO()
        RichRenderer().render(view, Output(stream=stream, terminal=True, color=False, width=width))
        text = stream.getvalue()
        assert max(len(line) for line in text.splitlines()) <= width
        # Rows are at most three lines (an id under the title): long text ends in "…" on narrow terminals.
        words = ("Preferential",) + (("Mustafayev",) if width >= 100 else ())
        words += ("Agriculture;", "(signatory);") if width >= 200 else ()
        for word in words:
            assert word in text, (width, word)  # never broken across lines


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


def test_help_lists_the_commands_without_importing_any(tmp_path: Path) -> None:
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from azpak.cli.app import app\n"
        "listed = CliRunner().invoke(app, ['--help']).stdout\n"
        "print(sorted(m for m in sys.modules if m.startswith('azpak.cli.') and m != 'azpak.cli.app'))\n"
        "print([line.split()[0] for line in listed.split('Commands:')[1].splitlines() if line.strip()])\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=tmp_path, check=False)
    imported, listed = done.stdout.splitlines()
    assert imported == "['azpak.cli.streams']", done.stderr
    from azpak.cli.app import COMMANDS

    assert listed == repr(list(COMMANDS))


def test_the_app_alone_has_every_command_and_imports_each_only_when_asked(tmp_path: Path) -> None:
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from azpak.cli.app import app\n"
        "print('drawing' in ' '.join(m for m in sys.modules if m.startswith('azpak.cli')))\n"
        "listed = CliRunner().invoke(app, ['--help']).stdout\n"
        "print(all(f'  {name} ' in listed for name in ('validate', 'schema', 'timeline', 'graph', 'export')))\n"
        "print(CliRunner().invoke(app, ['schema']).exit_code)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.stdout.split() == ["False", "True", "0"], done.stderr
