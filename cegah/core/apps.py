from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cegah.core"
    verbose_name = "Cegah"

    def ready(self) -> None:
        from . import sessions  # noqa: F401 - starts the idle clock at sign-in
