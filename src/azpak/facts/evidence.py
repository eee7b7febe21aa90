"""Check evidence excerpts against the text of their sources.

Each source's text is a file ``DIR/<source-id>.txt``. An excerpt must appear in it
verbatim once whitespace runs are collapsed to one space and typographic quote
marks are read as straight ones (``’`` as ``'``, ``“`` as ``"``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from azpak.errors import NoInputError
from azpak.facts.declaration import COPIED_WORDS
from azpak.facts.load import Validation
from azpak.facts.yamlread import Problem, YamlMap, YamlSeq

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
    }
)
_SPACE = re.compile(r"\s+")
#: A matching start shorter than this says nothing about where an excerpt goes wrong.
_WORTH_SAYING = 8


def normalise_excerpt(text: str) -> str:
    """Text as excerpts are compared: NFC, straight quotes, single spaces, no spaces at the ends."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip()


def _excerpts(item: YamlMap, path: str) -> Iterator[tuple[YamlMap, str]]:
    """Every mapping in a record (the record, its roles…) that has both a source and evidence."""
    if isinstance(item.get("source"), str) and isinstance(item.get("evidence"), str):
        yield item, path
    for key, value in item.items():
        if isinstance(value, YamlSeq):
            for index, child in enumerate(value):
                if isinstance(child, YamlMap):
                    yield from _excerpts(child, f"{path}.{key}[{index}]")


def _matching_prefix(excerpt: str, text: str) -> int:
    """How many leading characters of ``excerpt`` appear somewhere in ``text``."""
    low, high = 0, len(excerpt)
    while low < high:
        middle = (low + high + 1) // 2
        if excerpt[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def word_runs(text: str, length: int = COPIED_WORDS) -> set[tuple[str, ...]]:
    """Every run of ``length`` consecutive words of a text, case and punctuation ignored."""
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(unicodedata.normalize("NFC", text))]
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def copied_run(text: str, source_runs: set[tuple[str, ...]], length: int = COPIED_WORDS) -> str | None:
    """The first run of ``length`` words of ``text`` that the source also has (None when nothing is copied)."""
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(unicodedata.normalize("NFC", text))]
    for i in range(len(words) - length + 1):
        if tuple(words[i : i + length]) in source_runs:
            return " ".join(words[i : i + length])
    return None


def _says(item: YamlMap, path: str) -> Iterator[tuple[YamlMap, str]]:
    """Every citation in a record (at any depth) that has a source and says something in our words."""
    if isinstance(item.get("source"), str) and isinstance(item.get("says"), str):
        yield item, path
    for key, value in item.items():
        if isinstance(value, YamlMap):
            yield from _says(value, f"{path}.{key}")
        if isinstance(value, YamlSeq):
            for index, child in enumerate(value):
                if isinstance(child, YamlMap):
                    yield from _says(child, f"{path}.{key}[{index}]")


def check_evidence(result: Validation, directory: Path) -> list[Problem]:
    """A problem for every excerpt not found in its source's text, every source text missing, and copied text.

    A source's text is ``DIR/<file>`` when the source names its ``file``, else ``DIR/<id>.txt``. A ``says``
    that repeats a run of 8 or more words of its source's text is copied: it should be ``evidence``.
    """
    if not directory.is_dir():
        raise NoInputError(f"{directory}: no such directory of source texts")
    known_sources = {item.get("id") for item, _ in result.records["sources"]}
    file_names = {
        item.get("id"): item.get("file") for item, _ in result.records["sources"] if isinstance(item.get("file"), str)
    }
    local = {item.get("id") for item, _ in result.records["sources"] if item.get("local") == "true"}
    texts: dict[str, str | None] = {}
    unreadable: dict[str, str] = {}
    problems: list[Problem] = []
    for collection, records in result.records.items():
        for item, file in records:
            record_id = item.get("id")
            origin = result.origins.get(record_id) if isinstance(record_id, str) else None
            prefix = origin[2] if origin else collection
            for holder, path in _excerpts(item, prefix):
                source_id = holder["source"]
                evidence = holder["evidence"]
                assert isinstance(source_id, str) and isinstance(evidence, str)
                if source_id not in known_sources:
                    continue  # an unknown source id is reported by validation
                mark = holder.value_marks["evidence"]
                if source_id not in texts:
                    texts[source_id] = _read_source(
                        directory / _text_name(source_id, file_names), source_id, unreadable
                    )
                text = texts[source_id]
                if text is None:
                    if source_id in unreadable:
                        message = unreadable.pop(source_id)
                        problems.append(Problem(file, mark[0] + 1, mark[1] + 1, f"{path}.evidence", message))
                    continue
                excerpt = normalise_excerpt(evidence)
                if excerpt in text:
                    continue
                matched = _matching_prefix(excerpt, text)
                detail = ""
                if matched >= _WORTH_SAYING:
                    then = excerpt[matched : matched + 30]
                    detail = f"; the first {matched} of {len(excerpt)} characters match, then {then!r}"
                problems.append(
                    Problem(
                        file,
                        mark[0] + 1,
                        mark[1] + 1,
                        f"{path}.evidence",
                        f"excerpt not found verbatim in {_text_name(source_id, file_names)}{detail}",
                    )
                )
            for source_id in _cited_with_says(item) & local:
                if source_id not in texts:
                    texts[source_id] = _read_source(
                        directory / _text_name(source_id, file_names), source_id, unreadable
                    )
            problems.extend(_copied(item, file, prefix, texts, known_sources))
    return problems


def _cited_with_says(item: YamlMap) -> set[str]:
    return {str(holder["source"]) for holder, _ in _says(item, "")}


def _text_name(source_id: str, file_names: dict[Any, Any]) -> str:
    return str(file_names.get(source_id) or f"{source_id}.txt")


def _copied(item: YamlMap, file: str, prefix: str, texts: dict[str, str | None], known: set[Any]) -> Iterator[Problem]:
    """Problems for each ``says`` that copies a run of words from a source whose text was read."""
    runs: dict[str, set[tuple[str, ...]]] = {}
    for holder, path in _says(item, prefix):
        source_id = holder["source"]
        says = holder["says"]
        assert isinstance(source_id, str) and isinstance(says, str)
        text = texts.get(source_id) if source_id in known else None
        if text is None:
            continue
        if source_id not in runs:
            runs[source_id] = word_runs(text)
        copied = copied_run(says, runs[source_id])
        if copied is not None:
            mark = holder.value_marks["says"]
            yield Problem(
                file,
                mark[0] + 1,
                mark[1] + 1,
                f"{path}.says",
                f"copied text: {COPIED_WORDS} or more words ({copied!r}…) repeat {source_id}'s text; "
                "use `evidence` for a verbatim excerpt, or say it in our words",
            )


def _read_source(path: Path, source_id: str, unreadable: dict[str, str]) -> str | None:
    try:
        return normalise_excerpt(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        unreadable[source_id] = f"no text for source {source_id!r}: {path.name} is not in {path.parent}"
    except (OSError, UnicodeDecodeError) as exc:
        unreadable[source_id] = f"the text of source {source_id!r} ({path}) cannot be read: {exc}"
    return None
