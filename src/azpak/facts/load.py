"""Find, read, validate and merge fact files into one FactBase.

Validation reports every problem it can find in one pass, each at its file, line,
column and YAML path; loading refuses a fact base with any problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from azpak.errors import DataError, NoInputError
from azpak.facts.dates import DateError, parse_edtf
from azpak.facts.declaration import (
    COLLECTIONS,
    COUNTRY_PATTERN,
    FORWARD_STATUSES,
    MUST_CITE,
    SHAPES,
    SLUG_PATTERN,
    Field,
)
from azpak.facts.files import default_fact_file, expand_paths
from azpak.facts.model import RECORD_TYPE_NAMES, FactBase, build_record
from azpak.facts.yamlread import Mark, Problem, Unmarked, YamlMap, YamlReadError, YamlSeq, YamlValue, read_yaml

_SLUG = re.compile(SLUG_PATTERN)
_COUNTRY_ID = re.compile(COUNTRY_PATTERN)
_CITATION_PATH = re.compile(r"citations\[\d+\]$")
_FIGURE_FIELD = re.compile(r"^figures\[(\d+)\]\.(\w+)$")

_LISTS = frozenset({"records", "refs", "texts"})
_REQUIRED = {name: tuple(key for key, spec in shape.items() if spec.required) for name, shape in SHAPES.items()}

#: How many problems a command other than ``validate`` lists before giving up.
PROBLEMS_SHOWN = 10


@dataclass(slots=True, eq=False, repr=False)
class _Reference:
    targets: tuple[str, ...]
    value: str
    file: str
    mark: Mark
    path: str


@dataclass(slots=True, eq=False, repr=False)
class Validation:
    """What validating a set of fact files found, and what could be built from them."""

    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    records: dict[str, list[tuple[YamlMap, str]]] = field(default_factory=lambda: {name: [] for name in COLLECTIONS})
    origins: dict[str, tuple[str, Mark, str]] = field(default_factory=dict)
    references: list[_Reference] = field(default_factory=list)
    missing_input: bool = False
    #: Advice that is not a problem (e.g. how to write the one-source form as citations); only with ``marks``.
    hints: list[Problem] = field(default_factory=list)
    #: Whether the records keep every value's position (else they are all NO_MARK).
    marks: bool = True
    #: Without marks, the references by the collections they may refer to, instead of ``references``.
    quick_references: dict[tuple[str, ...], list[YamlValue]] = field(default_factory=dict)
    #: Without marks, every citation (a mapping of a ``citations`` list), as validation met it.
    quick_citations: list[YamlMap] = field(default_factory=list)


def _suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _type_name(value: YamlValue) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, YamlMap):
        return "a mapping"
    if isinstance(value, YamlSeq):
        return "a list"
    return "text"


class _FileValidator:
    def __init__(self, file: str, result: Validation) -> None:
        self.file = file
        self.result = result

    def problem(self, mark: Mark, path: str, message: str) -> None:
        self.result.problems.append(Problem(self.file, mark[0] + 1, mark[1] + 1, path, message))

    def document(self, root: YamlValue) -> None:
        if not isinstance(root, YamlMap):
            mark = root.mark if isinstance(root, YamlSeq) else (0, 0)
            what = "an empty file" if root is None else _type_name(root)
            self.result.problems.append(
                Problem(
                    self.file,
                    mark[0] + 1,
                    mark[1] + 1,
                    "",
                    f"expected a mapping of lists ({', '.join(COLLECTIONS)}), got {what}",
                )
            )
            return
        for name, value in root.items():
            mark = root.key_marks[name]
            if name not in COLLECTIONS:
                self.problem(mark, name, f"unknown section `{name}`{_suggest(name, COLLECTIONS)}")
                continue
            if value is None:
                continue
            if not isinstance(value, YamlSeq):
                self.problem(mark, name, f"expected a list of records, got {_type_name(value)}")
                continue
            for index, item in enumerate(value):
                path = f"{name}[{index}]"
                item_mark = value.item_marks[index]
                if not isinstance(item, YamlMap):
                    self.problem(item_mark, path, f"expected a mapping (a record), got {_type_name(item)}")
                    continue
                if self.record(item, name, path):
                    self.register(item, name, path)

    def register(self, item: YamlMap, collection: str, path: str) -> None:
        record_id = item.get("id")
        if not isinstance(record_id, str):
            return
        earlier = self.result.origins.get(record_id)
        if earlier is not None:
            other_file, other_mark, other_path = earlier
            self.problem(
                item.value_marks["id"],
                f"{path}.id",
                f"duplicate id {record_id!r}: already used at {other_file}:{other_mark[0] + 1} ({other_path})",
            )
            return
        self.result.origins[record_id] = (self.file, item.value_marks["id"], path)
        self.result.records[collection].append((item, self.file))

    def record(self, item: YamlMap, shape_name: str, path: str) -> bool:
        """Check one record; return whether it is usable (has a valid id, when it needs one)."""
        shape = SHAPES[shape_name]
        if not self.result.marks and shape.keys() >= item.keys():
            get = item.get
            for key in _REQUIRED[shape_name]:
                if get(key) is None:
                    break
            else:
                # Every field known and every required one there. Read without positions, a problem
                # is never reported (making one raises Unmarked), so the order of the checks is free:
                # only the fields written are visited, not every field of the shape.
                for key, value in item.items():
                    if value is not None:
                        spec = shape[key]
                        if spec.kind != "text" or value.__class__ is not str or not value.strip():
                            self.field(value, spec, item, key, f"{path}.{key}", shape_name)
                self.cross_checks(item, shape_name, path)
                if shape_name == "citation":
                    self.result.quick_citations.append(item)
                return True
        usable = True
        for key in item:
            if key not in shape:
                self.problem(
                    item.key_marks[key], f"{path}.{key}", f"unknown field `{key}`{_suggest(key, tuple(shape))}"
                )
        get = item.get
        for key, spec in shape.items():
            value = get(key)
            if value is None:
                if spec.required:
                    mark = item.key_marks.get(key, item.mark)
                    self.problem(mark, f"{path}.{key}", f"missing required field `{key}`")
                    if key == "id":
                        usable = False
                continue
            if spec.kind == "text" and value.__class__ is str and value.strip():
                continue  # most fields: text that is there (``field`` would find nothing to say)
            if not self.field(value, spec, item, key, f"{path}.{key}", shape_name) and key == "id":
                usable = False
        self.cross_checks(item, shape_name, path)
        return usable

    def field(self, value: YamlValue, spec: Field, parent: YamlMap, key: str, path: str, shape_name: str) -> bool:
        # The checks most values pass come first; a value's mark is looked up only for a problem.
        kind = spec.kind
        if kind in _LISTS:
            if value.__class__ is not YamlSeq:
                self.problem(
                    parent.value_marks.get(key, parent.mark), path, f"expected a list, got {_type_name(value)}"
                )
                return False
            if kind == "refs" and not self.result.marks:
                for item in value:
                    if item.__class__ is not str:
                        break
                else:
                    self.quick_references(spec.targets).extend(value)
                    return True
            ok = True
            marks = value.item_marks
            for index, item in enumerate(value):
                if kind == "records":
                    if item.__class__ is not YamlMap:
                        self.problem(marks[index], f"{path}[{index}]", f"expected a mapping, got {_type_name(item)}")
                        ok = False
                    else:
                        self.record(item, spec.shape, f"{path}[{index}]")
                elif item.__class__ is not str:
                    self.problem(marks[index], f"{path}[{index}]", f"expected text, got {_type_name(item)}")
                    ok = False
                elif kind == "refs":
                    self.result.references.append(
                        _Reference(spec.targets, item, self.file, marks[index], f"{path}[{index}]")
                    )
            return ok
        if kind == "record":
            if value.__class__ is not YamlMap:
                self.problem(
                    parent.value_marks.get(key, parent.mark), path, f"expected a mapping, got {_type_name(value)}"
                )
                return False
            self.record(value, spec.shape, path)
            return True
        if value.__class__ is not str:
            self.problem(parent.value_marks.get(key, parent.mark), path, f"expected text, got {_type_name(value)}")
            return False
        if kind == "text":
            if value.strip():
                return True
            message = "empty text"
        elif kind == "ref":
            if self.result.marks:
                self.result.references.append(
                    _Reference(spec.targets, value, self.file, parent.value_marks.get(key, parent.mark), path)
                )
            else:
                self.quick_references(spec.targets).append(value)
            return True
        elif kind == "choice":
            if value in spec.choices:
                return True
            message = (
                f"unknown value {value!r}{_suggest(value, spec.choices)}; expected one of: {', '.join(spec.choices)}"
            )
        elif kind == "id":
            pattern = _COUNTRY_ID if shape_name == "countries" else _SLUG
            if pattern.match(value):
                return True
            rule = (
                "an ISO 3166-1 alpha-2 code in capitals, like AZ"
                if shape_name == "countries"
                else "a lower-case slug of letters, digits and hyphens, like vugar-mustafayev"
            )
            message = f"invalid id {value!r}: expected {rule}"
        elif kind == "date":
            try:
                parse_edtf(value)
                return True
            except DateError as exc:
                message = f"invalid date: {exc}"
        elif kind == "flag":
            if value in ("true", "false"):
                return True
            message = f"expected true or false, got {value!r}"
        elif kind == "number":
            if re.match(spec.pattern, value.strip()):
                return True
            message = f"expected a number such as 2000000000 or 1.5 (no commas or units), got {value!r}"
        elif kind == "code":
            if re.match(spec.pattern, value):
                return True
            message = f"invalid value {value!r}: expected the form {spec.pattern}"
        elif value.strip():
            return True
        else:
            message = "empty text"
        self.problem(parent.value_marks.get(key, parent.mark), path, message)
        return False

    def quick_references(self, targets: tuple[str, ...]) -> list[YamlValue]:
        """The ids referred to in records read without positions, that must be of one of these collections."""
        found = self.result.quick_references.get(targets)
        if found is None:
            found = self.result.quick_references[targets] = []
        return found

    def cross_checks(self, item: YamlMap, shape_name: str, path: str) -> None:
        get = item.get
        if get("date_basis") == "derived" and get("date_note") is None:
            self.problem(
                item.key_marks["date_basis"], f"{path}.date_note", "a derived date needs a `date_note` saying from what"
            )
        shape = SHAPES[shape_name]
        if "citations" in shape and "source" in shape:
            self.citation_checks(item, shape_name, path)
        if shape_name == "citation" and not (get("evidence") is not None or get("says") is not None):
            self.problem(
                item.mark, path, "a citation needs `says` (what the source states, in our words) or `evidence`"
            )
        if shape_name == "sources" and get("url") is None and get("local") != "true":
            self.problem(
                item.mark, f"{path}.url", "a source needs a `url`, unless its text is held locally (`local: true`)"
            )
        if shape_name == "outcome":
            fulfilled = get("state") == "fulfilled"
            if fulfilled and get("fulfilled_by") is None:
                self.problem(
                    item.mark,
                    f"{path}.fulfilled_by",
                    "a fulfilled outcome needs `fulfilled_by`: the event that carried it out",
                )
            if get("fulfilled_by") is not None and not fulfilled and isinstance(get("state"), str):
                self.problem(
                    item.key_marks["fulfilled_by"],
                    f"{path}.fulfilled_by",
                    "`fulfilled_by` goes with `state: fulfilled`",
                )
        if get("outcome") is not None:
            status = get("status")
            if shape_name == "events" and isinstance(status, str) and status not in FORWARD_STATUSES:
                self.problem(
                    item.key_marks["outcome"],
                    f"{path}.outcome",
                    f"only an announced or planned event has an outcome; this one is {status!r}",
                )
            if shape_name == "statements" and get("category") != "pledge":
                self.problem(
                    item.key_marks["outcome"], f"{path}.outcome", "only a pledge (`category: pledge`) has an outcome"
                )
        if get("disputed") is not None:
            self.dispute_checks(item, shape_name, path)
        if shape_name == "participant":
            named = [key for key in ("person", "organisation", "description") if get(key) is not None]
            if len(named) > 1:
                self.problem(
                    item.mark,
                    path,
                    f"a participant is one of person, organisation or description, not {' and '.join(named)}",
                )
            elif not named and get("country") is None:
                self.problem(item.mark, path, "a participant needs a person, organisation, country or description")

    def citation_checks(self, item: YamlMap, shape_name: str, path: str) -> None:
        has_legacy = item.get("source") is not None or item.get("evidence") is not None
        if has_legacy and (item.get("source") is None) != (item.get("evidence") is None):
            missing = "evidence" if item.get("source") is not None else "source"
            self.problem(item.mark, f"{path}.{missing}", f"`source` and `evidence` go together: add `{missing}`")
        elif has_legacy and self.result.marks:
            mark = item.key_marks.get("source", item.mark)
            self.result.hints.append(
                Problem(
                    self.file,
                    mark[0] + 1,
                    mark[1] + 1,
                    f"{path}.source",
                    "one-source form: it loads as one citation; the citation form is "
                    "`citations: [{source: ID, evidence: ...}]` (or `says:` for a page not held locally)",
                )
            )
        if shape_name in MUST_CITE and not has_legacy and item.get("citations") is None:
            self.problem(item.mark, f"{path}.citations", "missing required field `citations`: cite at least one source")
        elif isinstance(item.get("citations"), YamlSeq) and not item["citations"]:
            self.problem(
                item.key_marks["citations"], f"{path}.citations", "`citations` is empty: cite at least one source"
            )

    def dispute_checks(self, item: YamlMap, shape_name: str, path: str) -> None:
        disputes = item.get("disputed")
        if not isinstance(disputes, YamlSeq):
            return
        figures = item.get("figures")
        figure_count = len(figures) if isinstance(figures, YamlSeq) else 0
        for index, dispute in enumerate(disputes):
            if not isinstance(dispute, YamlMap) or not isinstance(dispute.get("field"), str):
                continue
            name = str(dispute["field"])
            mark = dispute.value_marks.get("field", dispute.mark)
            figure = _FIGURE_FIELD.match(name)
            if figure:
                if int(figure.group(1)) >= figure_count or figure.group(2) not in SHAPES["figure"]:
                    self.problem(
                        mark, f"{path}.disputed[{index}].field", f"{name!r} names no figure field of this record"
                    )
            elif name != "label" and (name not in SHAPES[shape_name] or name in ("id", "citations", "disputed")):
                choices = [k for k in SHAPES[shape_name] if k not in ("id", "citations", "disputed")] + ["label"]
                self.problem(
                    mark,
                    f"{path}.disputed[{index}].field",
                    f"{name!r} names no field of this record{_suggest(name, choices)}; "
                    "use a field name, `label` for a characterisation, or `figures[N].value`",
                )


def _citation_maps(value: YamlValue, path: str, found: list[tuple[YamlMap, str]], cited: bool) -> None:
    """Every mapping nested in a value (the value itself included) whose path ends in ``citations[N]``.

    In the order of a walk through the value; only containers are descended into and given paths.
    For a mapping, ``cited`` says whether ``path`` ends so; for a list, whether ``path`` ends in
    ``citations`` (then, and only then, do its items' paths end in ``citations[N]``). So only a
    mapping held directly under a key needs the pattern.
    """
    if value.__class__ is YamlMap:
        if cited:
            found.append((value, path))
        for key, child in value.items():
            if child.__class__ is YamlMap:
                child_path = f"{path}.{key}"
                _citation_maps(child, child_path, found, _CITATION_PATH.search(child_path) is not None)
            elif child.__class__ is YamlSeq:
                _citation_maps(child, f"{path}.{key}", found, key.endswith("citations"))
    elif value.__class__ is YamlSeq:
        for index, child in enumerate(value):
            if child.__class__ is YamlMap or child.__class__ is YamlSeq:
                # A list's items are citations when it is held under a key ending in ``citations``;
                # the items of a list held in a list never are (their paths end in ``][N]``).
                _citation_maps(child, f"{path}[{index}]", found, cited and child.__class__ is YamlMap)


def _check_across_records(result: Validation) -> None:
    """Rules that need the whole base: evidence only from local sources, no based_on cycles, sound outcomes."""
    sources = {item.get("id"): item for item, _ in result.records["sources"]}
    events = {item.get("id"): (item, file) for item, file in result.records["events"]}

    def problem(file: str, mark: Mark, path: str, message: str) -> None:
        result.problems.append(Problem(file, mark[0] + 1, mark[1] + 1, path, message))

    def where(item: YamlMap, collection: str) -> str:
        record_id = item.get("id")
        origin = result.origins.get(record_id) if isinstance(record_id, str) else None
        return origin[2] if origin else collection

    def quotes_remote(citation: YamlMap) -> bool:
        source_id = citation.get("source")
        source = sources.get(source_id) if isinstance(source_id, str) else None
        return source is not None and citation.get("evidence") is not None and source.get("local") != "true"

    # Without marks, every record is valid: its citations are the mappings of its `citations`
    # lists, which validation gathered; a problem found among them needs the marks.
    if any(quotes_remote(citation) for citation in result.quick_citations):
        raise Unmarked
    for name in COLLECTIONS if result.marks else ():
        for item, file in result.records[name]:
            citations: list[tuple[YamlMap, str]] = []
            path = where(item, name)
            _citation_maps(item, path, citations, _CITATION_PATH.search(path) is not None)  # a record: a mapping
            for mapping, path in citations:
                if quotes_remote(mapping):
                    problem(
                        file,
                        mapping.key_marks["evidence"],
                        f"{path}.evidence",
                        f"`evidence` quotes a source not held locally ({mapping.get('source')}): "
                        "write what it says in our words as `says`",
                    )
    for item, file in result.records["sources"]:
        seen: list[object] = [item.get("id")]
        current = item
        while isinstance(current.get("based_on"), str):
            target = current["based_on"]
            if target in seen:
                problem(
                    file,
                    item.value_marks.get("based_on", item.mark),
                    f"{where(item, 'sources')}.based_on",
                    f"`based_on` goes round in a circle: {' -> '.join(map(str, [*seen, target]))}",
                )
                break
            seen.append(target)
            nxt = sources.get(target)
            if nxt is None:
                break
            current = nxt
    for item, file in result.records["events"]:
        outcome = item.get("outcome")
        if not isinstance(outcome, YamlMap) or not isinstance(outcome.get("fulfilled_by"), str):
            continue
        path = f"{where(item, 'events')}.outcome.fulfilled_by"
        mark = outcome.value_marks.get("fulfilled_by", outcome.mark)
        target_id = outcome["fulfilled_by"]
        found = events.get(target_id)
        if found is None:
            continue  # reported as an unknown id
        target = found[0]
        target_outcome = target.get("outcome")
        if target_id == item.get("id") or (
            isinstance(target_outcome, YamlMap) and target_outcome.get("fulfilled_by") == item.get("id")
        ):
            problem(file, mark, path, f"`fulfilled_by` goes round in a circle: {item.get('id')} -> {target_id}")
            continue
        if target.get("status") != "occurred":
            problem(
                file,
                mark,
                path,
                f"{target_id!r} is {target.get('status')!r}: only an occurred event fulfils an announcement",
            )
            continue
        announced = item.get("announced_on")
        done = target.get("date")
        if isinstance(announced, str) and isinstance(done, str):
            try:
                if parse_edtf(done).last < parse_edtf(announced).first:
                    problem(file, mark, path, f"{target_id!r} ({done}) precedes the announcement ({announced})")
            except DateError:
                pass


def _resolve_references(result: Validation) -> None:
    known: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
    for name, records in result.records.items():
        for item, _ in records:
            record_id = item.get("id")
            if isinstance(record_id, str):
                known[name].add(record_id)
    allowed: dict[tuple[str, ...], set[str]] = {}  # the ids each tuple of target collections allows
    for targets, values in result.quick_references.items():
        if not set().union(*(known[target] for target in targets)).issuperset(values):
            raise Unmarked  # an unknown id: to be reported where it is
    for ref in result.references:
        ids = allowed.get(ref.targets)
        if ids is None:
            ids = allowed[ref.targets] = set().union(*(known[target] for target in ref.targets))
        if ref.value in ids:
            continue
        candidates = sorted(set().union(*(known[target] for target in ref.targets)))
        kinds = " or ".join(RECORD_TYPE_NAMES[target] for target in ref.targets)
        result.problems.append(
            Problem(
                ref.file,
                ref.mark[0] + 1,
                ref.mark[1] + 1,
                ref.path,
                f"unknown id {ref.value!r}: no such {kinds}{_suggest(ref.value, candidates)}",
            )
        )


def validate_files(
    files: list[Path], progress: Callable[[float], None] | None = None, *, marks: bool = False
) -> Validation:
    """Read and check every file together; collect every problem. ``progress`` hears the fraction parsed.

    With ``marks``, the records keep the position of every value (for checks made on them
    afterwards) and the hints are collected. Without, the files are first read without
    positions, which is faster, and read again with them only if a problem needs one.
    """
    if not marks:
        try:
            return _validate(files, progress, marks=False)
        except Unmarked:
            pass
    return _validate(files, progress, marks=True)


def _validate(files: list[Path], progress: Callable[[float], None] | None, *, marks: bool) -> Validation:
    result = Validation(marks=marks)
    sizes = [_size(path) for path in files]
    total = sum(sizes) or 1
    done = 0
    for path, size in zip(files, sizes, strict=True):
        display = str(path)
        result.files.append(display)
        report = _scaled(progress, done / total, size / total) if progress else None
        done += size
        try:
            root, problems = read_yaml(path, display, report, marks=marks)
        except YamlReadError as exc:
            result.problems.append(exc.problem)
            result.missing_input = result.missing_input or exc.missing
            continue
        result.problems.extend(problems)
        _FileValidator(display, result).document(root)
    _resolve_references(result)
    _check_across_records(result)
    order = {name: index for index, name in enumerate(result.files)}
    result.problems.sort(key=lambda p: (order.get(p.file, len(order)), p.line, p.column))
    return result


def _scaled(progress: Callable[[float], None], start: float, share: float) -> Callable[[float], None]:
    """Progress within one file, as progress within all of them."""
    return lambda fraction: progress(start + share * fraction)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def build_fact_base(result: Validation) -> FactBase:
    """Build the FactBase from a validation without problems."""
    base = FactBase()
    for name in COLLECTIONS:
        collection = base.collection(name)
        for item, _ in result.records[name]:
            record_id = item["id"]
            assert isinstance(record_id, str)
            collection[record_id] = build_record(item, name)
    return base


def load_fact_base(extra: list[Path] | None = None, *, include_default: bool = True) -> FactBase:
    """Load the shipped fact base and/or extra files; raise DataError or NoInputError."""
    paths = ([default_fact_file()] if include_default else []) + list(extra or [])
    if not paths:
        raise NoInputError("no fact files to load: drop --no-default or give --data PATH")
    result = validate_files(expand_paths(paths))
    if result.problems:
        raise_for_problems(result)
    return build_fact_base(result)


def raise_for_problems(result: Validation) -> None:
    shown = [str(p) for p in result.problems[:PROBLEMS_SHOWN]]
    more = len(result.problems) - len(shown)
    if more > 0:
        shown.append(f"… and {more} more (run `azpak validate` to see them all)")
    count = len(result.problems)
    noun = "problem" if count == 1 else "problems"
    if result.missing_input and all(p.line == 0 for p in result.problems):
        raise NoInputError(f"cannot read fact files ({count} {noun})", details=shown)
    raise DataError(f"invalid fact files: {count} {noun} found", details=shown)
