from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from cegah.accounts.models import User

from .models import Notification
from .tasks import notification_email

# A notification's text is a function that writes it: called in each recipient's language (the
# one they chose), as whoever acted may read another. A string would be in the actor's.
Text = Callable[[], str]


def _written_in(language: str, text: Text | None) -> str:
    if text is None:
        return ""
    with translation.override(language):
        return text()


def notify(
    *,
    recipients: Iterable[User],
    title: Text,
    body: Text | None = None,
    url: str = "",
    key: str = "",
) -> list[Notification]:
    """Stores one notification per recipient, in their language, and emails it after the
    transaction commits.

    With a key, a recipient who already has that notification gets nothing new."""
    people = {u.pk: u for u in recipients if u.is_active}.values()
    texts = {
        language: {"title": _written_in(language, title), "body": _written_in(language, body)}
        for language in {user.language for user in people}
    }
    created: list[Notification] = []
    if not key:
        # Nothing unique can collide: one INSERT for everyone. Decisions notify a Pemda's whole
        # team while the caller's transaction holds its locks.
        created = Notification.objects.bulk_create(
            [Notification(recipient=user, url=url, **texts[user.language]) for user in people]
        )
    else:
        for user in people:
            try:
                with transaction.atomic():
                    created.append(
                        Notification.objects.create(
                            recipient=user, url=url, key=key, **texts[user.language]
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
