from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cegah.accounts"
    verbose_name = _("Akun dan peran")

    def ready(self) -> None:
        from . import signin_audit  # noqa: F401 - connects the sign-in audit receivers
