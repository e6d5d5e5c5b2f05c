"""The menu's unread badge, seen from the work page and one of its htmx rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cegah.notifications.models import Notification


def test_the_menu_counts_unread_notifications(world, reporting, login) -> None:
    for n in range(3):
        Notification.objects.create(recipient=world.operator_binjai, title=f"Pengingat {n}")
    Notification.objects.filter(title="Pengingat 0").update(read_at="2025-10-01T00:00Z")
    page = login(world.operator_binjai).get(reverse("mcp:work")).content.decode()
    assert 'aria-label="2 belum dibaca">2</mark>' in page


def test_a_fragment_without_the_menu_does_not_count_them(world, reporting, login) -> None:
    Notification.objects.create(recipient=world.operator_binjai, title="Pengingat")
    client = login(world.operator_binjai)
    sub = reporting.subs["PRC.1.2"]
    url = reverse("mcp:work_row", kwargs={"code": "12.75", "sub_id": sub.pk})
    with CaptureQueriesContext(connection) as queries:
        row = client.get(url, headers={"HX-Request": "true"})
    assert row.status_code == 200 and "<mark" not in row.content.decode()
    assert not [q for q in queries if "notifications_notification" in q["sql"]]
