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
    path("penilaian/<int:pk>/coba/", exports.whatif, name="whatif"),
]
