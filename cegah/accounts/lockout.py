"""The name django-axes counts failed sign-ins under: the email as the account is found by it.

Accounts are found by email ignoring case (User.objects.get_by_natural_key); counting failures
under the typed text let "LockProbe@Cegah.Test" sign in after "lockprobe@cegah.test" was locked.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def normalised_email(text: object) -> str:
    return str(text or "").strip().lower()


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: from the credentials passed to authenticate, else the form."""
    if credentials and credentials.get("username") is not None:
        return normalised_email(credentials["username"])
    return normalised_email(request.POST.get("username", ""))
