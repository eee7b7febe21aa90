"""CSV and TSV output: one row per record, references flattened to names plus an ids column.

CSV (RFC 4180): a cell holding the delimiter, ``"``, CR or LF is quoted, so it stays one cell.
TSV is not CSV with tabs: one record per line and one field per tab, never quoted, with tab,
newline, CR and backslash written as ``\\t``, ``\\n``, ``\\r``, ``\\\\`` (PostgreSQL's text format),
so ``cut`` and ``awk`` read it.
"""

from __future__ import annotations

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


def flat_row(record: Row, *, guard: bool = True) -> dict[str, str]:
    """A record as flat text cells; each reference field also gets a ``<field>_ids`` column.

    A text cell a spreadsheet would run as a formula gets a leading single quote (unless ``guard``
    is off); a number, such as a negative amount, is not text and is left as it is.
    """

    def text(value: str) -> str:
        return neutralise_formula(value) if guard else value

    flat: dict[str, str] = {}
    for key, value in record.items():
        shown = cell(value, booleans=("true", "false"))
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        flat[key] = shown if is_number else text(shown)
        if key in REFERENCE_FIELDS or (key in SECTION_FIELDS and isinstance(value, list)):
            flat[f"{key}_ids"] = text(ids_of(value) or "")
        elif key == "citations":
            flat["citation_sources"] = text("; ".join(c["source"]["id"] for c in value or []))
    return flat


_CSV_SPECIAL = frozenset(',"\r\n')
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def csv_cell(value: str) -> str:
    """A CSV cell: quoted (with ``"`` doubled) when it holds the delimiter, ``"``, CR or LF."""
    if _CSV_SPECIAL.isdisjoint(value):
        return value
    return '"' + value.replace('"', '""') + '"'


def tsv_cell(value: str) -> str:
    """A TSV field: tab, newline, CR and backslash escaped, never quoted."""
    return value.translate(_TSV_ESCAPES)


class DelimitedRenderer:
    def __init__(self, *, delimiter: str) -> None:
        self.delimiter = delimiter

    def render(self, view: View, output: Output) -> None:
        records = view.records if isinstance(view, Listing) else [view.as_object()]
        rows = [flat_row(r, guard=not output.raw) for r in records]
        fields: dict[str, None] = {}
        for row in rows:
            fields.update(dict.fromkeys(row))
        if not rows and isinstance(view, Listing):
            # No record to take the field names from: those of the kind of record the listing holds.
            empty = {key: None for key in view.fields}
            fields.update(dict.fromkeys(flat_row(empty) if view.fields else (c.key for c in view.columns)))
        quote = csv_cell if self.delimiter == "," else tsv_cell
        write = output.stream.write
        write(self.delimiter.join(quote(name) for name in fields) + "\n")
        for row in rows:
            write(self.delimiter.join(quote(row.get(name, "")) for name in fields) + "\n")
