"""What a new user trips over with dates: periods read in another zone than the one shown,
and the dates people write (17.11.2023, novembre 2023, Q2 2024, mid-November 2023)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from chrono.core import datewords
from chrono.core.dates import load_timezone, parse_iso
from chrono.core.datetext import iso_advice, parse_bounds, parse_period
from chrono.core.datewords import MONTHS, MORE_MONTHS, QUARTERS, SEASONS, THIRDS
from chrono.core.errors import DateError
from chrono.operations.querying import Filters, build_query
from chrono.operations.reading import FileSource, open_source
from chrono.storage.index import Index as IndexSource
from tests.conftest import Run, cache

# Times around the day 22 Nov 2023 in Tokyo (UTC+9): it runs from 21 Nov 15:00 UTC to
# 22 Nov 15:00 UTC. The log's own zone is UTC.
MOMENTS = {"before": "2023-11-21T14:59", "first": "2023-11-21T15:00",
           "last": "2023-11-22T14:59", "after": "2023-11-22T15:00"}  # fmt: skip
AROUND_TOKYO_DAY = '[chrono]\ntimezone = "UTC"\n' + "".join(
    f'\n[[events]]\nid = "{key}"\ndate = {moment}:00Z\ntitle = "At {moment} UTC"\n'
    for key, moment in MOMENTS.items()
)
IN_TOKYO = ["first", "last"]
IN_UTC = ["last", "after"]  # 22 Nov in UTC: 14:59 and 15:00


def _ids(run: Run, log: Path, *args: str, cached: bool = True) -> list[str]:
    head = () if cached else ("--no-cache",)
    result = run(*head, "list", "-f", str(log), "--format", "ids", *args)
    assert result.exit_code in (0, 3), result.output
    return result.stdout.split()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--on", "2023-11-22", "--tz", "Asia/Tokyo"), IN_TOKYO),
        (("--from", "2023-11-22", "--to", "2023-11-22", "--tz", "Asia/Tokyo"), IN_TOKYO),
        (("--from", "2023-11-22", "--tz", "Asia/Tokyo"), ["first", "last", "after"]),
        (("--to", "2023-11-22", "--tz", "Asia/Tokyo"), ["before", "first", "last"]),
        (("--on", "2023-11-21", "--tz", "Asia/Tokyo"), ["before"]),
        (("--on", "2023-11-22"), IN_UTC),  # no --tz: the log's zone, as before
        (("--on", "2023-11-22", "--tz", "UTC"), IN_UTC),
    ],
)
def test_a_period_typed_is_read_in_the_zone_the_answer_is_shown_in(
    run: Run, write_log: Callable[[str], Path], args: tuple[str, ...], expected: list[str]
) -> None:
    """--on, --from and --to name days of the --tz zone (else the log's): an event a
    minute inside the Tokyo day is selected, one a minute outside is not, from the file
    and from the index alike."""
    log = write_log(AROUND_TOKYO_DAY)
    assert _ids(run, log, *args, cached=False) == expected
    assert _ids(run, log, *args) == expected  # builds the index
    assert isinstance(open_source(log, cache()), IndexSource)
    assert _ids(run, log, *args) == expected  # answered by the index


def test_the_labels_and_the_selection_agree_in_the_display_zone(
    run: Run, write_log: Callable[[str], Path]
) -> None:
    """The user's case: `list --on 2023-11-21 --tz Asia/Tokyo` shows no event labelled
    22 Nov JST, and the day asked shows each of its events with that day's label."""
    log = write_log(AROUND_TOKYO_DAY)
    shown = run("--no-cache", "list", "-f", str(log), "--on", "2023-11-21", "--tz", "Asia/Tokyo")
    assert shown.exit_code == 0
    assert "21 Nov 2023 23:59 JST" in shown.stdout and "22 Nov" not in shown.stdout
    asked = run("list", "-f", str(log), "--on", "22 Nov 2023", "--tz", "Asia/Tokyo")
    assert asked.exit_code == 0
    assert "22 Nov 2023 00:00 JST" in asked.stdout and "22 Nov 2023 23:59 JST" in asked.stdout
    assert "21 Nov" not in asked.stdout and "23 Nov" not in asked.stdout


def test_export_selects_in_the_display_zone(run: Run, write_log: Callable[[str], Path]) -> None:
    """`export --on DAY --tz ZONE` selects the events of that day in that zone."""
    log = write_log(AROUND_TOKYO_DAY)
    result = run("export", "json", "-f", str(log), "--on", "2023-11-22", "--tz", "Asia/Tokyo")
    assert result.exit_code == 0, result.output
    assert [event["id"] for event in json.loads(result.stdout)["events"]] == IN_TOKYO


def test_build_query_reads_dates_in_the_zone_given(write_log: Callable[[str], Path]) -> None:
    """The query's span is the day in the zone passed, and in the log's zone without one."""
    log = write_log(AROUND_TOKYO_DAY)
    source = open_source(log, cache())
    assert isinstance(source, FileSource)
    tokyo = load_timezone("Asia/Tokyo")
    assert tokyo is not None
    filters = Filters(on="2023-11-22")
    today = dt.date(2026, 1, 1)
    query = build_query(source, filters, today, print, tokyo)
    day = dt.datetime(2023, 11, 22, tzinfo=tokyo)
    assert (query.start, query.stop) == (_us(day), _us(day + dt.timedelta(days=1)))
    utc = build_query(source, filters, today, print)
    midnight = day.replace(tzinfo=dt.UTC)
    assert (utc.start, utc.stop) == (_us(midnight), _us(midnight + dt.timedelta(days=1)))


def _us(moment: dt.datetime) -> int:
    return int(moment.timestamp()) * 1_000_000


# -- dates as people write them -----------------------------------------------------------

TODAY = dt.date(2026, 11, 25)


def _span(text: str) -> tuple[str, str]:
    period = parse_period(text, TODAY)
    return period.first.isoformat(), period.last.isoformat()


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("17.11.2023", "2023-11-17", "2023-11-17"),  # day first, as German writes it
        ("3.4.2024", "2024-04-03", "2024-04-03"),
        ("17. 11. 2023", "2023-11-17", "2023-11-17"),
        ("17.11.2023 14:30", "2023-11-17T14:30", "2023-11-17T14:30"),
        ("17.11.2023~", "2023-11-17~", "2023-11-17~"),
        ("11.2023", "2023-11", "2023-11"),
        ("novembre 2023", "2023-11", "2023-11"),  # French, Italian
        ("noviembre 2023", "2023-11", "2023-11"),  # Spanish
        ("listopad 2023", "2023-11", "2023-11"),  # Polish, nominative
        ("17 listopada 2023", "2023-11-17", "2023-11-17"),  # Polish, genitive
        ("listopad 2023 r.", "2023-11", "2023-11"),
        ("ноябрь 2023", "2023-11", "2023-11"),  # Russian, nominative
        ("17 ноября 2023 года", "2023-11-17", "2023-11-17"),  # Russian, genitive
        ("17 ноября 2023 г.", "2023-11-17", "2023-11-17"),
        ("17 de noviembre de 2023", "2023-11-17", "2023-11-17"),
        ("1er août 2024", "2024-08-01", "2024-08-01"),
        ("Août 2024", "2024-08", "2024-08"),
        ("aout 2024", "2024-08", "2024-08"),  # accents may be left out
        ("pazdziernika 2024", "2024-10", "2024-10"),
        ("early 2024", "2024-01~", "2024-04~"),
        ("mid 2024", "2024-05~", "2024-08~"),
        ("late 2024", "2024-09~", "2024-12~"),
        ("early May 2024", "2024-05-01~", "2024-05-10~"),
        ("mid-November 2023", "2023-11-11~", "2023-11-20~"),
        ("late May 2024", "2024-05-21~", "2024-05-31~"),
        ("late February 2024", "2024-02-21~", "2024-02-29~"),
        ("late February 2023", "2023-02-21~", "2023-02-28~"),
        ("late 2024-04", "2024-04-21~", "2024-04-30~"),
        ("beginning of 2024", "2024-01~", "2024-04~"),
        ("middle of May 2024", "2024-05-11~", "2024-05-20~"),
        ("end of Sept. 2024", "2024-09-21~", "2024-09-30~"),
        ("in early 2024", "2024-01~", "2024-04~"),
        ("pod koniec maja 2024", "2024-05-21~", "2024-05-31~"),
        ("na początku 2024 roku", "2024-01~", "2024-04~"),
        ("fine del 2024", "2024-09~", "2024-12~"),
        ("Anfang November 2023", "2023-11-01~", "2023-11-10~"),
        ("Mitte 2024", "2024-05~", "2024-08~"),
        ("Ende Mai 2024", "2024-05-21~", "2024-05-31~"),
        ("début novembre 2023", "2023-11-01~", "2023-11-10~"),
        ("mi-novembre 2023", "2023-11-11~", "2023-11-20~"),
        ("fin 2024", "2024-09~", "2024-12~"),
        ("principios de 2024", "2024-01~", "2024-04~"),
        ("a mediados de mayo de 2024", "2024-05-11~", "2024-05-20~"),
        ("finales de mayo de 2024", "2024-05-21~", "2024-05-31~"),
        ("inizio 2024", "2024-01~", "2024-04~"),
        ("metà maggio 2024", "2024-05-11~", "2024-05-20~"),
        ("fine maggio 2024", "2024-05-21~", "2024-05-31~"),
        ("początek 2024", "2024-01~", "2024-04~"),
        ("w połowie listopada 2023", "2023-11-11~", "2023-11-20~"),
        ("koniec maja 2024", "2024-05-21~", "2024-05-31~"),
        ("начало 2024 года", "2024-01~", "2024-04~"),
        ("в середине ноября 2023", "2023-11-11~", "2023-11-20~"),
        ("конец мая 2024", "2024-05-21~", "2024-05-31~"),
        ("Q1 2024", "2024-01", "2024-03"),
        ("Q2 2024", "2024-04", "2024-06"),
        ("q3/2024", "2024-07", "2024-09"),
        ("2024-Q4", "2024-10", "2024-12"),
        ("2024 Q1", "2024-01", "2024-03"),
        ("1. Quartal 2024", "2024-01", "2024-03"),
        ("T2 2024", "2024-04", "2024-06"),
        ("3e trimestre 2024", "2024-07", "2024-09"),
        ("2nd quarter 2024", "2024-04", "2024-06"),
        ("IV kwartał 2024", "2024-10", "2024-12"),
        ("II квартал 2024", "2024-04", "2024-06"),
        ("iii quartal 2024", "2024-07", "2024-09"),
        ("spring 2024", "2024-03", "2024-05"),
        ("Sommer 2024", "2024-06", "2024-08"),
        ("autumn 2024", "2024-09", "2024-11"),
        ("fall 2024", "2024-09", "2024-11"),
        ("Winter 2024/25", "2024-12", "2025-02"),
        ("winter 2024/2025", "2024-12", "2025-02"),
        ("hiver 2024-25", "2024-12", "2025-02"),
        ("Frühling 2024", "2024-03", "2024-05"),
        ("été 2024", "2024-06", "2024-08"),
        ("otoño 2024", "2024-09", "2024-11"),
        ("estate 2024", "2024-06", "2024-08"),
        ("lato 2024", "2024-06", "2024-08"),
        ("осень 2024", "2024-09", "2024-11"),
        ("zima 2023/24", "2023-12", "2024-02"),
    ],
)
def test_dates_as_people_write_them_name_their_period(
    text: str, first: str | None, last: str | None
) -> None:
    """Day-first dots, month names in seven languages, early/mid/late (approximate thirds:
    days 1-10, 11-20, 21-end; January-April, May-August, September-December), quarters
    and seasons (meteorological months) each name exactly their first and last date."""
    if first is None:
        with pytest.raises(DateError):
            parse_period(text, TODAY)
        return
    assert _span(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "03/04/2024",
            "ambiguous date '03/04/2024': write 2024-04-03 or 3.4.2024 for 3 April 2024, "
            "2024-03-04 or 4.3.2024 for 4 March 2024",
        ),
        (
            "Winter 2024",
            "ambiguous season 'Winter 2024': a winter spans two years; write 'winter 2024/25' "
            "(Dec 2024 – Feb 2025) or 'winter 2023/24' (Dec 2023 – Feb 2024)",
        ),
        (
            "zima 2000",
            "ambiguous season 'zima 2000': a winter spans two years; write 'zima 2000/01' "
            "(Dec 2000 – Feb 2001) or 'zima 1999/00' (Dec 1999 – Feb 2000)",
        ),
        ("winter 2024/26", "'winter 2024/26': a winter runs into the next year, 2025"),
        ("winter 2024/2026", "'winter 2024/2026': a winter runs into the next year, 2025"),
        ("winter 2024/202", "'winter 2024/202': a winter runs into the next year, 2025"),
        ("summer 2024/25", "'summer 2024/25': that season lies in one year; name it alone"),
        (
            "mid 2024-05-03",
            "cannot read the date 'mid 2024-05-03': early, mid and late go with a year or a "
            "month (early 2024, mid-November 2023, Ende Mai 2024)",
        ),
        (
            "early 2024~",
            "cannot read the date 'early 2024~': early, mid and late go with a year or a "
            "month (early 2024, mid-November 2023, Ende Mai 2024)",
        ),
        (
            "late Smarch 2024",
            "cannot read the date 'late Smarch 2024': early, mid and late go with a year or a "
            "month (early 2024, mid-November 2023, Ende Mai 2024)",
        ),
        ("31.02.2024", "no such day: February 2024 has 29 days, not 31 ('31.02.2024')"),
        ("17.13.2023", "no month 13 in '17.13.2023'"),
        ("17 listopada", "no year in '17 listopada': write the year too, e.g. '17 listopada 2026'"),
        ("around Q2 2024", "'around Q2 2024': 'around' goes with one date, not a period"),
    ],
)
def test_what_is_ambiguous_or_impossible_is_refused_with_the_forms_to_write(
    text: str, message: str
) -> None:
    """Slashes, a winter named by one year, a season or third that cannot be are refused
    with one line that shows what to write instead."""
    with pytest.raises(DateError) as info:
        parse_period(text, TODAY)
    assert str(info.value) == message


# -- every word, in every language --------------------------------------------------------

FRENCH = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]  # fmt: skip
SPANISH = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"]  # fmt: skip
ITALIAN = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"]  # fmt: skip
POLISH = ["styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień",
          "wrzesień", "październik", "listopad", "grudzień"]  # fmt: skip
POLISH_OF = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
             "września", "października", "listopada", "grudnia"]  # fmt: skip
RUSSIAN = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
           "октябрь", "ноябрь", "декабрь"]  # fmt: skip
RUSSIAN_OF = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]  # fmt: skip
SHORT = {"janv": 1, "févr": 2, "avr": 4, "juil": 7, "déc": 12, "setiembre": 9}
LANGUAGES = (FRENCH, SPANISH, ITALIAN, POLISH, POLISH_OF, RUSSIAN, RUSSIAN_OF)
MORE = sorted(({name: m for names in LANGUAGES for m, name in enumerate(names, 1)} | SHORT).items())
SEASON_WORDS = {
    3: ["spring", "frühling", "frühjahr", "printemps", "primavera", "wiosna", "wiosną", "весна",
        "весной"],
    6: ["summer", "sommer", "été", "verano", "estate", "lato", "latem", "лето", "летом"],
    9: ["autumn", "fall", "herbst", "automne", "otoño", "autunno", "jesień", "jesienią",
        "осень", "осенью"],
    12: ["winter", "hiver", "invierno", "inverno", "zima", "zimą", "зима", "зимой"],
}  # fmt: skip
THIRD_WORDS = {
    0: ["early", "beginning", "anfang", "début", "principios", "comienzos", "inizio",
        "początek", "początku", "начало", "начале"],
    1: ["mid", "middle", "mitte", "mi", "mediados", "metà", "połowa", "połowie", "середина",
        "середине"],
    2: ["late", "end", "ende", "fin", "finales", "fines", "fine", "koniec", "końcu", "конец",
        "конце"],
}  # fmt: skip


def _bare(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def test_the_word_tables_are_exactly_these() -> None:
    """chrono reads exactly the month names, seasons and thirds listed here (English and
    German month names are held by test_date_edges), and no bare spelling means two things."""
    assert {name: month for name, month in MORE if name not in MONTHS} == MORE_MONTHS
    assert {word: month for month, words in SEASON_WORDS.items() for word in words} == SEASONS
    assert {word: third for third, words in THIRD_WORDS.items() for word in words} == THIRDS
    assert QUARTERS == ("quarter", "quartal", "trimestre", "kwartał", "kwartal", "квартал")
    for table in ({**MONTHS, **MORE_MONTHS}, SEASONS, THIRDS):
        bare: dict[str, int] = {}
        for word, value in table.items():
            assert bare.setdefault(_bare(word), value) == value, word


def test_a_bare_spelling_is_the_word_without_its_marks() -> None:
    """Accents go and every letter stays, in Latin and Cyrillic alike."""
    assert datewords._bare("październik") == "pazdziernik"
    assert datewords._bare("Août") == "Aout"
    assert datewords._bare("ноябрь") == "ноябрь"


@pytest.mark.parametrize(("name", "month"), MORE)
def test_every_month_name_of_five_more_languages_names_its_month(name: str, month: int) -> None:
    """Each French, Spanish, Italian, Polish and Russian month name, in any case, with or
    without its accents, with a day or without, reads as its own month."""
    for written in (name, name.capitalize(), name.upper(), _bare(name)):
        assert _span(f"{written} 2026") == (f"2026-{month:02d}",) * 2
    assert _span(f"7 {name} 2026") == (f"2026-{month:02d}-07",) * 2


@pytest.mark.parametrize(
    ("word", "month"), [(w, m) for m, words in SEASON_WORDS.items() for w in words]
)
def test_every_season_word_names_its_three_months(word: str, month: int) -> None:
    """Spring is March to May, summer June to August, autumn September to November, and
    winter December to February of the next year, in every language, accents or not."""
    for written in (word, word.capitalize(), _bare(word)):
        if month == 12:
            assert _span(f"{written} 2024/25") == ("2024-12", "2025-02")
        else:
            assert _span(f"{written} 2024") == (f"2024-{month:02d}", f"2024-{month + 2:02d}")


@pytest.mark.parametrize(
    ("word", "third"), [(w, t) for t, words in THIRD_WORDS.items() for w in words]
)
def test_every_word_for_early_mid_or_late_names_its_third(word: str, third: int) -> None:
    """Each word names its third of a year (four months) and of a month (days 1-10, 11-20,
    21 to the end), approximate, written with a space or a hyphen, accents or not."""
    months = [("2024-01~", "2024-04~"), ("2024-05~", "2024-08~"), ("2024-09~", "2024-12~")]
    days = [("2023-11-01~", "2023-11-10~"), ("2023-11-11~", "2023-11-20~"),
            ("2023-11-21~", "2023-11-30~")]  # fmt: skip
    for written in (word, word.capitalize(), _bare(word)):
        assert _span(f"{written} 2024") == months[third]
        assert _span(f"{written}-2024") == months[third]
        assert _span(f"{written} 2023-11") == days[third]
        assert _span(f"{written} November 2023") == days[third]


@pytest.mark.parametrize("word", QUARTERS)
@pytest.mark.parametrize(("number", "months"), [("1", (1, 3)), ("2", (4, 6)), ("3", (7, 9)),
                                                ("4", (10, 12)), ("I", (1, 3)),
                                                ("II", (4, 6)), ("III", (7, 9)),
                                                ("IV", (10, 12))])  # fmt: skip
def test_every_quarter_word_names_its_months(
    word: str, number: str, months: tuple[int, int]
) -> None:
    """Q1 to Q4 and the quarter words of each language name the quarter's three months."""
    expected = (f"2024-{months[0]:02d}", f"2024-{months[1]:02d}")
    assert _span(f"{number}. {word} 2024") == expected
    assert _span(f"{number} {word} 2024") == expected
    if number.isdigit():
        assert _span(f"Q{number} 2024") == _span(f"2024-Q{number}") == expected
        assert _span(f"T{number}/2024") == expected


# -- the dates at work: list, add, the prompts, check -------------------------------------

# One event on each day at the edges of the thirds of May 2024 and of the seasons.
EDGES = ["2024-02-29", "2024-03-01", "2024-05-10", "2024-05-11", "2024-05-20", "2024-05-21",
         "2024-05-31", "2024-06-01", "2024-08-31", "2024-09-01", "2024-11-30", "2024-12-01",
         "2025-02-28", "2025-03-01"]  # fmt: skip
EDGES_LOG = "".join(
    f'[[events]]\nid = "d{day}"\ndate = {day}\ntitle = "On {day}"\n\n' for day in EDGES
)


@pytest.mark.parametrize(
    ("on", "first", "last"),
    [
        ("early May 2024", "2024-05-01", "2024-05-10"),
        ("mid-May 2024", "2024-05-11", "2024-05-20"),
        ("late May 2024", "2024-05-21", "2024-05-31"),
        ("Anfang Mai 2024", "2024-05-01", "2024-05-10"),
        ("spring 2024", "2024-03-01", "2024-05-31"),
        ("Sommer 2024", "2024-06-01", "2024-08-31"),
        ("automne 2024", "2024-09-01", "2024-11-30"),
        ("winter 2024/25", "2024-12-01", "2025-02-28"),
        ("Q2 2024", "2024-04-01", "2024-06-30"),
        ("early 2024", "2024-01-01", "2024-04-30"),
        ("mid 2024", "2024-05-01", "2024-08-31"),
        ("31.05.2024", "2024-05-31", "2024-05-31"),
        ("maj 2024", "2024-05-01", "2024-05-31"),
    ],
)
def test_list_on_a_named_period_selects_exactly_its_days(
    run: Run, write_log: Callable[[str], Path], on: str, first: str, last: str
) -> None:
    """`--on` a third, a season or a quarter selects the events of its first to its last
    day and none a day outside it, from the file and from the index."""
    log = write_log(EDGES_LOG)
    inside = [f"d{day}" for day in EDGES if first <= day <= last]
    assert _ids(run, log, "--on", on, cached=False) == inside
    assert _ids(run, log, "--on", on) == inside
    assert _ids(run, log, "--on", on) == inside  # from the index


def test_from_and_to_take_the_start_and_the_end_of_a_named_period(
    run: Run, write_log: Callable[[str], Path]
) -> None:
    """`--from "late May 2024"` starts on the 21st, `--to "Q2 2024"` ends on 30 June."""
    log = write_log(EDGES_LOG)
    expected = ["d2024-05-21", "d2024-05-31", "d2024-06-01"]
    assert _ids(run, log, "--from", "late May 2024", "--to", "Q2 2024", cached=False) == expected


def _added(run: Run, tmp_path: Path, *args: str) -> dict[str, object]:
    log = tmp_path / "events.toml"
    log.write_text("")
    result = run("add", "-f", str(log), "T", "--id", "t", *args)
    assert result.exit_code == 0, result.output
    event: dict[str, object] = tomllib.loads(log.read_text())["events"][0]
    return {key: event[key] for key in ("date", "end") if key in event}


@pytest.mark.parametrize(
    ("args", "stored"),
    [
        (("--date", "17.11.2023"), {"date": "2023-11-17"}),
        (("--date", "17 listopada 2023"), {"date": "2023-11-17"}),
        (("--date", "novembre 2023"), {"date": "2023-11"}),
        (("--date", "Q2 2024"), {"date": "2024-04", "end": "2024-06"}),
        (("--date", "Sommer 2024"), {"date": "2024-06", "end": "2024-08"}),
        (("--date", "mid-November 2023"), {"date": "2023-11-11~", "end": "2023-11-20~"}),
        (("--date", "early 2024"), {"date": "2024-01~", "end": "2024-04~"}),
        (("--date", "Q2 2024", "--end", "Q3 2024"), {"date": "2024-04", "end": "2024-09"}),
        (("--date", "2024-01", "--end", "Q2 2024"), {"date": "2024-01", "end": "2024-06"}),
        (("--date", "Q2 2024", "--end", "2024-05"), {"date": "2024-04", "end": "2024-05"}),
        (("--date", "2024-01", "--end", "2024-01"), {"date": "2024-01", "end": "2024-01"}),
        (("--date", "2024-01"), {"date": "2024-01"}),
    ],
)
def test_add_stores_a_typed_date_at_its_precision(
    run: Run, tmp_path: Path, args: tuple[str, ...], stored: dict[str, str]
) -> None:
    """`add --date` takes every form; a named period becomes the event's span (its first
    date, and its last as the end unless --end is typed, whose last date ends it)."""
    assert _added(run, tmp_path, *args) == stored


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "last week"), "--date: 'last week' is a period, not a date"),
        (("--date", "winter 2024"), "--date: ambiguous season 'winter 2024'"),
        (("--date", "Q3 2024", "--end", "Q2 2024"), "--end 2024-06 is before --date 2024-07"),
    ],
)
def test_add_refuses_what_names_no_date_or_span(
    run: Run, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """A period counted from today, an ambiguous winter, an end before the date: exit 2."""
    log = tmp_path / "events.toml"
    log.write_text("")
    result = run("add", "-f", str(log), "T", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert log.read_text() == ""


def test_the_prompt_takes_a_named_period_and_its_end(
    run: Run, write_log: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for a date on a terminal, `Sommer 2024` is read, and `Q3 2024` is its end;
    an ambiguous winter and an end before the summer are said and asked again."""
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    log = write_log("")
    typed = ["Talks", "winter 2024", "Sommer 2024", "Q1 2024", "Q3 2024"] + [""] * 6
    result = run("add", "-f", str(log), input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.output
    assert "ambiguous season 'winter 2024'" in result.stderr
    assert "2024-03 is before 2024-06" in result.stderr  # Q1 2024 ends before the summer
    event = tomllib.loads(log.read_text())["events"][0]
    assert (event["date"], event["end"]) == ("2024-06", "2024-09")


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ('date = "Oct 2023"', "'date': 'Oct 2023' is not an ISO date: write \"2023-10\""),
        ('date = "17.11.2023"', "'date': '17.11.2023' is not an ISO date: write \"2023-11-17\""),
        (
            'date = "Q2 2024"',
            "'date': 'Q2 2024' is not an ISO date: write \"2024-04\" and end = \"2024-06\"",
        ),
        (
            'date = "2024-01"\nend = "Q2 2024"',
            "'end': 'Q2 2024' is not an ISO date: write \"2024-06\"",
        ),
        ('date = "around July 1962"', 'is not an ISO date: write "1962-07~"'),
        ('date = "yesterday"', "'date': not a date: 'yesterday' (use YYYY, YYYY-MM"),
        ('date = "Oct"', "'date': not a date: 'Oct' (use YYYY"),
    ],
)
def test_a_date_in_the_log_written_as_typed_is_an_error_naming_its_iso_form(
    run: Run, write_log: Callable[[str], Path], written: str, advice: str
) -> None:
    """A log's date a user could have typed (`"Oct 2023"`) is still an error, at its line,
    and says its ISO form; one counted from today or unreadable says only the ISO forms."""
    log = write_log(f'[[events]]\nid = "a"\n{written}\ntitle = "T"\n')
    result = run("check", "-f", str(log))
    assert result.exit_code == 1
    assert f"{log}:" in result.stderr and advice in result.stderr


def test_iso_advice_at_module_level() -> None:
    """The advice is for strings a user could type, absolute ones only."""
    assert iso_advice("Oct 2023", "date") == "'Oct 2023' is not an ISO date: write \"2023-10\""
    assert iso_advice("late May 2024", "end") == (
        "'late May 2024' is not an ISO date: write \"2024-05-31~\""
    )
    assert iso_advice("late May 2024", "date") == (
        '\'late May 2024\' is not an ISO date: write "2024-05-21~" and end = "2024-05-31~"'
    )
    assert iso_advice(20231001, "date") is None
    for relative in ("today", "last month", "3 days ago", "around yesterday", "17 Nov"):
        assert iso_advice(relative, "date") is None


def test_parse_bounds_is_a_date_or_a_named_period() -> None:
    """An event's typed date: one date as the date alone, a named period as its span, and
    a period counted from today refused."""
    assert parse_bounds("17.11.2023", TODAY) == (parse_iso("2023-11-17"),) * 2
    assert parse_bounds(" Q2  2024 ", TODAY) == (parse_iso("2024-04"), parse_iso("2024-06"))
    assert parse_bounds("ноябрь 2023 года", TODAY) == (parse_iso("2023-11"),) * 2
    with pytest.raises(DateError, match="'this week' is a period, not a date"):
        parse_bounds("this week", TODAY)
