"""SVG timeline: a static picture for reports and PDFs, plain XML written here.

The shapes say what ``drawing`` says (a dot for an instant, a band over a day, month or
year, a bar for a span, a faded edge where the date of that end is approximate, a dashed
outline for uncertain dates); ``svg_layout`` places the axis and the labels. Every text
from the log is made visible (:func:`clean`) and escaped for XML; there is no script, no
event attribute, no reference but to the picture's own gradients, and the same log gives
the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final, NamedTuple

from chrono.export import Context
from chrono.export.drawing import Mark, lane_order, marks
from chrono.export.svg_layout import (
    BOLD,
    LABEL_GAP,
    LABEL_SIZE,
    ROW,
    Lane,
    Scale,
    anchor_of,
    folded,
    label_text,
    laid_out,
    shorten,
    text_width,
)
from chrono.export.svg_ticks import drawn_keys, shown_fade, ticks, window
from chrono.output.labels import count_line
from chrono.output.safe_text import clean, xml_text

DESCRIPTION = "SVG timeline"

FONT: Final = "DejaVu Sans, Verdana, Arial, sans-serif"
PALETTE: Final = ("#1f6fb2", "#d3591b", "#17896b", "#b8487f", "#8a6d00", "#5a58b8", "#4a7d1e")
INK, MUTED, GRID, SHADE = "#1d2330", "#5b6473", "#e3e6eb", "#f5f6f8"
MARGIN: Final = 16
TITLE_SIZE, SUB_SIZE, AXIS_SIZE, LANE_SIZE = 18, 12, 11, 12
AXIS_Y: Final = 84  # the axis line; the lanes start below it
LEGEND_ROW: Final = 20
WHITE_EDGE: Final = ' stroke="#ffffff" stroke-width="1"'
DASHED: Final = ' stroke="{}" stroke-width="1.2" stroke-dasharray="3 2"'
OTHERS: Final = {"actor": "actors", "kind": "kinds", "tag": "tags", "location": "places"}

# Runs of whitespace but the separators that xml_text makes visible (\x1c-\x1f, NEL, LS, PS).
_BLANKS = re.compile(r"[^\S\x1c-\x1f\x85\u2028\u2029]+")


def esc(text: str, *, multiline: bool = False) -> str:
    """Log text as XML character data or an attribute value: whitespace runs one space
    (line breaks kept with ``multiline``), then :func:`xml_text`."""
    lines = text.replace("\r\n", "\n").split("\n") if multiline else [text]
    shown = "\n".join(_BLANKS.sub(" ", line).strip(" ") for line in lines)
    return xml_text(shown, multiline=multiline)


def num(value: float) -> str:
    """A coordinate with at most two decimals, the same bytes on every machine."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(x: float, y: float, body: str, css: str, extra: str = "") -> str:
    return f'<text class="{css}" x="{num(x)}" y="{num(y)}"{extra}>{esc(body)}</text>'


class Frame(NamedTuple):
    """Where things are: the picture's width, the lane names' gutter, the time scale."""

    width: int
    gutter: int
    scale: Scale


def render(context: Context) -> bytes:
    """The SVG picture of the selected events."""
    width = context.width
    drawn = sorted(marks(context), key=lambda m: (m.start, m.stop, m.id))  # any order alike
    subtitle = count_line(context.chronology, context.selection)
    parts = _heading(context.title, subtitle, width)
    if not drawn:
        parts += [
            f'<rect class="empty" x="{MARGIN}" y="{AXIS_Y - 20}" width="{width - 2 * MARGIN}"'
            f' height="56" fill="{SHADE}"/>',
            _text(
                width / 2,
                AXIS_Y + 13,
                "No events",
                "empty",
                f' font-size="{LANE_SIZE}" fill="{MUTED}" text-anchor="middle"',
            ),
        ]
        return _document(context, (width, AXIS_Y + 56), f"{subtitle}: no events.", parts, [])
    lanes_of = folded(drawn, lane_order(drawn), OTHERS.get(context.lanes, "lanes"))
    names = list(dict.fromkeys(lanes_of.values()))
    frame = _frame(context, drawn, names)
    lanes = laid_out(frame.scale, drawn, lanes_of, AXIS_Y + 8.0)
    parts += _axis(frame, context, lanes[-1].bottom)
    counter = iter(range(len(drawn) * len(names)))
    for lane in lanes:
        parts += _lane(frame, lane, counter)
    keys = [key for key in _KEY if key in drawn_keys(frame.scale, drawn)]
    legend, height = _legend(width, lanes[-1].bottom + 14, keys)
    parts += legend
    if context.generated:
        parts.append(
            _text(
                MARGIN,
                height + 10,
                shorten(context.generated, 10, width - 2 * MARGIN),
                "generated",
                f' font-size="10" fill="{MUTED}"',
            )
        )
        height += 16
    desc = f"Timeline of {subtitle}."
    if context.lanes != "none":
        desc += f" One lane per {context.lanes}: {', '.join(names)}."
    desc += " Key: " + "; ".join(_KEY[key] for key in keys) + "."
    defs = _gradients(frame.scale, lanes, legend="approximate" in keys)
    return _document(context, (width, height + MARGIN), desc, parts, defs)


def _document(
    context: Context, size: tuple[int, float], desc: str, parts: list[str], defs: list[str]
) -> bytes:
    width, height = size[0], num(size[1])
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="chrono-title chrono-desc" font-family="{FONT}">',
        f'<title id="chrono-title">{esc(context.title)}</title>',
        f'<desc id="chrono-desc">{esc(desc)}</desc>',
    ]
    if defs:
        lines += ["<defs>", *defs, "</defs>"]
    lines.append(f'<rect class="background" width="{width}" height="{height}" fill="#ffffff"/>')
    return ("\n".join([*lines, *parts, "</svg>"]) + "\n").encode("utf-8")


def _heading(title: str, subtitle: str, width: int) -> list[str]:
    room = width - 2 * MARGIN
    return [
        _text(
            MARGIN,
            32,
            shorten(clean(title), TITLE_SIZE * BOLD, room),
            "title",
            f' font-size="{TITLE_SIZE}" font-weight="bold" fill="{INK}"',
        ),
        _text(
            MARGIN,
            52,
            shorten(subtitle, SUB_SIZE, room),
            "subtitle",
            f' font-size="{SUB_SIZE}" fill="{MUTED}"',
        ),
    ]


def _frame(context: Context, drawn: Sequence[Mark], names: Sequence[str]) -> Frame:
    width = context.width
    gutter = 0
    if context.lanes != "none":
        widest = max(text_width(clean(name), LANE_SIZE * BOLD) for name in names)
        gutter = int(min(widest + 16, max(80, width * 0.2)))
    first, last = window(min(m.start for m in drawn), max(m.stop for m in drawn), context.asked)
    return Frame(width, gutter, Scale(first, last, MARGIN + gutter, width - MARGIN))


def _axis(frame: Frame, context: Context, bottom: float) -> list[str]:
    scale = frame.scale
    found = ticks(scale, context.display, AXIS_SIZE, (MARGIN / 2, frame.width - MARGIN / 2))
    grid = "".join(f"M{num(t.x)} {AXIS_Y}V{num(bottom)}" for t in found)
    notches = "".join(f"M{num(t.x)} {AXIS_Y - 5}V{AXIS_Y}" for t in found)
    parts = [
        f'<g id="axis" class="axis" data-start="{scale.start}" data-stop="{scale.stop}"'
        f' data-left="{scale.left}" data-right="{scale.right}" font-size="{AXIS_SIZE}"'
        f' fill="{MUTED}" text-anchor="middle">',
        f'<path class="grid" d="{grid}" stroke="{GRID}" stroke-width="1" fill="none"/>',
        f'<path class="axis-line" d="M{scale.left} {AXIS_Y}H{scale.right}{notches}"'
        f' stroke="{MUTED}" stroke-width="1" fill="none"/>',
    ]
    parts += [_text(t.x, AXIS_Y - 9, t.label, "tick") for t in found if t.label]
    return [*parts, "</g>"]


_HALF: Final = {"point": 4.5, "band": 8.0, "bar": 4.5}  # half a mark's height, by shape


def _lane(frame: Frame, lane: Lane, counter: Iterator[int]) -> list[str]:
    scale = frame.scale
    cy = lane.middle(0)
    shade = SHADE if lane.position % 2 else "#ffffff"
    parts = [
        f'<g class="lane" id="lane-{lane.position}" data-lane="{esc(lane.name)}">',
        f'<rect class="lane-back" x="0" y="{num(lane.top)}" width="{frame.width}"'
        f' height="{num(lane.bottom - lane.top)}" fill="{shade}"/>',
    ]
    if lane.name:
        parts.append(
            _text(
                MARGIN,
                cy + 4,
                shorten(clean(lane.name), LANE_SIZE * BOLD, frame.gutter - 12),
                "lane-name",
                f' font-size="{LANE_SIZE}" font-weight="bold" fill="{INK}"',
            )
        )
    ids = [f"mark-{next(counter)}" for _ in lane.drawn]
    color = lane.position % len(PALETTE)
    parts += [
        _mark(scale, m, lane.middle(lane.track[i]), color, ids[i]) for i, m in enumerate(lane.drawn)
    ]
    leaders, texts = [], []
    for label in lane.labels:
        mark, track = lane.drawn[label.item], lane.track[label.item]
        anchor = anchor_of(scale, mark, track)
        row_top = lane.first_row + label.row * ROW
        foot = anchor - LABEL_GAP + 1 if label.end else anchor + LABEL_GAP - 1
        below = lane.middle(track) + _HALF[mark.shape]
        leaders.append(
            f'<path class="leader" data-for="{ids[label.item]}" d="M{num(anchor)} '
            f'{num(below)}V{num(row_top + 8)}H{num(foot)}"/>'
        )
        at = label.right if label.end else label.left
        anchor_attr = ' text-anchor="end"' if label.end else ""
        texts.append(
            _text(
                at, row_top + 12, label.text, "label", f' data-for="{ids[label.item]}"{anchor_attr}'
            )
        )
    parts += [
        f'<g class="leaders" stroke="{MUTED}" stroke-width="0.8" fill="none">',
        *leaders,
        "</g>",
    ]
    parts += [f'<g class="labels" font-size="{LABEL_SIZE}" fill="{INK}">', *texts, "</g>"]
    if lane.hidden or lane.crowded:
        row_top = lane.first_row + (lane.rows - 1) * ROW
        notes = [f"+{lane.hidden} more"] * bool(lane.hidden) + [
            f"{lane.crowded} drawn overlapping on the last track"
        ] * bool(lane.crowded)
        parts.append(
            _text(
                scale.right,
                row_top + 12,
                "; ".join(notes),
                "more",
                f' font-size="{LABEL_SIZE}" font-style="italic" fill="{MUTED}" text-anchor="end"',
            )
        )
    return [*parts, "</g>"]


def _mark(scale: Scale, mark: Mark, cy: float, color: int, ident: str) -> str:
    """One mark: its shape at its true extent, a 2 px sliver where that is thinner, its tooltip."""
    ink = PALETTE[color]
    (x0, x1), fade, cut = scale.reach(mark), shown_fade(scale, mark), scale.clipped(mark)
    fill = f"url(#{fade_id(color, fade)})" if fade else ink
    outline = DASHED.format(ink) if mark.uncertain else ""
    classes = " ".join(
        ["mark", mark.shape, mark.precision]
        + [f"approximate fade-{fade}"] * bool(fade)
        + ["uncertain"] * mark.uncertain
        + [f"clipped {side}" for side, c in zip(CUT, cut, strict=True) if c]
    )
    tip = f"{mark.when} — {label_text(mark)}"
    if mark.actors:
        tip += "\n" + ", ".join(mark.actors)
    if mark.shape == "point":
        opacity = "0.45" if mark.uncertain else "1"
        shape = (
            f'<circle class="extent" cx="{num(x0)}" cy="{num(cy)}" r="4.5" fill="{fill}"'
            f' fill-opacity="{opacity}"{outline or WHITE_EDGE}/>'
        )
    else:
        half = _HALF[mark.shape]
        opacity = "0.42" if mark.shape == "band" else "0.9"
        shape = (
            f'<rect class="extent" x="{num(x0)}" y="{num(cy - half)}" width="{num(x1 - x0)}"'
            f' height="{num(2 * half)}" fill="{fill}" fill-opacity="{opacity}"{outline}/>'
        )
        if x1 - x0 < 2:
            shape += (
                f'<rect class="visible" x="{num((x0 + x1) / 2 - 1)}" y="{num(cy - half)}"'
                f' width="2" height="{num(2 * half)}" fill="{ink}" fill-opacity="0.8"/>'
            )
        for side, edge, out in (("before", scale.left, -1), ("after", scale.right, 1)):
            if side in classes.split():
                shape += _arrow(edge, cy, half, out, ink)
    return (
        f'<g id="{ident}" class="{classes}" data-event="{esc(mark.id)}">'
        f"<title>{esc(tip, multiline=True)}</title>{shape}</g>"
    )


CUT: Final = ("before", "after")  # the classes of a mark that runs on past the axis


def _arrow(edge: float, cy: float, half: float, out: int, ink: str) -> str:
    """A mark's arrowhead just past an end of the axis: it runs on beyond the period shown."""
    base, tip = edge + out, edge + 7 * out
    return (
        f'<path class="continues" d="M{num(base)} {num(cy - half)}L{num(tip)} {num(cy)}'
        f'L{num(base)} {num(cy + half)}Z" fill="{ink}"/>'
    )


def _gradients(scale: Scale, lanes: Sequence[Lane], *, legend: bool) -> list[str]:
    """A fade for each lane colour and edge (or edges) an approximate mark uses, and the
    legend's when it shows one."""
    used = {
        (lane.position % len(PALETTE), shown_fade(scale, m)) for lane in lanes for m in lane.drawn
    }
    fades = [_fade(c, PALETTE[c], edges) for c, edges in sorted(used) if edges]
    return fades + [_fade("legend", MUTED, LEGEND_FADE)] * legend


FADE_STOPS: Final = {
    "start": (("0", "0"), ("0.3", "1"), ("1", "1")),
    "end": (("0", "1"), ("0.7", "1"), ("1", "0")),
    "both": (("0", "0"), ("0.3", "1"), ("0.7", "1"), ("1", "0")),
}
"""The stops (offset, opacity) of a fade at the start edge, the end edge or both."""

LEGEND_FADE: Final = "end"  # the key shows one faded edge: that end's date is approximate


def fade_id(color: int | str, edges: str) -> str:
    """The gradient's id: ``fade-3`` fades both edges, ``fade-3-start`` and ``fade-3-end``
    only one."""
    return f"fade-{color}" + ("" if edges == "both" else f"-{edges}")


def _fade(color: int | str, ink: str, edges: str) -> str:
    stops = "".join(
        f'<stop offset="{offset}" stop-color="{ink}" stop-opacity="{alpha}"/>'
        for offset, alpha in FADE_STOPS[edges]
    )
    return (
        f'<linearGradient id="{fade_id(color, edges)}" x1="0" y1="0" x2="1" y2="0">'
        f"{stops}</linearGradient>"
    )


_KEY: Final = {
    "point": "dot: an instant",
    "band": "band: a whole day, month or year",
    "bar": "bar: a span, start to end",
    "approximate": "faded edge: that end of the date is approximate",
    "uncertain": "dashed outline: uncertain date",
    "clipped": "arrow: it runs on beyond the period shown",
}
"""The legend's keys, in its order, and their words (the <desc> says the same)."""


def _legend(width: int, top: float, keys: Sequence[str]) -> tuple[list[str], float]:
    """The key to the shapes drawn, in words, flowing over as many rows as the width needs."""
    parts = [f'<g class="legend" font-size="{LABEL_SIZE}" fill="{MUTED}">']
    x, y = float(MARGIN), top
    for kind in keys:
        words = shorten(_KEY[kind], LABEL_SIZE, width - 2 * MARGIN - 30)
        step = 30 + text_width(words, LABEL_SIZE) + 16
        if x + step - 16 > width - MARGIN and x > MARGIN:
            x, y = float(MARGIN), y + LEGEND_ROW
        cy = y + 8
        if kind == "point":
            glyph = f'<circle cx="{num(x + 12)}" cy="{num(cy)}" r="4.5" fill="{MUTED}"/>'
        else:
            half = 7 if kind == "band" else 4.5
            fill = f"url(#{fade_id('legend', LEGEND_FADE)})" if kind == "approximate" else MUTED
            dash = ' stroke="#5b6473" stroke-width="1.2" stroke-dasharray="3 2"' * (
                kind == "uncertain"
            )
            opacity = "0.35" if kind in ("band", "uncertain") else "0.9"
            glyph = (
                f'<rect x="{num(x)}" y="{num(cy - half)}" width="24" height="{num(2 * half)}"'
                f' fill="{fill}" fill-opacity="{opacity}"{dash}/>'
            )
            if kind == "clipped":
                glyph = glyph.replace('width="24"', 'width="17"') + _arrow(
                    x + 17, cy, half, 1, MUTED
                )
        parts += [
            f'<g class="key {kind}">{glyph}',
            _text(x + 30, cy + 4, words, "key-text"),
            "</g>",
        ]
        x += step
    return [*parts, "</g>"], y + LEGEND_ROW
