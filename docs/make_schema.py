"""Regenerate the field tables of docs/schema.md from the fact declaration: python docs/make_schema.py"""

from pathlib import Path

from azpak.facts.schemadoc import splice

page = Path(__file__).resolve().parent / "schema.md"
page.write_text(splice(page.read_text(encoding="utf-8")), encoding="utf-8")
print(f"wrote {page}")
