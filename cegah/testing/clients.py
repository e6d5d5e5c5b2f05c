"""Django test clients signed in as a person would be after both sign-in steps."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY

from cegah.accounts.models import User
from cegah.accounts.signals import password_known
from cegah.testing.factories import PASSWORD
from cegah.testing.totp import confirmed_device


def sign_in(client: Client, user: User) -> Client:
    """Logs in with both factors done, as a person would after the OTP step. The password is
    known at sign-in, so whatever keys itself to it (a WBS handler's key pair) opens as well."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    if user.check_password(PASSWORD):
        request = RequestFactory().post("/")
        request.session = session
        response = HttpResponse()
        password_known.send(
            sign_in, user=user, password=PASSWORD, request=request, response=response
        )
        for name, cookie in response.cookies.items():
            client.cookies[name] = cookie.value
    session.save()
    return client
