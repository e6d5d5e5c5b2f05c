from django.urls import path

from . import exports, views

app_name = "zi"

urlpatterns = [
    path("pemda/<str:code>/", views.units, name="units"),
    path("unit/<int:pk>/lke/", views.assessment_start, name="assessment_start"),
    path("penilaian/<int:pk>/", views.assessment, name="assessment"),
    path("penilaian/<int:pk>/predikat/", views.verdict, name="verdict"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("penilaian/<int:pk>/lke.xlsx", exports.worksheet, name="worksheet"),
    path("penilaian/<int:pk>/ringkasan.pdf", exports.summary, name="summary"),
    path("penilaian/<int:pk>/coba/", views.whatif, name="whatif"),
    path("penilaian/<int:pk>/usulkan/", views.proposal_create, name="proposal_create"),
    path("usulan/", views.proposals, name="proposals"),
    path("usulan/<int:pk>/", views.proposal, name="proposal"),
    path("usulan/tahap/<int:pk>/berkas/", views.stage_evidence, name="stage_evidence"),
    path("penetapan/<int:pk>/cabut/", views.designation_revoke, name="designation_revoke"),
]
