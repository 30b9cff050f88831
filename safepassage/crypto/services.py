"""Key rotation: add a key, rewrite every encrypted value under it, drop keys no value uses.

Rewrites go through `QuerySet.update()`, row by row (each value opened and sealed again for its
own row: `table.column#pk`), in batches of their own transactions: the
application keeps running (a value not yet rewritten still opens with its old key), `version`
and `updated_at` do not move, and no audit events are written per row. There is no model
instance a rotation is "about", so it writes no audit event either; the command's output and
`keys status` are its record.
"""

from collections import Counter
from collections.abc import Iterator

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import connection, models, transaction

from safepassage.crypto.fields import EncryptedTextField
from safepassage.crypto.keys import key_id_new, keyring, keyring_save
from safepassage.crypto.mfa import SEALED_CONTEXT, mfa_secret_open, mfa_secret_seal, sealed_secrets
from safepassage.lib.crypto import (
    CryptoError,
    KeyringError,
    key_generate,
    key_id_of,
)

UNREADABLE = "(not an encrypted value)"


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every model with encrypted fields, and those fields."""
    for model in apps.get_models():
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


def _raw_rows(model, fields, *, after, limit, lock: bool) -> list[tuple]:
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    columns = ", ".join(quote(f.column) for f in fields)
    where, params = ("", []) if after is None else (f"WHERE {pk} > %s", [after])
    sql = f"SELECT {pk}, {columns} FROM {quote(model._meta.db_table)} {where} ORDER BY {pk}"  # noqa: S608 - quoted model names, no input
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _mfa_sealed(*, lock: bool = False) -> Iterator[tuple[Authenticator, str, str]]:
    """The second-factor secrets sealed inside allauth's JSON (TOTP secret, recovery seed)."""
    authenticators = Authenticator.objects.order_by("pk")
    if lock:
        authenticators = authenticators.select_for_update()
    for authenticator in authenticators:
        for key, token in sealed_secrets(authenticator).items():
            yield authenticator, key, token


def _mfa_reencrypt(rewritten: Counter) -> None:
    # Few rows (one or two per user): one transaction.
    with transaction.atomic():
        current = keyring().current_id
        for authenticator, key, token in _mfa_sealed(lock=True):
            if key_id_of(token) != current:
                data = {**authenticator.data, key: mfa_secret_seal(mfa_secret_open(token))}
                Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                authenticator.data = data
                rewritten[SEALED_CONTEXT] += 1


def keys_usage() -> Counter:
    """How many stored values each key id still seals (empty values need no key)."""
    usage: Counter = Counter()
    for _authenticator, _key, token in _mfa_sealed():
        try:
            usage[key_id_of(token)] += 1
        except CryptoError:
            usage[UNREADABLE] += 1
    for model, fields in encrypted_columns():
        for _pk, *values in _raw_rows(model, fields, after=None, limit=None, lock=False):
            for value in values:
                if value:
                    try:
                        usage[key_id_of(value)] += 1
                    except CryptoError:
                        usage[UNREADABLE] += 1
    return usage


def key_add() -> str:
    """Generate a key and make it current in the key file; running processes pick it up."""
    ring = keyring()
    key_id = key_id_new()
    keyring_save(ring.with_new_current(key_id, key_generate()))
    return key_id


def values_reencrypt(*, batch_size: int = 500) -> Counter:
    """Rewrite every value not sealed under the current key; counts per `table.column`."""
    rewritten: Counter = Counter()
    for model, fields in encrypted_columns():
        after = None
        while True:
            with transaction.atomic():
                rows = _raw_rows(model, fields, after=after, limit=batch_size, lock=True)
                if not rows:
                    break
                current = keyring().current_id
                for pk, *values in rows:
                    changes = {}
                    for field, value in zip(fields, values, strict=True):
                        if value and key_id_of(value) != current:
                            plain = field.open(value, pk)
                            changes[field.attname] = field.sealed_for_row(plain, pk)
                            rewritten[field.context] += 1
                    if changes:
                        # update(), not save(): no version bump, no auto_now, no audit per row.
                        model._base_manager.filter(pk=pk).update(**changes)
                after = rows[-1][0]
    _mfa_reencrypt(rewritten)
    return rewritten


def keys_rotate(*, new_key: bool = True, batch_size: int = 500) -> tuple[str, Counter]:
    """Add a new current key (unless the operator already put one first), then re-encrypt."""
    key_id = key_add() if new_key else keyring().current_id
    return key_id, values_reencrypt(batch_size=batch_size)


def key_drop(*, key_id: str) -> None:
    """Remove a key from the key file; refused while it is current or any value needs it."""
    ring = keyring()
    if key_id not in ring.ids:
        raise KeyringError(f"There is no key {key_id!r}; the keys are {', '.join(ring.ids)}.")
    if key_id == ring.current_id:
        raise KeyringError(f"Key {key_id!r} is current; rotate to a new key first.")
    in_use = keys_usage()[key_id]
    if in_use:
        raise KeyringError(
            f"Key {key_id!r} still encrypts {in_use} value(s); run `safepassage keys rotate "
            "--no-new-key` first."
        )
    keyring_save(ring.without(key_id))
