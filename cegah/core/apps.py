from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cegah.core"
    verbose_name = "Cegah"
