from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "cegah.workdays"
    verbose_name = _("Hari kerja")
