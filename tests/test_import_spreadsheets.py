"""`chrono import` of CSV saved by a real spreadsheet program: an .ods built here, converted
by LibreOffice (`soffice --headless --convert-to csv`), then imported."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.conftest import Run

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice is not installed"
)

ROWS = [
    ["Datum", "Titel", "Beschreibung", "Personen", "Ort", "Schlagworte"],
    ["2026-01-22", "Putin empfängt Witkoff", "Fünf Stunden\nGespräche", "Путин; Witkoff",
     "Kreml, Moskau", "ukraine; us-russia"],
    ["2025-12", "Gespräche im Dezember", "", "Ushakov", "", ""],
    ["2024", "Ein ganzes Jahr", 'Mit "Anführungszeichen"; und Semikolon', "", "", ""],
]  # fmt: skip

ODS = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _cell(text: str) -> str:
    if not text:
        return "<table:table-cell/>"
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in text.split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def build_ods(path: Path, rows: list[list[str]]) -> None:
    """A minimal OpenDocument spreadsheet: every cell a text cell, as typed."""
    body = "".join(
        "<table:table-row>" + "".join(_cell(c) for c in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Events">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as ods:
        ods.writestr(zipfile.ZipInfo("mimetype"), ODS)
        ods.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        ods.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def convert(ods: Path, filter_options: str) -> Path:
    """The .ods saved as CSV by LibreOffice with the given CSV filter options."""
    assert SOFFICE is not None, "LibreOffice (soffice) is needed"
    out = ods.parent / "out"
    profile = ods.parent / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         f'csv:Text - txt - csv (StarCalc):{filter_options}', "--outdir", str(out), str(ods)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / (ods.stem + ".csv")


LOG = """\
[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"
aliases = ["Putin", "Путин"]

[actors.witkoff]
name = "Steve Witkoff"

[actors.ushakov]
name = "Yuri Ushakov"
"""


@needs_soffice
@pytest.mark.parametrize(
    ("options", "separator"),
    [("59,34,76,1", b";"), ("44,34,76,1", b","), ("9,34,76,1", b"\t")],
    ids=["semicolon", "comma", "tab"],
)
def test_a_csv_libreoffice_saved_is_imported_as_typed(
    run: Run, tmp_path: Path, options: str, separator: bytes
) -> None:
    """Whatever separator LibreOffice was told to use, every row is one event with its
    cells as typed: a cell over two lines, quotes and a semicolon inside a cell, Cyrillic."""
    ods = tmp_path / "events.ods"
    build_ods(ods, ROWS)
    csv_file = convert(ods, options)
    data = csv_file.read_bytes()
    assert data.split(b"\n", 1)[0].count(separator) == 5  # as asked: LibreOffice wrote it
    log = tmp_path / "events.toml"
    log.write_text(LOG, encoding="utf-8")
    result = run("import", str(csv_file), "-f", str(log))
    assert result.exit_code == 0, result.stderr
    events = {e["id"]: e for e in tomllib.loads(log.read_text(encoding="utf-8"))["events"]}
    assert sorted(events) == [
        "2024-ein-ganzes-jahr", "2025-12-gesprache-im-dezember",
        "2026-01-22-putin-empfangt-witkoff",
    ]  # fmt: skip
    meeting = events["2026-01-22-putin-empfangt-witkoff"]
    assert meeting["summary"].replace("\r\n", "\n") == "Fünf Stunden\nGespräche"
    assert meeting["actors"] == ["putin", "witkoff"]
    assert (meeting["location"], meeting["tags"]) == ("Kreml, Moskau", ["ukraine", "us-russia"])
    year = events["2024-ein-ganzes-jahr"]
    assert (year["date"], year["summary"]) == ("2024", 'Mit "Anführungszeichen"; und Semikolon')
    assert events["2025-12-gesprache-im-dezember"]["date"] == "2025-12"


def test_a_workbook_itself_is_refused_with_what_to_do(run: Run, tmp_path: Path) -> None:
    """An .ods (or .xlsx) given instead of its CSV: one line saying to save it as CSV."""
    ods = tmp_path / "events.ods"
    build_ods(ods, ROWS)
    log = tmp_path / "events.toml"
    log.write_text(LOG, encoding="utf-8")
    result = run("import", str(ods), "-f", str(log))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{ods}: error: a spreadsheet workbook (.xlsx, .ods or .xls), not text: save it as "
        "CSV first (UTF-8; in LibreOffice: Save As, Text CSV)\n"
    )
    assert log.read_text(encoding="utf-8") == LOG
