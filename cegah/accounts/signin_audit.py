"""Sign-in events in the audit chain: who signed in, and failed attempts (never a password)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from cegah.audit import services as audit

from .lockout import normalised_email
from .models import User


@receiver(user_logged_in, dispatch_uid="cegah.accounts.sign_in_audited")
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit.record(actor=user, action="accounts.sign_in.password", data={"email": user.email})


@receiver(user_login_failed, dispatch_uid="cegah.accounts.sign_in_failure_audited")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django passes the credentials with the password already masked; only the email is kept.
    audit.record(
        actor=None,
        action="accounts.sign_in.failed",
        data={"email": normalised_email(credentials.get("username"))},
    )
