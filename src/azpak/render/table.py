"""Rich output for a terminal: tables fitted to the width, a laid-out profile."""

from __future__ import annotations

from typing import Any

from azpak.render import Listing, Output, Profile, View
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
_COMPACT = frozenset({"date", "kind", "status", "type", "id", "events", "statements", "published"})


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


class RichRenderer:
    def render(self, view: View, output: Output) -> None:
        console = _console(output)
        if isinstance(view, Listing):
            console.print(_table(view, console.width))
            return
        _print_profile(console, view)


def _print_profile(console: Any, profile: Profile) -> None:
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
            console.print(_table(listing, console.width))
