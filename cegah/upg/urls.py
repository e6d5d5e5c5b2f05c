from django.urls import path

from . import exports, views

app_name = "upg"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("lapor/", views.report_new, name="report_new"),
    path("periksa/", views.check, name="check"),
    path("laporan/<int:pk>/", views.report, name="report"),
    path("laporan/<int:pk>/lengkapi/", views.report_complete, name="report_complete"),
    path("laporan/<int:pk>/kpk.pdf", exports.kpk_pdf, name="kpk_pdf"),
    path("laporan/<int:pk>/kpk.csv", exports.kpk_csv, name="kpk_csv"),
    path("laporan/<int:pk>/kpk.json", exports.kpk_json, name="kpk_json"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("pemda/<str:code>/", views.queue, name="queue"),
    path("pemda/<str:code>/titipan/", views.custody, name="custody"),
    path("pemda/<str:code>/statistik/", exports.statistics, name="statistics"),
    path("pemda/<str:code>/register.pdf", exports.register_pdf, name="register_pdf"),
]
