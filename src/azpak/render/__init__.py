"""Output: what a command prints (a Listing or a Profile), and one renderer per format.

Every renderer implements ``Renderer.render(view, output)``. The CLI maps a
format name to a renderer with ``renderer_for``; a test checks the mapping
covers every format. Drawings have modules of their own: ``lines`` (lines of
styled segments, such as the timeline), ``graphs`` (the network and its
formats) and ``graphviz`` (images drawn by Graphviz's ``dot``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Protocol, TextIO, Union

from azpak.structs import struct

Row = dict[str, Any]


class Format(StrEnum):
    """Output formats accepted by ``--format``."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    yaml = "yaml"
    markdown = "markdown"


@struct
class Column:
    """A column of the human formats: a row key, its header, and keys to fall back on."""

    key: str
    header: str
    fallback: tuple[str, ...] = ()
    show: Callable[[Row], Any] | None = None
    priority: int = 0  # in the terminal table: 0 always shown; higher numbers are left out first when narrow
    style: str = ""  # in the terminal table (e.g. "dim" for ids)
    under: bool = False  # in the terminal table: a line under the text of the column before, not a column

    def value(self, row: Row) -> Any:
        if self.show is not None:
            return self.show(row)
        value = row.get(self.key)
        for key in self.fallback:
            if value not in (None, "", []):
                break
            value = row.get(key)
        return value


@struct
class Listing:
    """A list of records of one kind (or mixed, for search), with the columns humans see."""

    records: list[Row]
    columns: list[Column]
    title: str = ""
    fields: tuple[str, ...] = ()  # the field names of its kind of record, for a header with no rows
    #: The columns of the terminal table (60 columns and wider), most important first by ``priority``;
    #: empty: the same as ``columns``. Evidence and summaries are left to ``show`` and ``--long``.
    terminal_columns: tuple[Column, ...] = ()


@struct
class Profile:
    """One record laid out field by field, with lists of related records."""

    record: Row
    fields: list[tuple[str, str]]
    sections: list[tuple[str, Listing]] | tuple[()] = ()
    title_key: str = "name"

    def as_object(self) -> Row:
        """The profile as one JSON object: the record with each section's records under its key."""
        combined = dict(self.record)
        for key, listing in self.sections:
            combined[key] = listing.records
        return combined


View = Union[Listing, Profile]


@struct
class Output:
    """Where output goes and what it may use there."""

    stream: TextIO
    terminal: bool = False
    color: bool = False
    width: int | None = None
    raw: bool = False  # CSV/TSV: no formula guard (for data pipelines)
    long: bool = False  # terminal: every column, each record as a block of labelled lines


class Renderer(Protocol):
    def render(self, view: View, output: Output) -> None: ...


def renderer_for(fmt: Format, output: Output) -> Renderer:
    """The renderer of a format; the table format is plain text when not on a terminal (unless colour is forced)."""
    if fmt is Format.table:
        if output.terminal or output.color:
            from azpak.render.table import RichRenderer

            return RichRenderer()
        from azpak.render.plain import PlainRenderer

        return PlainRenderer()
    if fmt in (Format.json, Format.jsonl):
        from azpak.render.jsonout import JsonRenderer

        return JsonRenderer(lines=fmt is Format.jsonl)
    if fmt in (Format.csv, Format.tsv):
        from azpak.render.delimited import DelimitedRenderer

        return DelimitedRenderer(delimiter="," if fmt is Format.csv else "\t")
    if fmt is Format.yaml:
        from azpak.render.yamlout import YamlRenderer

        return YamlRenderer()
    if fmt is Format.markdown:
        from azpak.render.markdown import MarkdownRenderer

        return MarkdownRenderer()
    raise ValueError(f"no renderer for {fmt}")
