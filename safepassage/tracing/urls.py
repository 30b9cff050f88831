from django.urls import path

from safepassage.tracing import views

app_name = "tracing"

_request = "requests/<int:pk>/"

urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_new, name="request_new"),
    path(_request, views.request_detail, name="request_detail"),
    path(f"{_request}search/", views.request_search, name="request_search"),
    path(
        f"{_request}candidates/<int:candidate_pk>/confirm/",
        views.candidate_confirm,
        name="candidate_confirm",
    ),
    path(
        f"{_request}candidates/<int:candidate_pk>/reject/",
        views.candidate_reject,
        name="candidate_reject",
    ),
    path(f"{_request}inform/", views.request_inform, name="request_inform"),
    path(f"{_request}close/", views.request_close, name="request_close"),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path(
        "duplicates/searches/<int:pk>/",
        views.duplicate_refresh_progress,
        name="duplicate_refresh_progress",
    ),
    path("duplicates/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
]
