"""Migration `crypto/0001`: values sealed for their column alone are resealed for their row."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from safepassage.cases.models import WillExpression
from safepassage.crypto.keys import keyring
from safepassage.lib.crypto import CryptoError, open_sealed, seal
from tests.factories import record_will, register

migration = importlib.import_module("safepassage.crypto.migrations.0001_bind_values_to_rows")
EDITOR = SimpleNamespace(connection=connection)


def _column_sealed(will: WillExpression, text: str) -> None:
    """The statement as the migrations before row binding left it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_willexpression SET statement = %s WHERE id = %s",
            [seal(keyring(), text, "cases_willexpression.statement"), will.pk],
        )


def _stored(will: WillExpression) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM cases_willexpression WHERE id = %s", [will.pk])
        return cursor.fetchone()[0]


def test_a_value_sealed_for_its_column_alone_no_longer_opens(people):
    will = record_will(people.interviewer, register(people.registrar))
    _column_sealed(will, "Sealed before the upgrade.")
    with pytest.raises(CryptoError, match=f"cases_willexpression.statement#{will.pk}"):
        WillExpression.objects.get(pk=will.pk)


def test_the_migration_reseals_every_value_for_its_row_and_back(people):
    will = record_will(people.interviewer, register(people.registrar))
    _column_sealed(will, "Sealed before the upgrade.")

    migration.forwards(None, EDITOR)
    assert WillExpression.objects.get(pk=will.pk).statement == "Sealed before the upgrade."

    migration.backwards(None, EDITOR)
    assert open_sealed(keyring(), _stored(will), "cases_willexpression.statement") == (
        "Sealed before the upgrade."
    )
