from django.apps import AppConfig


class ZiConfig(AppConfig):
    name = "cegah.zi"
    label = "zi"
    verbose_name = "Zona Integritas"
