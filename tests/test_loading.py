"""Reading and validating fact files: every problem at its file:line:column, nothing retyped."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from azpak.errors import DataError, NoInputError
from azpak.facts import yamlread
from azpak.facts.load import load_fact_base, validate_files
from azpak.facts.yamlread import Unmarked, YamlReadError, parse_yaml
from conftest import invoke

MINIMAL = """\
sources:
  - id: notes
    publisher: me
    published: "2025-03-01"
    local: true
organisations:
  - id: me
    name: My notes
    kind: other
countries:
  - id: AZ
    name: Azerbaijan
events:
  - id: e1
    date: 2025-03-01
    title: A thing
    summary: Something happened.
    kind: meeting
    status: occurred
    countries: [AZ]
    source: notes
    evidence: it happened
"""


def write(tmp_path: Path, text: str, name: str = "facts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    return [str(p) for p in validate_files([write(tmp_path, text)]).problems]


@pytest.mark.parametrize("loader", ["SafeLoader", "CSafeLoader"])
def test_scalars_stay_text_with_either_parser(loader: str) -> None:
    if not hasattr(yaml, loader):
        pytest.skip("libyaml is not available")
    value, found = parse_yaml("a: 2025-01-18\nb: no\nc: 0777\nd: 12:30\ne: .nan\nf:\n", "x", getattr(yaml, loader))
    assert found == []
    assert value == {"a": "2025-01-18", "b": "no", "c": "0777", "d": "12:30", "e": ".nan", "f": None}


def test_a_minimal_user_file_loads_on_its_own(tmp_path: Path) -> None:
    base = load_fact_base([write(tmp_path, MINIMAL)], include_default=False)
    assert base.events["e1"].date.text == "2025-03-01"


def test_user_file_adds_to_the_shipped_base_and_may_refer_to_it(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        """\
        events:
          - id: my-event
            date: "2025-03"
            title: Follow-up
            summary: A follow-up meeting.
            kind: meeting
            status: planned
            participants:
              - person: vugar-mustafayev
                role: guest
            source: azernews-2025-02-23
            evidence: Vugar Mustafayev
        """,
    )
    result = invoke("who", "mustafayev", "--data", str(extra), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "my-event" in result.stdout


def test_every_problem_is_reported_with_its_position(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        sources:
          - id: notes
            publisher: My notes
            published: "2025-02-30"
        events:
          - id: e1
            date: "2025-01-24/2025-01-23"
            title: A thing
            summary: Something.
            kind: meeting
            status: done
            sector: [energy]
            source: notes
            evidence: x
          - id: e1
            date: "2025"
            title: Twice
            kind: meeting
            status: occurred
            source: nowhere
            evidence: x
        """,
    )
    text = "\n".join(found)
    assert "facts.yaml:4:16: sources[0].published: invalid date" in text and "day 30 does not exist" in text
    assert "facts.yaml:7:11: events[0].date: invalid date" in text and "ends (2025-01-23) before" in text
    assert "facts.yaml:11:13: events[0].status: unknown value 'done'" in text
    assert "facts.yaml:12:5: events[0].sector: unknown field `sector` (did you mean `sectors`?)" in text
    assert "facts.yaml:15:9: events[1].id: duplicate id 'e1': already used at" in text
    assert "facts.yaml:15:5: events[1].summary: missing required field `summary`" in text
    assert "facts.yaml:20:13: events[1].source: unknown id 'nowhere': no such source" in text
    assert "facts.yaml:3:16: sources[0].publisher: unknown id 'My notes': no such organisation" in text
    assert "facts.yaml:2:5: sources[0].url: a source needs a `url`, unless its text is held locally" in text
    assert len(found) == 9


def test_duplicate_keys_are_detected(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL + "    title: Again\n")
    assert any("duplicate key 'title' (first at line 16)" in p and ":23:" in p for p in found)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "got an empty file"),
        ("just text\n", "got text"),
        ("- a\n- b\n", "got a list"),
        ("a: 1\n---\nb: 2\n", "expected a mapping of lists in one YAML document, got several"),
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("a: !!python/object:os.system x\n", "tag"),
        ("a: [\n", "YAML syntax error"),
    ],
)
def test_malformed_files_are_data_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        load_fact_base([path], include_default=False)
    assert any(message in line for line in info.value.details), info.value.details


# libyaml's scanner stops flow nesting at 1,000 levels itself, before azpak's cap is reached; for the pure-Python
# parser 1,000 levels are one more deep case, as 30,000 are.
@pytest.mark.parametrize(
    ("loader", "depth"),
    [("SafeLoader", 65), ("SafeLoader", 30_000), ("CSafeLoader", 65), ("CSafeLoader", 1000), ("CSafeLoader", 30_000)],
)
def test_deep_nesting_is_refused_not_a_recursion_error(loader: str, depth: int) -> None:
    if not hasattr(yaml, loader):
        pytest.skip("libyaml is not available")
    with pytest.raises(YamlReadError, match="nesting"):
        parse_yaml("a: " + "[" * depth + "]" * depth, "deep", getattr(yaml, loader))


def test_invalid_utf8_reports_the_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"sources:\n  - id: \xff\n")
    (problem,) = validate_files([path]).problems
    assert str(problem).startswith(f"{path}:2:9: invalid UTF-8")


def test_bom_and_crlf_load_normally(tmp_path: Path) -> None:
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    assert "e1" in load_fact_base([path], include_default=False).events


def test_missing_file_is_no_input(tmp_path: Path) -> None:
    with pytest.raises(NoInputError):
        load_fact_base([tmp_path / "nope.yaml"], include_default=False)
    result = invoke("events", "--no-default", "--data", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 66 and "no such file" in result.stderr


def test_broken_user_file_fails_with_data_code_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "events:\n  - id: X\n")
    result = invoke("events", "--no-default", "--data", str(path))
    assert result.exit_code == 65
    assert f"{path}:2:9: events[0].id: invalid id 'X'" in result.stderr
    assert "Traceback" not in result.output


def test_directory_is_read_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "a.yaml")
    other = MINIMAL.split("countries:")[0].replace("notes", "other").replace("- id: me", "- id: me-too")
    write(tmp_path, other.replace("publisher: me", "publisher: me-too"), "b.yml")
    base = load_fact_base([tmp_path], include_default=False)
    assert set(base.sources) == {"notes", "other"}


def test_azpak_data_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZPAK_DATA", str(write(tmp_path, MINIMAL)))
    result = invoke("events", "--no-default", "--format", "json")
    assert result.exit_code == 0 and '"e1"' in result.stdout


def _block_scalars(count: int, line_break: str = "\n", last_header: str = ">-") -> str:
    items = []
    for i in range(count):
        header = last_header if i == count - 1 else (">-", "|", "|2", ">+", "|-")[i % 5]
        items.append(f"  - id: e{i}  # comment{line_break}    text: {header}{line_break}      line {i}{line_break}")
    return f"# a header comment{line_break}events:{line_break}" + "".join(items)


def test_the_line_table_is_built_once_per_file_however_many_block_scalars(monkeypatch: pytest.MonkeyPatch) -> None:
    from azpak.facts import yamlread

    built: list[int] = []

    class Counting(yamlread._LineTable):
        __slots__ = ()

        def __init__(self, text: str) -> None:
            built.append(len(text))
            super().__init__(text)

    monkeypatch.setattr(yamlread, "_LineTable", Counting)
    value, _ = parse_yaml(_block_scalars(500), "x")
    assert isinstance(value, dict) and len(value["events"]) == 500  # type: ignore[arg-type]
    assert len(built) == 1
    built.clear()
    parse_yaml('events:\n  - text: "quoted"\n', "x")
    assert built == []  # no block scalar: no table at all


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str |\n  x\n",
        "!!str |",
        "a: &x >-\n  x\n",
        "a: !!str\n  |\n  x\n",
        "a: !!str # why\n  |\n  x\n",
        "\ufeff|\n  x\n",
        "\ufeffa: |\n  x\n",
    ],
)
def test_a_block_scalar_with_a_tag_or_an_anchor_reads_as_yaml_says(text: str) -> None:
    """A block scalar's mark is where its properties start: its header is looked for after them
    (and a byte order mark, which takes no column, is not where it is looked for)."""
    expected = yaml.safe_load(text)
    for loader in [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]:
        assert parse_yaml(text, "x", loader)[0] == expected
        assert parse_yaml(text, "x", loader, marks=False)[0] == expected


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize(
    "last_header", [">-", "|#no space", ">-#no space", "|2 # fine", "|", "!!str |", "&a >-", "!!str |#no space"]
)
def test_block_headers_are_judged_alike_by_both_parsers_on_any_line(line_break: str, last_header: str) -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not available")
    text = _block_scalars(40, line_break, last_header)
    decisions = []
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        try:
            value, _ = parse_yaml(text, "x", loader)
            decisions.append(("read", value))
        except YamlReadError as error:
            decisions.append(("refused", error.problem.line))  # the messages of the two parsers differ
    assert decisions[0] == decisions[1]
    if "#no" in last_header:
        assert decisions[0] == ("refused", 121)
    else:
        assert decisions[0][0] == "read"


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize(
    "last_header",
    [">-", "|#no space", ">-#no space", "|2-#no space", "|2 # fine", "|", "!!str |", "&a >-", "!!str |#no space"],
)
@pytest.mark.parametrize("quoted", ["", "a |# in quotes"])
@pytest.mark.parametrize("loader", ["SafeLoader", "CSafeLoader"])
def test_read_without_positions_a_header_is_judged_as_with_them(
    line_break: str, last_header: str, quoted: str, loader: str
) -> None:
    """Without positions, headers are checked only if some `#` follows `|` or `>`: the same decisions."""
    if not hasattr(yaml, loader):
        pytest.skip("libyaml is not available")
    text = _block_scalars(40, line_break, last_header) + f'# a comment{line_break}note: "{quoted}"{line_break}'
    assert yamlread._headers_need_checking(text) == ("#no" in last_header or bool(quoted))
    try:
        value, _ = parse_yaml(text, "x", getattr(yaml, loader))
    except YamlReadError:
        with pytest.raises(Unmarked):
            parse_yaml(text, "x", getattr(yaml, loader), marks=False)
        return
    assert parse_yaml(text, "x", getattr(yaml, loader), marks=False)[0] == value
