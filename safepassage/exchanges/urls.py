from django.urls import path

from safepassage.exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("new/", views.agreement_new, name="agreement_new"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/pool/registry/", views.pool_add_registry, name="pool_add_registry"),
    path("<int:pk>/pool/import/", views.proposal_import, name="proposal_import"),
    path("<int:pk>/plan/", views.batch_plan, name="batch_plan"),
    path("candidates/<int:pk>/", views.candidate_edit, name="candidate_edit"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/plan/", views.batch_replan, name="batch_replan"),
    path("batches/<int:pk>/step/<slug:target>/", views.batch_step, name="batch_step"),
    path("batches/<int:pk>/manifest.csv", views.manifest_csv, name="manifest_csv"),
    path("batches/<int:pk>/manifest.pdf", views.manifest_pdf, name="manifest_pdf"),
    path("entries/<int:pk>/handover/", views.entry_handover, name="entry_handover"),
    path("entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
    path("entries/<int:pk>/refusal/", views.entry_refusal, name="entry_refusal"),
]
