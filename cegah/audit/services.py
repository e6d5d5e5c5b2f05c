"""The only writer of the audit chain. Every state-changing service calls `record`."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from cegah.core.request_context import current_request_id

from .keys import AuditKey, required_audit_key
from .models import AuditEntry, AuditHead

SYSTEM_ACTOR = "system"


def entry_hash(
    *,
    seq: int,
    created_at: str,
    actor_id: int | None,
    actor_label: str,
    role: str,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    data: Any,
    request_id: str,
    prev_hash: str,
    key: AuditKey | None,
) -> str:
    """HMAC-SHA256 with the audit key for entries from its since_seq on; plain SHA-256 before
    (entries written before the installation had a key)."""
    payload = json.dumps(
        [
            seq,
            created_at,
            actor_id,
            actor_label,
            role,
            action,
            object_type,
            object_id,
            object_label,
            data,
            request_id,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    if key is not None and seq >= key.since_seq:
        return hmac.new(key.secret, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


def hash_of(entry: AuditEntry, key: AuditKey | None) -> str:
    return entry_hash(
        seq=entry.seq,
        created_at=entry.created_at.isoformat(),
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        role=entry.role,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_label=entry.object_label,
        data=entry.data,
        request_id=entry.request_id,
        prev_hash=entry.prev_hash,
        key=key,
    )


def record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    role: str = "",
) -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction, so a rolled-back change leaves no
    entry, and holds the chain's head lock until that transaction ends: call it as the last
    write of a service, since every audited write in the country waits for that lock."""
    # Normalise through JSON first: what is hashed must be exactly what the database returns.
    clean_data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    key = required_audit_key()
    # No savepoint of its own: a failure here must undo the caller's change anyway, and two
    # statements fewer per audited write count under a deadline surge.
    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=str(getattr(actor, "email", "") or SYSTEM_ACTOR),
            role=role,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_label=str(obj)[:255] if obj is not None else "",
            data=clean_data,
            request_id=current_request_id(),
            prev_hash=head.hash,
        )
        entry.hash = hash_of(entry, key)
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry
