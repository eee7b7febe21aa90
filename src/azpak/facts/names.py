"""Name matching: case- and accent-insensitive, by full name, alias, acronym, id or whole word.

``normalise`` folds a name to lower-case ASCII-ish words: accents dropped
(``Türkiye`` → ``turkiye``), letters that Unicode does not decompose mapped by
hand (Azerbaijani ``ə`` → ``e``, ``ı`` → ``i``), punctuation to spaces.
A query matches an entity exactly (its id, name or an alias, normalised), or
else by whole words (every word of the query is a word of the name or an
alias, in order or not): ``mustafayev``, ``shehbaz sharif``, ``SOCAR``.
Exact matches win over word matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

from azpak.structs import struct

_EXTRA_FOLDS = str.maketrans(
    {
        "ə": "e",
        "Ə": "e",
        "ı": "i",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
    }
)
_NON_WORD = re.compile(r"[\W_]+")  # keeps letters and digits of every script


def normalise(text: str) -> str:
    """Fold case, accents and punctuation: ``'Türkiye'`` → ``'turkiye'``."""
    if text.isascii():  # the common case, and a large share of compile time
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().translate(_EXTRA_FOLDS)
    return _NON_WORD.sub(" ", folded).strip()


T = TypeVar("T")


@struct
class Named(Generic[T]):
    """Something that can be found by name: its id, display name, other names, and itself."""

    id: str
    name: str
    aliases: tuple[str, ...]
    item: T

    def spellings(self) -> list[str]:
        return [normalise(n) for n in (self.id, self.name, *self.aliases) if normalise(n)]


def match(query: str, candidates: Iterable[Named[T]]) -> list[Named[T]]:
    """Candidates matching the query: the exact matches if any, else the whole-word matches."""
    wanted = normalise(query)
    if not wanted:
        return []
    wanted_words = set(wanted.split())
    exact: list[Named[T]] = []
    by_word: list[Named[T]] = []
    for candidate in candidates:
        keys = candidate.spellings()
        if wanted in keys:
            exact.append(candidate)
        elif any(wanted_words <= set(key.split()) for key in keys):
            by_word.append(candidate)
    return exact or by_word


def suggest(query: str, candidates: Sequence[Named[T]], limit: int = 3) -> list[str]:
    """Display names of the candidates closest to a query that matched nothing."""
    import difflib

    wanted = normalise(query)
    spellings: dict[str, str] = {}
    for candidate in candidates:
        for key in candidate.spellings():
            spellings.setdefault(key, candidate.name)
            for word in key.split():
                if len(word) > 2:
                    spellings.setdefault(word, candidate.name)
    close = difflib.get_close_matches(wanted, list(spellings), n=limit * 3, cutoff=0.6)
    names: list[str] = []
    for key in close:
        name = spellings[key]
        if name not in names:
            names.append(name)
    return names[:limit]
