"""``chrono export svg`` as real readers draw it: librsvg and Chromium alike, nothing run
from a hostile log, fades where the dates are approximate, lanes folded to what librsvg
draws."""

from __future__ import annotations

import math
import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from chrono.export.svg_layout import BOLD, text_width
from tests.browser import SHOTS, Watched, shot
from tests.conftest import BUNDLED, Run
from tests.test_export_svg import SVG, XSS, WriteLog, export, extent, marks, parse, texts

# --- real readers ---------------------------------------------------------------------------


def need_rsvg() -> str:
    found = shutil.which("rsvg-convert")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("no rsvg-convert: .ci/run installs librsvg2-bin")
        pytest.skip("no rsvg-convert installed")
    return found


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB or RGBA PNG (alpha over white)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", b""
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + size]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        at += size + 12
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6) and header[12] == 0, header  # no interlace
    channels = 4 if color == 6 else 3
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + guess) & 255
        previous = line
        if channels == 4:
            rgb = bytearray()
            for i in range(0, stride, 4):
                a = line[i + 3]
                rgb += bytes((c * a + 255 * (255 - a)) // 255 for c in line[i : i + 3])
            rows.append(bytes(rgb))
        else:
            rows.append(bytes(line))
    return width, height, rows


def test_rsvg_and_chromium_draw_it_alike(run: Run, watched: Watched, tmp_path: Path) -> None:
    """librsvg converts the bundled picture to PNG, Chromium shows it without a problem,
    the two renderings mostly agree pixel for pixel, and no label is wider in Chromium
    than the width the layout allowed it."""
    rsvg = need_rsvg()
    picture = tmp_path / "timeline.svg"
    picture.write_bytes(export(run, BUNDLED, "--lanes", "actor"))
    root = parse(picture.read_bytes())
    width, height = int(root.attrib["width"]), int(float(root.attrib["height"]))
    SHOTS.mkdir(parents=True, exist_ok=True)
    converted = SHOTS / "svg-rsvg.png"
    done = subprocess.run(
        [rsvg, str(picture), "-o", str(converted)], capture_output=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, b"")
    page = watched.page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(picture.as_uri())
    assert watched.problems() == []
    drawn = shot(page, "svg-chromium")
    ours, theirs = decode_png(converted.read_bytes()), decode_png(drawn.read_bytes())
    assert ours[:2] == theirs[:2] == (width, height)
    same = total = 0
    for row_a, row_b in zip(ours[2], theirs[2], strict=True):
        for i in range(0, len(row_a), 3):
            total += 1
            same += max(abs(row_a[i + k] - row_b[i + k]) for k in range(3)) <= 40
    assert same / total > 0.98, same / total
    measured = page.evaluate(
        "() => [...document.querySelectorAll('text')].map("
        "t => [t.getAttribute('class'), t.textContent, t.getComputedTextLength(),"
        " getComputedStyle(t).fontSize, getComputedStyle(t).fontWeight])"
    )
    for css, content, length, size, weight in measured:
        estimate = text_width(content, float(size.removesuffix("px")))
        if int(weight) >= 700:
            estimate *= BOLD
        assert length <= estimate, (css, content, length, estimate)


def test_chromium_runs_nothing_from_the_hostile_log(
    run: Run, watched: Watched, tmp_path: Path
) -> None:
    """Chromium shows the hostile log's picture with no problem and runs none of its text."""
    for lanes in ("actor", "tag", "location"):
        picture = tmp_path / f"{lanes}.svg"
        picture.write_bytes(export(run, XSS, "--lanes", lanes))
        watched.page.goto(picture.as_uri())
        assert watched.page.evaluate("() => window.__xss === undefined")
        assert watched.page.evaluate("() => document.querySelectorAll('script').length") == 0
    assert watched.problems() == []
    assert watched.console == []


APART = """\
[[events]]
id = "end-approx"
date = "2025-01-01"
end = "2025-04~"
title = "Exact start, approximate end"

[[events]]
id = "start-approx"
date = "2025-07~"
end = "2025-10-31"
title = "Approximate start"
"""


def edge_shades(rows: list[bytes], shape: ET.Element) -> tuple[int, int]:
    """How light (the sum of R, G and B) a drawn rectangle is near its start and its end,
    on its middle row."""
    x, width = float(shape.attrib["x"]), float(shape.attrib["width"])
    row = rows[int(float(shape.attrib["y"]) + float(shape.attrib["height"]) / 2)]
    start, end = (3 * int(x + width * at) for at in (0.04, 0.96))
    return sum(row[start : start + 3]), sum(row[end : end + 3])


def test_both_readers_fade_only_the_approximate_end(
    run: Run, watched: Watched, write_log: WriteLog, tmp_path: Path
) -> None:
    """In librsvg's and in Chromium's drawing, a bar with only its end approximate is solid
    at its start and faint at its end, and one with only its start approximate the reverse."""
    rsvg = need_rsvg()
    picture = tmp_path / "fades.svg"
    picture.write_bytes(export(run, write_log(APART)))
    root = parse(picture.read_bytes())
    width, height = int(root.attrib["width"]), int(float(root.attrib["height"]))
    converted = tmp_path / "fades.png"
    subprocess.run([rsvg, str(picture), "-o", str(converted)], check=True)
    watched.page.set_viewport_size({"width": width, "height": height})
    watched.page.goto(picture.as_uri())
    drawings = {"librsvg": converted, "Chromium": shot(watched.page, "svg-fades-chromium")}
    for reader, png in drawings.items():
        rows = decode_png(png.read_bytes())[2]
        start, end = edge_shades(rows, extent(marks(root, "end-approx")[0]))
        assert end - start > 200, (reader, start, end)  # faint (light) only at its end
        start, end = edge_shades(rows, extent(marks(root, "start-approx")[0]))
        assert start - end > 200, (reader, start, end)
    assert watched.problems() == []


def test_lanes_past_the_height_librsvg_draws_are_folded(
    run: Run, write_log: WriteLog, tmp_path: Path
) -> None:
    """A thousand places (one event each, one busier) and events without a place fold into
    the busiest lanes and a last one naming how many others it holds: every mark drawn,
    under 32,000 px high, rendered by librsvg."""
    events = (
        "".join(
            f'\n[[events]]\nid = "e{n}"\ndate = "2026-01-01T{n // 60 % 24:02d}:{n % 60:02d}"\n'
            f'title = "Event {n}"\nlocation = "Place {n:04d}"\n'
            for n in range(1000)
        )
        + '\n[[events]]\nid = "busy"\ndate = "2026-01-02"\ntitle = "Busy"\n'
        + 'location = "Place 0999"\n'
        + "".join(
            f'\n[[events]]\nid = "n{n}"\ndate = "2026-01-03"\ntitle = "N"\n' for n in range(3)
        )
    )
    data = export(run, write_log('[chrono]\ntimezone = "UTC"\n' + events), "--lanes", "location")
    root = parse(data)
    lanes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"]
    assert float(root.attrib["height"]) <= 32_000
    names = [lane.get("data-lane") for lane in lanes]
    assert names[:2] == ["Place 0999", "Place 0000"]  # the busiest are kept, then by name
    assert names[-2] == "(no place)"  # busier than any other place: kept
    others = 1001 - (len(lanes) - 1)  # 1,000 places and "(no place)"
    assert names[-1] == f"({others} other places)"
    assert [t.text for t in texts(lanes[-1], "lane-name")] == [names[-1]]
    assert len(marks(lanes[-1])) == others and len(marks(root)) == 1004
    assert all(texts(lane, "label") for lane in lanes)  # each lane has a row of labels
    picture = tmp_path / "places.svg"
    picture.write_bytes(data)
    done = subprocess.run(
        [need_rsvg(), str(picture), "-o", str(tmp_path / "places.png")],
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    width, height = struct.unpack(">II", (tmp_path / "places.png").read_bytes()[16:24])
    assert (width, height) == (1200, math.ceil(float(root.attrib["height"])))
