"""The second factor: TOTP apps, WebAuthn security keys and passkeys, recovery codes.

django-allauth's MFA does the protocol work; this module decides what safepassage needs of it:
secrets sealed with the field-encryption keys (`crypto.mfa`: a stolen database must not yield
anyone's TOTP seed), and no account that must use MFA can remove its last factor.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from safepassage.crypto.mfa import mfa_secret_open, mfa_secret_seal

# Factors that stand on their own; recovery codes only stand in for a lost one.
PRIMARY_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return mfa_secret_seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secret_open(encrypted_text)

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
