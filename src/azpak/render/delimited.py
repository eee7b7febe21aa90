"""CSV and TSV output: one row per record, references flattened to names plus an ids column."""

from __future__ import annotations

import csv
from typing import Any

from azpak.render import Listing, Output, Row, View
from azpak.render.cells import cell, ids_of
from azpak.textsafe import neutralise_formula


def flat_row(record: Row) -> dict[str, str]:
    """A record as flat text cells; each reference field also gets a ``<field>_ids`` column.

    A cell a spreadsheet would run as a formula gets a leading single quote.
    """
    flat: dict[str, str] = {}
    for key, value in record.items():
        flat[key] = neutralise_formula(cell(value, booleans=("true", "false")))
        ids = ids_of(value)
        if ids is not None:
            flat[f"{key}_ids"] = ids
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
            fields.update(dict.fromkeys(c.key for c in view.columns))
        writer: Any = csv.DictWriter(
            output.stream,
            fieldnames=list(fields),
            delimiter=self.delimiter,
            lineterminator="\n",
            restval="",
        )
        writer.writeheader()
        writer.writerows(rows)
