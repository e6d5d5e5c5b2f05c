"""Numbers and dates the Indonesian way in a real browser that asks for English (en-US)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cegah.core.tests.browser import (  # noqa: F401
    assert_accessible,
    assert_fits_the_screen,
    page,
    sign_in,
)
from cegah.mcp.models import Answer, Evidence, Period
from cegah.uploads.tests import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_types_numbers_and_dates_and_reads_them_back_as_typed(
    page,  # noqa: F811
    live_server,
    world,
    reporting,
    tmp_path,
) -> None:
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() + timedelta(days=5)
    )
    pdf = tmp_path / "kib-a.pdf"
    pdf.write_bytes(files.PDF)
    sub = reporting.subs["BMD.1.1"]  # a number, target 10.000
    sign_in(page, live_server.url, world.operator_pupr_binjai)
    page.goto(f"{live_server.url}/mcp/lapor/?opd={world.pupr_binjai.pk}")
    row = page.locator(f"#sub-{sub.pk}")
    row.locator("summary").click()

    answer = row.get_by_role("textbox", name="Jawaban")
    answer.fill("527.500")
    row.get_by_role("button", name="Simpan jawaban").click()
    row = page.locator(f"#sub-{sub.pk}")
    row.get_by_text("Jawaban disimpan: 527.500.").wait_for()
    assert Answer.objects.get(sub_indicator=sub).value == 527500
    assert row.get_by_role("textbox", name="Jawaban").input_value() == "527.500"

    # The browser's language is English, the date is still day first, in a text field.
    when = row.get_by_label("Berlaku sejak")
    assert when.get_attribute("type") == "text"
    assert when.input_value() == timezone.localdate().strftime("%d-%m-%Y")
    # The calendar button opens the browser's own picker; what it picks comes back day first.
    picker = row.get_by_role("button", name="Pilih tanggal dari kalender").first
    assert picker.is_visible()
    row.locator("input.date-native").first.evaluate(
        "(input) => { input.value = '2025-10-01';"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    assert when.input_value() == "01-10-2025"
    row.get_by_label("Berlaku sampai (bila ada)").fill("31 Desember 2027")
    row.get_by_label("Berkas bukti").set_input_files(str(pdf))
    assert_accessible(page)  # the row with the shared inputs
    assert_fits_the_screen(page)
    row.get_by_role("button", name="Unggah").click()
    page.locator(f"#sub-{sub.pk}").get_by_text("Bukti “kib-a.pdf” diunggah.").wait_for()
    evidence = Evidence.objects.get(answer__sub_indicator=sub)
    assert evidence.effective_date == date(2025, 10, 1)
    assert evidence.valid_until == date(2027, 12, 31)

    # A wrong date keeps the row and says how to write it; the file is named to choose again.
    row = page.locator(f"#sub-{sub.pk}")
    row.get_by_text("Ganti bukti").click()
    row.get_by_label("Berlaku sejak").fill("10/31/2025")
    row.get_by_label("Berkas bukti").set_input_files(str(pdf))
    row.get_by_role("button", name="Unggah").click()
    refused = page.locator(f"#sub-{sub.pk}").get_by_role("alert")
    refused.wait_for()
    assert "06-12-2026" in refused.inner_text() and "kib-a.pdf" in refused.inner_text()


def test_an_english_reader_types_the_english_way_and_dates_stay_day_first(
    page,  # noqa: F811
    live_server,
    world,
    reporting,
) -> None:
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() + timedelta(days=5)
    )
    sub = reporting.subs["BMD.1.1"]
    sign_in(page, live_server.url, world.operator_pupr_binjai)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/mcp/lapor/?opd={world.pupr_binjai.pk}")
    row = page.locator(f"#sub-{sub.pk}")
    row.locator("summary").click()
    row.get_by_role("textbox", name="Answer").fill("527,500")
    row.get_by_role("button", name="Save answer").click()
    page.locator(f"#sub-{sub.pk}").get_by_text("Answer saved: 527,500.").wait_for()
    assert Answer.objects.get(sub_indicator=sub).value == 527500
    since = page.locator(f"#sub-{sub.pk}").get_by_label("Valid from")
    assert since.input_value() == timezone.localdate().strftime("%d-%m-%Y")
    assert since.get_attribute("placeholder") == "dd-mm-yyyy"
