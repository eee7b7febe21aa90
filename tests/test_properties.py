"""Property-based tests: fact bases round-trip through YAML; dates and names behave for any input."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azpak.facts.dates import DateError, EdtfDate, parse_edtf
from azpak.facts.declaration import COLLECTIONS, EVENT_KINDS, EVENT_STATUSES, STATEMENT_KINDS
from azpak.facts.load import load_fact_base
from azpak.facts.model import FactBase
from azpak.facts.names import Named, match, normalise
from azpak.views.rows import RowMaker
from conftest import invoke

# Text a curator might write, including what YAML would retype if it were not read as text.
TRICKY = [
    "NO",
    "yes",
    "0777",
    ".nan",
    "~",
    "null",
    "2025-01-18",
    "12:30",
    "1e3",
    "- x",
    "a: b",
    "#c",
    "[x]",
    "'q'",
    '"dq"',
]
text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"), min_size=1)
    .map(str.strip)
    .filter(bool),
)
slug = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
day = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def edtf(draw: st.DrawFn) -> str:
    one, two = sorted((draw(day), draw(day)))
    forms = [one.isoformat(), one.strftime("%Y-%m"), one.strftime("%Y"), f"{one.isoformat()}/{two.isoformat()}"]
    form = draw(st.sampled_from(forms))
    return form + draw(st.sampled_from(["", "~", "?", "%"])) if "/" not in form else form


@st.composite
def fact_bases(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    ids = draw(st.lists(slug, min_size=4, max_size=12, unique=True))
    source, person, sector, *events = ids
    base: dict[str, list[dict[str, Any]]] = {
        "sources": [{"id": source, "publisher": "zz--publisher--zz", "published": draw(edtf()), "local": "true"}],
        "organisations": [{"id": "zz--publisher--zz", "name": draw(text), "kind": "media"}],
        "countries": [{"id": "AZ", "name": draw(text), "aliases": draw(st.lists(text, max_size=3))}],
        "people": [{"id": person, "name": draw(text), "country": "AZ"}],
        "sectors": [{"id": sector, "name": draw(text), "description": draw(text)}],
        "events": [],
        "statements": [],
    }
    for event_id in events:
        base["events"].append(
            {
                "id": event_id,
                "date": draw(edtf()),
                "title": draw(text),
                "summary": draw(text),
                "kind": draw(st.sampled_from(EVENT_KINDS)),
                "status": draw(st.sampled_from(EVENT_STATUSES)),
                "participants": [{"role": draw(text), "person": person}],
                "sectors": [sector],
                "citations": [{"source": source, "evidence": draw(text)}],
            }
        )
    if events:
        base["statements"].append(
            {
                "id": f"{events[0]}-said",
                "speaker": person,
                "kind": draw(st.sampled_from(STATEMENT_KINDS)),
                "summary": draw(text),
                "about_events": events[:2],
                "citations": [{"source": source, "says": draw(text)}],
            }
        )
    return base


def _plain(value: Any) -> Any:
    """A loaded record back to what a fact file says."""
    if isinstance(value, EdtfDate):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    fields = getattr(type(value), "__struct_fields__", None)
    if fields is not None:
        return {name: _plain(getattr(value, name)) for name in fields if getattr(value, name) not in (None, ())}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def dump(base: FactBase) -> dict[str, list[Any]]:
    return {name: [_plain(r) for r in base.collection(name).values()] for name in COLLECTIONS}


def _write(directory: str, name: str, data: dict[str, Any]) -> Path:
    path = Path(directory) / name
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter, when there: the same YAML, faster
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_bases())
def test_a_fact_base_written_to_yaml_and_loaded_back_gives_the_same_answers(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        first = load_fact_base([_write(directory, "one.yaml", data)], include_default=False)
        written = dump(first)
        for name, records in data.items():  # every fact survives, as written (defaults such as date_basis added)
            given_facts = [{k: v for k, v in r.items() if v not in (None, [])} for r in records]
            assert [{k: w[k] for k in g} for w, g in zip(written[name], given_facts, strict=True)] == given_facts
        second_path = _write(directory, "two.yaml", written)
        second = load_fact_base([second_path], include_default=False)
        assert dump(second) == written
        # The same answers, as output rows of every record (what every command prints is made of these).
        assert _rows(first) == _rows(second)


def _rows(base: FactBase) -> dict[str, list[Any]]:
    maker = RowMaker(base)
    return {name: [maker.row(r) for r in base.collection(name).values()] for name in COLLECTIONS}


def test_a_written_and_reread_file_answers_the_same_through_the_command_line(tmp_path: Path) -> None:
    data = {
        "sources": [{"id": "notes", "publisher": "me", "published": "2025-01", "local": "true"}],
        "organisations": [{"id": "me", "name": "Me", "kind": "media"}],
        "events": [
            {
                "id": "e1",
                "date": "2025-01-02/2025-01-05",
                "title": "NO",
                "summary": "0777",
                "kind": "visit",
                "status": "announced",
                "citations": [{"source": "notes", "evidence": "yes"}],
            }
        ],
        "statements": [
            {
                "id": "s1",
                "speaker": "me",
                "kind": "quote",
                "summary": "~",
                "citations": [{"source": "notes", "says": "on"}],
            }
        ],
    }
    first = load_fact_base([_write(str(tmp_path), "one.yaml", data)], include_default=False)
    _write(str(tmp_path), "two.yaml", dump(first))
    for command in ("events", "quotes", "sources"):
        answers = [
            invoke(command, "--no-default", "--data", str(tmp_path / f), "--format", "json")
            for f in ("one.yaml", "two.yaml")
        ]
        assert answers[0].exit_code == 0, answers[0].output
        assert json.loads(answers[0].stdout) == json.loads(answers[1].stdout)


@given(edtf())
def test_a_valid_date_parses_to_a_range_and_keeps_its_text(text: str) -> None:
    parsed = parse_edtf(text)
    assert parsed.text == text and parsed.first <= parsed.last
    assert parse_edtf(text) == parsed
    assert parsed.overlaps(parsed.first, parsed.first) and parsed.overlaps(parsed.last, parsed.last)


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        parsed = parse_edtf(text)
    except DateError:
        return
    assert parsed.first <= parsed.last


@given(day, day, day)
def test_an_interval_contains_its_days_and_nothing_outside(a: date, b: date, probe: date) -> None:
    a, b = sorted((a, b))
    parsed = parse_edtf(f"{a.isoformat()}/{b.isoformat()}")
    assert parsed.overlaps(probe, probe) == (a <= probe <= b)
    assert parse_edtf(f"{a.isoformat()}/..").overlaps(probe, probe) == (probe >= a)
    assert parse_edtf(f"../{b.isoformat()}").overlaps(probe, probe) == (probe <= b)


@given(day, day)
def test_an_interval_that_ends_before_it_starts_is_refused(a: date, b: date) -> None:
    if a == b:
        return
    early, late = sorted((a, b))
    try:
        parse_edtf(f"{late.isoformat()}/{early.isoformat()}")
    except DateError as error:
        assert "before it starts" in str(error)
    else:
        raise AssertionError("accepted an interval that ends before it starts")


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@given(names)
def test_case_and_composition_do_not_change_a_name(name: str) -> None:
    import unicodedata

    for variant in (name.upper(), name.lower(), unicodedata.normalize("NFD", name), unicodedata.normalize("NFC", name)):
        if name.upper().lower() == name.lower():  # case mapping is not always reversible (ß, ŉ…)
            assert normalise(variant) == normalise(name), variant


@given(names, names)
def test_a_name_matches_itself_among_others(name: str, other: str) -> None:
    target, decoy = Named("t", name, (), "t"), Named("d", other, (), "d")
    if normalise(name):
        assert target in match(name, [decoy, target])
    else:
        assert match(name, [decoy, target]) == []
