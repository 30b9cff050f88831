import csv
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from safepassage.lib.spreadsheet import (
    TableError,
    csv_bytes,
    detect_delimiter,
    detect_encoding,
    open_table,
    safe_cell,
    xlsx_bomb_check,
    xlsx_bytes,
)


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_it_neutralises_a_cell_that_would_be_a_formula(value):
    assert safe_cell(value).startswith("'")
    assert safe_cell(value)[1:] == value


@given(st.text())
def test_no_safe_cell_starts_with_a_formula_trigger(value):
    assert safe_cell(value)[:1] not in set("=+-@\t\r")


def test_it_keeps_numbers_and_plain_text():
    assert safe_cell(-5) == "-5"
    assert safe_cell("Коваленко") == "Коваленко"
    assert safe_cell(None) == ""


def test_a_csv_export_starts_with_a_bom_and_reads_back_with_names_intact():
    data = csv_bytes(["id", "name"], [["1", "리철수"], ["2", "=cmd"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["id", "name"], ["1", "리철수"], ["2", "'=cmd"]]


def test_an_xlsx_export_holds_no_formula():
    data = xlsx_bytes(["id", "name"], [[1, "=1+1"], [2, "Олександр"]], sheet="list")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [["id", "name"], [1, "'=1+1"], [2, "Олександр"]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp949", "id,family_name,given_name\n1,김,철수\n2,리,영호\n"),
        ("cp1251", "id,family_name,given_name\n1,Коваленко,Олександр\n2,Їжак,Ґанок\n"),
        ("cp949", "1,리\n"),
        ("cp1251", "1,Ли\n"),
        ("cp1252", "name\nFrançois Müller\n"),
        ("utf-8", "1,Пак,철수\n"),
    ],
)
def test_it_recognises_short_files_in_the_usual_encodings(encoding, text):
    assert detect_encoding(text.encode(encoding)) == encoding


def test_it_recognises_boms():
    assert detect_encoding("a,b".encode("utf-8-sig")) == "utf-8-sig"
    assert detect_encoding("a,b".encode("utf-16")) == "utf-16"


def test_it_refuses_binary_data():
    with pytest.raises(TableError, match="binary"):
        detect_encoding(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_detects_the_delimiter(delimiter):
    lines = [
        delimiter.join(["id", "family_name", "given_name"]) + "\n",
        delimiter.join("123") + "\n",
    ]
    assert detect_delimiter(lines) == delimiter


def test_it_streams_a_utf16_tab_separated_file_from_excel(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("id\tfamily_name\n1\tКим\n\n2\t리\n".encode("utf-16"))
    with open_table(path) as table:
        assert (table.encoding, table.delimiter, table.header) == (
            "utf-16",
            "\t",
            ["id", "family_name"],
        )
        assert list(table.rows) == [(2, ["1", "Ким"]), (4, ["2", "리"])]


def test_it_reads_an_xlsx_file(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx_bytes(["id", "family_name"], [[1, "Пак"]]))
    with open_table(path) as table:
        assert table.kind == "xlsx"
        assert list(table.rows) == [(2, ["1", "Пак"])]


def test_it_names_the_row_where_a_quote_is_left_open(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text('id,family_name\n1,Kim\n2,"Pak\n', encoding="utf-8")
    with open_table(path) as table, pytest.raises(TableError) as caught:
        list(table.rows)
    assert caught.value.row == 3


def test_it_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(TableError, match="empty"):
        open_table(path)


def test_it_refuses_a_truncated_xlsx(tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(xlsx_bytes(["id"], [[1]])[:200])
    with pytest.raises(TableError, match="damaged or truncated"):
        open_table(path)


def _xlsx_with_sheet_padding(padding: int) -> bytes:
    """A valid XLSX whose sheet carries `padding` bytes of an XML comment: it compresses a
    thousandfold, as a zip bomb does, and still opens in a spreadsheet."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(["id", "name"], [["1", "Kim"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                head, sep, rest = data.partition(b"<sheetData>")
                data = head + b"<!--" + b"0" * padding + b"-->" + sep + rest
            bomb.writestr(member.filename, data)
    return out.getvalue()


def test_it_refuses_an_xlsx_that_unpacks_a_thousandfold_as_a_zip_bomb(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_xlsx_with_sheet_padding(30 * 1024 * 1024))
    assert path.stat().st_size < 100 * 1024
    with pytest.raises(TableError, match=r"xl/worksheets/sheet1.xml unpacks \d+-fold.*zip bomb"):
        open_table(path)


def test_it_refuses_an_xlsx_that_would_unpack_past_the_total_limit():
    data = _xlsx_with_sheet_padding(2 * 1024 * 1024)
    with pytest.raises(TableError, match="would unpack to 2 MB, more than the 1 MB allowed"):
        xlsx_bomb_check(io.BytesIO(data), max_uncompressed=1024 * 1024, max_ratio=10_000)


def test_an_ordinary_xlsx_passes_the_zip_bomb_check():
    rows = [[f"A-{n}", "Kim", "Chol Su", "1999-03-01", "KP", "Unit 7"] for n in range(20_000)]
    header = ["id", "family_name", "given_name", "birth_date", "nationality", "unit"]
    data = xlsx_bytes(header, rows)
    with open_table(data) as table:
        assert table.header[0] == "id" and sum(1 for _ in table.rows) == 20_000


def test_it_reads_a_csv_from_memory_as_from_a_file():
    with open_table("id,name\n1,Коваленко\n".encode("cp1251")) as table:
        assert table.encoding == "cp1251" and list(table.rows) == [(2, ["1", "Коваленко"])]
    with open_table("id\tname\n1\tKim\n".encode("utf-16")) as table:
        assert list(table.rows) == [(2, ["1", "Kim"])]
