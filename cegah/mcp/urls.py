from django.urls import path

from . import views

app_name = "mcp"

urlpatterns = [
    path("katalog/", views.catalogue_latest, name="catalogue_latest"),
    path("katalog/<int:year>/", views.catalogue, name="catalogue"),
    path("katalog/<int:year>/perubahan/", views.catalogue_changes, name="catalogue_changes"),
    path("termin/", views.period_list, name="period_list"),
    path("termin/<int:pk>/buka/", views.period_open, name="period_open"),
    path("termin/<int:pk>/tutup/", views.period_close, name="period_close"),
    path("termin/<int:pk>/perpanjang/", views.period_extend, name="period_extend"),
    path("termin/<int:year>/pengaturan/", views.year_setting, name="year_setting"),
    path("verifikator/<int:pk>/area/", views.verifier_areas, name="verifier_areas"),
    path("pemda/<str:code>/penugasan/", views.assignment_board, name="assignment_board"),
    path(
        "pemda/<str:code>/penugasan/<int:pk>/hapus/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("indikator-saya/", views.my_indicators, name="my_indicators"),
    path("lapor/", views.work, name="work"),
    path("lapor/<str:code>/<int:sub_id>/", views.work_row, name="work_row"),
    path("lapor/<str:code>/<int:sub_id>/jawab/", views.work_answer, name="work_answer"),
    path("lapor/<str:code>/<int:sub_id>/bukti/", views.work_evidence, name="work_evidence"),
    path("lapor/<str:code>/<int:sub_id>/perbarui/", views.work_revise, name="work_revise"),
    path("lapor/<str:code>/<int:sub_id>/kirim-ulang/", views.work_resubmit, name="work_resubmit"),
    path("jawaban/<int:pk>/komentar/", views.comment, name="comment"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("pemda/<str:code>/laporan/", views.report_review, name="report_review"),
    path(
        "pemda/<str:code>/laporan.<str:fmt>",
        views.report_export,
        name="report_export",
    ),
    path("verifikasi/", views.verify_queue, name="verify_queue"),
    path("verifikasi/antrean.<str:fmt>", views.verify_export, name="verify_export"),
    path("verifikasi/<int:pk>/", views.verify_item, name="verify_item"),
    path("rekomendasi/", views.recommendation_list, name="recommendation_list"),
    path("rekomendasi/baru/", views.recommendation_create, name="recommendation_create"),
    path("rekomendasi/unduh.<str:fmt>", views.recommendation_export, name="recommendation_export"),
    path("rekomendasi/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path(
        "rekomendasi/<int:pk>/tindak-lanjut/",
        views.recommendation_follow_up,
        name="recommendation_follow_up",
    ),
    path(
        "rekomendasi/<int:pk>/ajukan/",
        views.recommendation_request,
        name="recommendation_request",
    ),
    path("rekomendasi/<int:pk>/terima/", views.recommendation_accept, name="recommendation_accept"),
    path(
        "rekomendasi/<int:pk>/kembalikan/",
        views.recommendation_return,
        name="recommendation_return",
    ),
    path("rekomendasi/berkas/<int:pk>/", views.recommendation_file, name="recommendation_file"),
    path("pemda/<str:code>/rekomendasi/", views.recommendation_pemda, name="recommendation_pemda"),
    path("skor/", views.score_admin, name="score_admin"),
    path("skor/job/<int:pk>/", views.score_job, name="score_job"),
    path("skor/riwayat/", views.history_import_page, name="history_import"),
    path("skor/riwayat/penghargaan/", views.history_awards_page, name="history_awards"),
]
