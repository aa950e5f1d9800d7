"""Text from the log made safe to print in a terminal: it is data, never control codes.

Control characters, C1 codes, line and paragraph separators and bidi overrides become
visible escapes (``\\x1b``, ``\\u202e``), so a title cannot move the cursor, recolour the
terminal or reverse the text around it. Each export escapes for its own reader as well.
"""

from __future__ import annotations

import re

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean(text: str, *, multiline: bool = False) -> str:
    """Make log text safe to print: controls and bidi overrides become visible escapes.

    With ``multiline``, line breaks (LF or CRLF) are kept as LF.
    """
    if multiline:
        text = text.replace("\r\n", "\n")
    if text.isprintable() and not _BIDI.intersection(text):
        return text  # the usual case: nothing to escape
    return (_UNSAFE_LINES if multiline else _UNSAFE).sub(_escape, text)


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + "]")
_UNSAFE_LINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + "]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code == 0x09:
        return " "
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


__all__ = ["clean"]
