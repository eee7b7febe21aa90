"""A chronological view of events: grouped by year and month, days drawn on a strip, gaps shown.

``build_timeline`` groups events (already filtered, in date order) by the month
their first day falls in; an event known only to the year goes in its year's
"some time in YYYY" group. ``timeline_lines`` lays the groups out as lines of
styled segments for a given width; ``azpak.render.lines`` shows them (style
names to colours in ``TIMELINE_STYLES``).

Every event appears exactly once, in the group of its first known day. Each
month entry has a strip of one character per day of the month: ``█`` for days
the source states, ``░`` for a span the event falls in when the day is not
stated (a month-precision date covers the whole month), ``→`` when the event
runs on past the month.
"""

from __future__ import annotations

import calendar
import itertools
import textwrap
from dataclasses import dataclass, field
from datetime import date

from azpak.facts.model import Event
from azpak.render.lines import Line

#: The status marker of each event status.
STATUS_MARKERS = {"occurred": "●", "announced": "○", "planned": "◇"}
EXACT = "█"
SPAN = "░"
EMPTY = "·"
CONTINUES = "→"
DERIVED = "*"
CHILD = "↳"

STRIP_WIDTH = 32  # 31 days and a continuation column
LABEL_WIDTH = 6
INDENT = 2
#: Below this width an entry's text goes under its strip instead of beside it.
NARROW = 60
NARROWEST = 40


@dataclass(frozen=True, slots=True)
class Entry:
    """One event on the timeline: its strip, its date label and its markers."""

    event: Event
    label: str
    strip: str
    child: bool


@dataclass(slots=True)
class Group:
    """The events whose first day falls in one month (``month`` 0: known only to the year)."""

    year: int
    month: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1


@dataclass(frozen=True, slots=True)
class Gap:
    """Months between two groups in which no event is known to take place."""

    first: tuple[int, int]
    last: tuple[int, int]
    months: int


@dataclass(slots=True)
class Timeline:
    groups: list[Group]
    gaps: dict[int, list[Gap]]  # runs of empty months after the group at this position
    first: date | None
    last: date | None

    @property
    def entries(self) -> list[Entry]:
        return [entry for group in self.groups for entry in group.entries]


def _anchor(event: Event) -> date:
    """The day an event is placed at: its first day, or its last when the start is open."""
    return event.date.last if event.date.open_start else event.date.first


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _year_month(index: int) -> tuple[int, int]:
    year, month = divmod(index, 12)
    return year, month + 1


def _month_name(index: int, *, short: bool = True) -> str:
    year, month = divmod(index, 12)
    names = calendar.month_abbr if short else calendar.month_name
    return f"{names[month + 1]} {year}"


def _exact(event: Event) -> bool:
    """True when the event's days are stated to the day, without qualifier."""
    value = event.date
    return (
        value.start.precision in ("day", "open")
        and value.end.precision in ("day", "open")
        and not value.approximate
        and not value.uncertain
    )


def _strip(event: Event, year: int, month: int) -> str:
    days = calendar.monthrange(year, month)[1]
    first, last = event.date.first, event.date.last
    glyph = EXACT if _exact(event) else SPAN
    cells = []
    for day in range(1, 32):
        if day > days:
            cells.append(" ")
        elif first <= date(year, month, day) <= last:
            cells.append(glyph)
        else:
            cells.append(EMPTY)
    cells.append(CONTINUES if last > date(year, month, days) else " ")
    return "".join(cells)


def _qualifiers(event: Event) -> str:
    value = event.date
    text = ("~" if value.approximate else "") + ("?" if value.uncertain else "")
    return text + (DERIVED if event.date_basis == "derived" else "")


def _label(event: Event, group: Group) -> str:
    """A short date label: day numbers within the month, the month, or the year; ``–`` when it runs on."""
    start, end = event.date.start, event.date.end
    month = group.month or 12
    runs_on = event.date.last > date(group.year, month, calendar.monthrange(group.year, month)[1])
    if group.month == 0:
        text = str(group.year)
    elif start.precision == "day":
        if runs_on:
            text = f"{start.first.day}–"
        elif start.first == end.last:
            text = str(start.first.day)
        else:
            text = f"{start.first.day}–{end.last.day}"
    elif start.precision == "open":
        text = "…"
    else:
        text = calendar.month_abbr[group.month] + ("–" if runs_on else "")
    return text + _qualifiers(event)


def build_timeline(events: list[Event]) -> Timeline:
    """Group events (in date order) by year and month; find the empty months between groups."""
    groups: dict[tuple[int, int], Group] = {}
    shown = {e.id: e for e in events}

    def depth(event: Event) -> int:
        """How many events shown here this one is part of (a parent is listed before its parts)."""
        seen: set[str] = set()
        while event.part_of in shown and event.part_of not in seen:
            seen.add(event.part_of)
            event = shown[event.part_of]
        return len(seen)

    for event in sorted(events, key=lambda e: (_anchor(e), e.date.last, depth(e), e.id)):
        anchor = _anchor(event)
        point = event.date.end if event.date.open_start else event.date.start
        month = 0 if point.precision == "year" else anchor.month
        group = groups.setdefault((anchor.year, month), Group(anchor.year, month))
        strip = _strip(event, anchor.year, month) if month else ""
        group.entries.append(Entry(event, _label(event, group), strip, child=event.part_of in shown))
    ordered = [groups[key] for key in sorted(groups)]

    covered: set[int] = set()
    for event in events:
        first = _anchor(event)
        last = first if event.date.open_end else event.date.last
        covered.update(range(_month_index(first), _month_index(last) + 1))

    gaps: dict[int, list[Gap]] = {}
    months = [(position, g) for position, g in enumerate(ordered) if g.month]
    for (position, before), (_, after) in itertools.pairwise(months):
        runs: list[list[int]] = []
        for month_index in range(before.index + 1, after.index):
            if month_index in covered:
                continue
            if runs and runs[-1][-1] == month_index - 1:
                runs[-1].append(month_index)
            else:
                runs.append([month_index])
        if runs:
            gaps[position] = [
                Gap(first=_year_month(run[0]), last=_year_month(run[-1]), months=len(run)) for run in runs
            ]

    firsts = [_anchor(e) for e in events]
    lasts = [_anchor(e) if e.date.open_end else e.date.last for e in events]
    return Timeline(ordered, gaps, min(firsts) if firsts else None, max(lasts) if lasts else None)


def _ruler() -> str:
    cells = [" "] * STRIP_WIDTH
    for day in (1, 5, 10, 15, 20, 25, 30):
        text = str(day)
        for offset, char in enumerate(text):
            cells[day - 1 + offset] = char
    return "".join(cells)


def _gap_text(gap: Gap) -> str:
    months = f"{gap.months} month{'s' if gap.months != 1 else ''}"
    first = date(gap.first[0], gap.first[1], 1)
    last = date(gap.last[0], gap.last[1], 1)
    span = _month_name(_month_index(first))
    if first != last:
        span = f"{span} – {_month_name(_month_index(last))}"
    return f"┆ {months} without events ({span})"


def legend(width: int) -> list[str]:
    parts = [
        f"{STATUS_MARKERS['occurred']} occurred",
        f"{STATUS_MARKERS['announced']} announced",
        f"{STATUS_MARKERS['planned']} planned",
        f"{EXACT} stated day(s)",
        f"{SPAN} some time in this span (day not stated)",
        f"{CONTINUES} runs on",
        f"{DERIVED} date derived, not stated",
        "~ approximate",
        "? uncertain",
        f"{CHILD} part of an event listed earlier",
    ]
    return textwrap.wrap("   ".join(parts), width=max(width, NARROWEST), break_on_hyphens=False)


def _span_text(timeline: Timeline) -> str:
    if timeline.first is None or timeline.last is None:
        return ""
    first, last = _month_name(_month_index(timeline.first)), _month_name(_month_index(timeline.last))
    return first if first == last else f"{first} – {last}"


def timeline_lines(timeline: Timeline, width: int = 80) -> list[Line]:
    """The timeline laid out in ``width`` columns as lines of (text, style) segments.

    From 60 columns each entry's text is beside its strip; below that, under it (down to 40 columns).
    """
    width = max(width, NARROWEST)
    narrow = width < NARROW
    count = len(timeline.entries)
    heading = f"Timeline: {count} event{'s' if count != 1 else ''}"
    span = _span_text(timeline)
    if len(heading) + 2 + len(span) <= width:
        lines: list[Line] = [[(heading, "title"), (f", {span}", "")]]
    else:  # a narrow terminal: the span on a line of its own
        lines = [[(heading, "title")], [(span, "")]]
    indent = 0 if narrow else INDENT
    text_column = 2 if narrow else INDENT + STRIP_WIDTH + 1 + LABEL_WIDTH + 1 + 2
    text_width = width - text_column
    year = None
    for position, group in enumerate(timeline.groups):
        if group.year != year:
            year = group.year
            lines.append([])
            lines.append([(f"{year} ", "year"), ("─" * (width - len(str(year)) - 1), "rule")])
        lines.append([])
        if group.month:
            month_name = calendar.month_name[group.month]
            if narrow:
                lines.append([(f"{month_name} {group.year}", "month")])
                lines.append([(_ruler(), "ruler")])
            else:
                lines.append([(" " * INDENT, ""), (_ruler(), "ruler"), (f" {month_name} {group.year}", "month")])
        else:
            lines.append([(" " * indent, ""), (f"Some time in {group.year} (month not stated)", "month")])
        for entry in group.entries:
            lines.extend(_entry_lines(entry, text_column, text_width, narrow=narrow))
        for gap in timeline.gaps.get(position, []):
            lines.append([])
            for text in textwrap.wrap(_gap_text(gap), width=width - indent, subsequent_indent="  "):
                lines.append([(" " * indent, ""), (text, "gap")])
    lines.append([])
    lines.extend([[(text, "legend")] for text in legend(width)])
    return lines


def _entry_lines(entry: Entry, text_column: int, text_width: int, *, narrow: bool = False) -> list[Line]:
    event = entry.event
    strip = entry.strip or SPAN * 31 + " "
    head = f"{CHILD} " if entry.child else ""
    words = f"{head}{event.kind} · {event.title}"
    if event.status != "occurred":
        words += f" ({event.status})"
    if narrow:  # the strip on its own line, then the date label, status and text under it
        prefix = f"{entry.label} {STATUS_MARKERS.get(event.status, '?')} "
        wrapped = textwrap.wrap(prefix + words, width=text_width, break_on_hyphens=False) or [""]
        under: list[Line] = [[(strip.rstrip(), "strip")]]
        label_end = len(entry.label)
        first = wrapped[0]
        under.append(
            [
                (" " * text_column, "indent"),
                (first[:label_end], "label"),
                (first[label_end : len(prefix)], f"status.{event.status}"),
                (first[len(prefix) : len(prefix) + len(head) + len(event.kind)], "kind"),
                (first[len(prefix) + len(head) + len(event.kind) :], ""),
            ]
        )
        under.extend([[(" " * text_column, "indent"), (rest, "")] for rest in wrapped[1:]])
        return under
    wrapped = textwrap.wrap(words, width=text_width, break_on_hyphens=False) or [""]
    kind_end = len(head) + len(event.kind)
    first_line: Line = [
        (" " * INDENT, ""),
        (strip, "strip"),
        (" ", ""),
        (entry.label.ljust(LABEL_WIDTH), "label"),
        (" ", ""),
        (STATUS_MARKERS.get(event.status, "?"), f"status.{event.status}"),
        (" ", ""),
    ]
    text = wrapped[0]
    if len(text) > kind_end:
        first_line += [(text[:kind_end], "kind"), (text[kind_end:], "")]
    else:
        first_line.append((text, "kind"))
    result = [first_line]
    result.extend([[(" " * text_column, "indent"), (rest, "")] for rest in wrapped[1:]])
    return result
