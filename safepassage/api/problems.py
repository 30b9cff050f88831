"""RFC 9457 problem details: one catalogue of problem types, one exception handler.

Every error of the API is `application/problem+json` with a stable `type`
(`/api/v1/problems/<slug>`), a title, the status, a detail a person can act on, and where it
helps `errors` (per field) or `violations` (the non-refoulement guard's rules).
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings

from safepassage.lib.errors import ConflictError, DomainError, NotAllowed, ReasonedRefusal

logger = logging.getLogger("safepassage.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "/api/v1/problems/"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: Promise
    description: Promise

    @property
    def uri(self) -> str:
        return PROBLEM_BASE + self.slug


_TYPES = [
    ProblemType("validation", 400, _("The request is not valid"),
                _("One or more fields are missing or wrong; `errors` names each field.")),
    ProblemType("malformed-request", 400, _("The request body cannot be read"),
                _("The body is not well-formed JSON.")),
    ProblemType("invalid-idempotency-key", 400, _("The Idempotency-Key header is not valid"),
                _("Use 1 to 200 printable ASCII characters, e.g. a UUID.")),
    ProblemType("not-authenticated", 401, _("Authentication is needed"),
                _("Send `Authorization: Bearer sp_…` with a live API token, or log in. Expired "
                  "and revoked tokens and disabled users answer this too.")),
    ProblemType("forbidden", 403, _("Not allowed"),
                _("Your organisation or role may not do this on a record you can see.")),
    ProblemType("mfa-enrolment-required", 403, _("Second factor required"),
                _("This account must enrol a second factor (an authenticator app or a security "
                  "key) in the web interface before it may use the API with a session.")),
    ProblemType("reauthentication-required", 403, _("Confirm it is you"),
                _("This action needs a password or second factor given in the last few "
                  "minutes: by your browser session or, with an API token, at the login that "
                  "created the token. Re-authenticate in the web interface (and create a new "
                  "token), then retry.")),
    ProblemType("not-found", 404, _("Not found"),
                _("No such resource, or none you may see: records outside your need to know "
                  "answer 404 so that their existence does not leak.")),
    ProblemType("method-not-allowed", 405, _("Method not allowed"),
                _("This resource does not accept this HTTP method.")),
    ProblemType("not-acceptable", 406, _("Not acceptable"),
                _("The API answers application/json and application/problem+json only.")),
    ProblemType("conflict", 409, _("Conflict with a concurrent change"),
                _("Someone else changed the record at the same moment. Read it again, check "
                  "the change and retry.")),
    ProblemType("precondition-failed", 412, _("The record changed since you read it"),
                _("The `If-Match` header does not carry the current ETag. GET the record again, "
                  "check the changes and retry with the new ETag.")),
    ProblemType("request-too-large", 413, _("The request body is too large"),
                _("Send at most the documented size (1 MiB by default).")),
    ProblemType("unsupported-media-type", 415, _("Unsupported media type"),
                _("Send the body as application/json.")),
    ProblemType("rule-refused", 422, _("Refused by a rule of the domain"),
                _("The request is well-formed but a rule refused it, e.g. a workflow step that "
                  "is not possible from the case's current state. `detail` says why.")),
    ProblemType("non-refoulement", 422, _("Refused by the non-refoulement guard"),
                _("A state on the route is not positively cleared for him: his verified will "
                  "refuses it, it is not assessed, its risks are unknown or high, or it might "
                  "send him on to a blocked state; or no verified will governs, or a later "
                  "statement contradicts it. `violations` names each rule and record (a rule of "
                  "his will reads `blocked` to a reader who may not read the will). There is no "
                  "override.")),
    ProblemType("idempotency-key-reused", 422, _("Idempotency key reused"),
                _("This Idempotency-Key was already used for a different request. Use a new key "
                  "for a new request.")),
    ProblemType("precondition-required", 428, _("If-Match is required"),
                _("Updates need the `If-Match` header with the ETag of the record as you read "
                  "it, so that nobody's change is overwritten silently.")),
    ProblemType("throttled", 429, _("Too many requests"),
                _("The rate limit per token (or per user) is reached; retry after the seconds "
                  "in the Retry-After header.")),
    ProblemType("server-error", 500, _("Internal error"),
                _("Something failed on the server. It is logged; nothing about it is shown.")),
]  # fmt: skip
PROBLEM_TYPES: dict[str, ProblemType] = {t.slug: t for t in _TYPES}


class ProblemException(exceptions.APIException):
    """An API-level problem with a type of the catalogue (preconditions, idempotency, size)."""

    def __init__(self, slug: str, detail=None, headers: dict[str, str] | None = None):
        self.problem = PROBLEM_TYPES[slug]
        self.status_code = self.problem.status
        self.headers = headers or {}
        super().__init__(detail or self.problem.description)


def _problem_body(slug: str, detail, request, extensions) -> dict:
    problem = PROBLEM_TYPES[slug]
    body = {
        "type": problem.uri,
        "title": force_str(problem.title),
        "status": problem.status,
        "detail": force_str(detail if detail is not None else problem.description),
    }
    if request is not None:
        body["instance"] = request.path
    body.update(extensions)
    return body


def problem_response(
    slug: str, detail=None, *, request=None, headers=None, **extensions
) -> Response:
    body = _problem_body(slug, detail, request, extensions)
    return Response(body, status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_json(request, slug: str, detail=None) -> JsonResponse:
    """A problem answered outside DRF (from middleware), in the same shape."""
    body = _problem_body(slug, detail, request, {})
    return JsonResponse(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


def _field_errors(detail, path: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list: `[{"field": "names[0].script", "detail": …}]`."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            key = str(key)
            if key in ("non_field_errors", api_settings.NON_FIELD_ERRORS_KEY):
                child = path
            elif key.isdigit() and path:
                child = f"{path}[{key}]"
            else:
                child = f"{path}.{key}" if path else str(key)
            errors += _field_errors(value, child)
        return errors
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"field": path or None, "detail": force_str(item)} for item in detail]
        errors = []
        for index, item in enumerate(detail):
            if isinstance(item, (dict, list)) and item:
                errors += _field_errors(item, f"{path}[{index}]")
        return errors
    return [{"field": path or None, "detail": force_str(detail)}]


_DRF_SLUGS = {
    exceptions.ParseError: "malformed-request",
    exceptions.NotAuthenticated: "not-authenticated",
    exceptions.AuthenticationFailed: "not-authenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not-found",
    exceptions.MethodNotAllowed: "method-not-allowed",
    exceptions.NotAcceptable: "not-acceptable",
    exceptions.UnsupportedMediaType: "unsupported-media-type",
    exceptions.Throttled: "throttled",
}


def exception_handler(exc, context) -> Response:
    """Every exception of an API view as a problem; unexpected ones as a 500 that leaks nothing."""
    request = context.get("request")
    try:
        return _problem_for(exc, request)
    except Exception:
        logger.exception("The API's exception handler failed on %r", exc)
        return problem_response("server-error", request=request)


def _problem_for(exc, request) -> Response:
    if isinstance(exc, ReasonedRefusal):
        return problem_response(
            exc.problem_slug, str(exc), request=request, **exc.problem_members()
        )
    if isinstance(exc, DomainError):
        field = getattr(exc, "field", None)
        if field:
            return problem_response(
                "validation", str(exc), request=request,
                errors=[{"field": field, "detail": str(exc)}],
            )  # fmt: skip
        slug = (
            "conflict"
            if isinstance(exc, ConflictError)
            else "forbidden"
            if isinstance(exc, NotAllowed)
            else "rule-refused"
        )
        return problem_response(slug, str(exc), request=request)
    if isinstance(exc, RequestDataTooBig):
        return problem_response("request-too-large", request=request)
    if isinstance(exc, Http404):
        return problem_response("not-found", request=request)
    if isinstance(exc, PermissionDenied):
        return problem_response("forbidden", request=request)
    if isinstance(exc, DjangoValidationError):
        return problem_response(
            "validation", " ".join(exc.messages), request=request,
            errors=[{"field": None, "detail": m} for m in exc.messages],
        )  # fmt: skip
    if isinstance(exc, ProblemException):
        return problem_response(exc.problem.slug, exc.detail, request=request, headers=exc.headers)
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        detail = ngettext(
            "%(count)s field needs attention: %(fields)s.",
            "%(count)s fields need attention: %(fields)s.",
            len(errors),
        ) % {
            "count": len(errors),
            "fields": ", ".join(sorted({e["field"] or "—" for e in errors})),
        }
        return problem_response("validation", detail, request=request, errors=errors)
    if isinstance(exc, exceptions.APIException):
        slug = next((s for cls, s in _DRF_SLUGS.items() if isinstance(exc, cls)), None)
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(int(exc.wait))
        if slug is None:
            slug = "validation" if exc.status_code == 400 else "server-error"
        detail = exc.detail if isinstance(exc.detail, str) else None
        if slug == "not-authenticated":
            detail = None  # one answer for a missing, wrong, expired or revoked token
        return problem_response(slug, detail, request=request, headers=headers)
    logger.exception("Unexpected error in %s", getattr(request, "path", "the API"), exc_info=exc)
    return problem_response("server-error", request=request)
