"""Django test clients signed in as a person would be after both sign-in steps."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from cegah.accounts.models import User
from cegah.testing.totp import confirmed_device


def sign_in(client: Client, user: User) -> Client:
    """Logs in with both factors done, as a person would after the OTP step."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()
    return client
