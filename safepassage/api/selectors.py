"""Reads of API tokens."""

from django.db.models import QuerySet

from safepassage.api.models import ApiToken


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (live, expired and revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
