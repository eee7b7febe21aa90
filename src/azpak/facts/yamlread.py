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

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any, NoReturn, Union

from azpak.textsafe import visible

# Large enough for a research base of 100,000 events (about 80 MB), small enough to bound time and memory.
MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_SCALAR_CHARS = 65_536
MAX_DEPTH = 64
MAX_MESSAGE_CHARS = 400

# What YAML allows in a stream (YAML 1.1/1.2 "printable"); checked here, before either
# parser sees the text, so that both refuse the same characters at the same place.
# (A pattern, compiled on first use: compiling it takes longer than checking most files.)
_NOT_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
# The same set in ASCII, for bytes.translate: deleting these leaves only what is refused.
_PRINTABLE_ASCII = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# The YAML versions libyaml accepts; the pure-Python parser only warns about others.
_YAML_VERSIONS = frozenset({(1, 1), (1, 2)})

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})
_SEQ_TAGS = frozenset({None, "tag:yaml.org,2002:seq"})
_MAP_TAGS = frozenset({None, "tag:yaml.org,2002:map"})

Mark = tuple[int, int]


class Unmarked(Exception):
    """A position was needed from values read without them: read the text again, keeping them."""


class _NoMark(tuple[int, int]):
    """The position of a value read without positions: using it raises Unmarked."""

    __slots__ = ()

    def __getitem__(self, index: Any) -> Any:
        raise Unmarked

    def __iter__(self) -> Any:
        raise Unmarked


class _NoMarks(dict[str, Mark]):
    """The positions of a mapping's keys or values, read without positions."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Mark:
        return NO_MARK

    def get(self, key: str, default: Any = None) -> Mark:
        return NO_MARK


class _NoItemMarks(list[Mark]):
    """The positions of a sequence's items, read without positions."""

    __slots__ = ()

    def __getitem__(self, index: Any) -> Any:
        return NO_MARK


#: Where a value read without positions is: anything that uses it (``mark[0]``) raises Unmarked.
NO_MARK: Mark = _NoMark((0, 0))
_NO_MARKS = _NoMarks()
_NO_ITEM_MARKS = _NoItemMarks()


class YamlMap(dict[str, "YamlValue"]):
    """A mapping with the position of itself, each key and each value (or NO_MARK for all, when read without)."""

    __slots__ = ("key_marks", "mark", "value_marks")
    key_marks: dict[str, Mark]
    value_marks: dict[str, Mark]

    def __init__(self, mark: Mark = NO_MARK) -> None:  # no super().__init__(): dict.__new__ made it empty
        self.mark = mark
        if mark is NO_MARK:
            self.key_marks = self.value_marks = _NO_MARKS
        else:
            self.key_marks = {}
            self.value_marks = {}


class YamlSeq(list["YamlValue"]):
    """A sequence with the position of itself and each item (or NO_MARK for all, when read without)."""

    __slots__ = ("item_marks", "mark")

    def __init__(self, mark: Mark = NO_MARK) -> None:  # no super().__init__(): list.__new__ made it empty
        self.mark = mark
        self.item_marks: list[Mark] = _NO_ITEM_MARKS if mark is NO_MARK else []


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
        message = self.message if len(self.message) <= MAX_MESSAGE_CHARS else self.message[:MAX_MESSAGE_CHARS] + "…"
        text = f"{where}: {self.path}: {message}" if self.path else f"{where}: {message}"
        return visible(text, keep="")


class YamlReadError(Exception):
    """A file that cannot be read as YAML at all; carries the one problem."""

    def __init__(self, problem: Problem, *, missing: bool = False) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.missing = missing


def position(text: str, index: int) -> Mark:
    """The 0-based (line, column) of ``text[index]``, counting line breaks as YAML does."""
    line = 0
    line_start = 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line += 1
        line_start = match.end()
    return line, index - line_start


def _decode(data: bytes, file: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        wide = "UTF-32" if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else "UTF-16"
        raise YamlReadError(Problem(file, 1, 1, "", f"the file is {wide} encoded: save it as UTF-8"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
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
    """Read a fact file as UTF-8 text, with the size cap; raise YamlReadError.

    Only regular files are read (a FIFO or a device could block or never end), and
    never more than the cap, whatever the file system says its size is.
    """
    import stat

    file = display or str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise YamlReadError(Problem(file, 0, 0, "", "is a directory"), missing=True)
        if not stat.S_ISREG(info.st_mode):
            raise YamlReadError(Problem(file, 0, 0, "", "is not a regular file"), missing=True)
        if info.st_size > MAX_FILE_BYTES:
            raise _too_big(file)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise YamlReadError(Problem(file, 0, 0, "", "no such file"), missing=True) from None
    except IsADirectoryError:
        raise YamlReadError(Problem(file, 0, 0, "", "is a directory"), missing=True) from None
    except OSError as exc:
        raise YamlReadError(Problem(file, 0, 0, "", f"cannot be read: {exc.strerror or exc}"), missing=True) from None
    if len(data) > MAX_FILE_BYTES:  # it grew since stat()
        raise _too_big(file)
    return _decode(data, file)


def _too_big(file: str) -> YamlReadError:
    return YamlReadError(Problem(file, 0, 0, "", f"the file is over the {MAX_FILE_BYTES:,}-byte limit"))


def _check_characters(text: str, file: str) -> None:
    """Refuse what YAML forbids, and what libyaml and PyYAML's own parser read differently.

    The two parsers disagree about tabs (libyaml allows them in more places) and
    about a byte order mark after the start, so both are refused here, where the
    decision is the same whichever parser runs.
    """
    if not (text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII)):
        found = re.search(_NOT_PRINTABLE, text)
        if found is not None:
            message = f"character U+{ord(found.group()):04X} is not allowed in a YAML file"
            _refuse(text, file, found.start(), message)
    tab = text.find("\t")
    if tab >= 0:
        _refuse(text, file, tab, "a tab character: indent and space fact files with spaces")
    bom = text.find("\ufeff", 1)
    if bom >= 0:
        line, column = position(text, bom)
        message = "a byte order mark (U+FEFF) is only allowed at the start of the file"
        raise YamlReadError(Problem(file, line + 1, column + 1, "", message))


def _refuse(text: str, file: str, index: int, message: str) -> NoReturn:
    line, column = position(text, index)
    detail = message + ' (inside double quotes, write it as an escape: "\\t", "\\e", "\\x1b")'
    raise YamlReadError(Problem(file, line + 1, column + 1, "", detail))


def _loader_class() -> type:
    import yaml

    # Only the parser of either loader is used (events, no construction), so the
    # C and pure-Python loaders reach the same decisions; the C one is faster.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][+-]?|[+-][1-9]?)?(?:[ \t]|$)")


class _LineTable:
    """The lines of a text that passed ``_check_characters``, without their breaks; built once per file.

    Built on the first block scalar, so that checking every header costs one pass over the
    text in all, not one per block scalar (hand-written files use ``>-`` for every long text).
    ``str.splitlines`` also splits at \\v, \\f and \\x1c-\\x1e, which that check refuses, so
    what it splits at are YAML's line breaks: \\r\\n, \\r, \\n, \\x85, \\u2028 and \\u2029.
    """

    __slots__ = ("lines",)

    def __init__(self, text: str) -> None:
        lines = text.splitlines()
        if not text or text[-1] in "\r\n\x85\u2028\u2029":
            lines.append("")  # the empty line after a final break, which YAML counts as a line
        if lines[0].startswith("\ufeff"):
            lines[0] = lines[0][1:]  # a byte order mark takes no column in the parsers' marks
        self.lines = lines


def _block_header_ok(mark: Mark, table: _LineTable) -> bool:
    """Whether a block scalar's header (``|``, ``>-``, ``|2``…) ends in a space or the line's end.

    libyaml accepts ``|#comment``, which YAML and PyYAML's own parser do not. The scalar's mark is
    where its properties start when it has any (a tag such as ``!!str``, an anchor): the header
    follows them, after spaces, comments or line breaks.
    """
    lines = table.lines
    row, column = mark
    while row < len(lines):
        line = lines[row]
        if column > len(line):
            return False
        while column < len(line) and line[column] in " \t":
            column += 1
        if column == len(line) or line[column] == "#":  # the line ends, or a comment ends it
            row, column = row + 1, 0
        elif line[column] in "!&":  # a property: up to the next space
            while column < len(line) and line[column] not in " \t":
                column += 1
        else:
            return _BLOCK_HEADER.match(line, column) is not None
    return False


def _headers_need_checking(text: str) -> bool:
    """Whether some ``#`` follows a ``|`` or ``>`` and block indicators, as in a header libyaml wrongly accepts.

    When none does, no block scalar's header can be wrong, and a text read without positions
    needs neither the line table nor a check per block scalar. Past many comments, the
    headers are checked instead.
    """
    at = text.find("#")
    for _ in range(10_000):
        if at < 0:
            return False
        before = at - 1
        while before >= 0 and text[before] in "0123456789+-":
            before -= 1
        if before >= 0 and text[before] in "|>":
            return True
        at = text.find("#", at + 1)
    return True


def _path(stack: list[list[Any]], depth: int) -> str:
    """The YAML path of the container open at ``stack[depth]`` ("" for the root)."""
    path = ""
    for index in range(1, depth + 1):
        parent = stack[index - 1]
        if parent[1]:
            path = f"{path}[{stack[index][4]}]"
        else:
            key = stack[index][4]
            path = f"{path}.{key}" if path else str(key)
    return path


def _child_path(stack: list[list[Any]]) -> str:
    """The path of the next value of the innermost open container (as a new child would get)."""
    if not stack:
        return ""
    path = _path(stack, len(stack) - 1)
    container, is_seq, key = stack[-1][0], stack[-1][1], stack[-1][2]
    if is_seq:
        return f"{path}[{len(container)}]"
    return f"{path}.{key}" if path else str(key)


def parse_yaml(
    text: str,
    file: str,
    loader_class: type | None = None,
    progress: Callable[[float], None] | None = None,
    *,
    marks: bool = True,
) -> tuple[YamlValue, list[Problem]]:
    """Parse YAML text into marked values; return them with any duplicate-key problems.

    Raise YamlReadError for text that is not YAML, or uses a refused feature. ``progress``,
    if given, is told now and then what fraction of the text has been parsed. Without
    ``marks``, every position is NO_MARK, and Unmarked is raised instead of any problem
    or YamlReadError that needs one (read again with marks to report it).
    """
    import yaml

    _check_characters(text, file)
    if not marks:
        return _parse_unmarked(text, loader_class, progress), []
    loader: Any = None
    problems: list[Problem] = []
    # Each open container: [container, is a sequence, pending key, pending key's mark, where it
    # hangs in its parent (key or index)]. The innermost one's fields are also held in locals;
    # paths are only worked out for messages.
    stack: list[list[Any]] = []
    root: YamlValue = None
    documents = 0
    lines: _LineTable | None = None
    container: Any = None
    is_seq = False
    key: str | None = None
    key_mark: Mark | None = None

    def fail(mark: Mark, path: str, message: str) -> YamlReadError:
        return YamlReadError(Problem(file, mark[0] + 1, mark[1] + 1, path, message))

    def save() -> None:
        if stack:
            frame = stack[-1]
            frame[2] = key
            frame[3] = key_mark

    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_start = yaml.DocumentStartEvent
    nulls, plain_tags = _NULLS, _PLAIN_TAGS
    dup = "\0dup"  # the pending key of a duplicate: its value is read, then dropped
    try:
        loader = (loader_class or _loader_class())(text)
        get_event = loader.get_event
        countdown = 0
        while True:
            event = get_event()
            if event is None:
                break
            kind = event.__class__
            if progress is not None:
                countdown -= 1
                if countdown < 0:
                    countdown = 50_000
                    progress(event.start_mark.index / max(len(text), 1))
            if kind is scalar_event:
                start = event.start_mark
                mark: Mark = (start.line, start.column)
                value = event.value
                style = event.style
                if event.tag not in plain_tags:
                    save()
                    raise fail(mark, _child_path(stack), f"tag {event.tag!r} is not allowed in fact files")
                if len(value) > MAX_SCALAR_CHARS:
                    save()
                    raise fail(
                        mark,
                        _child_path(stack),
                        f"a value of {len(value):,} characters is over the {MAX_SCALAR_CHARS:,} limit",
                    )
                if style:
                    # Only an escape in double quotes can make a surrogate: the text itself has none.
                    if style == '"':
                        if not value.isascii():
                            surrogate = _SURROGATE.search(value)
                            if surrogate is not None:
                                save()
                                raise fail(
                                    mark,
                                    _child_path(stack),
                                    f"escape for U+{ord(surrogate.group()):04X} is a lone UTF-16 surrogate, "
                                    "not a character",
                                )
                    elif style == "|" or style == ">":
                        if lines is None:
                            lines = _LineTable(text)
                        if not _block_header_ok(mark, lines):
                            save()
                            raise fail(
                                mark, _child_path(stack), "YAML syntax error: a comment needs a space before `#`"
                            )
                elif value in nulls:  # plain style: None (Python) or "" (libyaml)
                    value = None
                if is_seq:
                    container.append(value)
                    container.item_marks.append(mark)
                elif key is None:
                    if container is None:
                        root = value
                    elif value is None:
                        save()
                        raise fail(mark, _path(stack, len(stack) - 1), "a mapping key must be a plain text value")
                    elif value in container.key_marks:
                        save()
                        problems.append(_duplicate(file, stack, value, mark, container.key_marks[value]))
                        key, key_mark = dup, mark
                    else:
                        # One string object per distinct key, whatever the number of records: less memory.
                        key, key_mark = intern(value), mark
                else:
                    if key is not dup:
                        container[key] = value
                        container.key_marks[key] = key_mark
                        container.value_marks[key] = mark
                    key = key_mark = None
                continue
            if kind is map_end or kind is seq_end:
                stack.pop()
                if stack:
                    frame = stack[-1]
                    container, is_seq, key, key_mark = frame[0], frame[1], frame[2], frame[3]
                else:
                    container, is_seq, key, key_mark = None, False, None, None
                continue
            start = event.start_mark
            mark = (start.line, start.column)
            if kind is map_start or kind is seq_start:
                is_map = kind is map_start
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    save()
                    raise fail(mark, _child_path(stack), f"tag {event.tag!r} is not allowed in fact files")
                if len(stack) >= MAX_DEPTH:
                    save()
                    raise fail(mark, _child_path(stack), f"nesting deeper than {MAX_DEPTH} levels")
                new: YamlMap | YamlSeq = YamlMap(mark) if is_map else YamlSeq(mark)
                where: Any = None
                if is_seq:
                    where = len(container)
                    container.append(new)
                    container.item_marks.append(mark)
                elif key is None:
                    if container is None:
                        root = new
                    else:
                        save()
                        raise fail(mark, _path(stack, len(stack) - 1), "a mapping key must be a plain text value")
                else:
                    where = key
                    if key is not dup:
                        container[key] = new
                        container.key_marks[key] = key_mark
                        container.value_marks[key] = mark
                    key = key_mark = None
                # The parent's saved pending key is None, as it is now: no need to save it.
                stack.append([new, not is_map, None, None, where])
                container, is_seq = new, not is_map
            elif kind is alias_event:
                save()
                raise fail(mark, _child_path(stack), "aliases (*name) are not allowed in fact files")
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    raise fail(
                        mark,
                        "",
                        "expected a mapping of lists in one YAML document, got several documents (`---`)",
                    )
                if event.version is not None and tuple(event.version) not in _YAML_VERSIONS:
                    version = ".".join(str(part) for part in event.version)
                    raise fail(mark, "", f"YAML version {version} is not supported (use 1.1 or 1.2)")
    except yaml.reader.ReaderError as exc:  # pragma: no cover - _check_characters finds these first
        line, column = position(text, exc.position)
        raise fail((line, column), "", f"character U+{exc.character:04X} is not allowed in a YAML file") from None
    except yaml.MarkedYAMLError as exc:
        problem_mark = exc.problem_mark or exc.context_mark
        at: Mark = (problem_mark.line, problem_mark.column) if problem_mark else (0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise fail(at, "", f"YAML syntax error: {message}") from None
    except yaml.YAMLError as exc:
        raise YamlReadError(Problem(file, 0, 0, "", f"YAML error: {exc}")) from None
    finally:
        dispose = getattr(loader, "dispose", None) if loader is not None else None
        if dispose:
            dispose()
    return root, problems


def _parse_unmarked(text: str, loader_class: type | None, progress: Callable[[float], None] | None) -> YamlValue:
    """``parse_yaml`` without positions, for text that is most often valid: about half as much work per event.

    It accepts what ``parse_yaml`` accepts without a problem, and reads it into the same values;
    at anything ``parse_yaml`` would report, it raises Unmarked.
    """
    import yaml

    loader: Any = None
    # Each open container: (container, is a sequence). A container opens only as a key's value
    # is read (or as a list item), so no key is pending in its parent while it is open.
    stack: list[tuple[Any, bool]] = []
    root: YamlValue = None
    documents = 0
    lines: _LineTable | None = None
    container: Any = None
    is_seq = False
    key: str | None = None
    scalar_event, map_start, seq_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end, document_start = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.DocumentStartEvent
    nulls, plain_tags = _NULLS, _PLAIN_TAGS
    check_headers = _headers_need_checking(text)
    try:
        loader = (loader_class or _loader_class())(text)
        get_event = loader.get_event
        countdown = 0
        while True:
            event = get_event()
            if event is None:
                break
            kind = event.__class__
            if progress is not None:
                countdown -= 1
                if countdown < 0:
                    countdown = 50_000
                    progress(event.start_mark.index / max(len(text), 1))
            if kind is scalar_event:
                value = event.value
                style = event.style
                if event.tag not in plain_tags or len(value) > MAX_SCALAR_CHARS:
                    raise Unmarked
                if style:
                    if style == '"':
                        if not value.isascii() and _SURROGATE.search(value) is not None:
                            raise Unmarked
                    elif (style == "|" or style == ">") and check_headers:
                        if lines is None:
                            lines = _LineTable(text)
                        start = event.start_mark
                        if not _block_header_ok((start.line, start.column), lines):
                            raise Unmarked
                elif value in nulls:
                    value = None
                if is_seq:
                    container.append(value)
                elif key is None:
                    if container is None:
                        root = value
                    elif value is None or value in container:
                        raise Unmarked
                    else:
                        key = intern(value)
                else:
                    container[key] = value
                    key = None
                continue
            if kind is map_end or kind is seq_end:
                stack.pop()
                container, is_seq = stack[-1] if stack else (None, False)
                continue
            if kind is map_start or kind is seq_start:
                is_map = kind is map_start
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS) or len(stack) >= MAX_DEPTH:
                    raise Unmarked
                new: YamlMap | YamlSeq = YamlMap() if is_map else YamlSeq()
                if is_seq:
                    container.append(new)
                elif key is not None:
                    container[key] = new
                    key = None
                elif container is None:
                    root = new
                else:
                    raise Unmarked
                stack.append((new, not is_map))
                container, is_seq = new, not is_map
            elif kind is document_start:
                documents += 1
                if documents > 1 or (event.version is not None and tuple(event.version) not in _YAML_VERSIONS):
                    raise Unmarked
            elif kind is yaml.AliasEvent:
                raise Unmarked
    except yaml.YAMLError:
        raise Unmarked from None
    finally:
        dispose = getattr(loader, "dispose", None) if loader is not None else None
        if dispose:
            dispose()
    return root


def _duplicate(file: str, stack: list[list[Any]], key: str, mark: Mark, first: Mark) -> Problem:
    path = _path(stack, len(stack) - 1)
    where = f"{path}.{key}" if path else key
    return Problem(
        file,
        mark[0] + 1,
        mark[1] + 1,
        where,
        f"duplicate key {key!r} (first at line {first[0] + 1}); YAML would silently keep only the last",
    )


def read_yaml(
    path: Path, display: str | None = None, progress: Callable[[float], None] | None = None, *, marks: bool = True
) -> tuple[YamlValue, list[Problem]]:
    """Read and parse one fact file (``marks`` as for ``parse_yaml``)."""
    file = display or str(path)
    return parse_yaml(read_text(path, file), file, progress=progress, marks=marks)
