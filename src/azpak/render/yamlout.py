"""YAML output: the same data as JSON, every string quoted where YAML would retype it."""

from __future__ import annotations

from azpak.render import Listing, Output, View


class YamlRenderer:
    def render(self, view: View, output: Output) -> None:
        import yaml

        data = view.records if isinstance(view, Listing) else view.as_object()
        yaml.safe_dump(data, output.stream, allow_unicode=True, sort_keys=False, width=100)
