from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "cegah.signals"
    verbose_name = "Sinyal"
