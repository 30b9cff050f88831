"""Signals of the accounts app, for other apps to follow without accounts importing them."""

from django.dispatch import Signal

# Sent after a user's new password is saved, by any path (allauth's page, `changepassword`,
# a service); not for a new account, nor when Django upgrades the hash of the same password.
# Arguments: user.
password_changed = Signal()

# Sent inside the transaction that disables an account, so that what ends with it (his API
# tokens) ends in the same commit. Arguments: user, actor (None: the console).
user_disabled = Signal()

# Sent inside the transaction that removed every second factor of an account (an
# administrator's reset). Arguments: user, actor.
second_factors_reset = Signal()
