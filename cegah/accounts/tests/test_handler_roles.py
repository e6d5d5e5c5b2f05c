"""Roles that open whistle-blowing reports: who gives them, never oneself, never the last one
without the next (issue: an Admin Pemda made themselves the WBS handler of their own Pemda)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from cegah.accounts.models import Role, RoleAssignment
from cegah.testing.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _members(pemda) -> str:
    return reverse("accounts:pemda_members", kwargs={"code": pemda.code})


def _invite(client, pemda, email: str, role: str = Role.INSPEKTORAT):
    return client.post(_members(pemda), {"email": email, "full_name": "Orang", "role": role})


def test_an_admin_cannot_make_themselves_or_anyone_a_handler(world, login) -> None:
    admin = login(world.admin_binjai)
    for email in (world.admin_binjai.email, "teman@binjai.test"):
        page = _invite(admin, world.binjai, email)
        assert page.status_code == 200  # refused in the form: the role is not offered
    assert (
        not RoleAssignment.objects.filter(role=Role.INSPEKTORAT, pemda=world.binjai)
        .exclude(user=world.inspektorat_binjai)
        .exists()
    )
    assert (
        "Inspektorat"
        not in admin.get(_members(world.binjai))
        .content.decode()
        .split('name="role"')[1]
        .split("</select>")[0]
    )


def test_an_admin_cannot_revoke_the_handler(world, login) -> None:
    admin = login(world.admin_binjai)
    handler = RoleAssignment.objects.get(user=world.inspektorat_binjai, role=Role.INSPEKTORAT)
    url = reverse("accounts:role_revoke", kwargs={"pk": handler.pk})
    assert admin.post(url, {"confirm": "yes"}).status_code == 404
    assert RoleAssignment.objects.filter(pk=handler.pk).exists()
    page = admin.get(_members(world.binjai)).content.decode()
    assert url not in page  # no button for it


def test_the_koordinator_grants_a_handler_and_the_handlers_are_told(
    world, login, django_capture_on_commit_callbacks
) -> None:
    koordinator = login(world.koordinator)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(koordinator, world.binjai, "irban2@binjai.test")
    assert RoleAssignment.objects.filter(
        user__email="irban2@binjai.test", role=Role.INSPEKTORAT, pemda=world.binjai
    ).exists()
    told = [m for m in mail.outbox if world.inspektorat_binjai.email in m.to]
    assert len(told) == 1 and "irban2@binjai.test" in told[0].body


def test_nobody_grants_themselves_a_role(world, login) -> None:
    koordinator = login(world.koordinator)
    page = _invite(koordinator, world.binjai, world.koordinator.email)
    assert "diri sendiri" in page.content.decode()
    assert not RoleAssignment.objects.filter(user=world.koordinator, role=Role.INSPEKTORAT).exists()


def test_the_provincial_inspectorate_grants_handlers_for_its_kab_kota_only(world, login) -> None:
    irda_sumut = UserFactory.create(email="irda@sumut.test")
    RoleAssignmentFactory.create(user=irda_sumut, role=Role.INSPEKTORAT, pemda=world.sumut)
    province = login(irda_sumut)
    _invite(province, world.binjai, "irban3@binjai.test")  # Binjai is in Sumatera Utara
    assert RoleAssignment.objects.filter(user__email="irban3@binjai.test").exists()
    assert province.get(_members(world.kota_pekalongan)).status_code == 404  # Jawa Tengah
    assert province.get(_members(world.sumut)).status_code == 404  # not its own level


def test_the_last_handler_goes_only_when_the_next_is_named(world, login) -> None:
    koordinator = login(world.koordinator)
    handler = RoleAssignment.objects.get(user=world.inspektorat_binjai, role=Role.INSPEKTORAT)
    url = reverse("accounts:role_revoke", kwargs={"pk": handler.pk})
    asked = koordinator.post(url).content.decode()
    assert "Inspektorat terakhir" in asked and 'name="successor_email"' in asked
    koordinator.post(url, {"confirm": "yes"})
    assert RoleAssignment.objects.filter(pk=handler.pk).exists()  # refused without a successor
    koordinator.post(
        url,
        {"confirm": "yes", "successor_email": "irban.baru@binjai.test", "successor_name": "Baru"},
    )
    assert not RoleAssignment.objects.filter(pk=handler.pk).exists()
    assert RoleAssignment.objects.filter(
        user__email="irban.baru@binjai.test", role=Role.INSPEKTORAT, pemda=world.binjai
    ).exists()
