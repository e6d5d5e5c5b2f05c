from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .keys import audit_key
from .models import GENESIS_HASH, AuditEntry, AuditHead
from .services import hash_of


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def chain_problem(*, chunk_size: int = 2000) -> ChainProblem | None:
    """The first entry at which the chain is broken, or None when it is intact.

    Checks, in order: no sequence number is missing, each entry points at its predecessor's
    hash (nothing reordered or spliced), each entry's content still gives its stored hash (an
    HMAC under the key file from its since_seq on: recomputing needs the key), and the head row
    is there and points at the last entry.
    """
    key = audit_key()
    expected_seq = 1
    expected_prev = GENESIS_HASH
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainProblem(expected_seq, _("Entri #%(seq)d hilang.") % {"seq": expected_seq})
        if entry.prev_hash != expected_prev:
            return ChainProblem(
                entry.seq,
                _("Entri #%(seq)d tidak menunjuk entri sebelumnya (urutan diubah atau disisipi).")
                % {"seq": entry.seq},
            )
        if key is None and entry.seq > 0:
            return ChainProblem(
                entry.seq,
                _("Kunci audit tidak ada: rantai tidak dapat diperiksa (manage.py audit_key)."),
            )
        if hash_of(entry, key) != entry.hash:
            return ChainProblem(
                entry.seq, _("Isi entri #%(seq)d telah diubah.") % {"seq": entry.seq}
            )
        expected_seq += 1
        expected_prev = entry.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if expected_seq > 1:
            return ChainProblem(expected_seq - 1, _("Ujung rantai audit hilang."))
        return None
    if head.seq >= expected_seq:
        return ChainProblem(
            expected_seq,
            _("Entri #%(first)d sampai #%(last)d hilang dari ujung rantai.")
            % {"first": expected_seq, "last": head.seq},
        )
    if head.seq != expected_seq - 1 or head.hash != expected_prev:
        return ChainProblem(
            head.seq, _("Ujung rantai audit tidak menunjuk entri terakhirnya (dipindahkan).")
        )
    return None


def head_extends(*, seq: int, hash: str) -> bool:
    """The chain still holds the entry a head exported earlier said was its last."""
    return AuditEntry.objects.filter(seq=seq, hash=hash).exists() or (
        seq == 0 and hash == GENESIS_HASH
    )
