from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import GENESIS_HASH, AuditEntry, AuditHead
from .services import hash_of


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def chain_problem(*, chunk_size: int = 2000) -> ChainProblem | None:
    """The first entry at which the chain is broken, or None when it is intact.

    Checks, in order: no sequence number is missing, each entry points at its predecessor's
    hash (nothing reordered or spliced), and each entry's content still gives its stored hash.
    """
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
        if hash_of(entry) != entry.hash:
            return ChainProblem(
                entry.seq, _("Isi entri #%(seq)d telah diubah.") % {"seq": entry.seq}
            )
        expected_seq += 1
        expected_prev = entry.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.seq >= expected_seq:
        return ChainProblem(
            expected_seq,
            _("Entri #%(first)d sampai #%(last)d hilang dari ujung rantai.")
            % {"first": expected_seq, "last": head.seq},
        )
    return None
