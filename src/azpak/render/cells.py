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
        if "publisher" in value:
            return ", ".join(str(v) for v in (value.get("publisher"), value.get("published")) if v)
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
        return str(value.get("id", ""))
    return str(value)


def ids_of(value: Any) -> str | None:
    """The ids a reference-valued field holds, joined with '; ' (None when it holds no references)."""
    if isinstance(value, dict) and "id" in value:
        return "" if value["id"] is None else str(value["id"])
    if isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value):
        return "; ".join("" if v["id"] is None else str(v["id"]) for v in value)
    return None
