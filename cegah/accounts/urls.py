from django.urls import path

from . import staff_views, views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("dua-langkah/", views.otp_verify, name="otp_verify"),
    path("dua-langkah/aktifkan/", views.otp_setup, name="otp_setup"),
    path("sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "sandi/atur/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sandi/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("pemda/<str:code>/pengguna/", views.pemda_members, name="pemda_members"),
    path("pemda/<str:code>/opd/", views.opd_list, name="opd_list"),
    path("pemda/<str:code>/opd/<int:pk>/", views.opd_edit, name="opd_edit"),
    path("pemda/<str:code>/pegawai/", staff_views.staff_list, name="staff_list"),
    path("pemda/<str:code>/pegawai/impor/", staff_views.staff_import_page, name="staff_import"),
    path(
        "pemda/<str:code>/pegawai/impor/<int:pk>/",
        staff_views.staff_import_detail,
        name="staff_import_detail",
    ),
    path("peran/<int:pk>/cabut/", views.role_revoke, name="role_revoke"),
    path("verifikator/", views.verifier_list, name="verifier_list"),
    path(
        "verifikator/penugasan/<int:pk>/cabut/", views.verifier_unassign, name="verifier_unassign"
    ),
]
