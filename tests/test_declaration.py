"""Each record kind's fields are declared once: every derivation follows the declaration."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from azpak.facts import declaration
from azpak.facts.declaration import SHAPES
from azpak.facts.jsonschema import fact_file_schema
from azpak.facts.model import NESTED_TYPES, RECORD_TYPE_NAMES, RECORD_TYPES
from azpak.facts.schemadoc import splice
from azpak.views.rows import RECORD_FIELDS
from conftest import Runs, started_early

REPO = Path(__file__).resolve().parent.parent
LEGACY = {"source", "evidence"}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_model_has_exactly_the_declared_fields(shape: str) -> None:
    cls = RECORD_TYPES.get(shape) or NESTED_TYPES[shape]
    declared = set(SHAPES[shape]) - (LEGACY if shape != "citation" else set())
    assert set(cls.__struct_fields__) == declared


@pytest.mark.parametrize("collection", list(RECORD_TYPES))
def test_output_fields_follow_the_declaration_order(collection: str) -> None:
    fields = RECORD_FIELDS[RECORD_TYPE_NAMES[collection]]
    declared = [key for key in SHAPES[collection] if key not in LEGACY]
    assert [key for key in fields if key in declared] == declared


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_json_schema_has_exactly_the_declared_fields(shape: str) -> None:
    definition = fact_file_schema()["definitions"][shape]
    assert list(definition["properties"]) == list(SHAPES[shape])
    assert definition["required"] == [key for key, field in SHAPES[shape].items() if field.required]


def test_the_json_schema_uses_the_loaders_patterns() -> None:
    schema = json.dumps(fact_file_schema())
    for pattern in (declaration.SLUG_PATTERN, declaration.COUNTRY_PATTERN, declaration.LANGUAGE_PATTERN):
        assert json.dumps(pattern) in schema


def test_the_schema_page_is_generated_from_the_declaration() -> None:
    page = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    assert splice(page) == page, "docs/schema.md is out of date: run python docs/make_schema.py"


def a_field_added_to_events(tmp_path_factory: pytest.TempPathFactory, environ: dict[str, str]) -> Runs:
    """A program that adds `venue` to events in the declaration only, and reports where it reaches."""
    facts = tmp_path_factory.mktemp("declaration") / "facts.yaml"
    facts.write_text(
        textwrap.dedent(
            """\
            sources:
              - id: notes
                publisher: me
                url: https://example.org/notes
            organisations:
              - id: me
                name: Me
                kind: other
            events:
              - id: e1
                date: "2025-01-01"
                title: A meeting
                summary: They met.
                kind: meeting
                status: occurred
                venue: Zanzibarhall
                citations:
                  - source: notes
                    says: Reports the meeting.
            """
        ),
        encoding="utf-8",
    )
    program = textwrap.dedent(
        f"""
        import json
        from azpak.facts import declaration
        declaration.SHAPES["events"]["venue"] = declaration.Field(
            "text", description="the hall", searchable=True
        )
        from pathlib import Path
        from azpak.facts.jsonschema import fact_file_schema
        from azpak.facts.load import build_fact_base, validate_files
        from azpak.facts.schemadoc import field_table
        from azpak.query.questions import search
        from azpak.views.rows import RECORD_FIELDS, RowMaker

        result = validate_files([Path({str(facts)!r})])
        base = build_fact_base(result)
        row = RowMaker(base).row(base.events["e1"])
        print(json.dumps({{
            "problems": [str(p) for p in result.problems],
            "schema": "venue" in fact_file_schema()["definitions"]["events"]["properties"],
            "fields": "venue" in RECORD_FIELDS["event"],
            "row": row.get("venue"),
            "search": [r.id for _, r in search(base, "zanzibarhall")],
            "doc": "`venue`" in field_table("events"),
        }}))
        """
    )
    return Runs([[sys.executable, "-c", program]], env=environ)


@started_early(a_field_added_to_events)
def test_a_field_added_to_the_declaration_reaches_every_derivation(started: Runs) -> None:
    """In a separate process, add `venue` to events in the declaration only, and follow it everywhere."""
    (done,) = started.results()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "problems": [],
        "schema": True,
        "fields": True,
        "row": "Zanzibarhall",
        "search": ["e1"],
        "doc": True,
    }
