"""Anti-spam that identifies nobody: the browser must find a number that, appended to a signed
challenge, gives a SHA-256 with enough leading zero bits. Costly in bulk, a second for a person.

The challenge is signed (so the difficulty cannot be lowered) and can be used once (SpentChallenge).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SpentChallenge

SALT = "cegah.wbs.pow"
# The bar a redeemed challenge must clear is the one signed into it: a challenge the server
# issued at the difficulty of that moment stays good for its two hours.
AS_ISSUED = 1
MAX_AGE = timedelta(hours=2)  # a long report takes a while to write


@dataclass(frozen=True)
class Challenge:
    token: str
    bits: int
    purpose: str


def issue(*, purpose: str, bits: int | None = None) -> Challenge:
    bits = settings.WBS_POW_BITS if bits is None else bits
    # "t", when the page was given, lives only in the signed token the browser holds: it lets a
    # reporter without JavaScript pay in waiting instead of computing (`redeem`).
    payload = {"n": secrets.token_hex(16), "b": bits, "p": purpose, "t": int(time.time())}
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


class MustWait(ChallengeFailed):
    """Sent without a solution (no JavaScript) before WBS_NO_SCRIPT_WAIT_SECONDS had passed."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def redeem(*, token: str, solution: str, purpose: str, required_bits: int) -> None:
    """Accepts a solved challenge once, or raises ChallengeFailed. The work asked is the one
    signed into the challenge when it was issued (at least required_bits): a reporter who solved
    it is never refused because the bar moved meanwhile."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise ChallengeFailed from None
    if payload.get("p") != purpose or int(payload.get("b", 0)) < required_bits:
        raise ChallengeFailed
    if solution == "":
        # No JavaScript (Tor Browser at its safest, for one): the cost is time instead of work.
        waited = int(time.time()) - int(payload.get("t", time.time()))
        if waited < settings.WBS_NO_SCRIPT_WAIT_SECONDS:
            raise MustWait(settings.WBS_NO_SCRIPT_WAIT_SECONDS - waited)
    elif len(solution) > 20 or not solution.isdigit() or not solves(token, solution, payload["b"]):
        raise ChallengeFailed
    # Kept to the day after tomorrow (longer than MAX_AGE), by day only: the row must not say
    # when a report was sent (docs/subsystems/wbs-privacy.md).
    keep_until = timezone.localdate() + timedelta(days=2)
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(nonce=payload["n"], expires_on=keep_until)
    except IntegrityError:
        raise ChallengeFailed from None


def forget_old() -> int:
    spent, _ = SpentChallenge.objects.filter(expires_on__lt=timezone.localdate()).delete()
    return spent
