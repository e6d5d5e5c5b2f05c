"""The handler's key follows their password: opened at sign-in, replaced when a new password is
set (the old private key cannot be opened without the old password), forgotten at sign-out."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

from cegah.accounts.models import User
from cegah.accounts.signals import password_known, password_set, signed_out

from . import services, unlock


@receiver(password_known, dispatch_uid="wbs.key_open_at_sign_in")
def key_open_at_sign_in(
    sender: Any,
    *,
    user: User,
    password: str,
    request: HttpRequest,
    response: HttpResponseBase,
    **kwargs: Any,
) -> None:
    private_key = services.handler_key_open(user=user, password=password)
    if private_key is not None:
        session: SessionBase = request.session
        unlock.set_cookie(response, unlock.remember(session=session, private_key=private_key))


@receiver(password_set, dispatch_uid="wbs.key_reset_with_password")
def key_reset_with_password(sender: Any, *, user: User, password: str, **kwargs: Any) -> None:
    services.handler_key_reset(user=user, password=password)


@receiver(signed_out, dispatch_uid="wbs.key_forget_at_sign_out")
def key_forget_at_sign_out(
    sender: Any, *, request: HttpRequest, response: HttpResponseBase, **kwargs: Any
) -> None:
    unlock.forget(session=request.session, response=response)
