from django.urls import path

from . import conflicts, exports, gratification, profile, report_card, views, zi

app_name = "public"

urlpatterns = [
    path("", views.latest, name="latest"),
    path("mcp/<int:year>/", views.national, name="national"),
    path("mcp/<int:year>/peringkat.csv", exports.ranking_csv, name="ranking_csv"),
    path("mcp/<int:year>/peringkat.xlsx", exports.ranking_xlsx, name="ranking_xlsx"),
    path("mcp/<int:year>/data-lengkap.xlsx", exports.bulk_download, name="bulk_download"),
    path("mcp/<int:year>/provinsi/<str:code>/", views.province, name="province"),
    path("pemda/<str:code>/", views.pemda, name="pemda"),
    path("pemda/<str:code>/rapor-<int:year>.pdf", report_card.report_card, name="report_card"),
    path("zi/", zi.designations, name="zi_designations"),
    path("zi/pemda/<str:code>/", zi.pemda, name="zi_pemda"),
    path("gratifikasi/", gratification.national, name="gratification"),
    path("gratifikasi/pemda/<str:code>/", gratification.pemda, name="gratification_pemda"),
    path("pemda/<str:code>/profil/", profile.profile, name="profile"),
    path("pemda/<str:code>/profil.pdf", profile.profile_pdf, name="profile_pdf"),
    path("bandingkan/", profile.compare, name="compare"),
    path("cari/", profile.pemda_search, name="pemda_search"),
    path("data/", profile.open_data, name="open_data"),
    path("data/profil-<int:year>.csv", profile.open_data_csv, name="open_data_csv"),
    path("benturan-kepentingan/", conflicts.national, name="conflicts"),
    path("benturan-kepentingan/pemda/<str:code>/", conflicts.pemda, name="conflicts_pemda"),
]
