from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "cegah.audit"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        from . import admin_log, checks  # noqa: F401 - the deploy check, the admin's changes
