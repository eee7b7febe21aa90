"""The corpus of broken and hostile fact files: each is reported as its sidecar says, by both YAML parsers.

``tests/corpus/NAME.yaml`` is checked against ``NAME.expected``: an ``# exit`` line,
a ``# schema`` line (whether the JSON Schema accepts what the reader reads:
``valid``, ``invalid``, or ``unparsed`` when the reader refuses the file), then
the start of every problem ``azpak validate`` reports, in order, after the file name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from azpak.facts import yamlread
from azpak.facts.jsonschema import fact_file_schema
from azpak.facts.load import validate_files
from azpak.facts.yamlread import Unmarked, YamlMap, YamlReadError, YamlSeq, YamlValue, parse_yaml, read_text
from conftest import Runs, invoke, started_early

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(p.name for p in CORPUS.glob("*.yaml"))


def expected(name: str) -> tuple[int, str, list[str]]:
    lines = (CORPUS / name).with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    headers = dict(line[2:].split(" ", 1) for line in lines if line.startswith("# "))
    return int(headers["exit"]), headers["schema"], [line for line in lines if line and not line.startswith("# ")]


def plain(value: YamlValue) -> Any:
    if isinstance(value, YamlMap):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, YamlSeq):
        return [plain(item) for item in value]
    return value


def test_every_corpus_file_has_a_sidecar_and_the_corpus_covers_the_cases() -> None:
    sidecars = sorted(p.with_suffix(".yaml").name for p in CORPUS.glob("*.expected"))
    assert sidecars == FILES
    assert len(FILES) >= 40


@pytest.mark.parametrize("name", FILES)
def test_validate_reports_every_problem_as_the_sidecar_says(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    code, _, problems = expected(name)
    result = invoke("validate", "--no-default", name)
    assert result.exit_code == code, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(problems), result.stdout
    for line, fragment in zip(lines, problems, strict=True):
        assert line.startswith(name + fragment), (line, fragment)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", FILES)
def test_other_commands_fail_the_same_way(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    code, _, problems = expected(name)
    result = invoke("events", "--no-default", "--data", name, "--format", "json")
    assert result.exit_code == code, result.output
    if code:
        assert result.stdout == ""
        assert f"  {name}{problems[0]}" in result.stderr
        assert "Traceback" not in result.output
    else:
        assert json.loads(result.stdout)


def _decide(text: str, loader: type) -> tuple[str, Any]:
    try:
        value, problems = parse_yaml(text, "f", loader)
    except YamlReadError as error:
        return "refused", error.problem.message if "YAML syntax error" not in error.problem.message else None
    return "read", (plain(value), [str(p) for p in problems])


@pytest.mark.parametrize("name", FILES)
def test_both_parsers_reach_the_same_decision(name: str) -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not available")
    try:
        text = read_text(CORPUS / name)
    except YamlReadError:
        return  # refused before any parser runs
    python, c = _decide(text, yaml.SafeLoader), _decide(text, yaml.CSafeLoader)
    assert python[0] == c[0]
    if python[0] == "read" or (python[1] and c[1]):
        assert python == c


@pytest.mark.parametrize("name", FILES)
def test_reading_without_positions_finds_the_same_problems(name: str) -> None:
    """The quick reading (positions only when a problem needs them) reports as the reading with them."""
    path = CORPUS / name
    quick, marked = validate_files([path]), validate_files([path], marks=True)
    assert [str(p) for p in quick.problems] == [str(p) for p in marked.problems]
    assert quick.files == marked.files and quick.missing_input == marked.missing_input
    if not marked.problems:
        for collection, records in marked.records.items():
            assert [plain(item) for item, _ in quick.records[collection]] == [plain(item) for item, _ in records]
    loaders = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
    for loader in loaders:
        try:
            text = read_text(path)
            value, problems = parse_yaml(text, "f", loader)
        except YamlReadError:
            continue
        try:
            quick_value, _ = parse_yaml(text, "f", loader, marks=False)
        except Unmarked:
            assert problems  # it gives way only to report a problem
            continue
        assert not problems and plain(quick_value) == plain(value)


@pytest.mark.parametrize("name", FILES)
def test_json_schema_agrees_with_the_loader(name: str) -> None:
    _, schema, _ = expected(name)
    try:
        root, _ = yamlread.read_yaml(CORPUS / name)
    except YamlReadError:
        assert schema == "unparsed"
        return
    errors = list(jsonschema.Draft7Validator(fact_file_schema()).iter_errors(plain(root)))
    assert ("invalid" if errors else "valid") == schema, [e.message for e in errors]


def test_without_libyaml_the_pure_python_parser_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert yamlread._loader_class() is yaml.SafeLoader
    for name in FILES:
        code, _, problems = expected(name)
        result = invoke("validate", "--no-default", name)
        assert result.exit_code == code, (name, result.output)
        assert len(result.stdout.splitlines()) == len(problems), (name, result.stdout)


#: Every file the reader refuses, and two it reads: nothing one file holds can hide another's problems.
IN_ONE_RUN = [name for name in FILES if expected(name)[1] == "unparsed"] + ["unknown-field.yaml", "wrong-types.yaml"]


def one_run_of_many_files(environ: dict[str, str]) -> Runs:
    return Runs([[sys.executable, "-m", "azpak", "validate", "--no-default", *IN_ONE_RUN]], env=environ, cwd=CORPUS)


@started_early(one_run_of_many_files)
def test_one_run_reports_the_problems_of_every_file_in_a_real_process(started: Runs) -> None:
    (result,) = started.results()
    assert result.returncode == 65
    lines = result.stdout.splitlines()
    wanted = [name + fragment for name in IN_ONE_RUN for fragment in expected(name)[2]]
    # The two readable files share their ids: each clash is reported, naming both places.
    clashes = [line for line in lines if line.startswith("wrong-types.yaml") and "used at unknown-field" in line]
    assert len(clashes) == 5  # notes, AZ, energy, e1, my-notes
    assert len(lines) == len(wanted) + len(clashes)
    for start in wanted:
        assert any(line.startswith(start) for line in lines), start
    assert "Traceback" not in result.stderr
    assert f"{len(lines)} problems in {len(IN_ONE_RUN)} files" in result.stderr
