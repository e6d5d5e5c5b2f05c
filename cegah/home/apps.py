from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The signed-in home: each person's work across every module (reads several domains)."""

    name = "cegah.home"
    verbose_name = _("Beranda")
