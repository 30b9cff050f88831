"""Tell drf-spectacular how the API authenticates (security schemes in the schema)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "safepassage.api.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "sp_<prefix>_<secret>",
            "description": "A personal API token: `safepassage api-token create USERNAME`, or "
            "the settings page /settings/api-tokens/.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "safepassage.api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The browser's login session; writes need the X-CSRFToken header.",
        }
