"""`safepassage link` and `safepassage dedupe` on CSVs that follow the contract (docs/linkage.md)
— and on those that do not: exit code 2, the row and field named, no traceback, no output."""

import csv

import pytest

from safepassage.cli import main

pytestmark = pytest.mark.django_db  # Django's system checks run before a command

LEFT = (
    "\ufeffid,full_name,birth_date,unit\n"  # a BOM, and only some of the columns
    "L1,Ri Kyong Chol,1998-03,Unit 325\n"  # full name only, month precision
    "L2,Кузнецов Алексей Иванович,2001,\n"  # Russian order with a patronymic, year only
    "L3,Pak Yong Nam,,\n"  # no date at all
)
RIGHT = (
    "id,family_name,given_name,full_name,birth_date,birth_place,nationality,unit,service_number\n"
    "R1,이,경철,,1998-03-11,,KR,unit 325,\n"
    "R2,Kuznietsov,Oleksii,,2001-07-02,,,,\n"
    "R3,Smith,John,,1950-01-01,,,,\n"
)


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def _run(*args) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
        raise SystemExit(0)
    return exit_info.value.code or 0


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_it_links_lists_across_scripts_with_partial_dates_and_full_names_only(tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    left, right = _write(tmp_path / "l.csv", LEFT), _write(tmp_path / "r.csv", RIGHT)
    assert _run("link", left, right, "--out", str(out), "--threshold", "0.5") == 0
    rows = _rows(out)
    assert rows[0] == ["left_id", "right_id", "probability"]
    pairs = {(a, b): float(p) for a, b, p in rows[1:]}
    assert ("L1", "R1") in pairs and ("L2", "R2") in pairs
    assert all(0.5 <= p <= 1 for p in pairs.values())
    assert not any(b == "R3" for _, b in pairs)
    captured = capsys.readouterr()
    assert "read 3 + 3 records" in captured.err and "wrote" in captured.err  # progress: stderr
    assert captured.out == ""


def test_the_threshold_keeps_only_pairs_at_or_above_it(tmp_path):
    left, right = _write(tmp_path / "l.csv", LEFT), _write(tmp_path / "r.csv", RIGHT)
    low, high = tmp_path / "low.csv", tmp_path / "high.csv"
    _run("link", left, right, "--out", str(low), "--threshold", "0.01", "--quiet")
    _run("link", left, right, "--out", str(high), "--threshold", "0.999", "--quiet")
    low_pairs, high_pairs = _rows(low)[1:], _rows(high)[1:]
    assert len(high_pairs) < len(low_pairs)
    assert all(float(p) >= 0.999 for _, _, p in high_pairs)
    assert [float(p) for _, _, p in low_pairs] == sorted(
        (float(p) for _, _, p in low_pairs), reverse=True
    )


def test_dedupe_gives_every_row_its_cluster_in_input_order(tmp_path):
    people = _write(
        tmp_path / "people.csv",
        "id,family_name,given_name,birth_date,unit\n"
        "a,리,경철,1998-03-11,325\n"
        "b,Ri,Kyong Chol,1998-03-11,325\n"
        "c,Ли,Кён Чхоль,1998-03-11,325\n"
        "d,Pak,Yong Nam,1970,\n",
    )
    out = tmp_path / "clusters.csv"
    assert _run("dedupe", people, "--out", str(out), "--quiet") == 0
    rows = _rows(out)
    assert rows[0] == ["id", "cluster_id"]
    assert rows[1:] == [["a", "a"], ["b", "a"], ["c", "a"], ["d", "d"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("family_name,given_name\nKim,Chol Su\n", "row 1: no id column"),
        ("id,family_name,birth_date\n1,Kim,1999\n2,Pak,1999-13\n", "row 3, field birth_date"),
        ("id,family_name,birth_date\n1,Kim,17.04.1999\n", "row 2, field birth_date"),
        ("id,family_name\n1,Kim\n,Pak\n", "row 3, field id: empty"),
        ("id,family_name\n1,Kim\n1,Pak\n", "row 3, field id: duplicate id '1'"),
        ("", "empty file"),
    ],
    ids=["no-id-column", "bad-month", "not-iso", "empty-id", "duplicate-id", "empty-file"],
)
def test_bad_input_is_refused_naming_the_row_and_field(tmp_path, capsys, text, expected):
    bad = _write(tmp_path / "bad.csv", text)
    good = _write(tmp_path / "good.csv", RIGHT)
    out = tmp_path / "pairs.csv"
    assert _run("link", bad, good, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert expected in err and "bad.csv" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_row(tmp_path, capsys):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("id,family_name\n1,Kim\n2,Müller\n".encode("latin-1"))
    assert _run("dedupe", str(bad), "--out", str(tmp_path / "c.csv")) == 2
    err = capsys.readouterr().err
    assert "row 3: not UTF-8" in err and "Traceback" not in err


def test_a_threshold_outside_zero_to_one_is_refused(tmp_path, capsys):
    left = _write(tmp_path / "l.csv", LEFT)
    assert _run("dedupe", left, "--out", str(tmp_path / "c.csv"), "--threshold", "1.5") == 2
    assert "a probability must be in (0, 1]" in capsys.readouterr().err


TWINS = (
    "id,family_name,given_name,birth_date,unit\n"
    "R1,리,경철,1998-03-11,unit 325\n"
    "R2,Ri,Kyong Chol,1998-03-11,unit 325\n"  # the same man written twice on the right
)


def test_a_link_pairs_each_record_at_most_once_by_default(tmp_path):
    left = _write(tmp_path / "l.csv", LEFT)
    right = _write(tmp_path / "r.csv", TWINS)
    one, every = tmp_path / "one.csv", tmp_path / "every.csv"
    _run("link", left, right, "--out", str(one), "--threshold", "0.5", "--quiet")
    _run("link", left, right, "--out", str(every), "--threshold", "0.5", "--no-one-to-one",
         "--quiet")  # fmt: skip
    assert [row[0] for row in _rows(one)[1:]] == ["L1"]
    assert sorted(row[1] for row in _rows(every)[1:]) == ["R1", "R2"]


def test_the_default_cut_is_chosen_from_the_posterior_and_said(tmp_path, capsys):
    left, right = _write(tmp_path / "l.csv", LEFT), _write(tmp_path / "r.csv", RIGHT)
    out = tmp_path / "pairs.csv"
    assert _run("link", left, right, "--out", str(out)) == 0
    said = next(line for line in capsys.readouterr().err.splitlines() if "cut at" in line)
    cut = float(said.split("cut at ")[1].split(",")[0])
    pairs = {(a, b): float(p) for a, b, p in _rows(out)[1:]}
    assert ("L1", "R1") in pairs and ("L2", "R2") in pairs
    assert all(p >= cut - 5e-4 for p in pairs.values())
