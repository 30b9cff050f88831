from django.urls import path, re_path

from safepassage.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # The chart shown on the page, and the downloads (always with small counts suppressed).
    re_path(r"^(?P<key>[a-z_]+)/chart\.(?P<fmt>svg)$", views.chart, name="chart"),
    re_path(r"^(?P<key>[a-z_]+)/export\.(?P<fmt>svg|png|csv)$", views.export, name="export"),
]
