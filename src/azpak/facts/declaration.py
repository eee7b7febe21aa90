"""The shape of a fact file, declared once.

The validator, the model, the JSON Schema, the reference walk, text search and the
field tables of docs/schema.md all read these declarations.
"""

from __future__ import annotations

from azpak.structs import struct

EVENT_KINDS = (
    "agreement",
    "delivery",
    "visit",
    "meeting",
    "call",
    "consultations",
    "summit",
    "exercise",
    "parade",
    "aid",
    "flight",
    "recognition",
    "diplomatic",
    "parliamentary",
    "trade",
    "announcement",
    "statement",
    "other",
)
EVENT_STATUSES = ("occurred", "announced", "planned")
#: Statuses of events that look forward, and so may carry an ``outcome``.
FORWARD_STATUSES = ("announced", "planned")
STATEMENT_KINDS = ("quote", "paraphrase", "press-release", "assessment")
STATEMENT_CATEGORIES = ("position", "pledge", "claim", "praise", "condolence", "other")
ORGANISATION_KINDS = (
    "government",
    "ministry",
    "state-company",
    "company",
    "multilateral",
    "media",
    "military",
    "parliament",
    "other",
)
DATE_BASES = ("stated", "derived")
OUTCOME_STATES = ("fulfilled", "pending", "postponed", "cancelled", "no-report")
#: Outcome states that leave an announcement open (``followups --open``); a missing outcome is open too.
OPEN_OUTCOME_STATES = ("pending", "postponed", "no-report")
QUALIFIERS = ("exact", "about", "at-least", "at-most", "up-to")

#: Forms of ids, dates and codes: the loader checks them and ``azpak schema`` publishes them.
SLUG_PATTERN = "^[a-z0-9][a-z0-9-]*$"
COUNTRY_PATTERN = "^[A-Z]{2}$"
LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
CURRENCY_PATTERN = "^[A-Z]{3}$"
NUMBER_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"
#: A ``says`` repeating this many consecutive words of a locally held source is copied text.
COPIED_WORDS = 8


@struct
class Field:
    """One field of a record.

    kind: ``text``, ``texts`` (list of text), ``date`` (EDTF), ``choice`` (one of
    ``choices``), ``flag`` (true or false), ``number`` (a decimal), ``code`` (text
    of the form ``pattern``), ``ref`` / ``refs`` (ids of records in the collections
    ``targets``), ``record`` / ``records`` (nested mappings of the shape ``shape``).
    ``searchable`` text is what ``search`` and ``--text`` read.
    """

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    shape: str = ""
    description: str = ""
    searchable: bool = False
    pattern: str = ""


def _f(kind: str, description: str = "", **kwargs: object) -> Field:
    return Field(kind, description=description, **kwargs)  # type: ignore[arg-type]


ID = _f("id", "unique id: a lower-case slug (countries: ISO 3166-1 alpha-2)", required=True)
NAME = _f("text", "name", required=True, searchable=True)
ALIASES = _f("texts", "other names", searchable=True)
NOTES = _f("text", "curator's notes", searchable=True)
CITATIONS = _f("records", "the sources that report it, each with what it says", shape="citation")
REQUIRED_CITATIONS = _f(
    "records", "the sources that report it, each with what it says (one or more)", shape="citation", required=True
)
#: The one-source form of earlier fact files; it loads as a single citation.
LEGACY_SOURCE = _f("ref", "one-source form: id of the source (use `citations`)", targets=("sources",))
LEGACY_EVIDENCE = _f("text", "one-source form: verbatim excerpt (use `citations`)", searchable=True)
DATE_BASIS = _f("choice", "stated (default) or derived", choices=DATE_BASES)
DISPUTED = _f("records", "what other sources give instead", shape="dispute")
FIGURES = _f("records", "numbers the sources give, as values", shape="figure")
OUTCOME = _f("record", "what became of an announcement, plan or pledge", shape="outcome")

SHAPES: dict[str, dict[str, Field]] = {
    "sources": {
        "id": ID,
        "publisher": _f("ref", "organisation id of the publisher", required=True, targets=("organisations",)),
        "url": _f("text", "address of the page (required unless `local`)"),
        "title": _f("text", "the page's own title", searchable=True),
        "published": _f("date", "the page's own date (EDTF)"),
        "language": _f("code", "BCP 47 language tag: en, ur, az, ru…", pattern=LANGUAGE_PATTERN),
        "author": _f("text", "byline", searchable=True),
        "kind": _f("text", "news article, press release, official statement, interview…", searchable=True),
        "based_on": _f("ref", "the source it reprints or rewrites", targets=("sources",)),
        "local": _f("flag", "true when its full text is held in the sources directory"),
        "file": _f("text", "name of its text file in the sources directory (default: ID.txt)"),
        "notes": NOTES,
    },
    "countries": {
        "id": ID,
        "name": NAME,
        "aliases": ALIASES,
    },
    "people": {
        "id": ID,
        "name": _f("text", "full name", required=True, searchable=True),
        "aliases": _f("texts", "short forms, surname", searchable=True),
        "country": _f("ref", "country id", targets=("countries",)),
        "roles": _f("records", "posts held", shape="role"),
        "notes": NOTES,
    },
    "organisations": {
        "id": ID,
        "name": _f("text", "full name", required=True, searchable=True),
        "aliases": _f("texts", "acronyms and other names", searchable=True),
        "country": _f("ref", "country id; none for multilateral bodies", targets=("countries",)),
        "kind": _f("choice", "kind of organisation", required=True, choices=ORGANISATION_KINDS),
        "group": _f(
            "code", "one reporting chain: an agency and its ministry, outlets of one owner", pattern=SLUG_PATTERN
        ),
        "description": _f("text", "one line", searchable=True),
        "citations": CITATIONS,
        "source": LEGACY_SOURCE,
        "evidence": LEGACY_EVIDENCE,
        "notes": NOTES,
    },
    "sectors": {
        "id": ID,
        "name": NAME,
        "aliases": ALIASES,
        "description": _f("text", "one line", required=True, searchable=True),
    },
    "topics": {
        "id": ID,
        "name": NAME,
        "aliases": _f("texts", "other names and spellings", searchable=True),
        "description": _f("text", "one line", required=True, searchable=True),
        "citations": CITATIONS,
        "source": LEGACY_SOURCE,
        "evidence": LEGACY_EVIDENCE,
    },
    "events": {
        "id": ID,
        "date": _f("date", "EDTF date or interval (for an announcement: what it was planned for)", required=True),
        "date_basis": DATE_BASIS,
        "date_note": _f("text", "how the date was derived, or what the source says", searchable=True),
        "announced_on": _f("date", "when an announced or planned event was announced (EDTF)"),
        "title": _f("text", "short title", required=True, searchable=True),
        "summary": _f("text", "summary in our words", required=True, searchable=True),
        "kind": _f("choice", "kind of event", required=True, choices=EVENT_KINDS),
        "status": _f("choice", "occurred, announced or planned", required=True, choices=EVENT_STATUSES),
        "participants": _f("records", "who took part, with their role", shape="participant"),
        "countries": _f("refs", "countries involved", targets=("countries",)),
        "location": _f("text", "where, as stated", searchable=True),
        "sectors": _f("refs", "sectors", targets=("sectors",)),
        "topics": _f("refs", "topics", targets=("topics",)),
        "organisations": _f("refs", "organisations involved", targets=("organisations",)),
        "part_of": _f("ref", "the wider event", targets=("events",)),
        "attribution": _f("text", "whose claim this is, when not the source's own report", searchable=True),
        "citations": CITATIONS,
        "disputed": DISPUTED,
        "figures": FIGURES,
        "outcome": OUTCOME,
        "source": LEGACY_SOURCE,
        "evidence": LEGACY_EVIDENCE,
        "notes": NOTES,
    },
    "statements": {
        "id": ID,
        "speaker": _f("ref", "person or organisation id", required=True, targets=("people", "organisations")),
        "kind": _f("choice", "quote, paraphrase, press-release or assessment", required=True, choices=STATEMENT_KINDS),
        "category": _f("choice", "position, pledge, claim, praise, condolence or other", choices=STATEMENT_CATEGORIES),
        "quoted_in_source": _f("flag", "true when the cited page quotes the speaker's own words"),
        "date": _f("date", "when it was said (EDTF), if known"),
        "date_basis": DATE_BASIS,
        "date_note": _f("text", "how the date was derived", searchable=True),
        "audience": _f("text", "to whom or where", searchable=True),
        "summary": _f("text", "summary in our words", required=True, searchable=True),
        "about_events": _f("refs", "events it speaks of", targets=("events",)),
        "sectors": _f("refs", "sectors", targets=("sectors",)),
        "topics": _f("refs", "topics", targets=("topics",)),
        "organisations": _f("refs", "organisations it names", targets=("organisations",)),
        "countries": _f("refs", "countries it names", targets=("countries",)),
        "citations": CITATIONS,
        "disputed": DISPUTED,
        "figures": FIGURES,
        "outcome": OUTCOME,
        "source": LEGACY_SOURCE,
        "evidence": LEGACY_EVIDENCE,
        "notes": NOTES,
    },
    "role": {
        "title": _f("text", "post", required=True),
        "organisation": _f("ref", "organisation id", targets=("organisations",)),
        "country": _f("ref", "country id", targets=("countries",)),
        "as_of": _f("date", "when the source shows the post held (EDTF)", required=True),
        "citations": CITATIONS,
        "source": LEGACY_SOURCE,
        "evidence": LEGACY_EVIDENCE,
    },
    "participant": {
        "role": _f("text", "host, guest, signatory, received by…", required=True),
        "person": _f("ref", "person id", targets=("people",)),
        "organisation": _f("ref", "organisation id", targets=("organisations",)),
        "country": _f("ref", "country id", targets=("countries",)),
        "description": _f("text", "someone the source does not name", searchable=True),
    },
    "citation": {
        "source": _f("ref", "id of the source", required=True, targets=("sources",)),
        "evidence": _f("text", "a short verbatim excerpt (only from a `local` source)", searchable=True),
        "says": _f("text", "what the source states, in our words", searchable=True),
        "where": _f("text", "where in the source: section, paragraph, heading"),
    },
    "dispute": {
        "field": _f("text", "what differs: date, kind, title, participants, label, figures[0].value…", required=True),
        "value": _f("text", "the alternative, as the sources give it", required=True, searchable=True),
        "citations": REQUIRED_CITATIONS,
        "note": _f("text", "curator's note", searchable=True),
    },
    "figure": {
        "what": _f("text", "what is counted or priced", required=True, searchable=True),
        "value": _f("number", "the number, as a decimal", required=True, pattern=NUMBER_PATTERN),
        "unit": _f("text", "for counts: aircraft, agreements…"),
        "currency": _f("code", "ISO 4217 code, e.g. USD", pattern=CURRENCY_PATTERN),
        "qualifier": _f("choice", "exact, about, at-least, at-most or up-to", choices=QUALIFIERS),
        "as_of": _f("date", "when the figure holds (EDTF)"),
        "citations": CITATIONS,
    },
    "outcome": {
        "state": _f("choice", "what became of it", required=True, choices=OUTCOME_STATES),
        "fulfilled_by": _f("ref", "the event that carried it out (when fulfilled)", targets=("events",)),
        "as_of": _f("date", "when this was last checked or reported (EDTF)"),
        "citations": CITATIONS,
        "note": _f("text", "what was searched for, or what the sources say", searchable=True),
    },
}

#: Collections whose records must cite at least one source (``citations``, or the one-source form).
MUST_CITE = ("events", "statements", "role")

COLLECTIONS = (
    "sources",
    "countries",
    "people",
    "organisations",
    "sectors",
    "topics",
    "events",
    "statements",
)
