"""A report never reaches a handler it names: titles, initials and word order aside, in any
field (issue: "Drs. <name>, M.Si" stayed with that handler himself)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cegah.wbs import access
from cegah.wbs.models import HandlingLevel, Report
from cegah.wbs.names import names, tokens

from .test_pages import REPORTER, report_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written",
    [
        "Drs. H. Sari Lubis, M.Si",
        "Hj. Sari Lubis S.E., M.M.",
        "Lubis, Sari",
        "S. Lubis",
        "ibu sari lubis",
    ],
)
def test_a_name_is_found_with_titles_initials_and_in_any_order(written: str) -> None:
    assert names("Sari Lubis", set(tokens(f"Yang meminta uang: {written}.")))


@pytest.mark.parametrize("written", ["Sari", "Lubisana", "S. L.", "Sarimah Lubis-Tarigan"])
def test_other_names_are_not_taken_for_hers(written: str) -> None:
    assert not names("Sari Lubis", set(tokens(written)))


@pytest.mark.parametrize("field", ["who_name", "what", "who_position", "where", "how"])
def test_a_report_naming_the_handler_anywhere_goes_up(world, field: str) -> None:
    reporter = Client(
        REMOTE_ADDR=REPORTER["REMOTE_ADDR"], HTTP_USER_AGENT=REPORTER["HTTP_USER_AGENT"]
    )
    text = "Pungutan oleh Drs. Sari Lubis, M.Si. di kantor layanan."
    fields = {"who_name": ""}
    fields[field] = text
    data = report_data(**fields)
    reporter.post(reverse("wbs_public:report_new", args=[world.binjai.code]), data)
    report = Report.objects.get()
    assert report.level == HandlingLevel.PROVINSI  # Binjai's handler is Sari Lubis
    assert report not in access.reports_handled_by(user=world.inspektorat_binjai)


@pytest.mark.parametrize("unit", ["Itda Kota Binjai", "Irban III", "APIP daerah"])
def test_an_inspectorate_written_another_way_goes_up(world, unit: str) -> None:
    reporter = Client(
        REMOTE_ADDR=REPORTER["REMOTE_ADDR"], HTTP_USER_AGENT=REPORTER["HTTP_USER_AGENT"]
    )
    reporter.post(
        reverse("wbs_public:report_new", args=[world.binjai.code]),
        report_data(who_name="Pak Anu", who_unit=unit),
    )
    assert Report.objects.get().level == HandlingLevel.PROVINSI


@pytest.mark.parametrize(
    ("route", "level"),
    [
        ("pemda", HandlingLevel.PEMDA),
        ("atas", HandlingLevel.PROVINSI),
        ("nasional", HandlingLevel.NASIONAL),
    ],
)
def test_the_reporter_chooses_where_the_report_goes(world, route: str, level: str) -> None:
    reporter = Client(
        REMOTE_ADDR=REPORTER["REMOTE_ADDR"], HTTP_USER_AGENT=REPORTER["HTTP_USER_AGENT"]
    )
    reporter.post(
        reverse("wbs_public:report_new", args=[world.binjai.code]),
        report_data(who_name="Pak Anu", who_unit="Dinas PUPR", route=route),
    )
    assert Report.objects.get().level == level
