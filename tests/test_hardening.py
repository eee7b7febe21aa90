"""Issue 11, round two of hardening: each defect checked through the client that broke on it.

CSV is read back by Python's csv module, TSV by `cut` and `awk`, Markdown by markdown-it-py,
the schema by the jsonschema library; write errors on /dev/full and a closed stdout; Ctrl-C on a pty.
Fact files made here cite the article of the slice of the shipped facts (conftest's ``article``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from azpak.facts.model import FactBase
from conftest import Facts, Runs, invoke, started_early

EVIL_TITLES = [
    "\r=4+4",
    "Delegation visit\r=1+1",
    "  \x07=HYPERLINK(1)",
    "Tab\there",
    'Quote " and , comma',
    "Back\\slash and\nnewline",
]


def _facts(tmp_path: Path, titles: list[str], *, summary: str = "They met.") -> Path:
    path = tmp_path / "evil.yaml"
    lines = ["events:"]
    for number, title in enumerate(titles):
        escaped = title.encode("unicode_escape").decode("ascii").replace('"', '\\"')
        lines += [
            f"  - id: e{number}",
            f'    date: "2031-01-{number + 1:02d}"',
            f'    title: "{escaped}"',
            f"    summary: {summary}",
            "    kind: meeting",
            "    status: occurred",
            "    source: azernews-2025-02-23",
            "    evidence: Azernews",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _with(article: Facts, facts: Path) -> tuple[str, ...]:
    return (*article.args, "--data", str(facts))


# --- 1. CR defeats the CSV formula guard ------------------------------------------------


def test_csv_cells_with_cr_stay_one_cell_and_formulas_stay_text(article: Facts, tmp_path: Path) -> None:
    facts = _facts(tmp_path, EVIL_TITLES)
    out = _run("events", "--year", "2031", *_with(article, facts), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == len(EVIL_TITLES)
    assert all(len(row) == len(header) for row in body)
    titles = [row[header.index("title")] for row in body]
    assert titles[0] == "'\r=4+4"
    assert titles[1] == "Delegation visit\r=1+1"  # a formula after CR inside one quoted cell is text
    assert titles[2] == "'  \x07=HYPERLINK(1)"  # the guard looks past leading blanks and controls
    assert titles[3:] == EVIL_TITLES[3:]
    for row in body:  # no cell of any row starts a formula
        assert not any(value.lstrip().startswith(("=", "+", "-", "@")) for value in row)


def test_raw_turns_the_formula_guard_off(article: Facts, tmp_path: Path) -> None:
    facts = _facts(tmp_path, EVIL_TITLES)
    out = _run("events", "--year", "2031", *_with(article, facts), "--format", "csv", "--raw")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [row["title"] for row in rows] == EVIL_TITLES


def test_the_formula_guard_applies_to_text_not_numbers() -> None:
    from azpak.render.delimited import flat_row

    row = flat_row({"amount": -5, "ratio": -0.5, "note": "-5", "flag": False})
    assert row == {"amount": "-5", "ratio": "-0.5", "note": "'-5", "flag": "false"}


# --- 7. TSV: one record per line, one field per tab ------------------------------------


@pytest.mark.skipif(shutil.which("awk") is None or shutil.which("cut") is None, reason="needs awk and cut")
def test_tsv_is_read_by_cut_and_awk(article: Facts, tmp_path: Path) -> None:
    facts = _facts(tmp_path, EVIL_TITLES)
    out = _run("events", "--year", "2031", *_with(article, facts), "--format", "tsv", "--raw")
    tsv = tmp_path / "events.tsv"
    tsv.write_text(out, encoding="utf-8", newline="")
    header = out.split("\n", 1)[0].split("\t")
    column = header.index("title") + 1
    counts = subprocess.run(["awk", "-F\t", "{print NF}", str(tsv)], capture_output=True, text=True, check=True)
    assert counts.stdout.split() == [str(len(header))] * (len(EVIL_TITLES) + 1)
    titles = subprocess.run(["cut", "-f", str(column), str(tsv)], capture_output=True, text=True, check=True)
    expected = ["\\r=4+4", "Delegation visit\\r=1+1", "  \x07=HYPERLINK(1)", "Tab\\there"]
    expected += ['Quote " and , comma', "Back\\\\slash and\\nnewline"]
    assert titles.stdout.split("\n")[1:-1] == expected
    assert '""' not in out


def test_tsv_of_the_articles_events_has_no_csv_quoting(article: Facts) -> None:
    out = _run("events", *article.args, "--format", "tsv")
    lines = out.splitlines()
    assert '""' not in out  # no CSV quoting: 8 of the article's 10 rows had it
    assert len(lines) == len(article.base.events) + 1 and len({line.count("\t") for line in lines}) == 1


# --- 2. A damaged index is discarded, answered around and rebuilt ----------------------


def _damage_every_page(path: Path) -> None:
    """XOR 60 bytes in the middle of every page but the first (the SQLite header stays intact)."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    for start in range(page_size, len(data), page_size):
        middle = start + page_size // 2
        for offset in range(middle, min(middle + 60, len(data))):
            data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


DAMAGE_QUERIES = [
    ["events"],
    ["who", "Vugar Mustafayev"],
    ["events", "--person", "Sharif"],
    ["people"],
    ["search", "JF-17"],
    ["show", "sharif-mustafayev-meeting"],
    ["quotes", "--topic", "Kashmir"],
]


@pytest.mark.slow
@pytest.mark.parametrize("args", DAMAGE_QUERIES, ids=" ".join)
def test_a_damaged_index_is_answered_around_and_rebuilt(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from azpak.store.index import list_indexes

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    truth = invoke(*args, "--no-cache", "--format", "json")
    assert truth.exit_code == 0, truth.output
    assert invoke(*args, "--format", "json").stdout == truth.stdout  # builds the index
    (index,) = list_indexes(tmp_path)
    _damage_every_page(index.path)
    (damaged,) = list_indexes(tmp_path)
    assert damaged.damaged and not damaged.current
    info = invoke("cache", "info")
    header, row = info.stdout.split("\n")[:2]
    columns = dict(zip(header.split("\t"), row.split("\t"), strict=True))
    assert info.exit_code == 0 and (columns["Current"], columns["Damaged"]) == ("no", "yes")
    for _ in range(2):  # the damaged run answers from the files; the next from the rebuilt index
        result = invoke(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        assert result.stdout == truth.stdout
    (rebuilt,) = list_indexes(tmp_path)
    assert rebuilt.current and not rebuilt.damaged


def test_a_record_that_fails_its_checksum_is_not_believed(
    article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from azpak.store.index import list_indexes

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    truth = article.invoke("show", "sharif-mustafayev-meeting", "--format", "json")
    assert truth.exit_code == 0 and "Pakistan" in truth.stdout
    (index,) = list_indexes(tmp_path)
    connection = sqlite3.connect(index.path)
    # A same-length change in the middle of a row, as a damaged page can read back: no SQLite error.
    connection.execute("UPDATE records SET data = replace(data, 'Pakistan', 'Pakistax')")
    connection.commit()
    connection.close()
    assert list_indexes(tmp_path)[0].damaged
    result = article.invoke("show", "sharif-mustafayev-meeting", "--format", "json")
    assert result.exit_code == 0 and result.stdout == truth.stdout


@pytest.mark.parametrize(
    "args",
    [["people"], ["sectors"], ["quotes"], ["stats"], ["show", "no-such-record"]],
    ids=" ".join,
)
def test_a_record_missing_from_its_collection_is_noticed(
    args: list[str], article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged page can make SQLite skip rows without an error; what was read still passes its checksums.
    A command that reads a whole collection (or the whole index) counts what it read against the ranges."""
    import sqlite3

    from azpak.store.index import list_indexes

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    truth = article.invoke(*args, "--format", "json")
    (index,) = list_indexes(tmp_path)

    def records() -> int:
        with contextlib.closing(sqlite3.connect(index.path)) as connection:
            return int(connection.execute("SELECT count(*) FROM records").fetchone()[0])

    whole = records()
    with contextlib.closing(sqlite3.connect(index.path)) as connection:
        for collection in ("people", "sectors", "statements", "sources"):  # the last record of each is lost
            connection.execute(
                "DELETE FROM records WHERE key = (SELECT max(key) FROM records WHERE collection = ?)", (collection,)
            )
        connection.commit()
    assert records() == whole - 4
    result = article.invoke(*args, "--format", "json")
    assert (result.exit_code, result.stdout) == (truth.exit_code, truth.stdout)
    assert records() == whole  # the index was found damaged and rebuilt


@pytest.mark.parametrize(
    ("args", "damage"),
    [
        # Statistics that still read as valid JSON: a source left out, then a number that is not a source's.
        (["who", "Vugar Mustafayev"], "UPDATE stats SET sources = replace(sources, ',', '.')"),
        (["who", "Vugar Mustafayev"], "UPDATE stats SET sources = replace(sources, ']', ',1]')"),
        (["who", "Vugar Mustafayev"], "UPDATE stats SET events = events + 1"),
        # Meta values that still parse: the longest event, a collection's range of numbers.
        (["events", "--year", "2004"], "UPDATE meta SET value = '3' WHERE key = 'longest'"),
        (["people"], "UPDATE meta SET value = replace(value, '[', '[1') WHERE key = 'collections'"),
    ],
)
def test_statistics_and_meta_that_fail_their_checksums_are_not_believed(
    args: list[str], damage: str, article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from azpak.store.index import list_indexes

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    truth = article.invoke(*args, "--format", "json")
    assert truth.exit_code == 0, truth.output
    (index,) = list_indexes(tmp_path)
    connection = sqlite3.connect(index.path)
    assert connection.execute(damage).rowcount > 0
    connection.commit()
    connection.close()
    assert list_indexes(tmp_path)[0].damaged
    for _ in range(2):  # answered around the damage, then from the rebuilt index
        result = article.invoke(*args, "--format", "json")
        assert result.exit_code == 0 and result.stdout == truth.stdout
    assert not list_indexes(tmp_path)[0].damaged


def test_a_locked_index_is_bypassed_not_discarded(
    article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from azpak.store.index import list_indexes

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    truth = article.invoke("who", "Mustafayev", "--format", "json")
    (index,) = list_indexes(tmp_path)
    built = index.path.stat().st_ino
    locker = sqlite3.connect(index.path, timeout=0)
    locker.execute("PRAGMA locking_mode = EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        monkeypatch.setattr(sqlite3, "connect", _no_wait(sqlite3.connect))
        result = article.invoke("who", "Mustafayev", "--format", "json")
    finally:
        locker.rollback()
        locker.close()
    assert result.exit_code == 0 and result.stdout == truth.stdout
    assert index.path.stat().st_ino == built  # still the same file


def _no_wait(connect):  # type: ignore[no-untyped-def]
    def connect_now(*args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["timeout"] = 0
        return connect(*args, **kwargs)

    return connect_now


# --- 3. A same-size edit with its mtime restored -----------------------------------------


def test_a_same_size_edit_with_mtime_restored_is_seen(
    article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path / "cache"))
    facts = _facts(tmp_path, ["Meeting in Pakistan"])
    args = ("events", "--year", "2031", *_with(article, facts), "--format", "json")
    assert "Pakistan" in invoke(*args).stdout  # builds the index
    before = facts.stat()
    facts.write_text(facts.read_text(encoding="utf-8").replace("Pakistan", "Pakistax"), encoding="utf-8")
    os.utime(facts, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r: same size, same mtime
    assert facts.stat().st_size == before.st_size and facts.stat().st_mtime_ns == before.st_mtime_ns
    assert "Pakistax" in invoke(*args).stdout


# --- 4. Markdown output is text, not markup ----------------------------------------------

MARKUP_TITLE = "<img src=x onerror=alert(1)> **bold** [click](http://evil.example) `code` ~~gone~~ &amp; a|b \\ end"
MARKUP_TOKENS = {"html_inline", "html_block", "link_open", "image", "strong_open", "em_open", "code_inline", "s_open"}


def _inline_texts(markdown: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The text of every inline run (table cell, list item, heading) as markdown-it-py renders it.

    Markup from the text (tokens of ``MARKUP_TOKENS`` not ``allowed``) fails the test; any markup
    would also drop characters from the text.
    """
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    texts = []
    for token in parser.parse(markdown):
        assert token.type not in MARKUP_TOKENS - allowed, token
        for child in token.children or []:
            assert child.type not in MARKUP_TOKENS - allowed, child
        if token.type == "inline":
            texts.append("".join(c.content for c in token.children or [] if c.type in ("text", "softbreak")))
    return texts


def test_markdown_renders_text_as_the_same_text(article: Facts, tmp_path: Path) -> None:
    title = MARKUP_TITLE
    facts = _facts(tmp_path, [title])
    listing = _run("events", "--year", "2031", *_with(article, facts), "--format", "markdown")
    assert title in _inline_texts(listing)
    profile = _run("show", "e0", *_with(article, facts), "--format", "markdown")
    assert title in _inline_texts(profile, allowed=frozenset({"strong_open"}))  # the heading; labels are bold


@pytest.mark.parametrize("title", ["next\x85line", "emoji \U0001f600 and \U0010fffd", "bidi \u202eevil", "a\u2028b"])
def test_yaml_output_reads_back_as_the_json_data(title: str, article: Facts, tmp_path: Path) -> None:
    """YAML output is the JSON output's data, whatever the text holds (NEL once came back as a space), and
    writes the characters a terminal would act on as escapes."""
    args = ("events", "--year", "2031", *_with(article, _facts(tmp_path, [title])), "--format")
    written = _run(*args, "yaml")
    as_yaml = yaml.safe_load(written)
    assert as_yaml == json.loads(_run(*args, "json"))
    assert as_yaml[0]["title"] == title
    assert not any(char in written for char in "\x85\u202e\u2028")  # escaped, as in JSON: a terminal shows them


# --- real processes: Ctrl-C during a compile, write errors, the reader going away ------


def _env(base: dict[str, str] | None = None, **changes: str) -> dict[str, str]:
    """The environment without colour or width settings (``base``, else this process's), with ``changes``."""
    import os

    start = os.environ if base is None else base
    env = {k: v for k, v in start.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    env.update(changes)
    return env


@pytest.fixture(scope="module")
def slow_to_compile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic fact base whose compile runs long enough for its progress bar to show."""
    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    from synth import generate

    path = tmp_path_factory.mktemp("slow") / "facts.yaml"
    path.write_text("".join(generate(8000)), encoding="utf-8")
    return path


_ANSI = r"\x1b\[[0-9;?]*[A-Za-z]"


def _compile_on_a_terminal(data: Path, cache: Path, on_output: Any = None) -> tuple[int, str]:
    """Run ``events`` on ``data`` with stderr on a pseudo-terminal: its exit status and what the terminal received.

    ``on_output(received, process)`` is called with everything received so far after each read.
    """
    import os
    import pty
    import select

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "azpak", "events", "--no-default", "--data", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=_env(TERM="xterm-256color", AZPAK_CACHE_DIR=str(cache)),
    )
    os.close(follower)
    received = b""
    while select.select([leader], [], [], 60)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the program ended and its terminal closed
            break
        if not chunk:
            break
        received += chunk
        if on_output is not None:
            on_output(received, process)
    os.close(leader)
    return process.wait(timeout=60), received.decode("utf-8", "replace")


@pytest.mark.client
def test_an_invalid_file_found_during_a_compile_on_a_terminal_stops_the_bar(
    slow_to_compile: Path, tmp_path: Path
) -> None:
    """The bar is cleared and its thread stopped before the error: the message is the last line, the cursor shows."""
    import re

    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(slow_to_compile.read_text(encoding="utf-8") + "    sector: [energy]\n", encoding="utf-8")
    status, text = _compile_on_a_terminal(invalid, tmp_path / "cache")
    assert status == 65
    assert "Compiling the fact index" in text, text  # the bar did show
    assert text.rfind("\x1b[?25h") > text.rfind("\x1b[?25l")  # the cursor is shown again
    screen = re.sub(_ANSI, "", text)
    assert screen.rstrip("\r\n").splitlines()[-1].startswith("  ")  # the error's details come last
    assert "azpak: invalid fact files" in screen


@pytest.mark.client
def test_ctrl_c_during_a_compile_on_a_terminal_clears_the_bar_and_says_so(
    slow_to_compile: Path, tmp_path: Path
) -> None:
    import re
    import signal

    interrupted: list[bool] = []

    def interrupt_once_the_bar_shows(received: bytes, process: subprocess.Popen[bytes]) -> None:
        if not interrupted and b"Compiling the fact index" in received:
            process.send_signal(signal.SIGINT)
            interrupted.append(True)

    status, text = _compile_on_a_terminal(slow_to_compile, tmp_path / "cache", interrupt_once_the_bar_shows)
    assert status == 130
    assert interrupted, text
    screen = re.sub(_ANSI, "", text)
    last_line = re.split(r"[\r\n]+", screen.rstrip("\r\n"))[-1]
    assert last_line == "azpak: interrupted"  # on a line of its own, after the bar is cleared
    assert screen.endswith("\n")


def test_ctrl_c_during_a_compile_without_a_terminal_says_so_and_leaves_no_index(
    article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The program's entry point, in this process, interrupted while it writes the index."""
    from azpak.cli import app as cli
    from azpak.store import index

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(index, "_fill", interrupted)
    for registered in ("registered_commands", "registered_groups"):  # main() keeps only the command it runs
        monkeypatch.setattr(cli.app, registered, getattr(cli.app, registered))
    monkeypatch.setattr(sys, "argv", ["azpak", "events", *article.args])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 130
    assert capsys.readouterr().err == "azpak: interrupted\n"
    assert list(tmp_path.iterdir()) == []  # the half-written index is removed


#: A command of each kind of writer: renderers, profile, schema, drawings, calendar bytes, Click's own echo.
WRITERS = [
    ["events"],
    ["events", "--format", "json"],
    ["events", "--format", "csv"],
    ["who", "Vugar Mustafayev"],
    ["schema"],
    ["timeline"],
    ["graph"],
    ["export", "--format", "ics"],
    ["--version"],
    ["events", "--help"],
]


def _writers(article: Facts) -> list[list[str]]:
    """The writers' commands as programs, those that read facts reading the article's."""
    takes_data = [args[0] not in ("schema", "--version") and "--help" not in args for args in WRITERS]
    return [
        [sys.executable, "-m", "azpak", *args, *(article.args if data else ())]
        for args, data in zip(WRITERS, takes_data, strict=True)
    ]


def writers_on_a_full_disk(article: Facts, environ: dict[str, str]) -> Runs:
    return Runs(_writers(article), stdout=Path("/dev/full"), env=_env(environ))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@started_early(writers_on_a_full_disk)
def test_a_full_disk_is_one_line_and_exit_74(started: Runs) -> None:
    for args, result in zip(WRITERS, started.results(), strict=True):
        assert result.returncode == 74, args
        assert result.stderr == "azpak: cannot write the output: No space left on device\n", args


def writers_to_a_closed_stdout(article: Facts, environ: dict[str, str]) -> Runs:
    commands = [" ".join(f"'{a}'" for a in command) for command in _writers(article)]
    return Runs([["sh", "-c", f"{command} >&-"] for command in commands], env=_env(environ))


@started_early(writers_to_a_closed_stdout)
def test_a_closed_stdout_is_one_line_and_exit_74(started: Runs) -> None:
    for args, result in zip(WRITERS, started.results(), strict=True):
        assert result.returncode == 74, args
        assert result.stderr == "azpak: cannot write the output: standard output is closed\n", args


def writers_to_a_closed_stderr(article: Facts, environ: dict[str, str]) -> Runs:
    commands = [" ".join(f"'{a}'" for a in command) for command in _writers(article)]
    missing = " ".join(f"'{a}'" for a in [sys.executable, "-m", "azpak", "who", "Nobody at all", *article.args])
    return Runs([["sh", "-c", f"{command} >/dev/null 2>&-"] for command in [*commands, missing]], env=_env(environ))


@started_early(writers_to_a_closed_stderr)
def test_a_closed_stderr_changes_no_exit_status(started: Runs) -> None:
    """With nowhere to write messages, every command still answers; a name that is not found still exits 1."""
    *answers, missing = started.results()
    for args, result in zip(WRITERS, answers, strict=True):
        assert result.returncode == 0, args
    assert missing.returncode == 1


def test_cache_clear_that_cannot_delete_is_one_line_and_exit_74(
    article: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from azpak.errors import ExitCode

    monkeypatch.setenv("AZPAK_CACHE_DIR", str(tmp_path))
    assert article.invoke("sources").exit_code == 0
    (index,) = tmp_path.glob("index-*.sqlite")

    def refuse(self: Path, missing_ok: bool = False) -> None:  # what unlink does in a directory one cannot write
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "unlink", refuse)
    result = invoke("cache", "clear")
    assert result.exit_code == ExitCode.IO_ERROR == 74
    assert result.stderr == f"azpak: cannot delete {index}: Permission denied\n"


PIPED = [["events", "--format", fmt] for fmt in ("json", "jsonl", "csv", "tsv", "yaml", "markdown", "table")]
PIPED += [["timeline"], ["export", "--format", "ics"], ["search", "meeting", "--format", "json"]]


def piped_into_head(many_events: Path, environ: dict[str, str]) -> Runs:
    commands = [
        " ".join(f"'{a}'" for a in [sys.executable, "-m", "azpak", *args, "--no-default", "--data", str(many_events)])
        for args in PIPED
    ]
    pipelines = [["bash", "-c", f"{command} | head -n 1; exit ${{PIPESTATUS[0]}}"] for command in commands]
    return Runs(pipelines, env=_env(environ))


@started_early(piped_into_head)
def test_the_reader_going_away_exits_141_quietly_in_every_format(started: Runs) -> None:
    """``| head -n 1``: the one line head prints, and no word on stderr."""
    runs = started.results()
    for args, result in zip(PIPED, runs, strict=True):
        assert result.returncode == 141, (args, result.stderr)
        assert result.stderr == "", args
        assert len(result.stdout.splitlines()) == 1, args
    first = runs[PIPED.index(["events", "--format", "jsonl"])].stdout
    assert json.loads(first)["type"] == "event"


def test_every_exit_code_is_in_the_readme_table() -> None:
    from azpak.errors import ExitCode
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"\n| {int(code)} | " in readme, code


# --- 9. The schema's first error names the bad field -------------------------------------

SHIPPED_EVENT = {
    "id": "my-event",
    "date": "2025-01-18",
    "title": "A meeting",
    "summary": "They met.",
    "kind": "meeting",
    "status": "occurred",
    "source": "azernews-2025-02-23",
    "evidence": "Azernews",
}


@pytest.mark.parametrize(
    ("change", "path", "named"),
    [
        ({"kind": "meting"}, ["events", 0, "kind"], "'meting'"),
        ({"sector": ["energy"]}, ["events", 0], "'sector'"),
        ({"status": "ocurred"}, ["events", 0, "status"], "'ocurred'"),
        ({"notes": 5}, ["events", 0, "notes"], "5"),
    ],
)
def test_the_first_schema_error_names_the_bad_field(change: dict[str, object], path: list[object], named: str) -> None:
    """What check-jsonschema prints first: each error of ``iter_errors``, then ``best_match`` of its context."""
    import json

    import jsonschema
    from jsonschema.exceptions import best_match

    schema = json.loads(_run("schema"))
    validator = jsonschema.Draft7Validator(schema)
    assert not list(validator.iter_errors({"events": [SHIPPED_EVENT], "statements": None}))
    (error,) = validator.iter_errors({"events": [{**SHIPPED_EVENT, **change}]})
    shown = [error, best_match(error.context)] if error.context else [error]
    for message in shown:
        assert list(message.absolute_path) == path, message.message
        assert named in message.message and "is not of type 'null'" not in message.message


# --- the timeline follows the terminal's width and reads on light and dark themes -----------


def _on_a_terminal_of(columns: int, *args: str) -> str:
    """What a terminal ``columns`` wide shows (no COLUMNS in the environment), escape sequences removed."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "azpak", *args], stdout=follower, stderr=subprocess.PIPE, env=_env(TERM="xterm")
    )
    os.close(follower)
    received = b""
    while select.select([leader], [], [], 60)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return received.decode("utf-8")


@pytest.mark.client
@pytest.mark.parametrize("columns", [40, 200])
def test_timeline_follows_the_terminal_width(columns: int) -> None:
    import re

    screen = _on_a_terminal_of(columns, "timeline")
    lines = re.sub(_ANSI, "", screen).replace("\r\n", "\n").split("\n")
    assert max(len(line) for line in lines) == columns  # the year rules span the width, nothing wider
    assert any(line.startswith("2025 ─") and len(line) == columns for line in lines)


@pytest.mark.client
def test_timeline_colours_are_standard_ones() -> None:
    import re

    screen = _on_a_terminal_of(100, "timeline")
    codes = {code for sequence in re.findall(r"\x1b\[([0-9;]*)m", screen) for code in sequence.split(";") if code}
    assert codes and "\x1b[" in screen
    # Bold, dim, italic, their resets and the 8 standard foregrounds: no 256-colour or RGB greys, no bright white.
    assert codes <= {"0", "1", "2", "3", "22", "23", *(str(c) for c in range(30, 38)), "39"}, codes


# --- README: examples that answer, and an empty result that says where the answer is ---------


ONLY_STATEMENTS = """
sources:
  - id: notes
    publisher: me
    url: https://example.org/notes
organisations:
  - id: me
    name: Me
    kind: media
topics:
  - id: kashmir
    name: Kashmir
    description: The Kashmir question.
events:
  - id: e1
    date: "2024-05-01"
    title: A trade meeting
    summary: Officials met on trade.
    kind: meeting
    status: occurred
    citations: [{source: notes, says: Reports the meeting.}]
statements:
  - id: s1
    speaker: me
    kind: paraphrase
    date: "2024-05-02"
    summary: The outlet spoke of fraternal relations and of Kashmir.
    topics: [kashmir]
    citations: [{source: notes, says: Gives the outlet's view.}]
"""


def test_no_events_but_statements_says_where_to_look(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(ONLY_STATEMENTS, encoding="utf-8")
    data = ["--no-default", "--data", str(facts)]
    result = invoke("events", "--topic", "Kashmir", *data)
    assert result.exit_code == 0
    assert result.stderr == "azpak: no events match; 1 statement does: azpak quotes --topic Kashmir\n"
    assert invoke("quotes", "--topic", "Kashmir", "--format", "json", *data).stdout.count('"type": "statement"') == 1
    text = invoke("events", "--text", "fraternal relations", *data)
    assert text.stderr == "azpak: no events match; 1 record of another kind does: azpak search 'fraternal relations'\n"
    assert invoke("events", "--topic", "Kashmir", "--year", "2024", *data).stderr == "azpak: no events match.\n"


def test_readme_event_examples_answer() -> None:
    import re
    import shlex

    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    usage = readme.split("## Usage", 1)[1].split("```", 2)[1]
    for line in usage.splitlines():
        if line.startswith("azpak events "):
            args = shlex.split(re.sub(r"\s+#.*$", "", line).split("|")[0])[1:]
            result = invoke(*args)
            assert result.exit_code == 0 and "no events match" not in result.stderr, line


# --- the terminal table: a Rich table from 60 columns, blocks below, piped output unchanged ---------


def _terminal(view: object, width: int, *, long: bool = False) -> str:
    from azpak.render import Output
    from azpak.render.table import RichRenderer

    stream = io.StringIO()
    RichRenderer().render(view, Output(stream=stream, terminal=True, color=False, width=width, long=long))  # type: ignore[arg-type]
    return stream.getvalue()


#: Words of the article's events that a table this wide or wider shows whole (not cut, not across lines).
WHOLE_FROM = {60: ("Preferential",), 100: ("Mustafayev",), 200: ("Agriculture;", "(signatory);")}


@pytest.mark.parametrize("width", [60, 70, 80, 100, 120, 160, 200])
def test_events_on_a_terminal_are_a_table_with_ids_and_rows_of_at_most_three_lines(width: int, article: Facts) -> None:
    import re

    from azpak.views.listings import listing

    base = article.base
    events = base.sorted_events()
    text = _terminal(listing(base, "event", events), width)
    lines = text.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= width
    assert lines[0].split()[:2] == ["Date", "Event"] and set(lines[1]) == {"─"}
    if width >= 70:  # at 60 columns the status makes way for the longest id, which is never cut
        assert lines[0].split()[2] == "Status"
    assert "Evidence" not in lines[0] and "Citations" not in lines[0]  # for `show ID` and --long
    for event in events:  # every id, whole, on a line of its own under the title
        assert re.search(rf"\s{re.escape(event.id)}\s", text), (width, event.id)
    starts = [  # a row starts with a date, unless it continues an interval ("2025-01-23/")
        n for n, line in enumerate(lines) if re.match(r"\d{4}", line) and not re.match(r"\S+/\s", lines[n - 1])
    ]
    assert len(starts) == len(events)
    heights = [b - a for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    assert max(heights) <= 3, heights
    piped = _run("events", *article.args)
    known = {w for line in piped.splitlines() for cell in line.split("\t") for w in cell.split()}
    known |= {e.id for e in events} | {part for e in events for part in e.date.text.split("/")}
    known |= {e.date.text.split("/")[0] + "/" for e in events}
    for line in lines[2:]:
        for word in line.split():
            assert word.rstrip("…") in known or word.rstrip("…") == "", (width, word)  # words are never cut
    for word in (w for least, words in WHOLE_FROM.items() if width >= least for w in words):
        assert word in text, (width, word)
    if width >= 120:
        assert lines[0].split()[3:5] == ["Who", "Sectors"]


def test_every_shipped_id_shows_whole_in_a_60_column_table(base: FactBase) -> None:
    import re

    from azpak.views.listings import listing

    text = _terminal(listing(base, "event", base.sorted_events()), 60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert [e.id for e in base.sorted_events() if not re.search(rf"\s{re.escape(e.id)}\s", text)] == []


def test_below_60_columns_and_with_long_each_record_is_a_block(article: Facts) -> None:
    from azpak.views.listings import listing

    view = listing(article.base, "event", article.base.sorted_events())
    for text in (_terminal(view, 59), _terminal(view, 200, long=True)):
        assert "─" not in text and "Citations: " in text and "Sources: " in text


def test_long_is_an_option_of_listing_commands_and_leaves_piped_output_alone(article: Facts) -> None:
    assert _run("events", "--long", *article.args) == _run("events", *article.args)
    assert _run("people", "--long", *article.args) == _run("people", *article.args)


@pytest.mark.parametrize(
    "kind", ["event", "statement", "person", "organisation", "country", "sector", "topic", "source"]
)
def test_an_empty_listing_on_a_terminal_is_a_header(kind: str, article: Facts) -> None:
    from azpak.views.listings import listing

    text = _terminal(listing(article.base, kind, []), 80)
    assert "─" in text and len(text.splitlines()) == 2
