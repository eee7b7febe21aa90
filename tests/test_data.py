"""The rules of the shipped fact base, and the facts it must hold."""

from __future__ import annotations

import re

from azpak.facts.dates import parse_edtf
from azpak.facts.load import default_fact_file, validate_files
from azpak.facts.model import FactBase

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _evidenced(base: FactBase) -> list[tuple[str, str, str]]:
    """(record id, source id, evidence) for every record that carries evidence."""
    found = [(e.id, e.source, e.evidence) for e in base.events.values()]
    found += [(s.id, s.source, s.evidence) for s in base.statements.values()]
    for person in base.people.values():
        found += [(person.id, r.source, r.evidence) for r in person.roles]
    for record in [*base.organisations.values(), *base.topics.values()]:
        if record.source and record.evidence:
            found.append((record.id, record.source, record.evidence))
    return found


def test_shipped_file_validates_without_problems() -> None:
    result = validate_files([default_fact_file()])
    assert [str(p) for p in result.problems] == []


def test_every_event_and_statement_is_sourced(base: FactBase) -> None:
    for record in [*base.events.values(), *base.statements.values()]:
        assert record.source in base.sources, record.id
        assert record.evidence.strip(), record.id


def test_every_evidence_excerpt_is_verbatim_in_the_source(base: FactBase, source_text: str) -> None:
    text = _norm(source_text)
    missing = [(rid, ev) for rid, _, ev in _evidenced(base) if _norm(ev) not in text]
    assert missing == []


def test_evidence_is_a_short_excerpt(base: FactBase) -> None:
    long = [(rid, len(ev.split())) for rid, _, ev in _evidenced(base) if len(ev.split()) > 30]
    assert long == []


def test_every_organisation_and_topic_says_where_it_is_named(base: FactBase) -> None:
    for record in [*base.organisations.values(), *base.topics.values()]:
        assert record.source in base.sources, record.id
        assert record.evidence and record.evidence.strip(), record.id


def test_every_person_has_a_sourced_role(base: FactBase) -> None:
    for person in base.people.values():
        assert person.roles, person.id


def test_derived_dates_say_from_what(base: FactBase) -> None:
    for record in [*base.events.values(), *base.statements.values()]:
        if record.date_basis == "derived":
            assert record.date_note, record.id


def test_all_dates_parse(base: FactBase) -> None:
    for event in base.events.values():
        parsed = parse_edtf(event.date.text)
        assert (parsed.first, parsed.last, parsed.precision) == (
            event.date.first,
            event.date.last,
            event.date.precision,
        )


def test_key_facts_of_the_article(base: FactBase) -> None:
    events = base.events
    pta = next(e for e in events.values() if e.kind == "agreement")
    assert pta.date.text == "2024-07" and {"AZ", "PK"} <= set(pta.countries) | {
        p.country for p in pta.participants if p.country
    }
    delivery = next(e for e in events.values() if e.kind == "delivery")
    assert delivery.date.text.startswith("2024-09") and delivery.date.precision == "month"
    malik = next(e for e in events.values() if any(p.person == "musadik-malik" for p in e.participants))
    assert malik.date.text == "2025-01-18"
    assert any(p.organisation == "socar" for p in malik.participants)
    consultations = next(e for e in events.values() if e.kind == "consultations")
    assert consultations.date.text == "2025-01-23/2025-01-24"
    assert any(p.person == "elnur-mammadov" for p in consultations.participants)
    meeting = next(e for e in events.values() if e.kind == "meeting")
    assert {p.person for p in meeting.participants} >= {"muhammad-shehbaz-sharif", "vugar-mustafayev"}
    assert meeting.date_basis == "derived"
    visit = next(e for e in events.values() if e.status == "announced")
    assert visit.kind == "visit" and visit.date.text == "2025-02" and visit.date_basis == "derived"
    assert visit.attribution and "media" in visit.attribution


def test_roles_of_the_people(base: FactBase) -> None:
    titles = {p.id: {r.title for r in p.roles} for p in base.people.values()}
    assert "Minister of State for Petroleum" in titles["musadik-malik"]
    assert "Deputy Foreign Minister" in titles["elnur-mammadov"]
    assert "Prime Minister" in titles["muhammad-shehbaz-sharif"]
    assert "Minister of Defense Industry" in titles["vugar-mustafayev"]
    assert "News Editor" in titles["raja-furqan-ahmed"]


def test_multilateral_bodies_have_no_country(base: FactBase) -> None:
    for acronym in ("UN", "OIC", "ECO"):
        organisation = next(o for o in base.organisations.values() if acronym in o.aliases)
        assert organisation.kind == "multilateral" and organisation.country is None


def test_attributed_claims_are_not_plain_facts(base: FactBase) -> None:
    kinds = {s.kind for s in base.statements.values()}
    assert {"quote", "paraphrase", "press-release", "assessment"} <= kinds
    press = [s for s in base.statements.values() if s.kind == "press-release"]
    assert all(s.speaker == "socar" for s in press)
    assessments = [s for s in base.statements.values() if s.kind == "assessment"]
    assert assessments and all(s.speaker == "azernews" for s in assessments)
