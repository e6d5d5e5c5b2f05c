"""Changes made outside the app's pages and sign-in events leave audit entries."""

from __future__ import annotations

import pytest
from django.test import Client

from cegah.accounts.models import VerifierAssignment
from cegah.audit.models import AuditEntry
from cegah.audit.selectors import chain_problem
from cegah.testing.clients import sign_in
from cegah.testing.factories import PASSWORD
from cegah.testing.totp import confirmed_device

pytestmark = pytest.mark.django_db


def test_a_password_set_in_the_admin_is_audited(world) -> None:
    admin = sign_in(Client(), world.superadmin)
    user = world.operator_binjai
    page = admin.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {
            "password1": "kata-sandi-baru-yang-panjang-9",
            "password2": "kata-sandi-baru-yang-panjang-9",
        },
    )
    assert page.status_code == 302
    entry = AuditEntry.objects.filter(action="admin.change").latest("seq")
    assert entry.actor == world.superadmin
    assert entry.data["object"] == f"accounts.user:{user.pk}"
    assert "kata-sandi-baru" not in str(entry.data)
    assert chain_problem() is None


def test_the_admin_does_not_show_totp_secrets_nor_edit_assignments(world) -> None:
    admin = sign_in(Client(), world.superadmin)
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/accounts/verifierassignment/add/").status_code == 403
    count = VerifierAssignment.objects.count()
    added = admin.post(
        "/admin/accounts/verifierassignment/add/",
        {"verifier": world.verifier_jateng.pk, "pemda": world.binjai.pk},
    )
    assert added.status_code == 403 and VerifierAssignment.objects.count() == count
    assert admin.get("/admin/accounts/verifierassignment/").status_code == 200  # still readable


def test_sign_in_events_are_audited_without_passwords(world) -> None:
    client = Client()
    client.post("/akun/masuk/", {"username": "OPERATOR@binjai.test", "password": "salah-sekali"})
    failed = AuditEntry.objects.get(action="accounts.sign_in.failed")
    assert failed.data == {"email": "operator@binjai.test"}
    client.post("/akun/masuk/", {"username": world.operator_binjai.email, "password": PASSWORD})
    assert AuditEntry.objects.filter(
        action="accounts.sign_in.password", actor=world.operator_binjai
    ).exists()
    confirmed_device(world.operator_binjai)
    client.post("/akun/dua-langkah/", {"token": "000000"})
    assert AuditEntry.objects.filter(
        action="accounts.sign_in.second_step_failed", actor=world.operator_binjai
    ).exists()
    dump = str(list(AuditEntry.objects.values_list("data", flat=True)))
    assert "salah-sekali" not in dump and PASSWORD not in dump


def test_the_second_step_renews_the_session_key_and_is_audited(world) -> None:
    from cegah.accounts.services import totp_current_token

    client = Client()
    client.post("/akun/masuk/", {"username": world.operator_binjai.email, "password": PASSWORD})
    before = client.session.session_key
    device = confirmed_device(world.operator_binjai)
    client.post("/akun/dua-langkah/", {"token": totp_current_token(device=device)})
    assert client.session.session_key != before
    assert AuditEntry.objects.filter(
        action="accounts.sign_in.second_step", actor=world.operator_binjai
    ).exists()
