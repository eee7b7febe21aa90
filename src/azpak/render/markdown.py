"""Markdown output: GitHub-flavoured tables, and a heading with fields for a profile."""

from __future__ import annotations

import re

from azpak.render import Listing, Output, Profile, View
from azpak.render.cells import cell
from azpak.textsafe import visible

#: Characters that start Markdown inline syntax or HTML (emphasis, code, links, images, autolinks,
#: raw HTML, entities, strikethrough, headings, table cells): each is backslash-escaped, which
#: CommonMark allows for any ASCII punctuation, so the text renders as the same text.
_INLINE_SYNTAX = re.compile(r"([\\`*_\[\]<>&|~!#])")
#: What makes a line a list item, a heading underline or a blockquote when it comes first.
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def _escape(text: str) -> str:
    flat = visible(text).replace("\n", " ").replace("\t", " ")
    escaped = _INLINE_SYNTAX.sub(r"\\\1", flat)
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    blank, start = match.group(1), match.group(2)
    return blank + (start + "\\" if start[0].isdigit() else "\\" + start)  # "1\." / "\-"


def _table(listing: Listing) -> str:
    lines = [
        "| " + " | ".join(_escape(c.header) for c in listing.columns) + " |",
        "|" + "|".join("---" for _ in listing.columns) + "|",
    ]
    for record in listing.records:
        lines.append("| " + " | ".join(_escape(cell(c.value(record))) for c in listing.columns) + " |")
    return "\n".join(lines) + "\n"


class MarkdownRenderer:
    def render(self, view: View, output: Output) -> None:
        if isinstance(view, Listing):
            output.stream.write(_table(view))
            return
        output.stream.write(_profile(view))


def _profile(profile: Profile) -> str:
    parts = [f"# {_escape(cell(profile.record.get(profile.title_key)))}\n"]
    for key, label in profile.fields:
        value = profile.record.get(key)
        if value in (None, "", []) or key == profile.title_key:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            parts.append(f"**{label}:**\n\n" + "".join(f"- {_escape(cell(v))}\n" for v in value))
        else:
            parts.append(f"- **{label}:** {_escape(cell(value))}")
    body = "\n".join(parts) + "\n"
    for _key, listing in profile.sections:
        body += f"\n## {listing.title} ({len(listing.records)})\n\n"
        body += _table(listing) if listing.records else "_none_\n"
    return body
