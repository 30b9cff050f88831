"""The second-factor enrolment rule of `accounts`, answered under /api/ as a problem."""

from django.http import HttpRequest, HttpResponse

from safepassage.accounts import middleware
from safepassage.api.problems import problem_json


class MFAEnrolmentMiddleware(middleware.MFAEnrolmentMiddleware):
    """As `accounts.middleware.MFAEnrolmentMiddleware`; an API request of a user who must enrol
    first is a 403 problem (`mfa-enrolment-required`), not a redirect to the enrolment page."""

    def refuse(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return problem_json(request, "mfa-enrolment-required")
        return super().refuse(request)
