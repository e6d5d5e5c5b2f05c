"""The second factor of test users: one confirmed TOTP device each."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.accounts.models import User

DEVICE_NAME = "test"


def add_confirmed_device(user: User) -> TOTPDevice:
    """Enrols an authenticator for the user, as the enrolment step would."""
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def confirmed_device(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.get(user=user, confirmed=True)
    return device
