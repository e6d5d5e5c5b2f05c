"""A loss typed the Indonesian way is stored as meant and read back as typed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cegah.testing.clients import sign_in
from cegah.wbs.models import Report
from cegah.wbs.selectors import report_view

from .conftest import as_legacy, opened_by, opened_by_reporter
from .test_pages import REPORTER, report_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Rp50.000.000", 50_000_000), ("50.000", 50_000), ("Rp 1.500.000,-", 1_500_000)],
)
def test_a_loss_in_rupiah_is_stored_as_meant(world, client, typed: str, stored: int) -> None:
    reporter = Client(
        REMOTE_ADDR=REPORTER["REMOTE_ADDR"], HTTP_USER_AGENT=REPORTER["HTTP_USER_AGENT"]
    )
    url = reverse("wbs_public:report_new", args=[world.binjai.code])
    assert reporter.post(url, report_data(estimated_loss=typed)).status_code == 200
    report = Report.objects.get()
    key = opened_by(report, world.inspektorat_binjai)
    assert report_view(report=report, key=key, for_handler=True).content.estimated_loss == stored
    handler = sign_in(client, world.inspektorat_binjai)
    page = handler.get(reverse("wbs:report", args=[report.pk])).content.decode()
    shown = "Rp" + f"{stored:,}".replace(",", ".")
    assert shown in page


def test_a_loss_that_fits_no_reading_is_refused_with_an_example(world) -> None:
    reporter = Client(
        REMOTE_ADDR=REPORTER["REMOTE_ADDR"], HTTP_USER_AGENT=REPORTER["HTTP_USER_AGENT"]
    )
    url = reverse("wbs_public:report_new", args=[world.binjai.code])
    page = reporter.post(url, report_data(estimated_loss="Rp50.000.000,505"))
    html = page.content.decode()
    assert "Masukkan bilangan bulat" in html or "tidak terbaca" in html
    refused = reporter.post(url, report_data(estimated_loss="50.00.000")).content.decode()
    assert "Rp1.500.000" in refused  # the example of how to write it
    assert 'value="50.00.000"' in refused  # what was typed stays
    assert not Report.objects.exists()


def test_amounts_stored_before_the_shared_input_are_listed_for_checking(submit) -> None:
    from dataclasses import asdict, replace
    from io import StringIO

    from django.core.management import call_command

    from cegah.wbs import services

    # Reports made before key pairs, still sealed with a master key of the key file.
    misread = as_legacy(submit(what="Dulu diketik 50.000, tersimpan Rp50.")[0])
    content = replace(services.ReportContent(what="x"), estimated_loss=50)
    Report.objects.filter(pk=misread.pk).update(
        sealed_content=services._seal_json(opened_by_reporter(misread), asdict(content))
    )
    as_legacy(submit(what="Tersimpan benar.")[0])  # Rp15.000.000, not listed
    submit(what="Dibuat sesudah kunci pasangan.")  # the server cannot read it: not listed
    out = StringIO()
    call_command("wbs_amounts_misread", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [f"{misread}\t12.75\tRp50\tlikely Rp50.000", "1 report(s) to check."]
