from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`manage.py seed_demo`: the demo world, made through each module's own demo seeding."""

    name = "cegah.demo"
    verbose_name = _("Data contoh")
