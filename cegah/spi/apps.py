from django.apps import AppConfig


class SpiConfig(AppConfig):
    name = "cegah.spi"
    verbose_name = "SPI"
