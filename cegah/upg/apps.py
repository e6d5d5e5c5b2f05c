from django.apps import AppConfig


class UpgConfig(AppConfig):
    name = "cegah.upg"
    verbose_name = "Pengendalian gratifikasi"
