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
    path("pemda/<str:code>/penugasan/", views.assignment_board, name="assignment_board"),
    path(
        "pemda/<str:code>/penugasan/<int:pk>/hapus/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("indikator-saya/", views.my_indicators, name="my_indicators"),
]
