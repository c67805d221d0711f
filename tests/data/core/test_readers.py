"""The table readers: CSV in any usual encoding and delimiter (plain or gzipped), and workbooks."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import string
import time
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from headway.data.core.readers import (
    Detected,
    ReadError,
    detect_delimiter,
    read_table,
    sheet_names,
)

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared real-data folder {SHARED} is not present"
)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_bytes(tmp_path: Path, data: bytes, name: str = "data.csv", **kwargs: object):
    return read_table(write(tmp_path, name, data), **kwargs)  # type: ignore[arg-type]


def refusal(tmp_path: Path, data: bytes, name: str = "data.csv", **kwargs: object) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_bytes(tmp_path, data, name, **kwargs)
    return caught.value


# --- plain CSV ----------------------------------------------------------------------------------


def test_it_reads_every_column_as_trimmed_text(tmp_path):
    table = read_bytes(tmp_path, b" id , name ,score\n001, Ana ,3.50\n002,, \n")
    assert table.name == "data.csv"
    assert table.frame.columns == ["id", "name", "score"]
    assert table.frame.dtypes == [pl.String] * 3
    assert table.frame.rows() == [("001", "Ana", "3.50"), ("002", None, None)]
    assert table.detected == Detected("csv", "utf-8", ",")


def test_it_keeps_formulas_as_text(tmp_path):
    data = b'a,b,c,d\n=1+2,+SUM(A1:A3),-5,@cmd\n"=HYPERLINK(""x"")",=A1,+1,-\n'
    table = read_bytes(tmp_path, data)
    assert table.frame.rows() == [
        ("=1+2", "+SUM(A1:A3)", "-5", "@cmd"),
        ('=HYPERLINK("x")', "=A1", "+1", "-"),
    ]


def test_it_keeps_quoted_delimiters_quotes_and_line_breaks(tmp_path):
    data = b'name,note\n"Smith, Ann","said ""hi""\nthen left"\n'
    assert read_bytes(tmp_path, data).frame.rows() == [("Smith, Ann", 'said "hi"\nthen left')]


def test_it_fills_short_rows_with_nulls(tmp_path):
    assert read_bytes(tmp_path, b"a,b,c\n1,2\n").frame.rows() == [("1", "2", None)]


def test_it_drops_trailing_blank_rows_but_keeps_inner_ones(tmp_path):
    table = read_bytes(tmp_path, b"a,b\n1,2\n,\n3,4\n , \n\n")
    assert table.frame.rows() == [("1", "2"), (None, None), ("3", "4")]


def test_it_drops_unnamed_empty_columns(tmp_path):
    assert read_bytes(tmp_path, b"a,,b,\n1,,2,\n").frame.columns == ["a", "b"]


def test_it_reads_old_mac_line_endings(tmp_path):
    assert read_bytes(tmp_path, b"a,b\r1,2\r3,4\r").frame.rows() == [("1", "2"), ("3", "4")]


def test_it_uses_the_given_name_in_messages(tmp_path):
    path = write(tmp_path, "upload-123.tmp", b"")
    with pytest.raises(ReadError, match=r"^scores\.csv is empty"):
        read_table(path, name="scores.csv")
    assert read_table(write(tmp_path, "u.tmp", b"a\n1\n"), name="scores.csv").name == "scores.csv"


# --- encodings ----------------------------------------------------------------------------------


def test_it_reads_utf8_with_a_bom(tmp_path):
    table = read_bytes(tmp_path, "\ufeffnom,ville\nJosé,Montréal\n".encode())
    assert table.frame.columns == ["nom", "ville"]
    assert table.frame.rows() == [("José", "Montréal")]
    assert table.detected.encoding == "utf-8-sig"
    assert table.detected.describe() == "CSV, UTF-8 with BOM, comma-separated"


def test_it_reads_windows_1252(tmp_path):
    table = read_bytes(tmp_path, "nom;año\nJosé;Peña – 2024\n".encode("cp1252"))
    assert table.frame.columns == ["nom", "año"]
    assert table.frame.rows() == [("José", "Peña – 2024")]
    assert table.detected.encoding == "cp1252"
    assert table.detected.delimiter == ";"
    assert "Windows-1252" in table.detected.describe()
    assert "Line 1 is not valid UTF-8" in table.detected.note


def test_it_falls_back_to_latin1_when_windows_1252_cannot_decode(tmp_path):
    table = read_bytes(tmp_path, b"a,b\n\xe9,\x81\n")
    assert table.detected.encoding == "latin-1"
    assert table.frame.rows() == [("é", "\x81")]


def test_it_falls_back_and_says_so_when_one_byte_is_not_utf8(tmp_path):
    data = "name,city\nJosé,Montréal\nZoë,Bogotá\n".encode().replace("á".encode(), b"\xe1")
    table = read_bytes(tmp_path, data)
    assert table.detected.encoding == "cp1252"
    assert table.detected.note.startswith("Line 3 is not valid UTF-8, so the file was read as")
    assert "Line 3 is not valid UTF-8" in table.detected.describe()
    assert table.frame.rows()[1] == ("ZoÃ«", "Bogotá")  # the UTF-8 letters are garbled: said so


def test_it_finds_a_bad_byte_far_into_an_ascii_file_and_names_its_line(tmp_path):
    rows = b"".join(b"%d,plain ascii\n" % i for i in range(200_000))  # several read chunks
    table = read_bytes(tmp_path, b"id,city\n" + rows + b"7,Bogot\xe1\n")
    assert table.detected.encoding == "cp1252"
    assert table.detected.note.startswith("Line 200002 is not valid UTF-8")
    assert table.frame.row(-1) == ("7", "Bogotá")


@pytest.mark.parametrize("cut", [0, 1])
def test_a_character_split_between_read_chunks_is_still_utf8(tmp_path, cut):
    from headway.data.core.readers import CHUNK

    head = b"id,name\n1,"
    padding = b"x" * (CHUNK - len(head) - cut)  # "é" (2 bytes) straddles the chunk boundary
    table = read_bytes(tmp_path, head + padding + "é\n2,b\n".encode())
    assert table.detected.encoding == "utf-8"
    assert table.frame.get_column("name").to_list() == ["x" * len(padding) + "é", "b"]


def test_a_character_cut_short_at_the_end_of_a_read_chunk_is_not_utf8(tmp_path):
    from headway.data.core.readers import CHUNK

    head = b"id,name\n1,"
    padding = b"x" * (CHUNK - len(head) - 1)  # the chunk ends in a lead byte; ASCII follows
    table = read_bytes(tmp_path, head + padding + b"\xc3\n2,b\n")
    assert table.detected.encoding == "cp1252"
    assert table.frame.get_column("name").to_list() == ["x" * len(padding) + "Ã", "b"]


def test_a_rare_untrimmed_value_in_a_column_of_codes_is_trimmed(tmp_path):
    rows = [b"%d,Y" % i for i in range(100_000)]
    rows[77_777] = b"77777,N "
    rows[88_888] = b"88888,\xc2\xa0Y"  # a no-break space
    table = read_bytes(tmp_path, b"id,flag\n" + b"\n".join(rows) + b"\n")
    flags = table.frame.get_column("flag")
    assert flags[77_777] == "N"
    assert flags[88_888] == "Y"
    assert flags.str.contains(r"^\s|\s$").sum() == 0


def test_it_reads_utf16_with_a_bom(tmp_path):
    table = read_bytes(tmp_path, "a\tb\n1\té\n".encode("utf-16"))
    assert table.detected == Detected("csv", "utf-16", "\t")
    assert table.frame.rows() == [("1", "é")]


def test_it_can_demand_utf8(tmp_path):
    from headway.data.core.readers import read_csv

    path = write(tmp_path, "users.csv", "a\né\n".encode("cp1252"))
    with pytest.raises(ReadError, match=r"^users\.csv is not UTF-8 text \(line 2\)") as caught:
        read_csv(path, require_utf8=True, delimiter=",")
    assert caught.value.kind == "encoding"


# --- delimiters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "described"),
    [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")],
)
def test_it_detects_the_delimiter(tmp_path, delimiter, described):
    text = delimiter.join(["id", "name", "score"]) + "\n"
    text += delimiter.join(["1", '"Smith, Ann; Jr | x"', '"3,5"']) + "\n"
    table = read_bytes(tmp_path, text.encode())
    assert table.detected.delimiter == delimiter
    assert table.frame.columns == ["id", "name", "score"]
    assert table.frame.row(0)[1] == "Smith, Ann; Jr | x"
    assert f"{described}-separated" in table.detected.describe()


def test_decimal_commas_do_not_fool_the_semicolon_detection():
    assert detect_delimiter("Schule;Anteil;Jahr\nA;0,5;2024\nB;0,25;2024\n") == ";"


def test_commas_inside_single_column_values_do_not_split_them():
    assert detect_delimiter("name\nSmith; Ann\nLee; Bo\n") != ";"
    assert detect_delimiter("note\na,b;c\nd;e\n") not in (",", ";")


def test_quoted_header_names_are_not_split():
    assert detect_delimiter('"Score, Math";"Score, Reading"\n1;2\n') == ";"


# --- refusals -----------------------------------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path):
    err = refusal(tmp_path, b"", name="empty.csv")
    assert str(err) == "empty.csv is empty: expected a header row and at least one row of data."
    assert err.kind == "empty"


def test_a_blank_file_is_refused(tmp_path):
    assert refusal(tmp_path, b"\r\n  \n\t\n").kind == "empty"


def test_a_header_only_file_is_refused(tmp_path):
    err = refusal(tmp_path, b"a,b\n,\n\n", name="scores.csv")
    assert str(err).startswith("scores.csv has a header row but no data rows")
    assert err.kind == "no_data"


def test_binary_content_is_refused(tmp_path):
    err = refusal(tmp_path, PNG * 10, name="photo.csv")
    assert str(err).startswith("photo.csv does not look like a table: it holds binary data")
    assert err.kind == "binary"


def test_a_row_with_too_many_values_is_refused_with_its_row_number(tmp_path):
    header = ",".join(f"c{i}" for i in range(23))
    rows = [",".join(["x"] * 23)] * 11 + [",".join(["x"] * 25)]
    err = refusal(tmp_path, "\n".join([header, *rows]).encode(), name="sgp.csv")
    assert str(err).startswith("sgp.csv, row 12: 25 values where the header has 23 columns.")
    assert (err.row, err.kind) == (12, "ragged")


def test_an_unterminated_quote_is_refused(tmp_path):
    err = refusal(tmp_path, b'a,b\n1,2\n3,"4\n5,6\n', name="q.csv")
    assert str(err) == 'q.csv, row 2: a value starts with a quote mark (") that is never closed.'


def test_a_misplaced_quote_is_refused(tmp_path):
    err = refusal(tmp_path, b'a,b\n"x"y,2\n', name="q.csv")
    assert str(err).startswith('q.csv, row 1: a quote mark (") is in the wrong place')


def test_a_quote_inside_an_unquoted_value_is_refused_plainly(tmp_path):
    err = refusal(tmp_path, b"a,b\n1,5'10\"\n", name="q.csv")
    assert str(err).startswith("q.csv could not be read as a table.")


def test_duplicate_column_names_are_refused(tmp_path):
    err = refusal(tmp_path, b"id,score, id\n1,2,3\n", name="d.csv")
    assert str(err) == (
        "d.csv, column 3: the header names two columns “id” (columns 1 and 3); "
        "each column needs its own name."
    )


def test_an_unnamed_column_with_values_is_refused(tmp_path):
    err = refusal(tmp_path, b"id,,score\n1,2,3\n", name="d.csv")
    assert (
        str(err) == "d.csv, column 2: this column holds values but has no name in the header row."
    )


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(ReadError, match="could not be found"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(ReadError, match="is a folder"):
        read_table(tmp_path)


def test_a_file_over_the_limit_is_refused(tmp_path):
    err = refusal(tmp_path, b"a\n" + b"1\n" * 600, max_bytes=1000)
    assert err.kind == "too_large"
    assert "is too large (1.2 KB; the limit is 1 KB)" in str(err)


def test_a_gzip_file_that_unpacks_over_the_limit_is_refused(tmp_path):
    data = gzip.compress(b"a\n" + b"1\n" * 3_000_000)
    err = refusal(tmp_path, data, name="big.csv.gz", max_bytes=1_000_000)
    assert err.kind == "too_large"


# --- gzip ---------------------------------------------------------------------------------------


def test_it_reads_gzip_compressed_csv(tmp_path):
    table = read_bytes(tmp_path, gzip.compress("a;b\n1;é\n".encode("cp1252")), "x.csv.gz")
    assert table.frame.rows() == [("1", "é")]
    assert table.detected.compressed
    assert table.detected.describe().startswith("CSV (gzip-compressed), Windows-1252")


def test_a_truncated_gzip_file_is_refused(tmp_path):
    data = gzip.compress(("a,b\n" + "".join(f"{i},{i * i}\n" for i in range(5000))).encode())
    err = refusal(tmp_path, data[: len(data) // 2], name="cut.csv.gz")
    assert str(err).startswith("cut.csv.gz is a damaged or incomplete compressed (.gz) file")


def test_a_hundred_megabyte_single_column_file_reads_in_bounded_memory(tmp_path):
    path = tmp_path / "ids.csv"
    line = b"S0000000000000\n"  # 15 bytes
    rows = 100_000_000 // len(line)
    with path.open("wb") as f:
        f.write(b"student_id\n")
        f.write(line * rows)
    started = time.perf_counter()
    table = read_table(path)
    assert table.frame.shape == (rows, 1)
    assert table.frame["student_id"][-1] == "S0000000000000"
    assert time.perf_counter() - started < 15


# --- workbooks ----------------------------------------------------------------------------------


def make_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Students"
    sheet.append([" id ", "name", "score", "born", "flag", "formula", "seen at"])
    sheet.append([1, " Ana ", 3.5, datetime.date(2015, 9, 1), True, "=1+2", None])
    sheet.append([2, "Bo", 4.0, None, False, None, datetime.datetime(2024, 9, 1, 8, 30)])
    sheet["G3"].number_format = "yyyy-mm-dd hh:mm"
    sheet.append([None] * 7)
    other = book.create_sheet("Scores 2024")
    other.append(["a"])
    other.append([12345678901234])
    book.create_sheet("Empty")
    book.save(path)
    return path


def test_it_reads_the_first_sheet_of_a_workbook_as_text(tmp_path):
    table = read_table(make_workbook(tmp_path / "students.xlsx"))
    assert table.frame.columns == ["id", "name", "score", "born", "flag", "formula", "seen at"]
    assert table.frame.dtypes == [pl.String] * 7
    assert table.frame.rows() == [
        ("1", "Ana", "3.5", "2015-09-01", "true", None, None),
        ("2", "Bo", "4", None, "false", None, "2024-09-01T08:30:00"),
    ]
    assert table.detected == Detected(
        "xlsx", sheet="Students", sheets=("Students", "Scores 2024", "Empty")
    )
    assert table.detected.describe() == "Excel workbook, sheet “Students”, one of 3 sheets"


def test_formulas_in_a_workbook_are_never_evaluated(tmp_path):
    table = read_table(make_workbook(tmp_path / "students.xlsx"))
    assert table.frame["formula"].to_list() == [None, None]  # no saved result: nothing computed


def test_it_reads_the_chosen_sheet(tmp_path):
    table = read_table(make_workbook(tmp_path / "b.xlsx"), sheet="Scores 2024")
    assert table.frame.rows() == [("12345678901234",)]


def test_an_unknown_sheet_is_refused_listing_the_sheets(tmp_path):
    with pytest.raises(ReadError) as caught:
        read_table(make_workbook(tmp_path / "b.xlsx"), sheet="Scores")
    assert str(caught.value) == (
        "b.xlsx has no sheet named “Scores”; its sheets are “Students”, “Scores 2024”, “Empty”."
    )


def test_an_empty_sheet_is_refused(tmp_path):
    with pytest.raises(ReadError, match="has an empty sheet “Empty”"):
        read_table(make_workbook(tmp_path / "b.xlsx"), sheet="Empty")


def test_sheet_names_lists_a_workbooks_sheets_and_none_for_csv(tmp_path):
    assert sheet_names(make_workbook(tmp_path / "b.xlsx")) == ["Students", "Scores 2024", "Empty"]
    assert sheet_names(write(tmp_path, "a.csv", b"a\n1\n")) == []


def test_a_damaged_workbook_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/workbook.xml", "not really")
    err = refusal(tmp_path, buffer.getvalue(), name="broken.xlsx")
    assert str(err).startswith("broken.xlsx could not be opened as an Excel workbook")


def test_a_workbook_that_unpacks_too_large_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    err = refusal(tmp_path, buffer.getvalue(), name="bomb.xlsx", max_bytes=10_000_000)
    assert err.kind == "too_large"
    assert "would unpack to 50 MB, more than the 10 MB allowed" in str(err)


def test_a_oneroster_zip_is_sent_to_the_oneroster_reader(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.csv", "propertyName,value\n")
    err = refusal(tmp_path, buffer.getvalue(), name="roster.zip")
    assert "is a OneRoster package" in str(err)


def test_a_csv_has_no_sheets(tmp_path):
    with pytest.raises(ReadError, match="has no sheet named “x”"):
        read_table(write(tmp_path, "a.csv", b"a\n1\n"), sheet="x")


# --- ReadError and Detected ---------------------------------------------------------------------


def test_read_error_text_places_the_location_first():
    assert str(ReadError("a.csv", "is empty.")) == "a.csv is empty."
    assert str(ReadError("a.csv", "too many.", row=3)) == "a.csv, row 3: too many."
    assert (
        str(ReadError("a.csv", "no name.", row=0, column="2")) == "a.csv, row 0, column 2: no name."
    )


def test_detected_describes_a_oneroster_package():
    assert Detected("oneroster").describe() == "OneRoster package"


# --- real files ---------------------------------------------------------------------------------


@needs_shared
def test_it_reads_the_sgp_long_file():
    table = read_table(SHARED / "sgpdata" / "sgpData_LONG.csv.gz")
    assert table.frame.shape == (368_301, 23)
    assert table.detected == Detected("csv", "utf-8", ",", compressed=True)
    assert table.frame.columns[:4] == ["VALID_CASE", "CONTENT_AREA", "YEAR", "ID"]
    assert table.frame.row(0)[:8] == (
        "VALID_CASE", "MATHEMATICS", "2022_2023", "1000372", "Daniels", "Corey", "3", "435.0",
    )  # fmt: skip


@needs_shared
def test_it_reads_the_star_wide_file():
    table = read_table(SHARED / "star" / "AER_STAR_wide.csv.gz")
    assert table.frame.shape == (11_598, 47)
    assert table.frame.row(0)[:7] == ("female", "afam", "1979 Q3", None, None, None, "regular")


@needs_shared
def test_it_reads_the_high_school_and_beyond_file():
    table = read_table(SHARED / "hsb" / "MathAchieve.csv")
    assert table.frame.shape == (7_185, 6)
    assert table.frame.columns == ["School", "Minority", "Sex", "SES", "MathAch", "MEANSES"]
    assert table.detected.describe() == "CSV, UTF-8, comma-separated"


# --- properties ---------------------------------------------------------------------------------

HEADER_CHARS = string.ascii_letters + string.digits + "_ "
PRINTABLE = string.ascii_letters + string.digits + " ,;|\t\"'\n\r=+-@.#"
# Letters at 0xC0+ in Windows-1252: none of them can form a UTF-8 sequence with its neighbours,
# so a cp1252 file holding them is never mistaken for UTF-8.
CP1252_EXTRA = "éñÉÑüçàèöß"
UTF8_EXTRA = CP1252_EXTRA + "€—“”中文ł"


@st.composite
def tables(draw: st.DrawFn, extra: str) -> tuple[list[str], list[list[str]]]:
    width = draw(st.integers(1, 4))
    names = draw(
        st.lists(
            st.text(HEADER_CHARS, min_size=1, max_size=8).filter(lambda s: s.strip()),
            min_size=width,
            max_size=width,
            unique_by=lambda s: s.strip(),
        )
    )
    cell = st.text(PRINTABLE + extra, max_size=8)
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=6))
    return names, rows


def expected_rows(rows: list[list[str]]) -> list[tuple[str | None, ...]]:
    cleaned = [tuple(c.strip() or None for c in row) for row in rows]
    while cleaned and all(c is None for c in cleaned[-1]):
        cleaned.pop()
    return cleaned


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=st.one_of(
        st.tuples(tables(UTF8_EXTRA), st.just("utf-8")),
        st.tuples(tables(CP1252_EXTRA), st.just("cp1252")),
    ),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    line_end=st.sampled_from(["\r\n", "\n"]),
)
def test_it_reads_back_what_the_csv_module_writes(tmp_path, table, delimiter, line_end):
    (names, rows), encoding = table
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(names)
    writer.writerows(rows)
    path = write(tmp_path, "prop.csv", buffer.getvalue().encode(encoding))
    expected = expected_rows(rows)
    if not expected:
        with pytest.raises(ReadError, match="no data rows"):
            read_table(path)
        return
    frame = read_table(path).frame
    assert frame.columns == [n.strip() for n in names]
    assert frame.rows() == expected


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_give_a_table_or_a_read_error(tmp_path, data):
    path = write(tmp_path, "any.csv", data)
    try:
        table = read_table(path)
    except ReadError as err:
        assert str(err).startswith("any.csv")
        return
    assert table.frame.height > 0
    assert all(dtype == pl.String for dtype in table.frame.dtypes)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(min_size=1, max_size=200), magic=st.sampled_from([b"\x1f\x8b", b"PK\x03\x04"])
)
def test_arbitrary_bytes_behind_a_magic_number_give_a_read_error(tmp_path, data, magic):
    with pytest.raises(ReadError):
        read_table(write(tmp_path, "any.bin", magic + data))
