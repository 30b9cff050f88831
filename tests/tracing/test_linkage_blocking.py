"""Candidate pairs (linkage/model.py, BLOCKING_COLUMNS and the broad rules a run can afford):
a man whose names are mistyped on both lists is still scored when his date meets."""

from safepassage.tracing.linkage import LinkRecord, link


def test_names_mistyped_on_both_sides_are_still_scored_when_year_and_month_meet():
    left = [LinkRecord(id="L1", family_name="Андрев", given_name="Дниил", birth_date="1975-05")]
    right = [
        LinkRecord(id="R1", family_name="Andreyev", given_name="Danil", birth_date="1975-05-14"),
        LinkRecord(id="R2", family_name="Petrenko", given_name="Egor", birth_date="1990-01-02"),
    ]
    pairs = list(link(left, right, threshold=1e-9, one_to_one=False))
    assert [(a, b) for a, b, _ in pairs] == [("L1", "R1")]
