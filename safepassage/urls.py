from allauth.account import views as account_views
from django.urls import include, path

from safepassage.accounts.language import set_language

# django-allauth's login (password with the lockout, then the second factor), re-authentication
# and password change, and its MFA pages. No sign-up, e-mail or self-service password reset:
# administrators make accounts and reset passwords (`safepassage user`).
account_urls = [
    path("login/", account_views.login, name="account_login"),
    path("logout/", account_views.logout, name="account_logout"),
    path("inactive/", account_views.account_inactive, name="account_inactive"),
    path("signup/", account_views.signup, name="account_signup"),  # answers "closed"
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", account_views.password_change, name="account_change_password"),
    path("2fa/", include("allauth.mfa.urls")),
]

urlpatterns = [
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("accounts/", include(account_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("safepassage.api.urls")),
    path("", include("safepassage.ops.urls")),  # /healthz, /readyz
    path("tracing/", include("safepassage.tracing.urls")),
    path("exchanges/", include("safepassage.exchanges.urls")),
    path("imports/", include("safepassage.imports.urls")),
    path("exports/", include("safepassage.exports.urls")),
    path("reports/", include("safepassage.reports.urls")),
    path("notifications/", include("safepassage.notifications.urls")),
    path("field/", include("safepassage.field.urls")),
    path("", include("safepassage.visits.urls")),  # /places/, /visits/
    path("", include("safepassage.medical.urls")),  # /medical/…, /persons/<number>/medical/…
    path("", include("safepassage.documents.urls")),  # /persons/<number>/documents/…
    path("", include("safepassage.referrals.urls")),  # /referrals/, persons/<n>/referrals/new/
    path("", include("safepassage.family.urls")),  # persons/<n>/capture-card-choice/
    path("", include("safepassage.followup.urls")),  # persons/<n>/follow-up/…, onward-reports/
    path("", include("safepassage.work.urls")),  # the home page: the reader's work queues
    # The registry's and the cases' pages share the person's path (persons/<number>/...).
    path("", include("safepassage.registry.urls")),
    path("", include("safepassage.cases.urls")),
    path("", include("safepassage.audit.urls")),  # /audit/
    path("", include("safepassage.accounts.urls")),  # /members/
    path("", include("safepassage.api.token_urls")),  # /settings/api-tokens/
]
