from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "cegah.public"
    verbose_name = _("Data terbuka")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - makes the pages ready after a publication
