"""A handler's private key while they work, stored in clear nowhere.

When the password is known (sign-in, a new password, the unlock page) the private key is opened
and sealed again with a random key made for this session. The sealed key goes into the
server-side session, the random key into a cookie of its own (HttpOnly, SameSite=Strict, Secure
over HTTPS): the session store alone or the cookie alone opens nothing. Signing out flushes the
session and deletes the cookie.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponseBase

from . import crypto

SESSION_KEY = "wbs_sealed_private_key"
COOKIE = "wbs_kunci"
COOKIE_PATH = "/"


def remember(*, session: SessionBase, private_key: bytes) -> str:
    """Keeps the key sealed in the session; returns the cookie's value that opens it."""
    session_key = crypto.new_secret_key()
    session[SESSION_KEY] = base64.b64encode(crypto.seal(session_key, private_key)).decode()
    return base64.urlsafe_b64encode(session_key).decode()


def set_cookie(response: HttpResponseBase, value: str) -> None:
    # A browser-session cookie: gone when the browser closes, like the key's use.
    response.set_cookie(
        COOKIE,
        value,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def forget(*, session: SessionBase, response: HttpResponseBase | None) -> None:
    session.pop(SESSION_KEY, None)
    if response is not None:
        response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Strict")


def private_key_of(request: HttpRequest) -> bytes | None:
    """The handler's private key for this request, or None if this session has not unlocked it
    (or its cookie is missing, as after following a link from another site)."""
    sealed = request.session.get(SESSION_KEY)
    cookie = request.COOKIES.get(COOKIE)
    if not sealed or not cookie:
        return None
    try:
        return crypto.unseal(base64.urlsafe_b64decode(cookie), base64.b64decode(sealed))
    except (binascii.Error, ValueError, crypto.CryptoError):
        return None


def has_sealed_key(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_KEY))
