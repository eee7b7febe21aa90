"""The rules of the shipped fact base, and the facts it must hold."""

from __future__ import annotations

import re

from azpak.facts.dates import parse_edtf
from azpak.facts.declaration import COPIED_WORDS
from azpak.facts.evidence import copied_run, word_runs
from azpak.facts.model import Citation, FactBase

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _all_citations(base: FactBase) -> list[tuple[str, Citation]]:
    """(record id, citation) for every citation anywhere in the base: records, roles, disputes, figures, outcomes."""
    found: list[tuple[str, Citation]] = []

    def walk(record_id: str, value: object) -> None:
        for citation in getattr(value, "citations", ()):
            found.append((record_id, citation))
        for key in ("roles", "disputed", "figures"):
            for child in getattr(value, key, ()):
                walk(record_id, child)
        outcome = getattr(value, "outcome", None)
        if outcome is not None:
            walk(record_id, outcome)

    for collection in ("people", "organisations", "topics", "events", "statements"):
        for record in base.collection(collection).values():
            walk(record.id, record)
    return found


def _evidenced(base: FactBase) -> list[tuple[str, str, str]]:
    """(record id, source id, evidence) for every citation that carries a verbatim excerpt."""
    return [(rid, c.source, c.evidence) for rid, c in _all_citations(base) if c.evidence]


def test_every_event_statement_and_role_cites_a_source(base: FactBase) -> None:
    for record in [*base.events.values(), *base.statements.values()]:
        assert record.citations, record.id
        assert all(c.source in base.sources for c in record.citations), record.id
    for person in base.people.values():
        for role in person.roles:
            assert role.citations, (person.id, role.title)


def test_every_web_citation_has_an_address_and_says_it_in_our_words(base: FactBase) -> None:
    for record_id, citation in _all_citations(base):
        source = base.sources[citation.source]
        if source.local:
            continue
        assert source.url and source.url.startswith(("http://", "https://")), (record_id, source.id)
        assert citation.says and not citation.evidence, (record_id, source.id)


def test_every_evidence_excerpt_is_verbatim_in_the_source(base: FactBase, source_text: str) -> None:
    text = _norm(source_text)
    missing = [(rid, ev) for rid, _, ev in _evidenced(base) if _norm(ev) not in text]
    assert missing == []


def test_nothing_written_in_our_words_copies_the_local_source(base: FactBase, source_text: str) -> None:
    """No summary, title or `says` repeats a run of 8 or more words of the article held locally."""
    runs = word_runs(source_text, COPIED_WORDS)
    ours: list[tuple[str, str]] = [(rid, c.says) for rid, c in _all_citations(base) if c.says]
    for record in [*base.events.values(), *base.statements.values()]:
        ours.append((record.id, record.summary))
        ours.append((record.id, getattr(record, "title", "") or ""))
    copied = [(rid, run) for rid, text in ours if (run := copied_run(text, runs, COPIED_WORDS))]
    assert copied == []


def test_evidence_is_a_short_excerpt(base: FactBase) -> None:
    long = [(rid, len(ev.split())) for rid, _, ev in _evidenced(base) if len(ev.split()) > 30]
    assert long == []


def test_every_announcement_older_than_the_newest_source_has_an_outcome(base: FactBase) -> None:
    newest = max(s.published.last for s in base.sources.values() if s.published)
    for event in base.events.values():
        if event.status in ("announced", "planned") and event.date.first <= newest:
            assert event.outcome is not None, event.id


def test_no_event_occurs_after_every_source_that_reports_it(base: FactBase) -> None:
    for event in base.events.values():
        if event.status != "occurred":
            continue
        dates = [base.sources[c.source].published for c in event.citations]
        if all(d is not None for d in dates):
            assert event.date.first <= max(d.last for d in dates if d is not None), event.id


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
    pta = events["pta-signing-2024"]
    assert pta.kind == "agreement" and pta.date.text == "2024-07"
    assert {"AZ", "PK"} <= set(pta.countries) | {p.country for p in pta.participants if p.country}
    delivery = events["jf-17-delivery-2024"]
    assert delivery.kind == "delivery" and delivery.date.text.startswith("2024-09")
    malik = events["musadik-malik-visit-2025"]
    assert malik.date.text == "2025-01-18" and any(p.organisation == "socar" for p in malik.participants)
    consultations = events["political-consultations-round-4"]
    assert consultations.date.text == "2025-01-23/2025-01-24"
    assert any(p.person == "elnur-mammadov" for p in consultations.participants)
    meeting = events["sharif-mustafayev-meeting"]
    assert {p.person for p in meeting.participants} >= {"muhammad-shehbaz-sharif", "vugar-mustafayev"}
    assert meeting.date_basis == "derived"
    visit = events["sharif-visit-azerbaijan-announced"]
    assert visit.status == "announced" and visit.kind == "visit" and visit.date.text == "2025-02"
    assert visit.date_basis == "derived" and visit.attribution and "media" in visit.attribution
    assert all(any(c.source == "azernews-2025-02-23" for c in e.citations) for e in (pta, delivery, malik, visit))


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
