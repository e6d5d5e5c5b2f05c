from django.urls import path

from . import reporter_views

app_name = "wbs_public"

urlpatterns = [
    path("", reporter_views.start, name="start"),
    path("ikuti/", reporter_views.follow_sign_in, name="follow_sign_in"),
    path("ikuti/laporan/", reporter_views.follow, name="follow"),
    path("ikuti/keluar/", reporter_views.follow_sign_out, name="follow_sign_out"),
    path("statistik/", reporter_views.statistics, name="statistics"),
    path("statistik/<str:code>/", reporter_views.statistics, name="pemda_statistics"),
    path("<str:code>/", reporter_views.report_new, name="report_new"),
]
