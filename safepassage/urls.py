from django.contrib.auth import views as auth_views
from django.urls import include, path

from safepassage.accounts.forms import LockoutAuthenticationForm

urlpatterns = [
    # LoginView already hides the password from error reports (sensitive_post_parameters).
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LockoutAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("safepassage.api.urls")),
    path("", include("safepassage.web.urls")),
]
