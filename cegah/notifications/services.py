from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from cegah.accounts.models import User

from .models import Notification
from .tasks import notification_email


def notify(
    *, recipients: Iterable[User], title: str, body: str = "", url: str = "", key: str = ""
) -> list[Notification]:
    """Stores one notification per recipient and emails it after the transaction commits.

    With a key, a recipient who already has that notification gets nothing new."""
    people = {u.pk: u for u in recipients if u.is_active}.values()
    created: list[Notification] = []
    if not key:
        # Nothing unique can collide: one INSERT for everyone. Decisions notify a Pemda's whole
        # team while the caller's transaction holds its locks.
        created = Notification.objects.bulk_create(
            [Notification(recipient=user, title=title, body=body, url=url) for user in people]
        )
    else:
        for user in people:
            try:
                with transaction.atomic():
                    created.append(
                        Notification.objects.create(
                            recipient=user, title=title, body=body, url=url, key=key
                        )
                    )
            except IntegrityError:
                continue  # the same keyed notification exists already
    for n in created:
        transaction.on_commit(lambda pk=n.pk: notification_email.enqueue(pk))  # type: ignore[misc]
    return created


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
