"""Text from the log and the command line made safe for each reader: it is data, never control.

One rule says which characters could act rather than show (:func:`unsafe`): every control
(C0, DEL, C1), every format character (Unicode's Cf: bidi overrides and marks, zero-width
spaces and joiners, the soft hyphen, the byte order mark, tag characters), line and
paragraph separators, and lone surrogates. Each kind of output has one function that
applies it in its reader's terms:

========== ===================== ================================================
output     function              an unsafe character becomes
========== ===================== ================================================
terminal   :func:`clean`         a visible escape, ``\\x1b``, ``\\u202e``, ``\\U000e0041``
ICS        :func:`ics_text`      the same visible escape (RFC 5545 text has no controls)
CSV        :func:`csv_cell`      the same visible escape; cells a spreadsheet would run
                                 (``=``, ``+``, ``-``, ``@`` after any blanks) get a quote mark
JSON       :func:`json_safe`     a JSON escape, ``\\u202e``: the text reads back exactly
answers    :func:`answer_text`   a ``\\u``/``\\U`` escape that JSON and TOML strings read back
markdown   ``export/md_format``  ``\\u202e`` (with the markup escapes there)
XML, SVG   :func:`xml_text`      the visible escape, also of U+FFFE and U+FFFF (XML 1.0
                                 has no place for them); ``&<>"'`` as entities
HTML       :func:`html_text`     the visible escape; ``&<>"'`` as HTML's entities
========== ===================== ================================================

Text without such characters (all ordinary text) is returned as it is.
"""

from __future__ import annotations

import re
from functools import cache

# Unicode's Cc, Cf, Cs, Zl and Zp, as ranges (tests/test_text_safety.py holds them equal to
# unicodedata's categories over all of Unicode; a few unassigned neighbours are included).
_RANGES = (
    "\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f"
)


@cache
def unsafe(keep: str = "") -> re.Pattern[str]:
    """A pattern of one unsafe character, but those in ``keep`` (``\\n``, ``\\t``)."""
    kept = "".join(re.escape(c) for c in keep)
    return re.compile(f"(?![{kept}])[{_RANGES}]" if keep else f"[{_RANGES}]")


def visible(char: str) -> str:
    """The visible escape of one character, as Python writes it: ``\\x1b``, ``\\u202e``."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _visible_tab_as_space(match: re.Match[str]) -> str:
    return " " if match[0] == "\t" else visible(match[0])


def clean(text: str, *, multiline: bool = False) -> str:
    """Text for the terminal: every unsafe character a visible escape, a tab a space.

    With ``multiline``, line breaks (LF or CRLF) are kept as LF.
    """
    if multiline:
        text = text.replace("\r\n", "\n")
    if text.isprintable():
        return text  # the usual case: nothing to escape
    return unsafe("\n" if multiline else "").sub(_visible_tab_as_space, text)


def ics_text(text: str, *, multiline: bool = False) -> str:
    """Text for an iCalendar property: as the terminal shows it (calendars are read there too)."""
    return clean(text, multiline=multiline)


_FORMULA = ("=", "+", "-", "@")


def csv_cell(text: str) -> str:
    """A CSV cell: unsafe characters visible (line breaks and tabs kept, CRLF as LF), so
    no bidi override, isolate or mark can make a spreadsheet show the text reordered and
    no zero-width character hides in it; and a quote mark before a cell a spreadsheet would
    run as a formula (its first character after any blanks is ``=``, ``+``, ``-`` or ``@``,
    or it starts with a tab or a line break).
    """
    text = text.replace("\r\n", "\n")
    if not text.isprintable():
        text = unsafe("\n\t").sub(lambda m: visible(m[0]), text)
    if text.lstrip().startswith(_FORMULA) or text.startswith(("\t", "\n")):
        return "'" + text
    return text


_NOT_XML = re.compile("[\ufffe\uffff]")  # printable to Python, not characters to XML 1.0
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_XML_MARKUP = re.compile("[&<>\"']")


def xml_text(text: str, *, multiline: bool = False) -> str:
    """Text for XML character data or an attribute value (GraphML, SVG): unsafe characters
    and the two XML 1.0 cannot hold visible, markup characters as entities."""
    shown = _NOT_XML.sub(lambda m: visible(m[0]), clean(text, multiline=multiline))
    return _XML_MARKUP.sub(lambda m: _XML_ESCAPES[m[0]], shown)


def html_text(text: str, *, multiline: bool = False) -> str:
    """Text for HTML (the page, TimelineJS): unsafe characters visible, then ``&<>"'``
    escaped, so it is text or an attribute value and never markup."""
    import html  # noqa: PLC0415 - only the HTML exports need it

    return html.escape(clean(text, multiline=multiline), quote=True)


def _utf16_escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(dumped: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with every unsafe
    character written as a ``\\u`` escape: the same document, read back exactly.

    ``json.dumps`` escapes C0 controls itself; what is left (DEL, C1, format characters,
    separators) can only be inside strings, where an escape means the same character.
    """
    return unsafe("\n").sub(_utf16_escape, dumped)


def _string_escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def answer_text(text: str) -> str:
    """An answer on stdout (JSON, the TOML ``add --dry-run`` prints, ids): every unsafe
    character but line breaks and tabs a ``\\u`` or ``\\U`` escape, as JSON and TOML strings
    spell them (a no-op on what chrono already escaped)."""
    if text.isprintable():
        return text
    return unsafe("\n\t").sub(_string_escape, text)


__all__ = ["answer_text", "clean", "csv_cell", "ics_text", "json_safe", "unsafe", "visible"]
