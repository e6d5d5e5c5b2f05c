from django.apps import AppConfig


class CoiConfig(AppConfig):
    name = "cegah.coi"
    verbose_name = "Benturan kepentingan"
