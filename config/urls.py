from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cegah.core.urls")),
    path("akun/", include("cegah.accounts.urls")),
    path("mcp/", include("cegah.mcp.urls")),
    path("notifikasi/", include("cegah.notifications.urls")),
    path("publik/", include("cegah.public.urls")),
    path("lapor/", include("cegah.wbs.public_urls")),
    path("wbs/", include("cegah.wbs.urls")),
    path("api/", include("cegah.public.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
