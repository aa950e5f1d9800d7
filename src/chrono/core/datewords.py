"""The words of typed dates in seven languages, and the periods they name.

Month names (English and German as before, and French, Spanish, Italian, Polish and
Russian, the Slavic ones in nominative and genitive), and named periods: quarters
(``Q2 2024``, ``2. Quartal 2024``, ``T2 2024``), seasons (``Sommer 2024``, meteorological,
of the northern hemisphere: spring is March to May; a winter is named by both its years,
``Winter 2024/25``), and the approximate thirds of a year or a month (``early 2024`` is
January to April, ``mid-November 2023`` the 11th to the 20th, ``Ende Mai 2024`` the 21st
to the 31st, each end approximate, ``~``). A word is read only where it means one thing.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from typing import Final

from chrono.core.dates import PartialDate, Precision, make_date, parse_iso
from chrono.core.errors import DateError

MONTHS: Final = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "jaenner": 1, "februar": 2, "märz": 3, "maerz": 3,
    "mär": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10, "okt": 10,
    "dezember": 12, "dez": 12,
}  # fmt: skip

MORE_MONTHS: Final = {
    # French
    "janvier": 1, "janv": 1, "février": 2, "févr": 2, "mars": 3, "avril": 4, "avr": 4,
    "juin": 6, "juillet": 7, "juil": 7, "août": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "décembre": 12, "déc": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    # Polish: nominative, genitive
    "styczeń": 1, "stycznia": 1, "luty": 2, "lutego": 2, "marzec": 3, "marca": 3,
    "kwiecień": 4, "kwietnia": 4, "maj": 5, "maja": 5, "czerwiec": 6, "czerwca": 6,
    "lipiec": 7, "lipca": 7, "sierpień": 8, "sierpnia": 8, "wrzesień": 9, "września": 9,
    "październik": 10, "października": 10, "listopad": 11, "listopada": 11,
    "grudzień": 12, "grudnia": 12,
    # Russian: nominative, genitive
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3,
    "апрель": 4, "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7,
    "июля": 7, "август": 8, "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10,
    "октября": 10, "ноябрь": 11, "ноября": 11, "декабрь": 12, "декабря": 12,
}  # fmt: skip

# The first month of each season; a winter runs from December into the next year.
SEASONS: Final = {
    "spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12,  # English (and German)
    "frühling": 3, "frühjahr": 3, "sommer": 6, "herbst": 9,  # German
    "printemps": 3, "été": 6, "automne": 9, "hiver": 12,  # French
    "primavera": 3, "verano": 6, "otoño": 9, "invierno": 12,  # Spanish (and Italian)
    "estate": 6, "autunno": 9, "inverno": 12,  # Italian
    "wiosna": 3, "wiosną": 3, "lato": 6, "latem": 6, "jesień": 9, "jesienią": 9,  # Polish
    "zima": 12, "zimą": 12,
    "весна": 3, "весной": 3, "лето": 6, "летом": 6, "осень": 9, "осенью": 9,  # Russian
    "зима": 12, "зимой": 12,
}  # fmt: skip

# Which third of a year or a month: 0 early, 1 mid, 2 late.
THIRDS: Final = {
    "early": 0, "beginning": 0, "mid": 1, "middle": 1, "late": 2, "end": 2,  # English
    "anfang": 0, "mitte": 1, "ende": 2,  # German
    "début": 0, "mi": 1, "fin": 2,  # French
    "principios": 0, "comienzos": 0, "mediados": 1, "finales": 2, "fines": 2,  # Spanish
    "inizio": 0, "metà": 1, "fine": 2,  # Italian
    "początek": 0, "początku": 0, "połowa": 1, "połowie": 1, "koniec": 2, "końcu": 2,  # Polish
    "начало": 0, "начале": 0, "середина": 1, "середине": 1, "конец": 2, "конце": 2,  # Russian
}  # fmt: skip

QUARTERS: Final = ("quarter", "quartal", "trimestre", "kwartał", "kwartal", "квартал")
_ROMAN: Final = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(?P<year>\d{4})"


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The patterns of named periods, compiled on first use."""
    words = "|".join(QUARTERS)
    return {
        "q_first": re.compile(rf"[qt](?P<n>[1-4])(?:\s+|\s*[/-]\s*){_YEAR}"),  # Q2 2024, T2/2024
        "q_last": re.compile(rf"{_YEAR}(?:\s+|\s*[/-]\s*)[qt](?P<n>[1-4])"),  # 2024-Q2
        "q_word": re.compile(  # 2. Quartal 2024, 2nd quarter 2024, 2e trimestre 2024, II kwartał
            rf"(?P<n>[1-4]|i{{1,3}}|iv)(?:\.|st|nd|rd|th|ème|er|e|º|°|o)?\s*(?:{words})\s+{_YEAR}"
        ),
        "season": re.compile(rf"(?P<word>[^\W\d_]+)\s+{_YEAR}(?:\s*[/–-]\s*(?P<next>\d{{2,4}}))?"),
        "third": re.compile(
            r"(?:(?:a|in|na|w|pod|в)\s+)?(?P<word>[^\W\d_]+)(?:\s*-\s*|\s+)(?P<rest>.+)"
        ),
        "of_month": re.compile(rf"(?P<month>[^\W\d_]+)\.?\s+{_YEAR}"),
    }


def _bare(word: str) -> str:
    """A word without its accents: ``août`` is ``aout``, ``październik`` ``pazdziernik``."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


_TABLES: Final = {"months": MONTHS, "more": MORE_MONTHS, "seasons": SEASONS, "thirds": THIRDS}


@functools.cache
def _bare_table(name: str) -> dict[str, int]:
    return {_bare(word): value for word, value in _TABLES[name].items()}


def _lookup(name: str, word: str) -> int | None:
    """A word's value in the table ``name``, written with or without its accents."""
    found = _TABLES[name].get(word)
    return found if found is not None else _bare_table(name).get(_bare(word))


def month_number(word: str) -> int | None:
    """The month a (case-folded) month name names, in any of the seven languages."""
    found = _lookup("months", word)
    return found if found is not None else _lookup("more", word)


def named_period(lowered: str, raw: str) -> tuple[PartialDate, PartialDate] | None:
    """The first and last date of the quarter, season or third ``lowered`` names, or None
    when it names none of them (``raw`` is what was typed, for messages)."""
    for key in ("q_first", "q_last", "q_word"):
        match = _patterns()[key].fullmatch(lowered)
        if match is not None:
            n = match["n"]
            quarter = int(n) if n.isdigit() else _ROMAN[n]
            return _months(int(match["year"]), 3 * quarter - 2, 3, raw)
    match = _patterns()["season"].fullmatch(lowered)
    if match is not None and (season := _lookup("seasons", match["word"])) is not None:
        return _season(season, match, raw)
    match = _patterns()["third"].fullmatch(lowered)
    if match is not None and (third := _lookup("thirds", match["word"])) is not None:
        return _third(third, match["rest"], raw)
    return None


def _months(year: int, first: int, count: int, raw: str) -> tuple[PartialDate, PartialDate]:
    """From month ``first`` of ``year`` for ``count`` months (into the next year if need be)."""
    last_year, last = divmod(first + count - 2, 12)
    begin = make_date(year, first, precision=Precision.MONTH, text=raw)
    return begin, make_date(year + last_year, last + 1, precision=Precision.MONTH, text=raw)


def _season(first: int, match: re.Match[str], raw: str) -> tuple[PartialDate, PartialDate]:
    """The three months of a season from month ``first``; a winter's two years are named."""
    year, following = int(match["year"]), match["next"]
    if first != 12:
        if following is not None:
            raise DateError(f"{raw!r}: that season lies in one year; name it alone")
        return _months(year, first, 3, raw)
    if following is None:
        raise DateError(
            f"ambiguous season {raw!r}: a winter spans two years; write "
            f"'{match['word']} {year}/{(year + 1) % 100:02d}' (Dec {year} – Feb {year + 1}) or "
            f"'{match['word']} {year - 1}/{year % 100:02d}' (Dec {year - 1} – Feb {year})"
        )
    wanted = year + 1 if len(following) == 4 else (year + 1) % 100
    if len(following) == 3 or int(following) != wanted:
        raise DateError(f"{raw!r}: a winter runs into the next year, {year + 1}")
    return _months(year, 12, 3, raw)


def _third(third: int, rest: str, raw: str) -> tuple[PartialDate, PartialDate]:
    """The approximate third of the year or month ``rest`` names."""
    whole = _year_or_month(rest)
    if whole is None:
        raise DateError(
            f"cannot read the date {raw!r}: early, mid and late go with a year or a "
            "month (early 2024, mid-November 2023, Ende Mai 2024)"
        )
    year, month = whole
    if month is None:  # January to April, May to August, September to December
        first = make_date(year, 4 * third + 1, precision=Precision.MONTH, qualifier="~")
        return first, make_date(year, 4 * third + 4, precision=Precision.MONTH, qualifier="~")
    end = calendar.monthrange(year, month)[1] if third == 2 else 10 * third + 10
    first = make_date(year, month, 10 * third + 1, precision=Precision.DAY, qualifier="~")
    return first, make_date(year, month, end, precision=Precision.DAY, qualifier="~")


def _year_or_month(text: str) -> tuple[int, int | None] | None:
    """The year, and month if any, of ``November 2023``, ``2023-11`` or ``2023``."""
    named = _patterns()["of_month"].fullmatch(text)
    if named is not None:
        month = month_number(named["month"])
        return None if month is None else (int(named["year"]), month)
    try:
        date = parse_iso(text)
    except DateError:
        return None
    if date.qualifier or date.precision > Precision.MONTH:
        return None
    return date.year, (date.month if date.precision == Precision.MONTH else None)


__all__ = ["MONTHS", "MORE_MONTHS", "QUARTERS", "SEASONS", "THIRDS", "month_number", "named_period"]
