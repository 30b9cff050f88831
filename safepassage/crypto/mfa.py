"""Second-factor secrets sealed with the field-encryption keys, inside allauth's JSON: a stolen
database must not yield anyone's TOTP seed. `accounts.mfa` seals and opens them for allauth;
key rotation (`crypto.services`) finds and reseals them here."""

from allauth.mfa.models import Authenticator

from safepassage.crypto.keys import keyring
from safepassage.lib.crypto import open_sealed, seal

# Associated data of sealed MFA secrets: a value copied into another column does not open.
SEALED_CONTEXT = "mfa_authenticator.data"


def mfa_secret_seal(text: str) -> str:
    return seal(keyring(), text, SEALED_CONTEXT)


def mfa_secret_open(token: str) -> str:
    return open_sealed(keyring(), token, SEALED_CONTEXT)


def sealed_secrets(authenticator: Authenticator) -> dict[str, str]:
    """The sealed values inside an authenticator's data, by key (for key rotation)."""
    data = authenticator.data or {}
    return {key: data[key] for key in ("secret", "seed") if isinstance(data.get(key), str)}
