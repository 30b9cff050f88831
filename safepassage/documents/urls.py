from django.urls import path

from safepassage.documents import views

app_name = "documents"

_DOC = "persons/<str:registry_number>/documents/"
urlpatterns = [
    path(f"{_DOC}new/", views.document_new, name="document_new"),
    path(f"{_DOC}<int:pk>/", views.document_detail, name="document_detail"),
    path(f"{_DOC}<int:pk>/content/", views.document_content, name="document_content"),
    path(f"{_DOC}<int:pk>/versions/new/", views.document_version_new, name="document_version_new"),
    path(f"{_DOC}<int:pk>/remove/", views.document_remove, name="document_remove"),
]
