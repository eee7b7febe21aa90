"""Text from fact files, made safe to show: printed as text, never interpreted.

A terminal acts on escape sequences (ESC, C1 controls such as CSI, OSC 8 links,
OSC 52 clipboard writes) and a bidi override reorders what follows it, so text
that reaches a table or a message shows those characters as visible escapes
(``\\x1b``, ``\\u202e``). JSON and YAML output keep the true data. A spreadsheet
runs a CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so
such cells get a leading single quote (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import functools
import re

# Bidirectional formatting characters (Unicode UAX #9) and invisible separators
# that can reorder or hide what a reader sees.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# The patterns are compiled on first use (each run needs one or two of them: compiling all
# three is a millisecond of every command's start-up).
_UNSAFE = f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}\\u2028\\u2029\\ufeff\\ufff9-\\ufffb\\ud800-\\udfff]"
#: Characters JSON may carry raw but a terminal would act on: written as \\u escapes.
_JSON_UNSAFE = f"[\\x7f-\\x9f{_BIDI}\\u2028\\u2029]"
#: What a spreadsheet may skip before it reads a formula: whitespace and control characters.
_LEADING_BLANKS = r"[\s\x00-\x1f\x7f-\x9f]*"

_FORMULA_START = ("=", "+", "-", "@")
_LINE_BREAK_START = ("\t", "\r", "\n")


@functools.cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep: str = "\n\t") -> str:
    """``text`` with control, bidi and separator characters shown as escapes (except those in ``keep``)."""
    unsafe = _pattern(_UNSAFE)
    if not unsafe.search(text):
        return text
    return unsafe.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def has_json_unsafe(text: str) -> bool:
    """Whether ``json_safe`` would escape anything in ``text``."""
    return _pattern(_JSON_UNSAFE).search(text) is not None


def json_safe(text: str) -> str:
    """Serialised JSON with C1 controls, DEL, bidi controls and U+2028/9 as ``\\uXXXX`` escapes (same data)."""
    return _pattern(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def neutralise_formula(cell: str) -> str:
    """A CSV/TSV text cell a spreadsheet would run as a formula, prefixed with a single quote.

    A formula may hide behind leading whitespace or control characters (``"\\r=1+1"``), and a cell
    that starts with a tab, CR or LF is guarded too.
    """
    start = _pattern(_LEADING_BLANKS).match(cell)
    rest = cell[start.end() :] if start else cell
    if rest.startswith(_FORMULA_START) or cell.startswith(_LINE_BREAK_START):
        return "'" + cell
    return cell
