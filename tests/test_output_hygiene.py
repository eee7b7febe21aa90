"""Text from fact files is printed as text: never markup, never terminal control; CSV cells never formulas.

Also the behaviour of output on real terminals and signals: Ctrl-C in a real process; NO_COLOR,
FORCE_COLOR and TERM=dumb on a pseudo-terminal and piped. (`| head` is in test_hardening.py.)
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from azpak.textsafe import neutralise_formula, visible
from conftest import REPO, Facts, invoke

HOSTILE = Path(__file__).resolve().parent / "corpus" / "hostile-text.yaml"
TRUE = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))["events"][0]  # what the file really says
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def hostile(*args: str) -> str:
    result = invoke(*args, "--no-default", "--data", str(HOSTILE))
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_the_hostile_file_really_holds_controls_markup_and_formulas() -> None:
    assert "\x1b[31m" in TRUE["title"] and "[bold red]" in TRUE["title"] and ":smile:" in TRUE["title"]
    assert "\x1b]8;;" in TRUE["summary"] and "\x1b]52;" in TRUE["summary"] and "\x9b" in TRUE["summary"]
    assert "\u202e" in TRUE["summary"] and TRUE["summary"].startswith("=")


def test_json_keeps_the_true_data_with_terminal_controls_escaped() -> None:
    out = hostile("events", "--format", "json")
    (event,) = json.loads(out)
    for key in ("title", "summary", "notes"):
        assert event[key] == TRUE[key]
    assert event["citations"][0]["evidence"] == TRUE["evidence"]
    assert event["location"]["name"] == TRUE["location"]
    assert not RAW_CONTROL.search(out)
    assert "\\u202e" in out and "\\u009b" in out
    (line,) = hostile("show", "e1", "--format", "jsonl").splitlines()
    assert json.loads(line)["summary"] == TRUE["summary"] and not RAW_CONTROL.search(line)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_piped_table_and_markdown_show_controls_and_markup_literally(fmt: str) -> None:
    def literal(out: str) -> str:  # Markdown escapes its syntax with backslashes: the text as rendered
        return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", out) if fmt == "markdown" else out

    for args in (["events"], ["show", "e1"], ["search", "Loud"]):
        out = literal(hostile(*args, "--format", fmt))
        assert not RAW_CONTROL.search(out), args
        assert "[bold red]Loud[/] [link=https://example.com]click[/link] :smile: \\x1b[31mred\\x1b[0m" in out
    profile = literal(hostile("show", "e1", "--format", fmt))
    assert "\\x1b]52;c;cHduZWQ=\\x07" in profile and "\\x9b31m" in profile and "\\u202egnp.exe" in profile


def _rich(view_args: tuple[str, ...], *, color: bool) -> str:
    from azpak.facts.load import load_fact_base
    from azpak.query.questions import find_record
    from azpak.render import Output
    from azpak.render.table import RichRenderer
    from azpak.views.listings import listing, record_profile

    base = load_fact_base([HOSTILE], include_default=False)
    stream = io.StringIO()
    output = Output(stream=stream, terminal=True, color=color, width=400)
    if view_args[0] == "show":
        kind, record = find_record(base, view_args[1])
        view = record_profile(base, kind, record)
    else:
        view = listing(base, "event", list(base.events.values()))
    RichRenderer().render(view, output)
    return stream.getvalue()


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("view", [("events",), ("show", "e1")])
def test_rich_table_prints_markup_emoji_codes_and_escapes_as_text(color: bool, view: tuple[str, ...]) -> None:
    out = _rich(view, color=color)
    assert "[bold red]Loud[/]" in out and ":smile:" in out and "😄" not in out
    assert "\\x1b[31mred" in out
    without_styles = SGR.sub("", out)
    assert not RAW_CONTROL.search(without_styles)
    assert ("\x1b[" in out) is color  # the only escapes are azpak's own styles


def _bytes_as_written(*args: str) -> str:
    """stdout decoded without newline translation (a cell may hold CR)."""
    result = invoke(*args, "--no-default", "--data", str(HOSTILE))
    assert result.exit_code == 0, result.output
    return bytes(result.stdout_bytes).decode("utf-8")


def test_csv_and_tsv_neutralise_formula_cells() -> None:
    rows = list(csv.DictReader(io.StringIO(_bytes_as_written("events", "--format", "csv"), newline="")))
    (row,) = rows
    assert row["summary"] == "'" + TRUE["summary"]
    assert TRUE["evidence"] in row["citations"]  # inside the cell, after the publisher: not a formula
    assert row["notes"] == "'" + TRUE["notes"]
    assert row["location"] == "'" + TRUE["location"]  # a leading tab
    assert row["title"] == TRUE["title"]  # nothing to neutralise
    tsv_text = _bytes_as_written("events", "--format", "tsv")
    header, line = tsv_text.split("\n")[:-1]  # one record per line: newlines inside cells are escaped
    tsv = dict(zip(header.split("\t"), line.split("\t"), strict=True))
    unescape = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    assert re.sub(r"\\(.)", lambda m: unescape[m.group(1)], tsv["summary"]) == "'" + TRUE["summary"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("   =1", "'   =1"),
        ("a=1", "a=1"),
        ("2025-01-18", "2025-01-18"),
        ("", ""),
    ],
)
def test_neutralise_formula(cell: str, expected: str) -> None:
    assert neutralise_formula(cell) == expected


def test_visible_escapes_controls_bidi_and_separators_only() -> None:
    assert visible("a\x1b[2Jb\x9bc\u202ed\u2028e\x7f") == "a\\x1b[2Jb\\x9bc\\u202ed\\u2028e\\x7f"
    assert visible("line\nnext\ttab") == "line\nnext\ttab"
    assert visible("line\n", keep="") == "line\\x0a"
    assert visible("Türkiye — Məmmədov, زبان\u200cها") == "Türkiye — Məmmədov, زبان\u200cها"


def test_error_messages_show_controls_from_fact_files(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text('events:\n  - "\\e]52;c;cHduZWQ=\\a\\u202e": x\n', encoding="utf-8")
    for args in (["validate", "--no-default", str(path)], ["events", "--no-default", "--data", str(path)]):
        result = invoke(*args)
        assert result.exit_code == 65
        assert not RAW_CONTROL.search(result.output)


# --- real processes: pipes, signals, terminals -------------------------------------------


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    env.update({k: v for k, v in changes.items() if v is not None})
    return env


def test_ctrl_c_exits_130_quietly(many_events: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "azpak", "events", "--format", "jsonl", "--no-default", "--data", str(many_events)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert process.stdout is not None
    process.stdout.readline()  # it is writing: blocked on the full pipe, inside the command
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode() == "azpak: interrupted\n"  # one line: no traceback, no "Aborted!"


def _on_terminal(*args: str, env: dict[str, str]) -> str:
    """Run azpak with stdout on a pseudo-terminal; return what the terminal received."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "azpak", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=30) == 0
    return b"".join(chunks).decode()


@pytest.mark.client
@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"TERM": "xterm-256color"}, True),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False),
        ({"TERM": "dumb"}, False),
        ({"TERM": "xterm-256color", "FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_on_a_terminal_follows_no_color_and_term(env: dict[str, str], coloured: bool) -> None:
    out = _on_terminal("events", "--year", "2025", env=_env(COLUMNS="150", **env))
    assert "Sharif" in out
    if env["TERM"] != "dumb":  # Rich takes a dumb terminal to be 80 columns: too narrow, so records as blocks
        assert "─" in out  # the Rich table, on a terminal
    assert ("\x1b[" in out) is coloured


def test_force_color_colours_piped_output_and_no_color_wins(article: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    forced = article.invoke("events")
    assert forced.exit_code == 0 and "\x1b[" in forced.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    both = article.invoke("events")
    assert both.exit_code == 0 and "\x1b[" not in both.stdout and both.stdout.startswith("Date\tEvent")


@pytest.mark.parametrize(
    "args", [["timeline"], ["graph"], ["graph", "--format", "dot"], ["graph", "--format", "mermaid"]]
)
def test_timeline_and_graph_show_controls_literally(args: list[str]) -> None:
    out = hostile(*args)
    assert not RAW_CONTROL.search(out), args
    if args == ["timeline"]:
        assert "\\x1b[31mred\\x1b[0m" in out


def test_graph_shows_a_hostile_name_literally(article: Facts, tmp_path: Path) -> None:
    facts = tmp_path / "names.yaml"
    facts.write_text(
        "people:\n"
        '  - id: p1\n    name: "Evil \\e]8;;http://x\\e\\\\link\\e]8;;\\e\\\\ \\e[2J Name"\n    country: AZ\n'
        "events:\n"
        '  - id: e9\n    date: "2025"\n    title: A meeting\n    summary: They met.\n    kind: meeting\n'
        "    status: occurred\n    participants:\n      - person: p1\n        role: guest\n"
        "      - person: vugar-mustafayev\n        role: host\n"
        "    source: azernews-2025-02-23\n    evidence: Vugar Mustafayev\n",
        encoding="utf-8",
    )
    for fmt in ("text", "dot", "mermaid", "json"):
        result = invoke("graph", "--around", "p1", *article.args, "--data", str(facts), "--format", fmt)
        assert result.exit_code == 0, result.output
        if fmt != "json":
            assert "\x1b" not in result.stdout and "\\x1b]8;;" in result.stdout.replace("\\\\", "\\"), fmt
