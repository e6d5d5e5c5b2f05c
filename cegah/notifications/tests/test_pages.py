"""The notification list: each person sees and clears only their own."""

import pytest
from django.test import Client
from django.urls import reverse

from cegah.notifications.models import Notification
from cegah.notifications.services import notify
from cegah.testing.clients import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(world) -> None:
    notify(
        recipients=[world.operator_binjai],
        title=lambda: "PRC.1.1 dikembalikan",
        body=lambda: "Alasan: buram",
    )
    notify(recipients=[world.operator_binjai], title=lambda: "PRC.1.2 disetujui")
    notify(recipients=[world.admin_pekalongan], title=lambda: "Rahasia Pekalongan")


def test_the_list_shows_my_notifications_and_the_unread_badge_only(world, notes) -> None:
    page = sign_in(Client(), world.operator_binjai).get(reverse("notifications:list"))
    text = page.content.decode()
    assert "PRC.1.1 dikembalikan" in text and "Alasan: buram" in text
    assert "PRC.1.2 disetujui" in text
    assert "Rahasia Pekalongan" not in text
    assert "2 belum dibaca" in text


def test_marking_read_clears_mine_and_nobody_elses(world, notes) -> None:
    client = sign_in(Client(), world.operator_binjai)
    assert client.get(reverse("notifications:read")).status_code == 405  # a link cannot do it
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    client.post(reverse("notifications:read"))
    assert not Notification.objects.filter(recipient=world.operator_binjai, read_at=None).exists()
    assert Notification.objects.get(recipient=world.admin_pekalongan).read_at is None
    assert "belum dibaca" not in client.get(reverse("notifications:list")).content.decode()


def test_strangers_are_sent_to_sign_in(notes) -> None:
    listed = Client().get(reverse("notifications:list"))
    cleared = Client().post(reverse("notifications:read"))
    for response in (listed, cleared):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not Notification.objects.exclude(read_at=None).exists()
