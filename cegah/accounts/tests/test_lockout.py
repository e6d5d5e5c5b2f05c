"""Failed sign-ins lock the account however its email is written."""

from __future__ import annotations

import pytest
from django.test import Client

from cegah.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _post_login(client: Client, email: str, password: str):
    return client.post("/akun/masuk/", {"username": email, "password": password})


def test_the_lockout_is_not_bypassed_by_letter_case_or_spaces(client, world, settings) -> None:
    email = world.operator_binjai.email
    for n in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, email if n % 2 else email.upper(), "salah")
    for variant in (email.title(), f"  {email.upper()} ", email):
        locked = _post_login(client, variant, PASSWORD)
        assert locked.status_code == 429, variant
        assert "_auth_user_id" not in client.session


def test_the_right_password_in_other_letters_still_signs_in(client, world) -> None:
    signed = _post_login(client, world.operator_binjai.email.upper(), PASSWORD)
    assert signed.status_code == 302  # on to the second step
