"""Anti-spam that identifies nobody: the browser must find a number that, appended to a signed
challenge, gives a SHA-256 with enough leading zero bits. Costly in bulk, a second for a person.

The challenge is signed (so the difficulty cannot be lowered) and can be used once (SpentChallenge).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ReceiptFailures, SpentChallenge

SALT = "cegah.wbs.pow"
MAX_AGE = timedelta(hours=2)  # a long report takes a while to write
FAILURE_WINDOW = timedelta(minutes=10)
FAILURE_MEMORY = timedelta(hours=1)


@dataclass(frozen=True)
class Challenge:
    token: str
    bits: int
    purpose: str


def issue(*, purpose: str, bits: int | None = None) -> Challenge:
    bits = settings.WBS_POW_BITS if bits is None else bits
    payload = {"n": secrets.token_hex(16), "b": bits, "p": purpose}
    return Challenge(signing.dumps(payload, salt=SALT, compress=True), bits, purpose)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solves(token: str, solution: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{token}:{solution}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def solve(token: str, bits: int) -> str:
    """What the browser does (static/js/wbs.js); used by tests and the load test."""
    counter = 0
    while not solves(token, str(counter), bits):
        counter += 1
    return str(counter)


class ChallengeFailed(Exception):
    pass


def redeem(*, token: str, solution: str, purpose: str, required_bits: int) -> None:
    """Accepts a solved challenge once, or raises ChallengeFailed."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise ChallengeFailed from None
    if payload.get("p") != purpose or int(payload.get("b", 0)) < required_bits:
        raise ChallengeFailed
    if len(solution) > 20 or not solution.isdigit() or not solves(token, solution, payload["b"]):
        raise ChallengeFailed
    now = timezone.now()
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(nonce=payload["n"], expires_at=now + MAX_AGE)
    except IntegrityError:
        raise ChallengeFailed from None


def _window(now: datetime) -> datetime:
    minutes = int(FAILURE_WINDOW.total_seconds() // 60)
    return now.replace(minute=now.minute - now.minute % minutes, second=0, microsecond=0)


def recent_failures() -> int:
    since = timezone.now() - FAILURE_WINDOW * 3
    return sum(
        ReceiptFailures.objects.filter(window_start__gte=since).values_list("failures", flat=True)
    )


def receipt_bits() -> int:
    """The proof of work a receipt attempt needs now: one more bit (twice the work) per
    WBS_RECEIPT_FAILURES_PER_BIT wrong codes in the last half hour, from anyone."""
    extra: int = recent_failures() // int(settings.WBS_RECEIPT_FAILURES_PER_BIT)
    return int(settings.WBS_POW_BITS) + min(extra, int(settings.WBS_POW_MAX_EXTRA_BITS))


def count_failure() -> None:
    window = _window(timezone.now())
    with transaction.atomic():
        row, created = ReceiptFailures.objects.get_or_create(
            window_start=window, defaults={"failures": 1}
        )
        if not created:
            ReceiptFailures.objects.filter(pk=row.pk).update(failures=F("failures") + 1)


def forget_old() -> int:
    now = timezone.now()
    spent, _ = SpentChallenge.objects.filter(expires_at__lt=now).delete()
    failures, _ = ReceiptFailures.objects.filter(window_start__lt=now - FAILURE_MEMORY).delete()
    return spent + failures
