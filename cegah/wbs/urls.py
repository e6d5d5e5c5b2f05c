from django.urls import path

from . import handler_views

app_name = "wbs"

urlpatterns = [
    path("", handler_views.queue, name="queue"),
    path("kunci/", handler_views.unlock_key, name="unlock"),
    path("akses/<int:user_id>/", handler_views.access_grant, name="grant"),
    path("kunci/ganti/", handler_views.reports_rekey, name="rekey"),
    path("<int:pk>/", handler_views.report_detail, name="report"),
    path("<int:pk>/status/", handler_views.report_transition, name="transition"),
    path("<int:pk>/pesan/", handler_views.message_send, name="message"),
    path("<int:pk>/catatan/", handler_views.note_add, name="note"),
    path("<int:pk>/tugaskan/", handler_views.report_assign, name="assign"),
    path("<int:pk>/identitas/", handler_views.identity_disclose, name="disclose"),
    path("<int:pk>/konflik/", handler_views.conflict_declare, name="conflict"),
    path("lampiran/<int:pk>/", handler_views.attachment_download, name="attachment"),
]
