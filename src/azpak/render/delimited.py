"""CSV and TSV output: one row per record, references flattened to names plus an ids column."""

from __future__ import annotations

import csv
from typing import Any

from azpak.render import Listing, Output, Row, View
from azpak.render.cells import cell, ids_of
from azpak.textsafe import neutralise_formula

#: Fields that refer to other records: each always has a ``<field>_ids`` column, so headers do not
#: depend on the data (``events``, ``statements`` and ``people`` are counts in a listing, lists in a profile).
REFERENCE_FIELDS = frozenset(
    {
        "participants",
        "countries",
        "location",
        "sectors",
        "topics",
        "organisations",
        "part_of",
        "source",
        "speaker",
        "about_events",
        "country",
        "sources",
        "publisher",
        "based_on",
    }
)
SECTION_FIELDS = frozenset({"events", "statements", "people"})


def flat_row(record: Row) -> dict[str, str]:
    """A record as flat text cells; each reference field also gets a ``<field>_ids`` column.

    A cell a spreadsheet would run as a formula gets a leading single quote.
    """
    flat: dict[str, str] = {}
    for key, value in record.items():
        flat[key] = neutralise_formula(cell(value, booleans=("true", "false")))
        if key in REFERENCE_FIELDS or (key in SECTION_FIELDS and isinstance(value, list)):
            flat[f"{key}_ids"] = neutralise_formula(ids_of(value) or "")
        elif key == "citations":
            flat["citation_sources"] = neutralise_formula("; ".join(c["source"]["id"] for c in value or []))
    return flat


class DelimitedRenderer:
    def __init__(self, *, delimiter: str) -> None:
        self.delimiter = delimiter

    def render(self, view: View, output: Output) -> None:
        records = view.records if isinstance(view, Listing) else [view.as_object()]
        rows = [flat_row(r) for r in records]
        fields: dict[str, None] = {}
        for row in rows:
            fields.update(dict.fromkeys(row))
        if not rows and isinstance(view, Listing):
            # No record to take the field names from: those of the kind of record the listing holds.
            empty = {key: None for key in view.fields}
            fields.update(dict.fromkeys(flat_row(empty) if view.fields else (c.key for c in view.columns)))
        writer: Any = csv.DictWriter(
            output.stream,
            fieldnames=list(fields),
            delimiter=self.delimiter,
            lineterminator="\n",
            restval="",
        )
        writer.writeheader()
        writer.writerows(rows)
