"""The second factor: TOTP apps, WebAuthn security keys and passkeys, recovery codes.

django-allauth's MFA does the protocol work; this module decides what safepassage needs of it:
secrets sealed with the field-encryption keys (a stolen database must not yield anyone's TOTP
seed), and no account that must use MFA can remove its last factor.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from safepassage.crypto.keys import keyring
from safepassage.lib.crypto import open_sealed, seal

# Associated data of sealed MFA secrets: a value copied into another column does not open.
SEALED_CONTEXT = "mfa_authenticator.data"
# Factors that stand on their own; recovery codes only stand in for a lost one.
PRIMARY_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal(keyring(), text, SEALED_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        return open_sealed(keyring(), encrypted_text, SEALED_CONTEXT)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        user = authenticator.user
        if not user.mfa_required or authenticator.type not in PRIMARY_TYPES:
            return True
        others = Authenticator.objects.filter(user=user, type__in=PRIMARY_TYPES).exclude(
            pk=authenticator.pk
        )
        return others.exists()


def mfa_enrolled(user) -> bool:
    """Whether `user` has a factor of his own (an authenticator app or a security key)."""
    return Authenticator.objects.filter(user=user, type__in=PRIMARY_TYPES).exists()


def sealed_secrets(authenticator: Authenticator) -> dict[str, str]:
    """The sealed values inside an authenticator's data, by key (for key rotation)."""
    data = authenticator.data or {}
    return {key: data[key] for key in ("secret", "seed") if isinstance(data.get(key), str)}
