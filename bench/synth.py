"""Deterministic synthetic fact bases of any size, with the shipped schema and realistic field sizes.

    python bench/synth.py 100000 > /tmp/facts-100k.yaml
    python bench/synth.py 100000 hand > /tmp/facts-100k-hand.yaml

Two styles: ``quoted`` writes every text as one double-quoted line; ``hand`` is laid out
as data/facts.yaml is, as a person writes it: a comment header, a blank line between
records, comments after some values, and long texts (summaries, notes, evidence of
statements) as ``>-`` block scalars folded at 76 columns. Both styles hold the same
records with the same values; the hand style adds a ``notes`` text to every third event.
The same size and style always give the same file. Names are built from fixed syllables.
The benchmark's query targets have answers of the same size at every scale, so
that it measures the cost of a lookup, not of printing a longer answer: person 0,
"Vugar Mustafayev", takes part in 6 events; the sector ``defence`` tags 10
events; 8 events fall in 2020; the word "fraternal" is in 5 summaries.
"""

from __future__ import annotations

import random
import sys
import textwrap
from collections.abc import Iterator

STYLES = ("quoted", "hand")

SYLLABLES = ["ka", "ra", "mu", "sta", "fa", "yev", "nur", "ma", "dov", "sha", "rif", "lik", "ba", "zan", "el", "gul"]
SECTORS = ["energy", "trade", "defence", "agriculture", "education", "culture", "tourism", "investment"]
COMMON_SECTORS = [s for s in SECTORS if s != "defence"]
YEARS = [y for y in range(1950, 2026) if y != 2020]
KINDS = ["agreement", "delivery", "visit", "meeting", "consultations", "announcement"]
STATUSES = ["occurred", "occurred", "occurred", "announced", "planned"]
WORDS = [
    *("cooperation", "bilateral", "relations", "minister", "delegation", "visit", "energy", "pipeline", "trade"),
    *("agreement", "aviation", "investment", "culture", "education", "exchange", "consultations", "strategic"),
    *("partnership", "regional", "forum"),
]


def _name(rng: random.Random) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title() for _ in range(2))


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _folded(text: str, indent: int) -> str:
    """``text`` as a ``>-`` block scalar whose lines are indented by ``indent`` spaces."""
    pad = " " * indent
    return ">-\n" + "".join(pad + line + "\n" for line in textwrap.wrap(text, 76 - indent))


def generate(events: int, seed: int = 1, style: str = "quoted") -> Iterator[str]:
    """Lines of a fact file with ``events`` events (and people, organisations, statements in proportion)."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}")
    hand = style == "hand"
    rng = random.Random(seed)
    notes_rng = random.Random(seed + 1)  # only the hand style draws from it, so both styles share their values

    def long_text(text: str, indent: int) -> str:
        return _folded(text, indent) if hand else _quote(text) + "\n"

    gap = "\n" if hand else ""
    if hand:
        yield "# Synthetic azpak fact base (bench/synth.py), laid out as data/facts.yaml.\n"
        yield "# Summaries are folded block scalars; evidence is a quoted excerpt.\n\n"
    people = max(10, events // 20)
    organisations = max(5, events // 50)
    sources = max(1, events // 100)
    yield "sources:\n"
    for i in range(sources):
        yield (
            f"  - id: src-{i}\n    publisher: org-{i % organisations}\n"
            f'    published: "{2000 + i % 25}-01-01"\n    local: true\n'
        )
    yield f"{gap}countries:\n"
    for code, name in (("AZ", "Azerbaijan"), ("PK", "Pakistan"), ("TR", "Türkiye"), ("IR", "Iran")):
        yield f"  - id: {code}\n    name: {name}\n"
    yield f"{gap}sectors:\n"
    for sector in SECTORS:
        yield f"  - id: {sector}\n    name: {sector.title()}\n    description: Cooperation in {sector}.\n"
    yield f"{gap}organisations:\n"
    for i in range(organisations):
        yield (
            f"  - id: org-{i}\n    name: {_name(rng)} Organisation\n    aliases: [ORG{i}]\n"
            f"    country: {rng.choice(['AZ', 'PK'])}\n    kind: {rng.choice(['ministry', 'company', 'media'])}\n"
        )
    yield f"{gap}people:\n"
    for i in range(people):
        name = "Vugar Mustafayev" if i == 0 else _name(rng)
        yield (
            f"  - id: person-{i}\n    name: {name}\n    aliases: [{name.split()[-1]}]\n"
            f"    country: {rng.choice(['AZ', 'PK'])}\n    roles:\n"
            f"      - title: Minister of {rng.choice(COMMON_SECTORS).title()}\n"
            f"        organisation: org-{i % organisations}\n"
            f'        as_of: "{rng.randint(2000, 2025)}"\n        source: src-{i % sources}\n'
            f"        evidence: {_quote(_sentence(rng, 12))}\n"
        )
    yield f"{gap}events:\n"
    for i in range(events):
        year = 2020 if i % (events // 8 or 1) == 1 and i // (events // 8 or 1) < 8 else rng.choice(YEARS)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        date = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
        host, guest = rng.sample(range(1, people), 2)
        if i % (events // 6 or 1) == 2 and i // (events // 6 or 1) < 6:
            host = 0
        sectors = rng.sample(COMMON_SECTORS, 2)
        if i % (events // 10 or 1) == 3 and i // (events // 10 or 1) < 10:
            sectors[0] = "defence"
        summary = _sentence(rng, 18)
        if i % (events // 5 or 1) == 4 and i // (events // 5 or 1) < 5:
            summary = "Fraternal " + summary
        title = _quote(_sentence(rng, 8))
        kind = rng.choice(KINDS)
        status = rng.choice(STATUSES)
        organisation = rng.randrange(organisations)
        source = rng.randrange(sources)
        evidence = _quote(_sentence(rng, 12))
        comment = "  # the host" if hand and i % 4 == 0 else ""
        yield (
            f'{gap}  - id: event-{i}\n    date: "{date}"\n    title: {title}\n'
            f"    summary: {long_text(summary, 6)}    kind: {kind}\n"
            f"    status: {status}\n    participants:\n"
            f"      - person: person-{host}{comment}\n        role: host\n"
            f"      - person: person-{guest}\n        role: guest\n"
            f"      - organisation: org-{organisation}\n        role: received by\n"
            f"    countries: [AZ, PK]\n    sectors: [{', '.join(sectors)}]\n"
            f"    source: src-{source}\n    evidence: {evidence}\n"
        )
        if hand and i % 3 == 0:
            yield f"    notes: {_folded(_sentence(notes_rng, 30), 6)}"
    yield f"{gap}statements:\n"
    for i in range(max(1, events // 10)):
        speaker = rng.randrange(1, people)
        summary = _sentence(rng, 25)
        sector = rng.choice(COMMON_SECTORS)
        source = rng.randrange(sources)
        evidence = _sentence(rng, 20)
        yield (
            f"{gap}  - id: statement-{i}\n    speaker: person-{speaker}\n    kind: quote\n"
            f"    summary: {long_text(summary, 6)}    sectors: [{sector}]\n"
            f"    source: src-{source}\n    evidence: {long_text(evidence, 6)}"
        )


if __name__ == "__main__":
    sys.stdout.writelines(
        generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, style=sys.argv[2] if len(sys.argv) > 2 else "quoted")
    )
