"""Nobody verifies a Pemda whose report they help to write (issue: an Admin Pemda gave the
Pemda's verifier the Admin Pemda role, and that account saved, submitted and approved)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cegah.accounts import selectors, services
from cegah.accounts.models import Role, RoleAssignment, VerifierAssignment
from cegah.core.errors import DomainError
from cegah.testing.factories import RoleAssignmentFactory

pytestmark = pytest.mark.django_db


def test_the_pemdas_verifier_is_not_given_a_role_in_it(world, login) -> None:
    admin = login(world.admin_binjai)
    page = admin.post(
        reverse("accounts:pemda_members", kwargs={"code": world.binjai.code}),
        {"email": world.verifier_sumut.email, "full_name": "x", "role": Role.ADMIN_PEMDA},
    )
    assert "tidak memegang peran di Pemda yang ia verifikasi" in page.content.decode()
    assert not RoleAssignment.objects.filter(user=world.verifier_sumut, pemda=world.binjai).exists()


def test_a_verifier_holding_a_role_in_a_pemda_is_not_assigned_to_it(world) -> None:
    RoleAssignmentFactory.create(
        user=world.verifier_jateng, role=Role.INSPEKTORAT, pemda=world.binjai
    )
    with pytest.raises(DomainError) as refused:
        services.verifier_assign(
            actor=world.koordinator, verifier=world.verifier_jateng, pemda=world.binjai
        )
    assert refused.value.code == "verifier_holds_role"
    assert not VerifierAssignment.objects.filter(
        verifier=world.verifier_jateng, pemda=world.binjai
    ).exists()


def test_a_role_held_from_before_the_rule_takes_the_pemda_out_of_the_verifiers_reach(
    world,
) -> None:
    assert world.binjai in selectors.pemda_verified_by(user=world.verifier_sumut)
    RoleAssignmentFactory.create(
        user=world.verifier_sumut, role=Role.ADMIN_PEMDA, pemda=world.binjai
    )  # made directly, as before the rule
    assert world.binjai not in selectors.pemda_verified_by(user=world.verifier_sumut)
    assert world.sumut in selectors.pemda_verified_by(user=world.verifier_sumut)
