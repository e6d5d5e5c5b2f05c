"""Every save, change and deletion made in Django's admin also goes into the audit chain.

The admin writes its own LogEntry for each (a password set there included); copying it here
means a change made outside the app's services still leaves a verifiable trace.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services

_FLAGS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


@receiver(post_save, sender=LogEntry, dispatch_uid="cegah.audit.admin_log")
def _admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    content_type = instance.content_type
    services.record(
        actor=instance.user,
        action=f"admin.{_FLAGS.get(instance.action_flag, 'change')}",
        data={
            "object": (
                f"{content_type.app_label}.{content_type.model}:{instance.object_id}"
                if content_type is not None
                else str(instance.object_id)
            ),
            "label": instance.object_repr,
            "change": instance.get_change_message(),
        },
    )
