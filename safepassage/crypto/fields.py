"""`EncryptedTextField`: text sealed with AES-256-GCM before it reaches the database.

The stored value is base64 (`safepassage.lib.crypto`), bound to its table and column. The empty
string stays empty, unencrypted: the will check constraint tests `present = ''`, and
whether a field is filled is not the secret (what it says is). NULL stays NULL.

Ciphertexts are random, so the database cannot compare them: the only lookups are `isnull` and
`exact` against the empty string. Equality search would need a blind index (an HMAC of the value
under a separate key in its own column, docs/security-model.md); none is needed yet.
"""

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from safepassage.crypto.keys import keyring
from safepassage.lib.crypto import open_sealed, seal


class EmptyOnlyExact(Exact):
    """`field=""` works; equality with any other value cannot, the values being encrypted."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with ''."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    description = "Text encrypted with AES-256-GCM"

    def __init__(self, *args, multiline: bool = True, **kwargs):
        # A single-line field (who was present, the interpreter) keeps a one-line form input.
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if not self.multiline:
            kwargs["multiline"] = False
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        """The associated data: a value sealed for one column does not open in another."""
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return open_sealed(keyring(), value, self.context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return seal(keyring(), value, self.context)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def formfield(self, **kwargs):
        if self.multiline:
            return super().formfield(**kwargs)
        return models.Field.formfield(
            self, **{"max_length": self.max_length, "form_class": forms.CharField, **kwargs}
        )
