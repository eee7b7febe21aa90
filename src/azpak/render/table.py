"""Rich output for a terminal: tables fitted to the width, a laid-out profile."""

from __future__ import annotations

from typing import Any

from azpak.render import Column, Listing, Output, Profile, View
from azpak.render.cells import cell
from azpak.textsafe import visible


def _console(output: Output) -> Any:
    from rich.console import Console

    return Console(
        file=output.stream,
        width=output.width,
        force_terminal=output.color or None,
        no_color=not output.color,
        color_system="auto" if output.color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


# Short values that read badly when wrapped.
_COMPACT = frozenset({"date", "kind", "status", "type", "id", "events", "statements", "published", "source_count"})


_LONGEST_UNBROKEN_WORD = 14


def _table(listing: Listing, width: int) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", title=None, expand=False, pad_edge=False)
    cells = [
        [visible(cell(column.value(record)), keep="\n") for column in listing.columns] for record in listing.records
    ]
    # Columns wide enough for their longest word (up to a limit), so that words wrap rather than
    # break, when the terminal is wide enough for that; otherwise the width is shared out by ratio.
    longest: list[int] = []
    for index, column in enumerate(listing.columns):
        words = [column.header, *(word for row in cells for word in row[index].split())]
        cap = 40 if column.key in _COMPACT else _LONGEST_UNBROKEN_WORD
        longest.append(min(max(len(word) for word in words), cap))
    if sum(longest) + 3 * len(longest) + 4 > width:
        return _blocks(listing, cells)
    for index, column in enumerate(listing.columns):
        compact = column.key in _COMPACT
        table.add_column(column.header, overflow="fold", no_wrap=compact, min_width=None if compact else longest[index])
    for row in cells:
        table.add_row(*(Text(value) for value in row))
    return table


#: Below this width, listings print as blocks of labelled lines.
TABLE_MIN_WIDTH = 60
#: A wrapping column narrower than this is not worth showing: a lower-priority column is left out instead.
_MIN_TEXT = 16
_MAX_LINES = 3
_GAP = 3  # between columns: the padding on either side and SIMPLE_HEAD's blank column separator


def _wrap(text: str, width: int, most: int = _MAX_LINES) -> list[str]:
    """Words wrapped into ``width`` (a date interval may break after its ``/``); at most ``most`` lines, then ``…``."""
    import textwrap

    # A break is allowed after each "/" (a space is put there for textwrap, and taken out again).
    marked = text.replace("/", "/\x1f ")
    lines = textwrap.wrap(marked, width=width + marked.count("\x1f"), break_on_hyphens=False) or [""]
    lines = [line.replace("\x1f ", "").replace("\x1f", "") for line in lines]
    if any(len(line) > width for line in lines):  # the marks made room that the text does not have
        lines = [
            line.replace("\x1f ", "").replace("\x1f", "")
            for line in textwrap.wrap(marked, width=width, break_on_hyphens=False)
        ]
    most = max(most, 1)
    if len(lines) > most:
        last = lines[most - 1]
        while len(last) >= width and " " in last:  # room for the "…" without cutting a word
            last = last.rsplit(" ", 1)[0]
        lines = [*lines[: most - 1], last + "…"]
    return lines


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.replace("/", "/ ").split()), default=0)


def terminal_table(listing: Listing, width: int) -> Any:
    """The table of a terminal at least 60 columns wide: the columns that matter most, each row one to three lines.

    Short columns (dates, status, counts) take what they need; text columns share the rest, wrapping
    at word boundaries. A column marked ``under`` (the id) is a dim line under the text of the column
    before it, so it can be copied whole. Columns of higher ``priority`` numbers are left out until the
    text columns have room; a cell longer than its lines ends in ``…`` (``show ID`` has it all).
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    columns = list(listing.terminal_columns or listing.columns)
    cells = {id(c): [visible(cell(c.value(r)), keep="").replace("\n", " ") for r in listing.records] for c in columns}

    def natural(column: Column) -> int:
        return max([len(column.header), *(len(v) for v in cells[id(column)])])

    def shown(cols: list[Column]) -> list[Column]:
        return [c for c in cols if not c.under]

    def minimum(column: Column) -> int:
        longest = max([len(column.header), *(_longest_word(v) for v in cells[id(column)])])
        under = _attached(columns, column)
        return max([min(max(_MIN_TEXT, longest), natural(column)), *(natural(u) for u in under)])

    while True:
        fixed = [c for c in shown(columns) if c.key in _COMPACT]
        flexible = [c for c in shown(columns) if c.key not in _COMPACT]
        widths = {}
        for c in fixed:  # a date interval wraps after its "/"; counts and codes never wrap
            widths[id(c)] = (
                max([len(c.header), *(_longest_word(v) for v in cells[id(c)])]) if c.key == "date" else natural(c)
            )
        room = width - sum(widths.values()) - _GAP * (len(shown(columns)) - 1)
        droppable = [c for c in columns if c.priority > 0]
        if room >= sum(minimum(c) for c in flexible) or not droppable:
            break
        columns.remove(max(droppable, key=lambda c: (c.priority, columns.index(c))))
    # Each text column gets its minimum, then the rest in proportion to what more it would take.
    for c in flexible:
        widths[id(c)] = minimum(c)
    spare = max(room - sum(widths[id(c)] for c in flexible), 0)
    wants = {id(c): max(natural(c) - widths[id(c)], 0) for c in flexible}
    total = sum(wants.values())
    for c in flexible:
        if total:
            widths[id(c)] += min(wants[id(c)], spare * wants[id(c)] // total)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", expand=False, pad_edge=False, show_edge=False)
    for column in shown(columns):
        table.add_column(column.header, width=widths[id(column)], no_wrap=True, overflow="ellipsis")
    for index in range(len(listing.records)):
        row = []
        for column in shown(columns):
            under = _attached(columns, column)
            lines = _wrap(cells[id(column)][index], widths[id(column)], _MAX_LINES - len(under))
            text = Text("\n".join(lines), style=column.style)
            for extra in under:
                if cells[id(extra)][index]:
                    text.append("\n" + cells[id(extra)][index], style=extra.style)
            row.append(text)
        table.add_row(*row)
    return table


def _attached(columns: list[Column], host: Column) -> list[Column]:
    """The ``under`` columns that follow ``host``: shown as lines under its text."""
    position = columns.index(host)
    attached = []
    for column in columns[position + 1 :]:
        if not column.under:
            break
        attached.append(column)
    return attached


def _blocks(listing: Listing, cells: list[list[str]]) -> Any:
    """For a terminal too narrow for the table: each record as a block, its first two columns as a heading."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = []
    for row in cells:
        heading = Text.assemble((row[0], "bold"), "  ", (row[1] if len(row) > 1 else "", "bold"))
        parts.append(heading)
        for column, value in list(zip(listing.columns, row, strict=True))[2:]:
            if value:
                parts.append(Padding(Text.assemble((f"{column.header}: ", "dim"), value), (0, 0, 0, 2)))
        parts.append(Text(""))
    return Group(*parts)


def _listing(listing: Listing, width: int, *, long: bool = False) -> Any:
    """A listing on a terminal: the terminal table from 60 columns, blocks below that or with ``--long``."""
    if long or width < TABLE_MIN_WIDTH or not listing.terminal_columns:
        if long or width < TABLE_MIN_WIDTH:
            cells = [
                [visible(cell(column.value(record)), keep="\n") for column in listing.columns]
                for record in listing.records
            ]
            return _blocks(listing, cells)
        return _table(listing, width)
    return terminal_table(listing, width)


class RichRenderer:
    def render(self, view: View, output: Output) -> None:
        console = _console(output)
        if isinstance(view, Listing):
            console.print(_listing(view, console.width, long=output.long))
            return
        _print_profile(console, view, long=output.long)


def _print_profile(console: Any, profile: Profile, *, long: bool = False) -> None:
    from rich.text import Text

    console.print(Text(visible(cell(profile.record.get(profile.title_key)), keep=""), style="bold"))
    for key, label in profile.fields:
        value = profile.record.get(key)
        if value in (None, "", []) or key == profile.title_key:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            console.print(Text(f"{label}:", style="bold"))
            for item in value:
                console.print(Text("  • " + visible(cell(item), keep="\n")))
        else:
            console.print(Text.assemble((f"{label}: ", "bold"), visible(cell(value), keep="\n")))
    for _key, listing in profile.sections:
        console.print()
        console.print(Text(f"{listing.title} ({len(listing.records)})", style="bold underline"))
        if listing.records:
            console.print(_listing(listing, console.width, long=long))
