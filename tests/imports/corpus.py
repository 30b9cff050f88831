"""The bad-input corpus (issue 8) and the valid files in the encodings lists come in."""

import datetime

from safepassage.lib.spreadsheet import xlsx_bytes

HEADER = (
    "id,family_name,given_name,full_name,birth_date,birth_place,nationality,unit,service_number"
)


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def future() -> str:
    return (datetime.datetime.now(tz=datetime.UTC).date() + datetime.timedelta(days=30)).isoformat()


VALID_CP949 = csv_text(
    "kp-1,김,철수,,1999-03-01,평양,KP,제1보병,12-345",
    "kp-2,리,영호,,15.06.2000,함흥,KP,제1보병,12-346",
    "kp-3,,,박명수,2001년 2월 3일,,KP,,",
)
VALID_CP1251 = csv_text(
    "ru-1,Коваленко,Олександр,,01.02.1990,Київ,UA,,",
    "ru-2,Іваненко,Ґанна Їжакова,,1991-12-31,Житомир,UA,,",
    "ru-3,Ковалёв,Сергей,,1992,Москва,RU,,",
    header="id;family_name;given_name;full_name;birth_date;birth_place;nationality;unit;service_number",
).replace(",", ";")

# name → (bytes, suffix, row, words the report must contain)
BAD = {
    "empty": (b"", ".csv", 1, "empty"),
    "only_whitespace": (b"\r\n  \r\n", ".csv", 1, "empty"),
    "header_only": (csv_text().encode(), ".csv", 2, "no data rows"),
    "truncated_quote": (
        (csv_text("1,Kim,Chol Su,,1999-01-01,,KP,,") + '2,"Pak,Myong').encode(),
        ".csv",
        3,
        "truncated",
    ),
    "truncated_row": (
        (csv_text("1,Kim,Chol Su,,1999-01-01,,KP,,") + "2,Pak,My").encode(),
        ".csv",
        3,
        "cells where the header has",
    ),
    "binary_renamed": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        ".csv",
        None,
        "binary",
    ),
    "zip_renamed": (b"PK\x03\x04" + b"\x00" * 60, ".csv", None, "damaged"),
    "wrong_encoding": (
        # A UTF-8 file whose second row was pasted in from a CP1251 one.
        csv_text("1,Kim,Chol Su,,1999-01-01,,KP,,").encode()
        + "2,Коваленко,Іван,,1999-01-01,,UA,,\n".encode("cp1251"),
        ".csv",
        3,
        "not valid",
    ),
    "formula": (
        csv_text('1,"=HYPERLINK(""http://x"")",Chol,,1999-01-01,,KP,,').encode(),
        ".csv",
        2,
        "formula",
    ),
    "formula_plus": (
        csv_text("1,Kim,+cmd|' /C calc'!A0,,1999-01-01,,KP,,").encode(),
        ".csv",
        2,
        "formula",
    ),
    "long_cell": (
        csv_text("1,Kim," + "A" * 10_000 + ",,1999-01-01,,KP,,").encode(),
        ".csv",
        2,
        "10000 characters",
    ),
    "duplicate_ids": (
        csv_text("7,Kim,Chol Su,,1999-01-01,,KP,,", "7,Pak,Myong,,1999-01-01,,KP,,").encode(),
        ".csv",
        3,
        "already used by row 2",
    ),
    "impossible_date": (
        csv_text("1,Kim,Chol Su,,2025-02-30,,KP,,").encode(),
        ".csv",
        2,
        "not a date",
    ),
    "impossible_month": (csv_text("1,Kim,Chol Su,,31.13.1999,,KP,,").encode(), ".csv", 2, "month"),
    "future_birth": (csv_text(f"1,Kim,Chol Su,,{future()},,KP,,").encode(), ".csv", 2, "future"),
    "future_capture": (
        csv_text(
            f"1,Kim,Chol Su,1999-01-01,{future()}",
            header="id,family_name,given_name,birth_date,capture_date",
        ).encode(),
        ".csv",
        2,
        "future",
    ),
    "missing_columns": (b"name,born\nKim,1999\n", ".csv", 1, "required columns are missing"),
    "mixed_scripts": (csv_text("1,Kовальов,Сергій,,1999-01-01,,UA,,").encode(), ".csv", 2, "mixes"),
    "no_name": (csv_text("1,,,,1999-01-01,,KP,,").encode(), ".csv", 2, "no name"),
    "no_id": (csv_text(",Kim,Chol Su,,1999-01-01,,KP,,").encode(), ".csv", 2, "no id"),
    "unknown_country": (
        csv_text("1,Kim,Chol Su,,1999-01-01,,Atlantis,,").encode(),
        ".csv",
        2,
        "not a country",
    ),
    "two_digit_year": (
        csv_text("1,Kim,Chol Su,,01.02.99,,KP,,").encode(),
        ".csv",
        2,
        "two-digit year",
    ),
    "control_characters": (
        csv_text("1,Kim\x07,Chol Su,,1999-01-01,,KP,,").encode(),
        ".csv",
        2,
        "control",
    ),
    "truncated_xlsx": (xlsx_bytes(["id"], [[1]])[:300], ".xlsx", None, "damaged or truncated"),
    "utf16_cut_in_a_character": (
        csv_text("1,Kim,Chol Su,,1999-01-01,,KP,,", "2,Pak,Myong,,,,KP,,").encode("utf-16")[:-1],
        ".csv",
        3,
        "not valid",
    ),
    "formula_at": (csv_text("1,Kim,@SUM(A1),,1999-01-01,,KP,,").encode(), ".csv", 2, "formula"),
    "mixed_hangul_latin": (csv_text("1,Kim철수,,,1999-01-01,,KP,,").encode(), ".csv", 2, "mixes"),
    "xlsx_impossible_date": (
        xlsx_bytes(
            HEADER.split(","), [["1", "Kim", "Chol Su", "", "2025-02-30", "", "KP", "", ""]]
        ),
        ".xlsx",
        2,
        "not a date",
    ),
    "xlsx_missing_columns": (
        xlsx_bytes(["name", "born"], [["Kim", "1999"]]),
        ".xlsx",
        1,
        "required columns are missing",
    ),
}
