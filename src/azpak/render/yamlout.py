"""YAML output: the same data as JSON, every string quoted where YAML would retype it.

Like JSON output, it writes C1 controls, DEL, bidi controls and U+2028/9 as ``\\u`` escapes,
so the data is the same but a terminal cannot act on it: a string holding one is written
double-quoted (where YAML has escapes), then the characters are escaped.
"""

from __future__ import annotations

from typing import Any

from azpak.render import Listing, Output, View
from azpak.textsafe import has_json_unsafe, json_safe


class YamlRenderer:
    def render(self, view: View, output: Output) -> None:
        import yaml

        # libyaml's emitter where PyYAML has it: three times faster than the pure-Python one.
        class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
            pass

        def text(dumper: Any, value: str) -> Any:
            style = '"' if has_json_unsafe(value) else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

        Dumper.add_representer(str, text)
        data = view.records if isinstance(view, Listing) else view.as_object()
        written = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
        output.stream.write(json_safe(written))
