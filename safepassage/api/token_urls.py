"""The API tokens page, at /settings/api-tokens/ (the API itself is `api/urls.py`)."""

from django.urls import path

from safepassage.api import tokens

app_name = "tokens"

urlpatterns = [
    path("settings/api-tokens/", tokens.api_tokens, name="api_tokens"),
]
