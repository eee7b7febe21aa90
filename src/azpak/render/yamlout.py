"""YAML output: the same data as JSON, every string quoted where YAML would retype it."""

from __future__ import annotations

from azpak.render import Listing, Output, View


class YamlRenderer:
    def render(self, view: View, output: Output) -> None:
        import yaml

        data = view.records if isinstance(view, Listing) else view.as_object()
        # libyaml's emitter where PyYAML has it: three times faster, and it escapes NEL (U+0085), which
        # the pure-Python emitter writes raw inside a quoted scalar, where a reader folds it to a space.
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        yaml.dump(data, output.stream, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
