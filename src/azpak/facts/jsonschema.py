"""The JSON Schema of a fact file, generated from ``azpak.facts.declaration.SHAPES``.

Editors (through yaml-language-server) validate a fact file against it as people
type. It says what can be said without the rest of the fact base: fields, types,
required fields, allowed values, id and date forms. What needs the whole fact
base (duplicate ids, references to ids that exist, dates that exist, intervals
in order) is left to ``azpak validate``. The schema is JSON Schema draft-07,
which most editors support.
"""

from __future__ import annotations

from typing import Any

from azpak.facts.declaration import COLLECTIONS, COUNTRY_PATTERN, MUST_CITE, SHAPES, SLUG_PATTERN, Field

_POINT = r"(?!0000)\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?[~?%]?"
EDTF_PATTERN = rf"^\s*({_POINT}|{_POINT}/({_POINT}|\.\.)?|(\.\.)?/{_POINT})\s*$"

_TEXT: dict[str, Any] = {"type": "string", "pattern": r"\S"}


def _ref(field: Field) -> dict[str, Any]:
    pattern = COUNTRY_PATTERN if field.targets == ("countries",) else SLUG_PATTERN
    return {"type": "string", "pattern": pattern}


def _field(field: Field, shape_name: str) -> dict[str, Any]:
    kind = field.kind
    spec: dict[str, Any]
    if kind == "id":
        spec = {"type": "string", "pattern": COUNTRY_PATTERN if shape_name == "countries" else SLUG_PATTERN}
    elif kind == "text":
        spec = dict(_TEXT)
    elif kind == "texts":
        spec = {"type": "array", "items": {"type": "string"}}
    elif kind == "date":
        spec = {"type": "string", "pattern": EDTF_PATTERN}
    elif kind == "choice":
        spec = {"type": "string", "enum": list(field.choices)}
    elif kind == "ref":
        spec = _ref(field)
    elif kind == "refs":
        spec = {"type": "array", "items": _ref(field)}
    elif kind == "records":
        spec = {"type": "array", "items": {"$ref": f"#/definitions/{field.shape}"}}
    elif kind == "record":
        spec = {"$ref": f"#/definitions/{field.shape}"}
    elif kind == "flag":
        spec = {"type": "string", "enum": ["true", "false"]}
    elif kind in ("number", "code"):
        spec = {"type": "string", "pattern": field.pattern}
    else:  # pragma: no cover - a new kind must be added here; test_schema checks every kind
        raise ValueError(f"no JSON Schema for field kind {kind!r}")
    if field.description:
        spec["description"] = field.description
    if not field.required:
        # An empty value (`notes:`) reads as "no value", which an optional field may have. Said with
        # `type: [..., "null"]`, not `anyOf`, so a validator's first message names what is wrong.
        spec = _or_null(spec)
    return spec


def _or_null(spec: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in spec:  # a nested record: draft-07 ignores a $ref's siblings, so the null goes beside it
        return {"anyOf": [{"$ref": spec["$ref"]}, {"type": "null"}], "description": spec.get("description", "")}
    widened = dict(spec)
    widened["type"] = [spec["type"], "null"]
    if "enum" in spec:
        widened["enum"] = [*spec["enum"], None]
    return widened


def _shape(name: str) -> dict[str, Any]:
    shape = SHAPES[name]
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key: _field(field, name) for key, field in shape.items()},
        "required": [key for key, field in shape.items() if field.required],
        "additionalProperties": False,
    }
    rules: list[dict[str, Any]] = []
    if "date_basis" in shape:
        rules.append(
            {
                "if": {"properties": {"date_basis": {"const": "derived"}}, "required": ["date_basis"]},
                "then": {"required": ["date_note"], "properties": {"date_note": _TEXT}},
            }
        )
    if "source" in shape and "evidence" in shape and name != "citation":
        both = {"required": ["source", "evidence"], "properties": {"source": {"type": "string"}, "evidence": _TEXT}}
        neither = {
            "properties": {"source": {"type": "null"}, "evidence": {"type": "null"}},
        }
        rules.append({"anyOf": [both, neither]})
    if name in MUST_CITE:
        rules.append({"anyOf": [{"required": ["citations"]}, {"required": ["source"]}]})
    if name == "citation":
        rules.append({"anyOf": [{"required": ["says"]}, {"required": ["evidence"]}]})
    if name == "outcome":
        rules.append(
            {
                "if": {"properties": {"state": {"const": "fulfilled"}}, "required": ["state"]},
                "then": {"required": ["fulfilled_by"], "properties": {"fulfilled_by": {"type": "string"}}},
            }
        )
    if name == "participant":
        present = {key: {"required": [key], "properties": {key: {"type": "string"}}} for key in SHAPES[name]}
        rules.append({"anyOf": [present[key] for key in ("person", "organisation", "description", "country")]})
        pairs = [("person", "organisation"), ("person", "description"), ("organisation", "description")]
        rules.append(
            {
                "not": {
                    "anyOf": [
                        {"required": list(pair), "properties": {k: {"type": "string"} for k in pair}} for pair in pairs
                    ]
                }
            }
        )
    if rules:
        schema["allOf"] = rules
    return schema


def fact_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of one fact file."""
    collections = {
        name: {
            "type": ["array", "null"],  # an empty key (`events:`) is an empty list
            "items": {"$ref": f"#/definitions/{name}"},
            "description": f"the {name} of the fact base",
        }
        for name in COLLECTIONS
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "azpak fact file",
        "description": "A fact file of azpak: a mapping of lists of records. See docs/schema.md.",
        "type": "object",
        "properties": collections,
        "additionalProperties": False,
        "definitions": {name: _shape(name) for name in SHAPES},
    }
