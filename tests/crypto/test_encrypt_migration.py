"""Upgrading a database with plaintext rows: the migrations encrypt them in place, leave no
plaintext in the SQLite file, and decrypt them again when migrated backwards."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_FIELD_KEYS

ROOT = Path(__file__).resolve().parents[2]
SAFEPASSAGE = Path(sys.executable).parent / "safepassage"

OLD = {
    ("registry_person", "next_of_kin"): "MRK-OLD-NEXTOFKIN",
    ("cases_willexpression", "statement"): "MRK-OLD-STATEMENT",
    ("cases_willexpression", "present"): "MRK-OLD-PRESENT",
    ("cases_willexpression", "interpreter"): "MRK-OLD-INTERPRETER",
    ("cases_willexpression", "withdrawn_reason"): "MRK-OLD-WITHDRAWN",
    ("cases_riskassessment", "basis"): "MRK-OLD-BASIS",
}
WILLS = 300  # enough rows to span many pages


def _insert(db: sqlite3.Connection, table: str, **given) -> None:
    """A row with every NOT NULL column filled: the given values, markers, or a neutral value."""
    values = {}
    for _cid, name, kind, notnull, default, pk in db.execute(f"PRAGMA table_info({table})"):
        if pk or not notnull or default is not None:
            continue
        kind = kind.lower()
        if name in given:
            values[name] = given[name]
        elif (table, name) in OLD:
            values[name] = OLD[(table, name)]
        elif name.endswith("_id"):
            values[name] = 1
        elif kind.startswith("datetime"):
            values[name] = "2025-01-01 00:00:00"
        elif kind.startswith("date"):
            values[name] = "2025-01-01"
        elif kind.startswith(("bool", "integer", "smallint", "bigint")):
            values[name] = 0
        else:
            values[name] = ""
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))  # noqa: S608


def _seed(path: Path) -> None:
    db = sqlite3.connect(path)
    _insert(db, "accounts_organisation", name="Bureau", kind="detaining_power", country="UA")
    _insert(db, "accounts_user", username="alice")
    _insert(db, "registry_person", registry_number="UA-2025-000001",
            birth_date_precision="exact", health_status="healthy", sex="male")  # fmt: skip
    for _ in range(WILLS):
        _insert(db, "cases_willexpression", source="official_interview", setting="witnessed",
                wish="undecided", certainty=50)  # fmt: skip
    _insert(db, "cases_riskassessment", country="KR", persecution_risk="low",
            onward_transfer_risk="low")  # fmt: skip
    db.commit()
    db.close()


def _raw(path: Path) -> dict[tuple[str, str], set[str]]:
    db = sqlite3.connect(path)
    try:
        return {
            (t, c): {row[0] for row in db.execute(f"SELECT {c} FROM {t}")}  # noqa: S608
            for t, c in OLD
        }
    finally:
        db.close()


def test_the_migrations_encrypt_existing_rows_and_leave_no_plaintext(tmp_path):
    database = tmp_path / "safepassage.sqlite3"
    env = {**os.environ, "SAFEPASSAGE_VAR_DIR": str(tmp_path / "var"),
           "DATABASE_URL": f"sqlite:///{database}", "SAFEPASSAGE_FIELD_KEYS": TEST_FIELD_KEYS,
           "DJANGO_SETTINGS_MODULE": "safepassage.settings"}  # fmt: skip

    def safepassage(*args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own console script
            [str(SAFEPASSAGE), *args], capture_output=True, text=True, env=env, cwd=ROOT,
            timeout=180, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    safepassage("migrate", "registry", "0001", "-v0")
    safepassage("migrate", "cases", "0002", "-v0")
    safepassage("migrate", "accounts", "-v0")
    _seed(database)
    assert b"MRK-OLD-STATEMENT" in database.read_bytes()

    safepassage("migrate", "-v0")
    data = database.read_bytes()
    assert [m for m in OLD.values() if m.encode() in data] == []
    stored = _raw(database)
    assert all(v and not v.startswith("MRK") for values in stored.values() for v in values)
    status = [line.split() for line in safepassage("keys", "status").splitlines()]
    assert ["test", "current", str(4 * WILLS + 2)] in status

    safepassage("migrate", "cases", "0002", "-v0")
    safepassage("migrate", "registry", "0001", "-v0")
    assert _raw(database) == {key: {marker} for key, marker in OLD.items()}
