from django.contrib import admin
from django.urls import include, path

from cegah.accounts import views as account_views
from cegah.home import urls as home_urls
from config.views import root

urlpatterns = [
    # The address itself: the public front door for a visitor, one's own work once signed in.
    path("", include(([path("", root, name="home"), *home_urls.urlpatterns], "home"))),
    path("akun/", include("cegah.accounts.urls")),
    path("mcp/", include("cegah.mcp.urls")),
    path("notifikasi/", include("cegah.notifications.urls")),
    path("publik/", include("cegah.public.urls")),
    path("lapor/", include("cegah.wbs.public_urls")),
    path("wbs/", include("cegah.wbs.urls")),
    path("zi/", include("cegah.zi.urls")),
    path("gratifikasi/", include("cegah.upg.urls")),
    path("benturan-kepentingan/", include("cegah.coi.urls")),
    path("spi/", include("cegah.spi.urls")),
    path("sinyal/", include("cegah.signals.urls")),
    path("api/", include("cegah.public.api_urls")),
    # Django's switch, which also remembers a signed-in person's choice.
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("admin/", admin.site.urls),
]

handler404 = "cegah.core.views.not_found"
# A database that cannot be reached answers 503 "try again", not a server error.
handler500 = "cegah.core.views.server_error"
