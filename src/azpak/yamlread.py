"""Read a YAML fact file into plain values that remember where they came from.

PyYAML's loaders construct Python objects by implicit typing (``2025-01-18`` becomes
a date, ``no`` becomes False), keep the last of duplicate keys, follow aliases
without limit and recurse per nesting level. This reader instead walks the
parser's event stream itself, iteratively, so that:

- every scalar stays the text that was written (only an empty plain scalar,
  ``~`` or ``null`` reads as "no value");
- aliases and explicit tags are refused, nesting depth and sizes are capped;
- duplicate keys are reported, with both lines;
- every mapping, key and list item keeps its line and column for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Union

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_SCALAR_CHARS = 65_536
MAX_DEPTH = 64

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})
_SEQ_TAGS = frozenset({None, "tag:yaml.org,2002:seq"})
_MAP_TAGS = frozenset({None, "tag:yaml.org,2002:map"})

Mark = tuple[int, int]


class YamlMap(dict[str, "YamlValue"]):
    """A mapping with the position of itself, each key and each value."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}


class YamlSeq(list["YamlValue"]):
    """A sequence with the position of itself and each item."""

    __slots__ = ("item_marks", "mark")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []


YamlValue = Union[str, None, YamlMap, YamlSeq]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a fact file, at a place a user can go to."""

    file: str
    line: int  # 1-based; 0 when the problem has no position
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class YamlReadError(Exception):
    """A file that cannot be read as YAML at all; carries the one problem."""

    def __init__(self, problem: Problem, *, missing: bool = False) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.missing = missing


def _decode(data: bytes, file: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlReadError(Problem(file, 1, 1, "", "the file is UTF-16 encoded: save it as UTF-8"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlReadError(
            Problem(
                file,
                line,
                column,
                "",
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): fact files must be UTF-8 text",
            )
        ) from None


def read_text(path: Path, display: str | None = None) -> str:
    """Read a fact file as UTF-8 text, with the size cap; raise YamlReadError."""
    file = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlReadError(
                Problem(
                    file,
                    0,
                    0,
                    "",
                    f"the file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                )
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise YamlReadError(Problem(file, 0, 0, "", "no such file"), missing=True) from None
    except IsADirectoryError:
        raise YamlReadError(Problem(file, 0, 0, "", "is a directory"), missing=True) from None
    except OSError as exc:
        raise YamlReadError(Problem(file, 0, 0, "", f"cannot be read: {exc.strerror or exc}"), missing=True) from None
    return _decode(data, file)


def _loader_class() -> type:
    import yaml

    # Only the parser of either loader is used (events, no construction), so the
    # C and pure-Python loaders reach the same decisions; the C one is faster.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, file: str, loader_class: type | None = None) -> tuple[YamlValue, list[Problem]]:
    """Parse YAML text into marked values; return them with any duplicate-key problems.

    Raise YamlReadError for text that is not YAML, or uses a refused feature.
    """
    import yaml

    loader = (loader_class or _loader_class())(text)
    problems: list[Problem] = []
    # Each open container: (container, path, pending key, pending key mark).
    stack: list[tuple[YamlMap | YamlSeq, str, str | None, Mark | None]] = []
    root: YamlValue = None
    documents = 0

    def fail(mark: Mark, path: str, message: str) -> YamlReadError:
        return YamlReadError(Problem(file, mark[0] + 1, mark[1] + 1, path, message))

    def child_path() -> str:
        parent, path, key, _ = stack[-1]
        if isinstance(parent, YamlSeq):
            return f"{path}[{len(parent)}]"
        return f"{path}.{key}" if path else str(key)

    def attach(value: YamlValue, mark: Mark) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        parent, path, key, key_mark = stack[-1]
        if isinstance(parent, YamlSeq):
            parent.append(value)
            parent.item_marks.append(mark)
            return
        if key is None:
            if not isinstance(value, str):
                raise fail(mark, path, "a mapping key must be a plain text value")
            if value in parent.key_marks:
                first = parent.key_marks[value]
                where = f"{path}.{value}" if path else value
                problems.append(
                    Problem(
                        file,
                        mark[0] + 1,
                        mark[1] + 1,
                        where,
                        f"duplicate key {value!r} (first at line {first[0] + 1}); "
                        "YAML would silently keep only the last",
                    )
                )
                stack[-1] = (parent, path, "\0dup", mark)
            else:
                stack[-1] = (parent, path, value, mark)
            return
        if key != "\0dup":
            parent[key] = value
            parent.key_marks[key] = key_mark or mark
            parent.value_marks[key] = mark
        stack[-1] = (parent, path, None, None)

    try:
        while loader.check_event():
            event = loader.get_event()
            mark: Mark = (event.start_mark.line, event.start_mark.column)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(mark, "", "several YAML documents in one file: a fact file holds one mapping")
            elif isinstance(event, yaml.AliasEvent):
                raise fail(mark, child_path() if stack else "", "aliases (*name) are not allowed in fact files")
            elif isinstance(event, yaml.ScalarEvent):
                if event.tag not in _PLAIN_TAGS:
                    raise fail(mark, child_path() if stack else "", f"tag {event.tag!r} is not allowed in fact files")
                if len(event.value) > MAX_SCALAR_CHARS:
                    raise fail(
                        mark,
                        child_path() if stack else "",
                        f"a value of {len(event.value):,} characters is over the {MAX_SCALAR_CHARS:,} limit",
                    )
                value: str | None = event.value
                if not event.style and event.value in _NULLS:  # plain style: None (Python) or "" (libyaml)
                    value = None
                attach(value, mark)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                is_map = isinstance(event, yaml.MappingStartEvent)
                path = child_path() if stack else ""
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    raise fail(mark, path, f"tag {event.tag!r} is not allowed in fact files")
                if len(stack) >= MAX_DEPTH:
                    raise fail(mark, path, f"nesting deeper than {MAX_DEPTH} levels")
                container: YamlMap | YamlSeq = YamlMap(mark) if is_map else YamlSeq(mark)
                attach(container, mark)
                stack.append((container, path, None, None))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        problem_mark = exc.problem_mark or exc.context_mark
        where: Mark = (problem_mark.line, problem_mark.column) if problem_mark else (0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise fail(where, "", f"YAML syntax error: {message}") from None
    except yaml.YAMLError as exc:
        raise YamlReadError(Problem(file, 0, 0, "", f"YAML error: {exc}")) from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose:
            dispose()
    return root, problems


def read_yaml(path: Path, display: str | None = None) -> tuple[YamlValue, list[Problem]]:
    """Read and parse one fact file."""
    file = display or str(path)
    return parse_yaml(read_text(path, file), file)
