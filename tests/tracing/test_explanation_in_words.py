"""A candidate's reasons in words: each level said plainly by its weight, stored in the engine's
words and read in the reader's language."""

import pytest
from django.utils import translation

from safepassage.tracing import selectors, services
from tests.tracing.tracing_data import brother_request, register_kuznetsov


def _reason(level: str, weight: float):
    item = {"field": "birth_date", "left": "1995", "right": "1995-03-14", "level": level}
    return selectors.explanation_in_words([item | {"weight": weight}])[0]


def test_a_strong_date_whose_month_is_unknown_on_one_side_reads_as_evidence_not_as_nothing():
    reason = _reason("same year; the month is not known on one side", 4.6)
    assert reason.words == "agree: strong evidence it is him" and reason.supports


def test_a_field_not_known_on_one_side_says_nothing():
    assert _reason("not known on one side", 0.0).words == "not known on one side: says nothing"


@pytest.mark.django_db
def test_levels_are_stored_in_the_engines_words_and_read_in_the_readers_language(people):
    register_kuznetsov(people.registrar, year=1995)
    request = brother_request(people.interviewer)
    with translation.override("ko"):  # the reviewer searches in Korean
        candidate = services.tracing_request_search(actor=people.interviewer, request=request)[0]
    stored = {item["field"]: item["level"] for item in candidate.explanation}
    assert stored["birth_date"] == "two or three years apart (an age guessed)"
    with translation.override("uk"):  # a colleague reads in Ukrainian
        reasons = {r.field: r for r in selectors.explanation_in_words(candidate.explanation)}
    assert reasons["birth_date"].level == "різниця у два-три роки (вік названо приблизно)"
    assert reasons["birth_date"].words == "різняться: певне свідчення проти"
