"""The shape of a fact file, declared once: the validator and the JSON Schema both read it."""

from __future__ import annotations

from azpak.structs import struct

EVENT_KINDS = (
    "agreement",
    "delivery",
    "visit",
    "meeting",
    "consultations",
    "announcement",
    "statement",
    "other",
)
EVENT_STATUSES = ("occurred", "announced", "planned")
STATEMENT_KINDS = ("quote", "paraphrase", "press-release", "assessment")
ORGANISATION_KINDS = (
    "government",
    "ministry",
    "state-company",
    "company",
    "multilateral",
    "media",
    "military",
    "other",
)
DATE_BASES = ("stated", "derived")


@struct
class Field:
    """One field of a record.

    kind: ``text``, ``texts`` (list of text), ``date`` (EDTF), ``choice`` (one of
    ``choices``), ``ref`` / ``refs`` (ids of records in the collections ``targets``),
    ``record`` / ``records`` (nested mappings of the shape ``shape``).
    """

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    shape: str = ""
    description: str = ""


def _f(kind: str, description: str = "", **kwargs: object) -> Field:
    return Field(kind, description=description, **kwargs)  # type: ignore[arg-type]


ID = _f("id", "unique id: a lower-case slug (countries: ISO 3166-1 alpha-2)", required=True)
SOURCE_REF = _f("ref", "id of the source", required=True, targets=("sources",))
EVIDENCE = _f("text", "short verbatim excerpt of the source", required=True)
NOTES = _f("text", "curator's notes")

SHAPES: dict[str, dict[str, Field]] = {
    "sources": {
        "id": ID,
        "publisher": _f("text", "publisher", required=True),
        "author": _f("text", "byline"),
        "published": _f("date", "publication date (EDTF)", required=True),
        "title": _f("text", "title, when the source gives one"),
        "url": _f("text", "address, when the source gives one"),
        "kind": _f("text", "what kind of source, e.g. news article"),
        "notes": NOTES,
    },
    "countries": {
        "id": ID,
        "name": _f("text", "name", required=True),
        "aliases": _f("texts", "other names"),
    },
    "people": {
        "id": ID,
        "name": _f("text", "full name", required=True),
        "aliases": _f("texts", "short forms, surname"),
        "country": _f("ref", "country id", targets=("countries",)),
        "roles": _f("records", "posts held", shape="role"),
        "notes": NOTES,
    },
    "organisations": {
        "id": ID,
        "name": _f("text", "full name", required=True),
        "aliases": _f("texts", "acronyms and other names"),
        "country": _f("ref", "country id; none for multilateral bodies", targets=("countries",)),
        "kind": _f("choice", "kind of organisation", required=True, choices=ORGANISATION_KINDS),
        "description": _f("text", "one line"),
        "source": _f("ref", "id of the source naming it", targets=("sources",)),
        "evidence": _f("text", "verbatim excerpt naming it"),
        "notes": NOTES,
    },
    "sectors": {
        "id": ID,
        "name": _f("text", "name", required=True),
        "aliases": _f("texts", "other names"),
        "description": _f("text", "one line", required=True),
    },
    "topics": {
        "id": ID,
        "name": _f("text", "name", required=True),
        "aliases": _f("texts", "other names and spellings"),
        "description": _f("text", "one line", required=True),
        "source": _f("ref", "id of the source naming it", targets=("sources",)),
        "evidence": _f("text", "verbatim excerpt naming it"),
    },
    "events": {
        "id": ID,
        "date": _f("date", "EDTF date or interval", required=True),
        "date_basis": _f("choice", "stated (default) or derived", choices=DATE_BASES),
        "date_note": _f("text", "how the date was derived, or what the source says"),
        "title": _f("text", "short title", required=True),
        "summary": _f("text", "summary in our words", required=True),
        "kind": _f("choice", "kind of event", required=True, choices=EVENT_KINDS),
        "status": _f("choice", "occurred, announced or planned", required=True, choices=EVENT_STATUSES),
        "participants": _f("records", "who took part, with their role", shape="participant"),
        "countries": _f("refs", "countries involved", targets=("countries",)),
        "location": _f("text", "where, as stated"),
        "sectors": _f("refs", "sectors", targets=("sectors",)),
        "topics": _f("refs", "topics", targets=("topics",)),
        "organisations": _f("refs", "organisations involved", targets=("organisations",)),
        "part_of": _f("ref", "the wider event", targets=("events",)),
        "attribution": _f("text", "whose claim this is, when not the source's own report"),
        "source": SOURCE_REF,
        "evidence": EVIDENCE,
        "notes": NOTES,
    },
    "statements": {
        "id": ID,
        "speaker": _f("ref", "person or organisation id", required=True, targets=("people", "organisations")),
        "kind": _f("choice", "quote, paraphrase, press-release or assessment", required=True, choices=STATEMENT_KINDS),
        "date": _f("date", "when it was said (EDTF), if known"),
        "date_basis": _f("choice", "stated (default) or derived", choices=DATE_BASES),
        "date_note": _f("text", "how the date was derived"),
        "audience": _f("text", "to whom or where"),
        "summary": _f("text", "summary in our words", required=True),
        "about_events": _f("refs", "events it speaks of", targets=("events",)),
        "sectors": _f("refs", "sectors", targets=("sectors",)),
        "topics": _f("refs", "topics", targets=("topics",)),
        "organisations": _f("refs", "organisations it names", targets=("organisations",)),
        "countries": _f("refs", "countries it names", targets=("countries",)),
        "source": SOURCE_REF,
        "evidence": EVIDENCE,
        "notes": NOTES,
    },
    "role": {
        "title": _f("text", "post", required=True),
        "organisation": _f("ref", "organisation id", targets=("organisations",)),
        "country": _f("ref", "country id", targets=("countries",)),
        "as_of": _f("date", "when the source shows the post held (EDTF)", required=True),
        "source": SOURCE_REF,
        "evidence": EVIDENCE,
    },
    "participant": {
        "role": _f("text", "host, guest, signatory, received by…", required=True),
        "person": _f("ref", "person id", targets=("people",)),
        "organisation": _f("ref", "organisation id", targets=("organisations",)),
        "country": _f("ref", "country id", targets=("countries",)),
        "description": _f("text", "someone the source does not name"),
    },
}

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
