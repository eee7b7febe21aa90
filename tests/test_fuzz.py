"""A short fuzzing run of the loader: mutated fact files, YAML-like text and raw bytes.

Whatever the input, reading and validating ends in a list of problems or one of the
documented errors, never another exception, and libyaml and the pure-Python parser
reach the same decision. ``AZPAK_FUZZ_EXAMPLES`` sets how many inputs each test tries
(CI runs more than the default).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azpak.errors import DataError, NoInputError
from azpak.facts.load import default_fact_file, raise_for_problems, validate_files
from azpak.facts.yamlread import Unmarked, YamlReadError, parse_yaml
from test_corpus import plain

EXAMPLES = int(os.environ.get("AZPAK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
SHIPPED = default_fact_file().read_text(encoding="utf-8")[:4000]
PIECES = [
    *"&*!|>-?:,[]{}#'\"%@`\t\n\r \\",
    "---",
    "...",
    "\x85",
    "\u2028",
    "\ufeff",
    "\x00",
    "\x1b",
    "\\ud800",
    "\\x1b",
    "!!str ",
    "!!python/object:os.system ",
    "%YAML 1.1\n",
    "%YAML 1.3\n",
    "%TAG !e! tag:yaml.org,2002:\n",
    "? ",
    "<<: ",
    "- ",
    "  ",
    "\n- id: x\n",
    "&a ",
    "*a",
    "\\U0010ffff",
    "é",
    "2025-02-30",
    "|#",
    ">2-#",
]


def _decision(text: str, loader: Any) -> tuple[str, Any]:
    try:
        value, problems = parse_yaml(text, "fuzz.yaml", loader)
    except YamlReadError as error:
        assert error.problem.file == "fuzz.yaml"
        return "refused", None
    return "read", (plain(value), [str(p) for p in problems])


def _unmarked_decision(text: str, loader: Any) -> tuple[str, Any]:
    """What reading without positions decides: the same values, or to give way to a read with them."""
    try:
        value, problems = parse_yaml(text, "fuzz.yaml", loader, marks=False)
    except YamlReadError as error:
        return "refused", error.problem.message
    except Unmarked:
        return "gave way", None
    return "read", (plain(value), [str(p) for p in problems])


def _same_decision(text: str) -> None:
    python = _decision(text, yaml.SafeLoader)
    loaders: list[Any] = [yaml.SafeLoader]
    if hasattr(yaml, "CSafeLoader"):
        assert _decision(text, yaml.CSafeLoader) == python
        loaders.append(yaml.CSafeLoader)
    for loader in loaders:
        unmarked = _unmarked_decision(text, loader)
        if python[0] == "read" and not python[1][1]:
            assert unmarked == python
        else:
            assert unmarked[0] in ("gave way", "refused")


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = SHIPPED
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(PIECES))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)) :]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    return text


@FUZZ
@given(mutated())
def test_mutated_fact_files(text: str) -> None:
    _same_decision(text)


@FUZZ
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=40).map("".join))
def test_yaml_like_text(text: str) -> None:
    _same_decision(text)


@FUZZ
@given(st.binary(max_size=400) | mutated().map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_raw_bytes_through_the_whole_loader(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzz.yaml"
        path.write_bytes(data)
        result = validate_files([path])
        assert result.problems == validate_files([path], marks=True).problems
        for problem in result.problems:
            assert problem.file == str(path) and problem.message
        if result.problems:
            with pytest.raises((DataError, NoInputError)):
                raise_for_problems(result)
