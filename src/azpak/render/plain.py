"""Plain text for pipes and files: tab-separated columns, no colour, no boxes, nothing cut."""

from __future__ import annotations

from azpak.render import Listing, Output, Profile, View
from azpak.render.cells import cell
from azpak.textsafe import visible


def _line(values: list[str]) -> str:
    return "\t".join(visible(v).replace("\t", " ").replace("\n", " ") for v in values)


def write_listing(listing: Listing, output: Output) -> None:
    output.stream.write(_line([c.header for c in listing.columns]) + "\n")
    for record in listing.records:
        output.stream.write(_line([cell(c.value(record)) for c in listing.columns]) + "\n")


class PlainRenderer:
    def render(self, view: View, output: Output) -> None:
        if isinstance(view, Listing):
            write_listing(view, output)
            return
        write_profile(view, output)


def write_profile(profile: Profile, output: Output) -> None:
    write = output.stream.write
    for key, label in profile.fields:
        value = profile.record.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            write(f"{label}:\n")
            for item in value:
                write(f"  - {visible(cell(item))}\n")
        else:
            write(f"{label}: {visible(cell(value))}\n")
    for _key, listing in profile.sections:
        write(f"\n{listing.title} ({len(listing.records)}):\n")
        if listing.records:
            write_listing(listing, output)
