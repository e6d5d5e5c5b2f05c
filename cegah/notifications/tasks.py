"""Emails leave in the background, never inside a request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def notification_email(notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return
    link = settings.SITE_URL.rstrip("/") + notification.url if notification.url else ""
    send_mail(
        subject=f"Cegah: {notification.title}",
        message="\n\n".join(p for p in (notification.body, link) if p),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
