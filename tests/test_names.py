"""Name normalisation and matching."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from azpak.facts.names import Named, match, normalise, suggest

PEOPLE = [
    Named("vugar-mustafayev", "Vugar Mustafayev", ("Mustafayev",), 1),
    Named("muhammad-shehbaz-sharif", "Muhammad Shehbaz Sharif", ("Shehbaz Sharif", "Sharif"), 2),
    Named("musadik-malik", "Musadik Malik", ("Malik",), 3),
]


def test_normalise_folds_case_accents_and_azerbaijani_letters() -> None:
    assert normalise("Türkiye") == "turkiye"
    assert normalise("Məmmədov") == "memmedov"
    assert normalise("  JF-17  Thunder ") == "jf 17 thunder"


def test_exact_and_whole_word_matches() -> None:
    assert [n.item for n in match("mustafayev", PEOPLE)] == [1]
    assert [n.item for n in match("SHEHBAZ", PEOPLE)] == [2]
    assert [n.item for n in match("musadik-malik", PEOPLE)] == [3]
    assert match("Musta", PEOPLE) == []  # a part of a word is not a whole word


def test_suggestions_for_a_typo() -> None:
    assert suggest("Mustafaev", PEOPLE) == ["Vugar Mustafayev"]


@given(st.text())
def test_normalise_is_idempotent_and_ascii_words(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert all(ch.isalnum() or ch == " " for ch in once)


@given(st.text(min_size=1))
def test_a_name_always_matches_itself(name: str) -> None:
    candidate = Named("x", name, (), 0)
    if normalise(name):
        assert match(name, [candidate]) == [candidate]
    else:
        assert match(name, [candidate]) == []
