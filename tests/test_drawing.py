"""The pictures' shared model: honest shapes, fading and dashing, lanes, which sources link."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chrono.core.query import Query, select
from chrono.export import Context
from chrono.export.drawing import Mark, lane_order, link, marks
from chrono.storage import store
from tests.conftest import BUNDLED, Run

LOG = """\
[chrono]
timezone = "Europe/Berlin"

[actors.a]
name = "Anna Alpha"

[actors.b]
name = "Bert Beta"

[[events]]
id = "instant"
date = "2026-01-23T10:30"
title = "An instant"
actors = ["a", "b", "Free Person"]
tags = ["x", "y", "x"]

[[events]]
id = "day"
date = "2026-01-24?"
title = "A day, uncertain"
actors = ["a"]
kind = "meeting"
location = "Berlin"

[[events]]
id = "month"
date = "2026-02~"
title = "A month, approximate"

[[events]]
id = "year"
date = "2025%"
title = "A year, both"

[[events]]
id = "span"
date = "2026-03-01"
end = "2026-03-03~"
title = "A span ending about then"
actors = ["b"]
"""


def drawn(path: Path, lanes: str = "none", query: Query | None = None) -> dict[str, Mark]:
    """The marks of the log at ``path`` by id."""
    chronology = store.load(path)
    selection = select(chronology, query or Query())
    context = Context(chronology, selection, dt.UTC, "t", lanes=lanes)
    return {m.id: m for m in marks(context)}


def ms(text: str) -> int:
    """An ISO instant as milliseconds since the epoch."""
    return int(dt.datetime.fromisoformat(text).timestamp() * 1000)


def test_shapes_and_extents_are_exactly_the_dates(write_log: Any) -> None:
    """A moment is a point, a day a band of 24 hours in the log's zone, a span a bar to its
    end's last instant."""
    found = drawn(write_log(LOG))
    assert (found["instant"].shape, found["instant"].start, found["instant"].stop) == (
        "point",
        ms("2026-01-23T09:30Z"),
        ms("2026-01-23T09:30Z"),
    )
    day = found["day"]
    assert (day.shape, day.start, day.stop) == (
        "band",
        ms("2026-01-23T23:00Z"),
        ms("2026-01-24T23:00Z"),
    )
    month = found["month"]
    assert (month.start, month.stop, month.precision) == (
        ms("2026-01-31T23:00Z"),
        ms("2026-02-28T23:00Z"),
        "month",
    )
    year = found["year"]
    assert (year.start, year.stop) == (ms("2024-12-31T23:00Z"), ms("2025-12-31T23:00Z"))
    span = found["span"]
    assert (span.shape, span.start, span.stop) == (
        "bar",
        ms("2026-02-28T23:00Z"),
        ms("2026-03-03T23:00Z"),
    )


def test_qualifiers_fade_and_dash(write_log: Any) -> None:
    """~ fades, ? dashes, % does both, and a qualified end counts."""
    found = drawn(write_log(LOG))
    flags = {i: (m.fade, m.uncertain) for i, m in found.items()}
    assert flags == {
        "instant": ("", False),
        "day": ("", True),
        "month": ("both", False),
        "year": ("both", True),
        "span": ("end", False),
    }


EDGES = """\
[chrono]
timezone = "UTC"

[[events]]
id = "end-approx"
date = "2025-03-01"
end = "2025-06~"
title = "Exact start, approximate end"

[[events]]
id = "start-approx"
date = "2025-03~"
end = "2025-06-30"
title = "Approximate start"

[[events]]
id = "both"
date = "2025~"
title = "Approximate year"

[[events]]
id = "bar-both"
date = "2025-03%"
end = "2025-06~"
title = "Both ends approximate, the start uncertain too"

[[events]]
id = "end-both-kinds"
date = "2025-03-01"
end = "2025-06%"
title = "An end approximate and uncertain"

[[events]]
id = "end-uncertain"
date = "2025-03-01"
end = "2025-06?"
title = "An uncertain end"

[[events]]
id = "moment"
date = "2025-03-01T10:00~"
title = "About ten"

[[events]]
id = "exact"
date = "2025-03-01"
end = "2025-06-30"
title = "Exact span"
"""


def test_a_bar_fades_only_the_edges_whose_dates_are_approximate(write_log: Any) -> None:
    """A bar fades its start for an approximate start, its end for an approximate end
    (``%`` too), a point or band both edges; an uncertain date on either end dashes it all."""
    found = drawn(write_log(EDGES))
    assert {i: (m.shape, m.fade, m.uncertain) for i, m in found.items()} == {
        "end-approx": ("bar", "end", False),
        "start-approx": ("bar", "start", False),
        "both": ("band", "both", False),
        "bar-both": ("bar", "both", True),
        "end-both-kinds": ("bar", "end", True),
        "end-uncertain": ("bar", "", True),
        "moment": ("point", "both", False),
        "exact": ("bar", "", False),
    }


def test_lanes_per_field(write_log: Any) -> None:
    """An event with three actors is in three lanes; repeated tags are one lane; a missing
    value has a lane of its own, ordered last."""
    path = write_log(LOG)
    actors = drawn(path, "actor")
    assert actors["instant"].lanes == ("Anna Alpha", "Bert Beta", "Free Person")
    assert actors["month"].lanes == ("(no actor)",)
    assert drawn(path, "tag")["instant"].lanes == ("x", "y")
    assert drawn(path, "kind")["day"].lanes == ("meeting",)
    assert drawn(path, "location")["instant"].lanes == ("(no place)",)
    assert drawn(path)["instant"].lanes == ("",)
    assert lane_order(list(actors.values())) == [
        "Anna Alpha",
        "Bert Beta",
        "Free Person",
        "(no actor)",
    ]


def test_ordinals_only_when_two_actors_are_asked(write_log: Any) -> None:
    """Marks carry the terminal's #N when two or more actors are asked, else none."""
    path = write_log(LOG)
    both = drawn(path, query=Query(actors=(("a",), ("b",))))
    assert {i: m.number for i, m in both.items()} == {"instant": 1}
    assert all(m.number is None for m in drawn(path).values())


@pytest.mark.parametrize(
    ("source", "address"),
    [
        ("https://example.org/a?b=c&d", "https://example.org/a?b=c&d"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
        ("  https://example.org/padded  ", "https://example.org/padded"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("vbscript:x", None),
        ("//example.org/protocol-relative", None),
        ("Interfax, 12 March", None),
        ("https://example.org/a b", None),
        ("https://example.org/\u202eexe.txt", None),
        ("https://example.org/\x00", None),
        ("mailto:", None),
        ("ftp://example.org/file", None),
    ],
)
def test_only_http_and_mailto_sources_link(source: str, address: str | None) -> None:
    """A source is a link only to an http(s) or mailto address without spaces or controls."""
    assert link(source) == address


def test_lanes_refused_where_nothing_has_lanes(run: Run) -> None:
    """--lanes and --width name the formats they are for when given to another."""
    result = run("export", "md", "--lanes", "actor")
    assert (result.exit_code, result.stderr) == (
        2,
        "chrono: error: --lanes: only html, svg and timelinejs have lanes (not md)\n",
    )
    result = run("export", "timelinejs", "--width", "900")
    assert result.stderr == (
        "chrono: error: --width: only the svg format has a width (not timelinejs)\n"
    )
    result = run("export", "svg", "--width", "100")
    assert result.stderr == "chrono: error: --width: 100 is not between 320 and 20000\n"
    assert run("export", "svg", "--lanes", "sideways").exit_code == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("svg", "--style", "table"), "--style: only the md format has a style (not svg)"),
        (("html", "--mermaid"), "--mermaid: only the md format has a Mermaid diagram (not html)"),
        (
            ("json", "--generated"),
            "--generated: only md, html, svg, timelinejs and graph have a place for the line"
            " (not json)",
        ),
        (("csv", "--lanes", "tag"), "--lanes: only html, svg and timelinejs have lanes (not csv)"),
        (
            ("ics", "--since", "HEAD"),
            "--since: only the md format marks what is new or changed (not ics)",
        ),
    ],
)
def test_an_option_a_format_ignores_is_refused(run: Run, args: tuple[str, ...], said: str) -> None:
    """An option the format does nothing with is a usage error naming it, not silence."""
    result = run("export", *args, "-f", str(BUNDLED))
    assert (result.exit_code, result.stderr) == (2, f"chrono: error: {said}\n")


def test_md_options_still_work(run: Run) -> None:
    """--style list, the default, may be given; md takes --mermaid and --generated."""
    assert run("export", "md", "--style", "list", "-f", str(BUNDLED)).exit_code == 0
    result = run("export", "md", "--style", "table", "--mermaid", "--generated", "-f", str(BUNDLED))
    assert result.exit_code == 0 and "```mermaid" in result.stdout and "| Date |" in result.stdout


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_pictures_carry_the_generated_line_only_when_asked(run: Run, fmt: str) -> None:
    """--generated writes its line into the page or the picture; without it, no date."""
    plain = run("export", fmt, "-f", str(BUNDLED)).stdout
    assert "Generated by" not in plain and "2026-11-25" not in plain
    stamped = run("export", fmt, "--generated", "-f", str(BUNDLED)).stdout
    assert "Generated by chrono " in stamped and " on 2026-11-25 from events.toml" in stamped


def test_the_command_line_offers_every_way_of_splitting() -> None:
    """--lanes offers exactly the lanes the pictures know, each with a lane for no value."""
    from chrono.app.commands.export import Lanes
    from chrono.export.drawing import LANES, NO_LANE

    assert [lanes.value for lanes in Lanes] == list(LANES) == list(NO_LANE)
