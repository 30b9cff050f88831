"""`safepassage exchange plan`: offline from two lists, an exact plan, clear errors, no partial
output."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "id,category,priority,seriously_wounded,fit_to_travel,destination,refused_destinations\n"


def write(path, rows: str):
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def read(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def lists(tmp_path):
    ours = write(tmp_path / "ours.csv", "A1,officer,5,1,1,RU,\nA2,conscript,3,0,1,RU,RU;KP\n"
                 "A3,conscript,1,0,0,RU,\nA4,conscript,9,false,true,RU,\n")  # fmt: skip
    theirs = write(tmp_path / "theirs.csv", "B1,conscript,2,0,1,UA,\nB2,officer,4,true,1,UA,\n")
    return ours, theirs, tmp_path


def run(*args):
    out = io.StringIO()
    call_command("exchange", "plan", *map(str, args), stdout=out)
    return out.getvalue()


def test_it_writes_the_plan_and_the_exclusions_with_reasons(lists):
    ours, theirs, tmp = lists
    text = run(ours, theirs, "--ratio", "1:1", "--max", "2", "--out", tmp / "plan.csv")
    assert "proven optimal" in text
    chosen = {(r["side"], r["id"]) for r in read(tmp / "plan.csv")}
    # Both seriously wounded first, then the highest priority: A4 over nothing else.
    assert chosen == {("ours", "A1"), ("ours", "A4"), ("theirs", "B1"), ("theirs", "B2")}
    excluded = {(r["id"], r["reason"]) for r in read(tmp / "plan.excluded.csv")}
    assert excluded == {("A2", "refused_destination"), ("A3", "medically_unfit")}


def test_it_never_plans_a_man_through_a_transit_state_he_refused(lists):
    ours, theirs, tmp = lists
    run(ours, theirs, "--transit", "KP", "--out", tmp / "plan.csv")
    assert ("A2", "refused_destination") in {
        (r["id"], r["reason"]) for r in read(tmp / "plan.excluded.csv")
    }
    write(ours, "A1,officer,5,1,1,RU,BY\n")
    run(ours, theirs, "--transit", "BY", "--out", tmp / "plan.csv")
    assert read(tmp / "plan.excluded.csv")[0]["reason"] == "transit_risk"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A1,officer,x,1,1,RU,\n", "ours.csv row 2, field priority"),
        ("A1,officer,1,maybe,1,RU,\n", "ours.csv row 2, field seriously_wounded"),
        ("A1,officer,1,1,1,Russia,\n", "ours.csv row 2, field destination"),
        ("A1,officer,1,1,1,RU,RU;XX\n", "ours.csv row 2, field refused_destinations"),
        ("A1,officer,1,1,1,RU,\nA1,officer,1,1,1,RU,\n", "ours.csv row 3, field id"),
        (",officer,1,1,1,RU,\n", "ours.csv row 2, field id"),
    ],
)
def test_it_names_the_row_and_field_of_bad_input_and_writes_nothing(lists, row, message):
    ours, theirs, tmp = lists
    write(ours, row)
    with pytest.raises(CommandError, match=message) as caught:
        run(ours, theirs, "--out", tmp / "new.csv")
    assert caught.value.returncode == 2
    assert not (tmp / "new.csv").exists() and not (tmp / "new.excluded.csv").exists()


def test_it_names_a_missing_column(lists):
    ours, theirs, tmp = lists
    ours.write_text("id,category\nA1,officer\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lacks priority"):
        run(ours, theirs, "--out", tmp / "new.csv")


def test_the_console_exits_2_without_a_traceback(lists):
    import subprocess
    import sys

    ours, theirs, tmp = lists
    write(ours, "A1,officer,x,1,1,RU,\n")
    done = subprocess.run(  # noqa: S603 (our own interpreter and paths)
        [sys.executable, "-m", "safepassage.cli", "exchange", "plan", str(ours), str(theirs),
         "--out", str(tmp / "p.csv")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "field priority" in done.stderr


def test_its_help_states_the_objective():
    from safepassage.exchanges.management.commands.exchange import PLAN_HELP

    assert "then the most persons exchanged" in PLAN_HELP
    assert "seriously wounded or sick" in PLAN_HELP


def test_the_direct_repatriation_column_plans_him_whatever_the_ratio_and_the_maximum(tmp_path):
    header = HEADER.strip() + ",direct_repatriation\n"
    ours = tmp_path / "ours.csv"
    ours.write_text(header + "A1,wounded,0,1,1,RU,,1\nA2,conscript,0,0,1,RU,,0\n"
                    "A3,wounded,0,1,0,RU,,1\n", encoding="utf-8")  # fmt: skip
    theirs = write(tmp_path / "theirs.csv", "B1,conscript,0,0,1,UA,\n")
    run(ours, theirs, "--ratio", "1:1", "--max", "1", "--out", tmp_path / "plan.csv")
    chosen = {(r["side"], r["id"]) for r in read(tmp_path / "plan.csv")}
    assert chosen == {("ours", "A1"), ("ours", "A2"), ("theirs", "B1")}
    # Unfit to travel, he stays, on the track or not.
    assert ("A3", "medically_unfit") in {
        (r["id"], r["reason"]) for r in read(tmp_path / "plan.excluded.csv")
    }


def test_a_direct_repatriation_cell_that_is_not_a_boolean_is_named(tmp_path):
    ours = tmp_path / "ours.csv"
    ours.write_text(HEADER.strip() + ",direct_repatriation\nA1,wounded,0,1,1,RU,,yes\n",
                    encoding="utf-8")  # fmt: skip
    theirs = write(tmp_path / "theirs.csv", "B1,conscript,0,0,1,UA,\n")
    with pytest.raises(CommandError, match="ours.csv row 2, field direct_repatriation"):
        run(ours, theirs, "--out", tmp_path / "plan.csv")


def test_the_help_says_what_the_direct_repatriation_column_means():
    from safepassage.exchanges.management.commands.exchange import PLAN_HELP

    assert "direct_repatriation" in PLAN_HELP and "whatever the ratio" in PLAN_HELP
