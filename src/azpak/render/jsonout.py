"""JSON (one array or object) and JSON Lines (one record per line) output."""

from __future__ import annotations

import json

from azpak.render import Listing, Output, View
from azpak.textsafe import json_safe


class JsonRenderer:
    def __init__(self, *, lines: bool = False) -> None:
        self.lines = lines

    def render(self, view: View, output: Output) -> None:
        if isinstance(view, Listing):
            if self.lines:
                for record in view.records:
                    output.stream.write(json_safe(json.dumps(record, ensure_ascii=False)) + "\n")
                return
            output.stream.write(json_safe(json.dumps(view.records, ensure_ascii=False, indent=2)) + "\n")
            return
        indent = None if self.lines else 2
        output.stream.write(json_safe(json.dumps(view.as_object(), ensure_ascii=False, indent=indent)) + "\n")
