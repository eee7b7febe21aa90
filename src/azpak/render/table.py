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


def _table(listing: Listing) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", title=None, expand=False, pad_edge=False)
    for column in listing.columns:
        compact = column.key in _COMPACT
        table.add_column(column.header, overflow="fold", no_wrap=compact, min_width=None if compact else 8)
    for record in listing.records:
        table.add_row(*(Text(visible(cell(column.value(record)), keep="\n")) for column in listing.columns))
    return table


class RichRenderer:
    def render(self, view: View, output: Output) -> None:
        console = _console(output)
        if isinstance(view, Listing):
            console.print(_table(view))
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
            console.print(_table(listing))
