"""Flattening record values to one line of text, for the tabular and human formats."""

from __future__ import annotations

from typing import Any


def cell(value: Any, *, booleans: tuple[str, str] = ("yes", "no")) -> str:
    """One value as text: references by name, lists joined with '; '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return booleans[0] if value else booleans[1]
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(cell(item, booleans=booleans) for item in value)
    if isinstance(value, dict):
        if "says" in value and "source" in value:  # a citation
            return citation_text(value)
        if "state" in value and "fulfilled_by" in value:  # an outcome
            done = value.get("fulfilled_by")
            return str(value["state"]) + (f" by {done['name']}" if isinstance(done, dict) else "")
        if "field" in value and "value" in value:  # a disagreement between sources
            return f"{value['field']}: {value['value']}"
        if "what" in value and "value" in value:  # a figure
            amount = f"{value.get('currency') or ''} {value['value']} {value.get('unit') or ''}".strip()
            qualifier = value.get("qualifier")
            return f"{value['what']}: {qualifier + ' ' if qualifier and qualifier != 'exact' else ''}{amount}"
        if "publisher" in value:
            publisher = value.get("publisher")
            if isinstance(publisher, dict):
                publisher = publisher.get("name")
            return ", ".join(str(v) for v in (publisher, value.get("published")) if v)
        if "role" in value:
            return f"{value.get('name') or ''} ({value['role']})"
        if "title" in value and "as_of" in value:
            parts = [value["title"]]
            for key in ("organisation", "country"):
                if value.get(key):
                    parts.append(value[key]["name"])
            return f"{', '.join(parts)} (as of {value['as_of']})"
        if "name" in value:
            return str(value["name"])
        if "title" in value:
            return str(value["title"])
        if "id" in value:
            return str(value["id"])
        return "; ".join(f"{key}: {cell(item, booleans=booleans)}" for key, item in value.items())
    return str(value)


def ids_of(value: Any) -> str | None:
    """The ids a reference-valued field holds, joined with '; ' (None when it holds no references)."""
    if isinstance(value, dict) and "id" in value:
        return "" if value["id"] is None else str(value["id"])
    if isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value):
        return "; ".join("" if v["id"] is None else str(v["id"]) for v in value)
    return None


def citation_text(citation: dict[str, Any]) -> str:
    """A citation in one line: publisher, date, title, address, then what it says (or its excerpt)."""
    publisher = citation.get("publisher") or citation.get("source") or {}
    parts = [str(publisher.get("name") or "") if isinstance(publisher, dict) else str(publisher)]
    for key in ("published", "title", "url"):
        if citation.get(key):
            parts.append(f"“{citation[key]}”" if key == "title" else str(citation[key]))
    head = ", ".join(p for p in parts if p)
    if citation.get("says"):
        return f"{head}: {citation['says']}"
    if citation.get("evidence"):
        return f"{head}: “{citation['evidence']}”"
    return head
