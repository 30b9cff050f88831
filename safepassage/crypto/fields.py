"""`EncryptedTextField`: text sealed with AES-256-GCM before it reaches the database.

The stored value is base64 (`safepassage.lib.crypto`), bound to its table, column and row: the
associated data is `table.column#pk`, so a ciphertext moved to another row (two persons'
statements swapped) or another column fails to open, with an error naming the row. The empty
string stays empty, unencrypted: the will check constraint tests `present = ''`, and whether a
field is filled is not the secret (what it says is). NULL stays NULL.

The row must have its primary key before a value is sealed. `save()` of a new instance reserves
one first (`lib.ids.ids_reserve`, the bulk import's own reservation: a sequence on PostgreSQL, past
AUTOINCREMENT's largest on SQLite); `bulk_create` and the bulk import give the ids themselves.
A loaded value is opened as its instance is built, with the instance's primary key (the database
hands the field no row, hence `post_init`, as Django's `ImageField` does), so `values()` and
`values_list()` of an encrypted column give an unopened value that refuses to be used.
`QuerySet.update()` can only empty such a column; `sealed_for_row` gives what it can write.

Ciphertexts are random, so the database cannot compare them: the only lookups are `isnull` and
`exact` against the empty string. Equality search would need a blind index (an HMAC of the value
under a separate key in its own column, docs/security-model.md); none is needed yet.
"""

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact
from django.db.models.signals import post_init, pre_save

from safepassage.crypto.keys import keyring
from safepassage.lib.crypto import CryptoError, open_sealed, seal
from safepassage.lib.ids import ids_reserve


def row_context(table: str, column: str, pk) -> str:
    """The associated data of a value in one row: `cases_willexpression.statement#7`."""
    return f"{table}.{column}#{pk}"


class Sealed:
    """A value as the database holds it (base64 ciphertext): opened through its row only."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def _refuse(self, *args):
        raise CryptoError(
            "An encrypted value is bound to its row: read it through its model instance, "
            "not values() or values_list()."
        )

    __str__ = __eq__ = __len__ = __iter__ = _refuse
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "<sealed value>"


def _values_open(sender, instance, **kwargs):
    """A loaded row's values are opened with its primary key as it is built: a value moved
    from another row fails here, loudly, before anything reads it."""
    for field in sender._meta.concrete_fields:
        if not isinstance(field, EncryptedTextField):
            continue
        value = instance.__dict__.get(field.attname)
        if isinstance(value, Sealed):
            if instance.pk is None:
                raise CryptoError(
                    f"{field.context}: an encrypted value cannot be opened without its row."
                )
            instance.__dict__[field.attname] = field.open(value.token, instance.pk)


class EmptyOnlyExact(Exact):
    """`field=""` works; equality with any other value cannot, the values being encrypted."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with ''."
            )
        return super().get_prep_lookup()


def _pk_reserve(sender, instance, raw=False, **kwargs):
    """A new row with an encrypted value gets its primary key before its values are sealed."""
    if raw or instance.pk is not None:
        return
    fields = [f for f in sender._meta.concrete_fields if isinstance(f, EncryptedTextField)]
    if any(instance.__dict__.get(f.attname) not in (None, "") for f in fields):
        (instance.pk,) = ids_reserve(sender, 1)


class EncryptedTextField(models.TextField):
    description = "Text encrypted with AES-256-GCM"

    def __init__(self, *args, multiline: bool = True, **kwargs):
        # A single-line field (who was present, the interpreter) keeps a one-line form input.
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            label = cls._meta.label
            pre_save.connect(_pk_reserve, sender=cls, dispatch_uid=f"pk_reserve.{label}")
            post_init.connect(_values_open, sender=cls, dispatch_uid=f"values_open.{label}")

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if not self.multiline:
            kwargs["multiline"] = False
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        """The table and column, as errors name them."""
        return f"{self.model._meta.db_table}.{self.column}"

    def row_context(self, pk) -> str:
        return row_context(self.model._meta.db_table, self.column, pk)

    def open(self, token: str, pk) -> str:
        return open_sealed(keyring(), token, self.row_context(pk))

    def sealed_for_row(self, plaintext: str, pk) -> Sealed | str:
        """The value to store for `plaintext` in row `pk` (for `QuerySet.update()`)."""
        if plaintext == "":
            return plaintext
        return Sealed(seal(keyring(), plaintext, self.row_context(pk)))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return Sealed(value)

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value is None or value == "" or isinstance(value, Sealed):
            return value
        if model_instance.pk is None:
            raise CryptoError(
                f"{self.context}: a new row needs its primary key before its value is sealed "
                "(save() reserves one; give bulk inserts ids from lib.ids.ids_reserve)."
            )
        return self.sealed_for_row(str(value), model_instance.pk)

    def get_prep_value(self, value):
        if isinstance(value, Sealed):
            return value.token
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        raise CryptoError(
            f"{self.context}: an encrypted value is sealed for its row when the instance is "
            "saved; QuerySet.update() takes field.sealed_for_row(value, pk) or ''."
        )

    def value_to_string(self, obj):
        return self.value_from_object(obj)

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
