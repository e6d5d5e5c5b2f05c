"""The signed-in person of a request, typed, for views behind login_required."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # login_required guarantees a User
