"""The compiled index: built once, rebuilt when needed, never in the way, same answers as the files."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from azpak.facts.model import FactBase
from azpak.store.index import list_indexes
from conftest import REPO, Facts, Runs, app, invoke, runner, started_early

sys.path.insert(0, str(REPO / "bench"))
from synth import generate

QUERIES = [
    ["events"],
    ["events", "--year", "2020"],
    ["events", "--person", "Vugar Mustafayev"],
    ["events", "--person", "mustafayev", "--sector", "energy"],
    ["events", "--since", "2010-01", "--until", "2012-06-30", "--status", "announced"],
    ["events", "--text", "pipeline strategic"],
    ["events", "--org", "ORG3"],
    ["events", "--country", "pakistan", "--year", "2003"],
    ["who", "Vugar Mustafayev"],
    ["org", "ORG2"],
    ["sector", "energy"],
    ["people"],
    ["orgs"],
    ["sectors"],
    ["countries"],
    ["quotes", "--person", "person-5"],
    ["quotes", "--topic", "energy"],
    ["search", "fraternal"],
    ["search", "ka"],
    ["show", "event-7"],
    ["sources"],
]


#: The article's slice, asked what test_cli.py asks it from the index alone.
ARTICLE_QUERIES = [
    ["events", "--year", "2025"],
    ["events", "--month", "2024-09"],
    ["events", "--on", "2025-01-24"],
    ["events", "--since", "2025-01-20", "--until", "2025-01-24"],
    ["events", "--person", "mustafayev"],
    ["events", "--org", "SOCAR", "--sector", "defense"],
    ["events", "--country", "Pakistan", "--kind", "delivery"],
    ["events", "--status", "announced"],
    ["events", "--text", "thund"],
    ["events", "--text", "2025"],
    ["events", "--topic", "Kashmir"],
    ["events", "--year", "1999"],
    ["who", "Vugar Mustafayev"],
    ["who", "Mammadov"],
    ["org", "socar"],
    ["org", "The Pakistan Daily"],
    ["sector", "energy"],
    ["people"],
    ["orgs"],
    ["sectors"],
    ["countries"],
    ["topics"],
    ["quotes", "--person", "Raja Furqan"],
    ["quotes", "--topic", "Karabakh"],
    ["search", "SOCAR"],
    ["search", "war"],
    ["show", "pta-signing-2024"],
    ["show", "AZ"],
    ["sources"],
]
#: Names that match nothing, or more than one record: the message and its suggestions.
NOT_FOUND = [
    ["who", "Mustafaev"],
    ["show", "event-x7"],
    ["events", "--sector", "defense-industry"],
    ["org", "Organisatio"],
    ["quotes", "--person", "Musta"],
    ["events", "--person", "Elkara", "--org", "Organisaton"],
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "facts.yaml"
    path.write_text("".join(generate(200)), encoding="utf-8")
    return path


_LOADED: dict[tuple[object, ...], FactBase] = {}


@pytest.fixture()
def read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-memory store reads each unchanged set of fact files once, not once per command."""
    from azpak.facts import load

    read = load.load_fact_base

    def load_fact_base(extra: list[Path] | None = None, *, include_default: bool = True) -> FactBase:
        files = [Path(p) for p in extra or []]
        key = (include_default, *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
        if key not in _LOADED:
            _LOADED[key] = read(extra, include_default=include_default)
        return _LOADED[key]

    monkeypatch.setattr(load, "load_fact_base", load_fact_base)


def both_stores(args: list[str], data: Path, *options: str) -> tuple[Any, Any]:
    """The answers from the compiled index and from the files read into memory."""
    indexed = invoke(*args, "--no-default", "--data", str(data), *options)
    direct = invoke(*args, "--no-default", "--data", str(data), *options, "--no-cache")
    return indexed, direct


@pytest.mark.usefixtures("read_once")
@pytest.mark.parametrize("args", QUERIES, ids=" ".join)
def test_index_and_files_give_identical_answers(args: list[str], synthetic: Path) -> None:
    indexed, direct = both_stores(args, synthetic, "--format", "json")
    assert indexed.exit_code == direct.exit_code == 0, (indexed.output, direct.output)
    assert indexed.stdout == direct.stdout
    assert json.loads(indexed.stdout)  # a real answer, not two empty ones


@pytest.mark.usefixtures("read_once")
@pytest.mark.parametrize("args", ARTICLE_QUERIES, ids=" ".join)
def test_index_and_files_give_identical_answers_on_the_article(args: list[str], article: Facts) -> None:
    indexed, direct = both_stores(args, article.path, "--format", "json")
    assert indexed.exit_code == direct.exit_code == 0, (indexed.output, direct.output)
    assert (indexed.stdout, indexed.stderr) == (direct.stdout, direct.stderr)


#: Events of very different lengths: the index finds events by date through their first day and the
#: longest event's length, so a long or open-ended one must still be found anywhere inside it.
LONG_EVENTS = {"decade": "1995/2010-06", "open": "2001-03/..", "day": "2003-05-05", "month": "2012-02"}


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["--on", "2005-06-01"], ["decade", "open"]),
        (["--year", "1994"], []),
        (["--year", "1995"], ["decade"]),
        (["--month", "2003-05"], ["day", "decade", "open"]),
        (["--since", "2010-07-01"], ["month", "open"]),
        (["--until", "2001-02-28"], ["decade"]),
        (["--on", "2012-02-29", "--year", "2012"], ["month", "open"]),
        (["--on", "2030-01-01"], ["open"]),
    ],
    ids=" ".join,
)
def test_events_of_any_length_are_found_by_date(
    dates: list[str], expected: list[str], article: Facts, tmp_path: Path
) -> None:
    lines = ["events:"]
    for event_id, date in LONG_EVENTS.items():
        lines += [
            f"  - id: {event_id}",
            f'    date: "{date}"',
            f"    title: {event_id.capitalize()}",
            "    summary: A meeting.",
            "    kind: meeting",
            "    status: occurred",
            "    citations:",
            "      - source: azernews-2025-02-23",
            "        evidence: Azernews",
        ]
    extra = tmp_path / "long.yaml"
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["events", *dates, *article.args, "--data", str(extra), "--format", "json"]
    indexed, direct = invoke(*args), invoke(*args, "--no-cache")
    assert indexed.exit_code == direct.exit_code == 0, indexed.output
    assert indexed.stdout == direct.stdout
    assert sorted(e["id"] for e in json.loads(indexed.stdout) if e["id"] in LONG_EVENTS) == expected


@pytest.mark.usefixtures("read_once")
@pytest.mark.parametrize("args", NOT_FOUND, ids=" ".join)
def test_not_found_messages_are_identical(args: list[str], synthetic: Path) -> None:
    indexed, direct = both_stores(args, synthetic)
    assert indexed.exit_code == direct.exit_code == 1
    assert indexed.stderr == direct.stderr


@pytest.mark.usefixtures("read_once")
def test_an_ambiguous_name_lists_the_same_candidates(article: Facts) -> None:
    indexed, direct = both_stores(["org", "organization"], article.path)
    assert indexed.exit_code == direct.exit_code == 1
    assert sorted(indexed.stderr.splitlines()) == sorted(direct.stderr.splitlines())
    assert {"oic", "eco"} <= {line.split()[0] for line in indexed.stderr.splitlines()[1:]}


@pytest.mark.usefixtures("read_once")
def test_an_ambiguous_name_lists_the_candidates_in_the_same_order(article: Facts) -> None:
    indexed, direct = both_stores(["org", "organization"], article.path)
    assert indexed.stderr == direct.stderr


def test_an_unknown_name_fetches_only_the_records_it_may_suggest(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from azpak.store.index import IndexStore

    assert invoke("sources", "--no-default", "--data", str(synthetic)).exit_code == 0  # compile first
    fetched: list[str] = []
    original = IndexStore._fetch

    def recording(self: IndexStore, ids: Any) -> Any:
        wanted = list(ids)
        fetched.extend(wanted)
        return original(self, wanted)

    monkeypatch.setattr(IndexStore, "_fetch", recording)
    result = invoke("who", "Mustafaev", "--no-default", "--data", str(synthetic))
    assert result.exit_code == 1 and "Did you mean: Vugar Mustafayev" in result.stderr
    people = [record_id for record_id in fetched if record_id.startswith("person-")]
    assert 0 < len(people) <= 3  # of the 10 people: only those whose names are suggested


def test_the_text_index_is_built_on_first_search_and_follows_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "facts.yaml"
    data.write_text("".join(generate(20)), encoding="utf-8")
    args = ("--no-default", "--data", str(data), "--format", "json")
    assert invoke("events", *args).exit_code == 0
    assert [p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()] == ["index"]
    before = json.loads(invoke("search", "zyxwv", *args).stdout)
    assert before == []
    (index,) = list_indexes(tmp_path / "cache")
    assert index.text_built and index.text_bytes > 0
    text = data.read_text(encoding="utf-8").replace('title: "', 'title: "Zyxwvut ', 1)
    data.write_text(text, encoding="utf-8")
    os.utime(data, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert [row["id"] for row in json.loads(invoke("search", "zyxwv", *args).stdout)] == ["event-0"]
    (index,) = list_indexes(tmp_path / "cache")
    assert index.current and index.text_built  # rebuilt from the new index, not the stale text file


@pytest.mark.usefixtures("read_once")
def test_an_unwritable_text_index_is_built_in_memory(synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from azpak.store import index as index_module

    args = ("search", "fraternal", "--no-default", "--data", str(synthetic), "--format", "json")
    assert invoke("sources", "--no-default", "--data", str(synthetic)).exit_code == 0  # compile first
    original = index_module._write_atomically

    def refuse(path: Path, prefix: str, fill: Any) -> None:
        if prefix == ".text-":
            raise OSError("read-only")
        original(path, prefix, fill)

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(index_module.cache_dir()))
    # Only this file's: the run's other indexes may be in use by processes running meanwhile.
    (text,) = [index_module.text_path(i.path) for i in list_indexes() if i.files == [str(synthetic.resolve())]]
    text.unlink(missing_ok=True)
    monkeypatch.setattr(index_module, "_write_atomically", refuse)
    from_memory = invoke(*args)
    monkeypatch.setenv("AZPAK_NO_CACHE", "1")
    direct = invoke(*args)
    assert from_memory.exit_code == direct.exit_code == 0
    assert from_memory.stdout == direct.stdout and len(json.loads(direct.stdout)) == 5
    assert not text.exists()


def test_index_is_built_once_and_rebuilt_when_a_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "facts.yaml"
    data.write_text("".join(generate(20)), encoding="utf-8")
    assert invoke("events", "--no-default", "--data", str(data), "--format", "json").exit_code == 0
    (index,) = list_indexes(tmp_path / "cache")
    assert index.current and index.files == [str(data.resolve())]
    built = index.path.stat().st_mtime_ns
    assert invoke("events", "--no-default", "--data", str(data)).exit_code == 0
    assert index.path.stat().st_mtime_ns == built  # reused, not rebuilt
    text = data.read_text(encoding="utf-8").replace("id: event-3\n", "id: event-renamed\n")
    data.write_text(text, encoding="utf-8")
    os.utime(data, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    result = invoke("show", "event-renamed", "--no-default", "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.output
    assert index.path.stat().st_mtime_ns != built


def test_corrupt_index_is_rebuilt_silently(article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    assert article.invoke("who", "Mustafayev", "--format", "json").exit_code == 0
    (index,) = list_indexes(tmp_path)
    index.path.write_bytes(b"this is not a database" * 100)
    result = article.invoke("who", "Mustafayev", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["id"] == "vugar-mustafayev"
    assert list_indexes(tmp_path)[0].current


def test_unwritable_cache_directory_is_not_an_error(
    article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("AZPAK_CACHE_DIR", str(blocker / "cache"))
    result = article.invoke("who", "Mustafayev", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["id"] == "vugar-mustafayev"


def first_runs_at_once(tmp_path_factory: pytest.TempPathFactory, environ: dict[str, str]) -> Runs:
    where = tmp_path_factory.mktemp("concurrent")
    data = where / "facts.yaml"
    data.write_text("".join(generate(150)), encoding="utf-8")
    env = {**environ, "AZPAK_CACHE_DIR": str(where / "cache"), "NO_COLOR": "1"}
    command = [
        sys.executable,
        "-m",
        "azpak",
        "who",
        "Vugar Mustafayev",
        "--no-default",
        "--data",
        str(data),
        "-f",
        "json",
    ]
    return Runs([command] * 4, env=env)


@started_early(first_runs_at_once)
def test_concurrent_first_runs_all_succeed(started: Runs) -> None:
    runs = started.results()
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    assert len({run.stdout for run in runs}) == 1
    cache = Path(started.envs[0]["AZPAK_CACHE_DIR"])
    assert [p.name for p in cache.iterdir()] == [list_indexes(cache)[0].path.name]


def test_cache_info_and_clear(article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    article.invoke("sources")
    info = json.loads(invoke("cache", "info", "--format", "json").stdout)
    assert len(info) == 1 and info[0]["current"] is True and info[0]["files"] == [str(article.path)]
    assert info[0]["text_bytes"] == 0 and info[0]["text_built"] is False  # built on the first text search
    assert article.invoke("search", "JF-17").exit_code == 0
    info = json.loads(invoke("cache", "info", "--format", "json").stdout)
    assert info[0]["text_bytes"] > 0 and info[0]["text_built"] is True
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["index", "text"]
    cleared = invoke("cache", "clear")
    assert cleared.exit_code == 0 and "removed 2 index files" in cleared.stderr  # the index and its text index
    assert json.loads(invoke("cache", "info", "--format", "json").stdout) == []


def test_no_cache_leaves_no_index(article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    assert article.invoke("events", "--no-cache").exit_code == 0
    assert list(tmp_path.iterdir()) == []


def completions(words: str) -> list[str]:
    env = {"_AZPAK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = runner.invoke(app, [], env=env, prog_name="azpak")
    assert result.exit_code == 0, result.output
    return str(result.stdout).splitlines()


@pytest.mark.usefixtures("shipped_index")
def test_shell_completion_of_commands_options_and_names() -> None:
    assert "events" in completions("azpak ev")
    assert "--person" in completions("azpak events --pe")
    assert "Vugar Mustafayev" in completions("azpak who Vug")
    assert "SOCAR" in completions("azpak events --org SO")
    assert "defence" in completions("azpak events --sector def")
    assert "Kashmir" in completions("azpak quotes --topic Kas")
    assert "pta-signing-2024" in completions("azpak show pta")
    assert "Musadik Malik" in completions("azpak graph --around Mus")
    assert "validate" in completions("azpak vali")


@pytest.mark.usefixtures("shipped_index")
def test_source_completion_offers_ids_only(base: FactBase) -> None:
    """``--source`` takes an id: a source's title, which the option would refuse, is never offered."""
    offered = completions("azpak events --source a")
    assert offered and offered == sorted(i for i in base.sources if i.startswith("a"))


#: What is being completed: the command name, and a name after the command (the program then builds that command only).
COMPLETED = ["azpak who Vug", "azpak vali"]


def completed_by_the_entry_point(shipped_index: None, environ: dict[str, str]) -> Runs:
    azpak = Path(sys.executable).parent / "azpak"
    if not azpak.exists():
        return Runs([], env=[])
    envs = [
        {**environ, "_AZPAK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
        for words in COMPLETED
    ]
    return Runs([[str(azpak)]] * len(COMPLETED), env=envs)


@started_early(completed_by_the_entry_point)
def test_shell_completion_through_the_entry_point(started: Runs) -> None:
    """The installed program builds only the command it runs: completion still offers every command, and names."""
    if not started.commands:
        pytest.skip("the azpak entry point is not installed in this environment")
    runs = started.results()
    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    assert "Vugar Mustafayev" in runs[0].stdout.splitlines()
    assert runs[1].stdout.splitlines() == ["validate"]


def test_text_search_agrees_both_ways_on_words_from_all_through_the_facts(article: Facts) -> None:
    """Words (and word starts) from all through the article's records, and every word with a letter beyond ASCII,
    find the same records from the index and from the files.

    The two stores are compared in-process: the CLI is the same code over either store.
    """
    import re

    from azpak.query.questions import EventQuery, search, search_words
    from azpak.store.index import GuardedStore, open_or_build
    from azpak.store.memory import MemoryStore, find_events

    indexed = open_or_build([article.path])
    assert isinstance(indexed, GuardedStore)
    direct = MemoryStore(article.base)
    text = article.path.read_text(encoding="utf-8")
    words = sorted({w.lower() for w in re.findall(r"[A-Za-zÀ-ž]{3,}", text)})
    sample = words[::30] + sorted({w[:4] for w in words})[::60] + [w for w in words if not w.isascii()]
    sample += ["stated", "ab", "x"]
    for word in sample:
        answers = []
        for store in (indexed, direct):
            _, events = find_events(store, EventQuery(text=word))
            found = search(store.search_base(search_words(word)), word)
            answers.append(([e.id for e in events], [(kind, r.id) for kind, r in found]))
        assert answers[0] == answers[1], word
    for command in (["events", "--text", "energy"], ["search", "Baku"]):  # and end to end, once each
        first = article.invoke(*command, "--format", "json")
        second = article.invoke(*command, "--format", "json", "--no-cache")
        assert (first.exit_code, first.stdout) == (second.exit_code, second.stdout), command
