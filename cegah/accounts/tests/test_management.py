"""Admin Pemda manages their own Pemda only; the Koordinator manages verifiers."""

from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from cegah.accounts import selectors, services
from cegah.accounts.models import Role, RoleAssignment, User, VerifierAssignment
from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.regions.models import Opd, Pemda
from cegah.testing.factories import make_user

pytestmark = pytest.mark.django_db


def members_url(pemda):
    return reverse("accounts:pemda_members", kwargs={"code": pemda.code})


def opd_url(pemda):
    return reverse("accounts:opd_list", kwargs={"code": pemda.code})


# --- who may open what --------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        "operator_binjai",
        "inspektorat_binjai",
        "verifier_sumut",
        "nobody",
        "admin_pekalongan",
    ],
)
def test_only_the_pemdas_admin_opens_its_management_pages(client, world, login, who) -> None:
    login(getattr(world, who))
    assert client.get(members_url(world.binjai)).status_code == 404
    assert client.get(opd_url(world.binjai)).status_code == 404


def test_admin_opens_own_pemda_pages(client, world, login) -> None:
    login(world.admin_binjai)
    page = client.get(members_url(world.binjai))
    assert page.status_code == 200
    assert "Rina Siregar" in page.content.decode()
    assert "Dewi Rahayu" not in page.content.decode()  # Pekalongan's operator
    assert client.get(opd_url(world.binjai)).status_code == 200


def test_superadmin_manages_every_pemda(client, world, login) -> None:
    login(world.superadmin)
    assert client.get(members_url(world.kota_pekalongan)).status_code == 200


def test_unknown_pemda_code_is_404(client, world, login) -> None:
    login(world.admin_binjai)
    assert client.get(members_url(Pemda(code="99.99"))).status_code == 404


# --- invitations ----------------------------------------------------------------------------


def test_admin_invites_an_operator_of_their_own_opd(
    client, world, login, django_capture_on_commit_callbacks
) -> None:
    login(world.admin_binjai)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            members_url(world.binjai),
            {
                "email": "Baru@Binjai.test",
                "full_name": "Operator Baru",
                "role": "operator",
                "opd": world.pupr_binjai.pk,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="baru@binjai.test")
    assert not user.has_usable_password()
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.opd, assignment.pemda) == (
        Role.OPERATOR,
        world.pupr_binjai,
        world.binjai,
    )
    assert len(mail.outbox) == 1
    assert "/akun/sandi/atur/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="accounts.role.grant")
    assert entry.actor == world.admin_binjai and entry.data["opd"] == world.pupr_binjai.name


def test_invitation_link_lets_the_new_user_set_a_password(
    client, world, login, django_capture_on_commit_callbacks
) -> None:
    login(world.admin_binjai)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            members_url(world.binjai),
            {"email": "baru@binjai.test", "full_name": "Baru", "role": "admin_pemda"},
        )
    client.logout()
    link = next(w for w in mail.outbox[0].body.split() if "/akun/sandi/atur/" in w)
    page = client.get(link, follow=True)
    new = "sandi-pertama-yang-kuat-7"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert User.objects.get(email="baru@binjai.test").check_password(new)


def test_the_invitation_is_written_in_the_invitees_language_not_the_inviters(
    client, world, login, django_capture_on_commit_callbacks
) -> None:
    login(world.admin_binjai)
    client.post(reverse("set_language"), {"language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            members_url(world.binjai),
            {"email": "baru@binjai.test", "full_name": "Baru", "role": "admin_pemda"},
        )
    assert 'lang="en"' in client.get(members_url(world.binjai)).content.decode()  # the inviter's
    assert mail.outbox[0].subject.startswith("Undangan ke Cegah: ")


def test_forged_opd_of_another_pemda_is_refused_and_nothing_created(client, world, login) -> None:
    login(world.admin_binjai)
    page = client.post(
        members_url(world.binjai),
        {
            "email": "susup@binjai.test",
            "full_name": "Susup",
            "role": "operator",
            "opd": world.bpbj_pekalongan.pk,
        },
    )
    assert page.status_code == 200
    assert "Masukkan pilihan yang valid" in page.content.decode()
    assert not User.objects.filter(email="susup@binjai.test").exists()


def test_admin_cannot_invite_into_another_pemda(client, world, login) -> None:
    login(world.admin_binjai)
    response = client.post(
        members_url(world.kota_pekalongan),
        {"email": "susup@pekalongan.test", "full_name": "Susup", "role": "admin_pemda"},
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="susup@pekalongan.test").exists()


def test_admin_cannot_hand_out_national_roles(client, world, login) -> None:
    login(world.admin_binjai)
    page = client.post(
        members_url(world.binjai),
        {"email": "x@binjai.test", "full_name": "X", "role": "koordinator"},
    )
    assert "Masukkan pilihan yang valid" in page.content.decode()
    assert not User.objects.filter(email="x@binjai.test").exists()


def test_one_person_can_hold_roles_in_two_pemda(client, world, login) -> None:
    login(world.admin_pekalongan)
    client.post(
        members_url(world.kota_pekalongan),
        {
            "email": world.inspektorat_binjai.email.upper(),
            "full_name": "ignored",
            "role": "admin_pemda",
        },
    )
    roles = RoleAssignment.objects.filter(user=world.inspektorat_binjai)
    assert {r.pemda for r in roles} == {world.binjai, world.kota_pekalongan}
    assert User.objects.filter(email__iexact=world.inspektorat_binjai.email).count() == 1


def test_inviting_twice_is_a_clear_error_not_a_duplicate(client, world, login) -> None:
    login(world.admin_binjai)
    data = {"email": "dua@binjai.test", "full_name": "Dua", "role": "admin_pemda"}
    client.post(members_url(world.binjai), data)
    page = client.post(members_url(world.binjai), data)
    assert "sudah memegang peran ini" in page.content.decode()
    assert RoleAssignment.objects.filter(user__email="dua@binjai.test").count() == 1


def test_roles_must_match_their_scope_in_the_database(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=world.nobody, role=Role.OPERATOR, pemda=world.binjai)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=world.nobody, role=Role.KOORDINATOR, pemda=world.binjai)


# --- revoking -------------------------------------------------------------------------------


def test_admin_revokes_a_role_in_their_pemda_after_confirming(client, world, login) -> None:
    login(world.admin_binjai)
    assignment = RoleAssignment.objects.get(user=world.operator_pupr_binjai)
    url = reverse("accounts:role_revoke", kwargs={"pk": assignment.pk})
    members = reverse("accounts:pemda_members", kwargs={"code": "12.75"})
    asked = client.post(url, {"next": members}).content.decode()  # the list's button
    assert (
        f"dari {world.operator_pupr_binjai.full_name} ({world.operator_pupr_binjai.email})" in asked
    )
    assert 'name="confirm" value="yes"' in asked and f'href="{members}"' in asked  # or go back
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    done = client.post(url, {"next": members, "confirm": "yes"}, follow=True)
    assert done.redirect_chain[-1][0] == members and "Peran dicabut." in done.content.decode()
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="accounts.role.revoke").exists()


def test_revoking_a_role_of_another_pemda_is_404(client, world, login) -> None:
    login(world.admin_binjai)
    assignment = RoleAssignment.objects.get(user=world.operator_pekalongan)
    url = reverse("accounts:role_revoke", kwargs={"pk": assignment.pk})
    assert client.post(url).status_code == 404  # not even asked: nothing of Pekalongan shows
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_second_click_or_a_stale_list_is_told_the_role_is_already_revoked(
    client, world, login
) -> None:
    assignment = RoleAssignment.objects.get(user=world.operator_pupr_binjai)
    url = reverse("accounts:role_revoke", kwargs={"pk": assignment.pk})
    members = reverse("accounts:pemda_members", kwargs={"code": "12.75"})
    login(world.admin_binjai)
    client.post(url, {"next": members, "confirm": "yes"}, follow=True)
    again = client.post(url, {"next": members, "confirm": "yes"}, follow=True)  # double submit
    assert again.redirect_chain[-1][0] == members
    assert "Anda sudah mencabut peran ini pada" in again.content.decode()
    assert "Peran dicabut." not in again.content.decode()
    assert AuditEntry.objects.filter(action="accounts.role.revoke").count() == 1
    # A second admin's list, shown before the revocation, says who revoked it.
    colleague = make_user("admin2@binjai.test", "Lia Harahap")
    RoleAssignment.objects.create(user=colleague, role=Role.ADMIN_PEMDA, pemda=world.binjai)
    login(colleague)
    for answer in ({}, {"confirm": "yes"}):  # asking, and confirming
        page = client.post(url, {"next": members, **answer}, follow=True).content.decode()
        assert f"Peran ini sudah dicabut oleh {world.admin_binjai.email} pada" in page
    assert AuditEntry.objects.filter(action="accounts.role.revoke").count() == 1


def test_a_revoked_role_of_another_pemda_is_still_404(client, world, login) -> None:
    assignment = RoleAssignment.objects.get(user=world.operator_pupr_binjai)
    services.role_revoke(actor=world.admin_binjai, assignment_id=assignment.pk)
    url = reverse("accounts:role_revoke", kwargs={"pk": assignment.pk})
    login(world.admin_pekalongan)  # learns nothing of Binjai's roles, gone or not
    assert client.post(url).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    never = reverse("accounts:role_revoke", kwargs={"pk": assignment.pk + 10_000})
    login(world.admin_binjai)
    assert client.post(never, {"confirm": "yes"}).status_code == 404


def test_a_koordinator_is_told_a_national_role_is_already_revoked(client, world, login) -> None:
    assignment = RoleAssignment.objects.get(user=world.verifier_jateng)
    url = reverse("accounts:role_revoke", kwargs={"pk": assignment.pk})
    login(world.koordinator)
    client.post(url, {"confirm": "yes"})
    again = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "Anda sudah mencabut peran ini pada" in again
    client.cookies["django_language"] = "en"
    again = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "You already revoked this role on" in again
    login(world.admin_binjai)  # a Pemda admin never managed national roles
    assert client.post(url, {"confirm": "yes"}).status_code == 404


def test_nobody_revokes_their_own_role(client, world, login) -> None:
    login(world.admin_binjai)
    own = RoleAssignment.objects.get(user=world.admin_binjai)
    client.post(reverse("accounts:role_revoke", kwargs={"pk": own.pk}), {"confirm": "yes"})
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_revoking_needs_post(client, world, login) -> None:
    login(world.admin_binjai)
    assignment = RoleAssignment.objects.get(user=world.operator_pupr_binjai)
    assert (
        client.get(reverse("accounts:role_revoke", kwargs={"pk": assignment.pk})).status_code == 405
    )


# --- OPD --------------------------------------------------------------------------------------


def test_admin_adds_an_opd_with_htmx_and_gets_the_updated_list(client, world, login) -> None:
    login(world.admin_binjai)
    response = client.post(
        opd_url(world.binjai),
        {"name": "Dinas  Kesehatan", "short_name": "Dinkes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="opd-section"' in html and "<html" not in html
    assert "Dinas Kesehatan" in html
    assert Opd.objects.filter(pemda=world.binjai, name="Dinas Kesehatan").exists()


def test_duplicate_opd_name_is_refused_with_a_message(client, world, login) -> None:
    login(world.admin_binjai)
    before = Opd.objects.count()
    page = client.post(opd_url(world.binjai), {"name": world.bpkad_binjai.name.lower()})
    assert "sudah ada di Pemda ini" in page.content.decode()
    assert Opd.objects.count() == before


def test_opd_edit_of_another_pemda_is_404(client, world, login) -> None:
    login(world.admin_binjai)
    foreign = reverse(
        "accounts:opd_edit", kwargs={"code": world.binjai.code, "pk": world.bpbj_pekalongan.pk}
    )
    assert client.get(foreign).status_code == 404
    other = reverse(
        "accounts:opd_edit",
        kwargs={"code": world.kota_pekalongan.code, "pk": world.bpbj_pekalongan.pk},
    )
    assert client.post(other, {"name": "Diretas"}).status_code == 404
    world.bpbj_pekalongan.refresh_from_db()
    assert world.bpbj_pekalongan.name == "Bagian Pengadaan Barang dan Jasa"


def test_opd_edit_on_a_stale_form_changes_nothing(client, world, login) -> None:
    login(world.admin_binjai)
    url = reverse(
        "accounts:opd_edit", kwargs={"code": world.binjai.code, "pk": world.pupr_binjai.pk}
    )
    page = client.get(url)
    version = page.context["form"].initial["version"]
    client.post(
        url, {"name": "Dinas PUPR", "short_name": "PUPR", "is_active": "on", "version": version}
    )
    stale = client.post(
        url, {"name": "Nama Lama Menimpa", "short_name": "", "is_active": "on", "version": version}
    )
    assert "diubah orang lain" in stale.content.decode()
    world.pupr_binjai.refresh_from_db()
    assert world.pupr_binjai.name == "Dinas PUPR"


# --- verifiers ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin_binjai", "verifier_sumut", "operator_binjai", "nobody"])
def test_only_coordinators_open_verifier_assignment(client, world, login, who) -> None:
    login(getattr(world, who))
    assert client.get(reverse("accounts:verifier_list")).status_code == 404


def test_koordinator_assigns_and_unassigns_a_verifier(client, world, login) -> None:
    login(world.koordinator)
    client.post(
        reverse("accounts:verifier_list"),
        {"assign": "1", "verifier": world.verifier_sumut.pk, "pemda": world.kab_pekalongan.pk},
    )
    assignment = VerifierAssignment.objects.get(
        verifier=world.verifier_sumut, pemda=world.kab_pekalongan
    )
    assert world.kab_pekalongan in selectors.pemda_visible_to(user=world.verifier_sumut)
    url = reverse("accounts:verifier_unassign", kwargs={"pk": assignment.pk})
    asked = client.post(url).content.decode()  # the list's button asks first
    assert "Cabut penugasan" in asked and 'name="confirm" value="yes"' in asked
    assert VerifierAssignment.objects.filter(pk=assignment.pk).exists()
    done = client.post(url, {"confirm": "yes"}, follow=True)
    assert "Penugasan dicabut." in done.content.decode()
    assert not VerifierAssignment.objects.filter(pk=assignment.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.verifier.assign", "accounts.verifier.unassign"} <= actions


def test_unassigning_says_when_a_pemda_is_left_without_a_verifier(client, world, login) -> None:
    login(world.koordinator)
    binjai = VerifierAssignment.objects.get(verifier=world.verifier_sumut, pemda=world.binjai)
    url = reverse("accounts:verifier_unassign", kwargs={"pk": binjai.pk})
    asked = client.post(url).content.decode()
    verifier = world.verifier_sumut
    assert f"Cabut penugasan {verifier.full_name} ({verifier.email}) untuk Kota Binjai?" in asked
    assert "Kota Binjai tidak lagi punya verifikator" in asked
    assert f'href="{reverse("accounts:verifier_list")}"' in asked  # Batal goes back
    VerifierAssignment.objects.create(verifier=world.verifier_jateng, pemda=world.binjai)
    asked = client.post(url).content.decode()
    assert f"Kota Binjai tetap diverifikasi oleh {world.verifier_jateng.full_name}." in asked
    assert "tidak lagi punya verifikator" not in asked
    assert VerifierAssignment.objects.filter(pk=binjai.pk).exists()  # asking changed nothing


def test_only_a_koordinator_is_asked_to_unassign(client, world, login) -> None:
    binjai = VerifierAssignment.objects.get(verifier=world.verifier_sumut, pemda=world.binjai)
    url = reverse("accounts:verifier_unassign", kwargs={"pk": binjai.pk})
    for user in (world.verifier_sumut, world.admin_binjai):
        login(user)
        page = client.post(url)
        assert page.status_code == 404 and world.verifier_sumut.email not in page.content.decode()
        assert client.post(url, {"confirm": "yes"}).status_code == 404
    login(world.koordinator)
    assert client.get(url).status_code == 405
    assert VerifierAssignment.objects.filter(pk=binjai.pk).exists()


def test_a_second_click_on_unassign_says_it_is_already_done(client, world, login) -> None:
    binjai = VerifierAssignment.objects.get(verifier=world.verifier_sumut, pemda=world.binjai)
    url = reverse("accounts:verifier_unassign", kwargs={"pk": binjai.pk})
    login(world.koordinator)
    client.post(url, {"confirm": "yes"})
    for answer in ({"confirm": "yes"}, {}):  # a double submit, and a stale list's button
        again = client.post(url, answer, follow=True)
        assert again.redirect_chain[-1][0] == reverse("accounts:verifier_list")
        assert "Anda sudah mencabut penugasan ini pada" in again.content.decode()
    other = make_user("korsup2@kpk.test", "Rudi Hartono")
    RoleAssignment.objects.create(user=other, role=Role.KOORDINATOR)
    login(other)
    page = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert f"Penugasan ini sudah dicabut oleh {world.koordinator.email} pada" in page
    assert AuditEntry.objects.filter(action="accounts.verifier.unassign").count() == 1
    login(world.admin_binjai)
    assert client.post(url, {"confirm": "yes"}).status_code == 404


def test_only_verifiers_can_be_assigned(client, world, login) -> None:
    login(world.koordinator)
    page = client.post(
        reverse("accounts:verifier_list"),
        {"assign": "1", "verifier": world.admin_binjai.pk, "pemda": world.binjai.pk},
    )
    assert page.status_code == 200
    assert not VerifierAssignment.objects.filter(verifier=world.admin_binjai).exists()


def test_verifier_list_query_count_does_not_grow_with_assignments(
    client, world, login, django_assert_max_num_queries
) -> None:
    login(world.koordinator)
    url = reverse("accounts:verifier_list")
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for pemda in Pemda.objects.filter(province=world.jateng.province)[:30]:
        VerifierAssignment.objects.get_or_create(verifier=world.verifier_sumut, pemda=pemda)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Cabut") >= 30


def test_members_page_query_count_does_not_grow_with_members(
    client, world, login, django_assert_max_num_queries
) -> None:
    login(world.admin_binjai)
    with django_assert_max_num_queries(20) as few:
        client.get(members_url(world.binjai))
    for i in range(15):
        user = User.objects.create_user(email=f"op{i}@binjai.test", full_name=f"Op {i}")
        RoleAssignment.objects.create(
            user=user, role=Role.OPERATOR, pemda=world.binjai, opd=world.pupr_binjai
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(members_url(world.binjai))


# --- scoping selectors ------------------------------------------------------------------------


def test_what_each_role_can_see(world) -> None:
    def visible(user):
        return set(selectors.pemda_visible_to(user=user).values_list("code", flat=True))

    assert visible(world.operator_binjai) == {"12.75"}
    assert visible(world.admin_pekalongan) == {"33.75"}
    assert visible(world.verifier_jateng) == {"33", "33.75", "33.26"}
    assert visible(world.nobody) == set()
    assert len(visible(world.koordinator)) == 546
    world.admin_binjai.is_active = False
    assert visible(world.admin_binjai) == set()


def test_the_services_refuse_what_the_forms_already_keep_out(world) -> None:
    """The pages offer only what the actor may do; the services do not rely on them."""

    def invite(**how: Any) -> RoleAssignment:
        return services.user_invite(
            actor=world.admin_binjai, email="baru@binjai.test", full_name="Orang Baru", **how
        )

    for role, pemda in ((Role.ADMIN_PEMDA, world.kota_pekalongan), (Role.KOORDINATOR, None)):
        with pytest.raises(Http404):
            invite(role=role, pemda=pemda)
    Opd.objects.filter(pk=world.pupr_binjai.pk).update(is_active=False)
    world.pupr_binjai.refresh_from_db()
    for how, code in (
        ({"pemda": world.binjai}, "opd_required"),
        ({"opd": world.pupr_binjai}, "opd_inactive"),
    ):
        with pytest.raises(DomainError) as refused:
            invite(role=Role.OPERATOR, **how)
        assert refused.value.code == code
    assert not User.objects.filter(email="baru@binjai.test").exists()

    with pytest.raises(Http404):
        services.verifier_assign(
            actor=world.admin_binjai, verifier=world.verifier_sumut, pemda=world.kota_pekalongan
        )
    with pytest.raises(DomainError) as not_a_verifier:
        services.verifier_assign(
            actor=world.koordinator, verifier=world.operator_binjai, pemda=world.kota_pekalongan
        )
    assert not_a_verifier.value.code == "not_verifier"
    given = VerifierAssignment.objects.get(verifier=world.verifier_sumut, pemda=world.binjai)
    with pytest.raises(Http404):
        services.verifier_unassign(actor=world.verifier_sumut, assignment_id=given.pk)
    assert VerifierAssignment.objects.filter(pk=given.pk).exists()
    assert (
        not VerifierAssignment.objects.filter(pemda=world.kota_pekalongan)
        .exclude(verifier=world.verifier_jateng)
        .exists()
    )
