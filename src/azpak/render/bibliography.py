"""Sources as a bibliography for reference managers: BibTeX (biblatex ``@online``) and CSL-JSON.

Both take source rows (see ``azpak sources --format json``) and write every field the
row has; a field the source does not give is left out rather than guessed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from azpak.render import Row

#: Characters that mean something to (La)TeX inside a field, and how to write them as text.
_TEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_TEX_CHARS = re.compile("|".join(re.escape(c) for c in _TEX))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
#: CSL item types for azpak's kinds of source (anything else is a web page).
_CSL_TYPES = {
    "news article": "article-newspaper",
    "press release": "webpage",
    "official statement": "webpage",
    "interview": "interview",
    "reference work": "entry-encyclopedia",
    "research paper": "article-journal",
    "opinion": "article-newspaper",
}


def _tex(text: str) -> str:
    return _TEX_CHARS.sub(lambda m: _TEX[m.group(0)], _CONTROL.sub(" ", text))


def _key(source_id: str) -> str:
    """A citation key: the source id, which is already a slug (letters, digits, hyphens)."""
    return re.sub(r"[^A-Za-z0-9:_-]", "-", source_id) or "source"


def _publisher(row: Row) -> str | None:
    publisher = row.get("publisher")
    if isinstance(publisher, dict):
        return str(publisher.get("name") or publisher.get("id") or "") or None
    return str(publisher) if publisher else None


def _date_parts(text: str | None) -> list[int] | None:
    """The leading YYYY[-MM[-DD]] of an EDTF date as numbers (None when it has no year of its own)."""
    if not text:
        return None
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not match:
        return None
    return [int(part) for part in match.groups() if part is not None]


def to_bibtex(rows: list[Row]) -> str:
    """A biblatex file: one ``@online`` entry per source."""
    entries = []
    for row in rows:
        fields: list[tuple[str, str]] = []
        if row.get("author"):
            fields.append(("author", "{" + _tex(str(row["author"])) + "}"))  # a name as written, not split
        if row.get("title"):
            fields.append(("title", _tex(str(row["title"]))))
        publisher = _publisher(row)
        if publisher:
            fields.append(("organization", _tex(publisher)))
        parts = _date_parts(row.get("published"))
        if parts:
            fields.append(("date", "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))))
            fields.append(("year", f"{parts[0]:04d}"))
        if row.get("url"):
            fields.append(("url", _CONTROL.sub("", str(row["url"])).replace("{", "%7B").replace("}", "%7D")))
        if row.get("language"):
            fields.append(("langid", _tex(str(row["language"]))))
        if row.get("kind"):
            fields.append(("note", _tex(str(row["kind"]))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@online{{{_key(str(row['id']))},\n{body}\n}}\n")
    return "\n".join(entries)


def to_csl_json(rows: list[Row]) -> str:
    """CSL-JSON (what Zotero and pandoc's citeproc read): a list of items."""
    items: list[dict[str, Any]] = []
    for row in rows:
        item: dict[str, Any] = {"id": row["id"], "type": _CSL_TYPES.get(str(row.get("kind") or ""), "webpage")}
        if row.get("title"):
            item["title"] = row["title"]
        publisher = _publisher(row)
        if publisher:
            item["publisher"] = publisher
            item["container-title"] = publisher
        if row.get("author"):
            item["author"] = [{"literal": row["author"]}]
        parts = _date_parts(row.get("published"))
        if parts:
            item["issued"] = {"date-parts": [parts]}
        if row.get("url"):
            item["URL"] = row["url"]
        if row.get("language"):
            item["language"] = row["language"]
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
