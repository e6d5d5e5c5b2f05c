from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WbsConfig(AppConfig):
    name = "cegah.wbs"
    verbose_name = _("Whistle-blowing (WBS)")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the password signals
