"""Handlers work together: internal notes the reporter never sees (sealed like the report), a
case given to a colleague of the same level, the queue filtered by who handles what."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.notifications.models import Notification
from cegah.testing.clients import sign_in
from cegah.testing.factories import RoleAssignmentFactory, UserFactory
from cegah.wbs import services
from cegah.wbs.models import InternalNote, Report

from .conftest import solved

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(world):
    person = UserFactory.create(email="irban2@binjai.test", full_name="Irban Dua")
    RoleAssignmentFactory.create(user=person, role="inspektorat", pemda=world.binjai)
    return person


def test_an_internal_note_is_sealed_and_never_reaches_the_reporter(submit, world) -> None:
    report, receipt = submit()
    handler = sign_in(Client(), world.inspektorat_binjai)
    handler.post(f"/wbs/{report.pk}/catatan/", {"body": "Cek ke bagian perizinan hari Senin."})
    note = InternalNote.objects.get()
    assert b"perizinan" not in bytes(note.sealed_body)
    assert "Cek ke bagian perizinan" in handler.get(f"/wbs/{report.pk}/").content.decode()
    assert not AuditEntry.objects.filter(data__icontains="perizinan").exists()
    reporter = Client()
    reporter.post("/lapor/ikuti/", {"receipt": receipt, **solved("receipt")})
    page = reporter.get("/lapor/ikuti/laporan/").content.decode()
    assert "Laporan Anda" in page and "perizinan hari Senin" not in page


def test_a_case_goes_to_a_colleague_of_the_same_level_only(submit, world, colleague) -> None:
    report, _ = submit()
    handler = sign_in(Client(), world.inspektorat_binjai)
    handler.post(f"/wbs/{report.pk}/tugaskan/", {"assignee": colleague.pk})
    report.refresh_from_db()
    assert report.assignee == colleague
    told = Notification.objects.get(recipient=colleague)
    assert str(report) in told.title and "Pungutan" not in told.title + told.body
    with pytest.raises(DomainError) as refused:
        services.report_assign(
            report_id=report.pk, user=world.inspektorat_binjai, assignee_id=world.admin_binjai.pk
        )
    assert refused.value.code == "not_a_colleague"
    mine = sign_in(Client(), colleague).get("/wbs/", {"penangan": "saya"}).content.decode()
    assert str(report) in mine
    nobodys = handler.get("/wbs/", {"penangan": "belum"}).content.decode()
    assert str(report) not in nobodys


def test_notes_and_assignments_are_for_the_reports_handlers_only(submit, world) -> None:
    report, _ = submit()
    outsider = sign_in(Client(), world.admin_binjai)
    assert outsider.post(f"/wbs/{report.pk}/catatan/", {"body": "x"}).status_code == 404
    assert outsider.post(f"/wbs/{report.pk}/tugaskan/", {"assignee": ""}).status_code == 404
    assert not InternalNote.objects.exists() and Report.objects.get().assignee is None
    assert re.search(
        "Catatan internal",
        sign_in(Client(), world.inspektorat_binjai).get(f"/wbs/{report.pk}/").content.decode(),
    )
