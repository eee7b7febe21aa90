"""`azpak validate` and `azpak schema`, on real files, through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from azpak.facts.load import default_fact_file
from azpak.facts.yamlread import read_yaml
from conftest import SOURCES_DIR, Facts, invoke
from test_corpus import plain
from test_loading import MINIMAL, write

REFERS_TO_SHIPPED = """\
events:
  - id: follow-up
    date: "2025-03"
    title: Follow-up
    summary: A follow-up meeting.
    kind: meeting
    status: planned
    participants:
      - person: vugar-mustafayev
        role: guest
    sectors: [defence]
    source: azernews-2025-02-23
    evidence: Vugar Mustafayev
"""


def test_validate_with_no_path_checks_what_would_be_loaded() -> None:
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "1 file valid" in result.stderr


def test_validate_includes_azpak_data_and_data_when_no_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = write(tmp_path, "events:\n  - id: X\n", "bad.yaml")
    monkeypatch.setenv("AZPAK_DATA", str(bad))
    result = invoke("validate")
    assert result.exit_code == 65
    assert f"{bad}:2:9: events[0].id: invalid id 'X'" in result.stdout
    # Given a path, AZPAK_DATA is not part of the check.
    good = write(tmp_path, MINIMAL, "good.yaml")
    assert invoke("validate", "--no-default", str(good)).exit_code == 0


def test_a_partial_file_validates_with_the_shipped_base_but_not_alone(tmp_path: Path) -> None:
    path = write(tmp_path, REFERS_TO_SHIPPED)
    with_base = invoke("validate", str(path))
    assert with_base.exit_code == 0, with_base.output
    assert "2 files valid" in with_base.stderr
    alone = invoke("validate", "--no-default", str(path))
    assert alone.exit_code == 65
    assert alone.stdout.splitlines() == [
        f"{path}:9:17: events[0].participants[0].person: unknown id 'vugar-mustafayev': no such person",
        f"{path}:11:15: events[0].sectors[0]: unknown id 'defence': no such sector",
        f"{path}:12:13: events[0].source: unknown id 'azernews-2025-02-23': no such source",
    ]
    assert "3 problems in 1 file" in alone.stderr


def test_a_complete_file_validates_alone(tmp_path: Path) -> None:
    result = invoke("validate", "--no-default", str(write(tmp_path, MINIMAL)))
    assert result.exit_code == 0, result.output
    assert "(4 records)" in result.stderr


def test_the_same_id_in_two_files_is_an_error_naming_both_places(tmp_path: Path) -> None:
    one = write(tmp_path, MINIMAL, "one.yaml")
    two = write(tmp_path, MINIMAL, "two.yaml")
    result = invoke("validate", "--no-default", str(one), str(two))
    assert result.exit_code == 65
    assert f"{two}:2:9: sources[0].id: duplicate id 'notes': already used at {one}:2 (sources[0])" in result.stdout
    assert len(result.stdout.splitlines()) == 4  # notes, me, AZ, e1: no override, whichever file comes later


def test_a_user_file_cannot_override_a_shipped_record(tmp_path: Path) -> None:
    path = write(tmp_path, "countries:\n  - id: AZ\n    name: Republic of Azerbaijan\n")
    result = invoke("countries", "--data", str(path))
    assert result.exit_code == 65
    assert f"{path}:2:9: countries[0].id: duplicate id 'AZ': already used at {default_fact_file()}:" in result.stderr


def test_directories_are_validated_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "events:\n  - id: X\n", "b.yaml")
    write(tmp_path, "people: oops\n", "a.yml")
    write(tmp_path, "ignored", "notes.txt")
    result = invoke("validate", "--no-default", str(tmp_path))
    assert result.exit_code == 65
    files = [line.split(":")[0] for line in result.stdout.splitlines()]
    assert files == sorted(files) and set(files) == {str(tmp_path / "a.yml"), str(tmp_path / "b.yaml")}


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d / "missing.yaml", "no such file"),
        (lambda d: d, "directory has no *.yaml or *.yml files"),
        (lambda d: (d / "file.yaml").write_text("a: b\n") and d / "file.yaml" / "x.yaml", "cannot be read"),
    ],
)
def test_input_that_cannot_be_read_exits_66(tmp_path: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    path = setup(tmp_path)
    for args in (["validate", "--no-default", str(path)], ["events", "--no-default", "--data", str(path)]):
        result = invoke(*args)
        assert result.exit_code == 66, result.output
        assert message in result.output
        assert "Traceback" not in result.output


def test_nothing_to_validate_exits_66() -> None:
    result = invoke("validate", "--no-default")
    assert result.exit_code == 66 and "nothing to validate" in result.stderr


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "notes.txt").write_text(
        "On 1 March 2025 the two sides met.\nThey  said it was\n“a  good day” for both.\n", encoding="utf-8"
    )
    return texts


def test_sources_checks_every_excerpt_after_normalising_spaces_and_quotes(tmp_path: Path, source_dir: Path) -> None:
    facts = write(
        tmp_path,
        MINIMAL.replace("evidence: it happened", "evidence: the two sides met").replace(
            "organisations:\n",
            "organisations:\n"
            "  - id: org1\n    name: An organisation\n    kind: other\n"
            '    source: notes\n    evidence: "not in the text"\n',
        )
        + """\
statements:
  - id: s1
    speaker: org1
    kind: quote
    summary: It was good.
    source: notes
    evidence: "They said it was \\"a good day\\" for both."
  - id: s2
    speaker: org1
    kind: quote
    summary: Invented.
    source: notes
    evidence: the two sides argued
""",
    )
    result = invoke("validate", "--no-default", "--sources", str(source_dir), str(facts))
    assert result.exit_code == 65, result.output
    assert result.stdout.splitlines() == [
        f"{facts}:11:15: organisations[0].evidence: excerpt not found verbatim in notes.txt",
        f"{facts}:40:15: statements[1].evidence: excerpt not found verbatim in notes.txt; "
        "the first 14 of 20 characters match, then 'argued'",
    ]
    # Without --sources, the same file is valid.
    assert invoke("validate", "--no-default", str(facts)).exit_code == 0


def test_sources_reports_a_missing_source_text(tmp_path: Path) -> None:
    facts = write(tmp_path, MINIMAL)
    empty = tmp_path / "texts"
    empty.mkdir()
    result = invoke("validate", "--no-default", "--sources", str(empty), str(facts))
    assert result.exit_code == 65
    assert "events[0].evidence: no text for source 'notes': notes.txt is not in" in result.stdout
    missing = invoke("validate", "--no-default", "--sources", str(tmp_path / "nope"), str(facts))
    assert missing.exit_code == 66 and "no such directory" in missing.stderr


def test_sources_on_the_shipped_excerpts(article: Facts, tmp_path: Path) -> None:
    """The article's slice holds every record citing the article: every excerpt of it the shipped facts quote."""
    texts = sorted(SOURCES_DIR.glob("*.txt")) if SOURCES_DIR.is_dir() else []
    if not texts:
        pytest.skip("the source article is not present beside the repository")
    shutil.copy(texts[0], tmp_path / texts[0].name)  # the shipped source names its text file
    args = ("validate", "--no-default", "--sources", str(tmp_path), str(article.path))
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    (tmp_path / texts[0].name).write_text("An unrelated text.", encoding="utf-8")
    broken = invoke(*args)
    assert broken.exit_code == 65
    assert len(broken.stdout.splitlines()) >= 26  # every event, statement and role


def test_schema_is_json_schema_that_accepts_the_shipped_facts() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    root, _ = read_yaml(default_fact_file())
    assert list(jsonschema.Draft7Validator(schema).iter_errors(plain(root))) == []


def test_schema_describes_every_field_the_loader_knows() -> None:
    from azpak.facts.declaration import SHAPES

    schema = json.loads(invoke("schema").stdout)
    for name, shape in SHAPES.items():
        definition = schema["definitions"][name]
        assert set(definition["properties"]) == set(shape), name
        assert definition["required"] == [key for key, field in shape.items() if field.required], name
        assert definition["additionalProperties"] is False


def test_schema_help_names_the_editor_setting() -> None:
    assert "yaml-language-server: $schema=" in invoke("schema", "--help").stdout
