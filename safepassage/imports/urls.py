from django.urls import path

from safepassage.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("new/", views.upload, name="upload"),
    path("mappings/new/", views.mapping_new, name="mapping_new"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("<int:pk>/commit/", views.job_commit, name="job_commit"),
    path("<int:pk>/discard/", views.job_discard, name="job_discard"),
    path("<int:pk>/mapping/", views.job_mapping, name="job_mapping"),
]
