"""Generated example data is never presented as published figures (issue: an honest demo)."""

from __future__ import annotations

import pytest
from django.test import Client

from cegah.testing.clients import sign_in

pytestmark = pytest.mark.django_db


def test_every_page_says_data_contoh_while_the_installation_is_a_demo(world, settings) -> None:
    settings.DEMO = True
    for client, url in (
        (Client(), "/akun/masuk/"),
        (Client(), "/lapor/"),
        (sign_in(Client(), world.admin_binjai), "/"),
    ):
        page = client.get(url).content.decode()
        assert "Data contoh" in page and "bukan angka yang diterbitkan KPK" in page, url
    settings.DEMO = False
    assert "Data contoh" not in Client().get("/akun/masuk/").content.decode()


def test_the_api_says_demo(world, settings) -> None:
    settings.DEMO = True
    response = Client().get("/api/v1/pemda/")
    assert response.status_code == 200 and response["X-Demo-Data"] == "true"
    settings.DEMO = False
    assert "X-Demo-Data" not in Client().get("/api/v1/pemda/")


def test_the_publisher_comes_from_configuration(settings) -> None:
    from django.template import Context, Template

    from cegah.core.context_processors import installation

    settings.PUBLISHER_NAME = "Koordinator Uji"
    assert installation(None)["PUBLISHER"] == "Koordinator Uji"  # type: ignore[arg-type]
    template = Template(
        "{% load i18n %}{% blocktranslate with publisher=PUBLISHER %}Diterbitkan {{ publisher }}{% endblocktranslate %}"
    )
    assert template.render(Context(installation(None))) == "Diterbitkan Koordinator Uji"  # type: ignore[arg-type]
