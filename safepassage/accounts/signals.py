"""Signals of the accounts app, for other apps to follow without accounts importing them."""

from django.dispatch import Signal

# Sent after a user's new password is saved, by any path (allauth's page, `changepassword`,
# a service); not for a new account, nor when Django upgrades the hash of the same password.
# Arguments: user.
password_changed = Signal()
