"""The MCP part of the demo `make run` seeds: termin of 2025 and of the current demo year 2026,
and OPD assignments in the demo Pemda. Idempotent; never run against production data."""

from __future__ import annotations

import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cegah.accounts.models import User
from cegah.mcp import selectors
from cegah.mcp.models import Answer, IndicatorAssignment, Period
from cegah.mcp.services import (
    answer_approve,
    answer_return,
    answer_save,
    answers_submit,
    catalogue_import,
    evidence_add,
    indicator_assign,
    period_close,
    period_create,
    period_extend,
    period_open,
)
from cegah.regions.models import Opd, Pemda

WIB = ZoneInfo("Asia/Jakarta")
CATALOGUES = Path(settings.BASE_DIR) / "data" / "mcp"
DEMO_YEAR = 2026
# Which demo OPD answers each area's indicators.
AREA_OPD = {
    "PRC": "Bappeda",
    "ANG": "BPKAD",
    "PBJ": "BPBJ",
    "YAN": "DPMPTSP",
    "APIP": "Inspektorat",
    "ASN": "BKPSDM",
    "BMD": "BPKAD",
    "PAD": "Bapenda",
}
ASSIGNED_PEMDA = ["12.75", "33.75", "16.71"]


def termin_dates(year: int, number: int) -> tuple[datetime, datetime, datetime]:
    """Opening, upload and verification deadlines of a demo termin (quarterly, in WIB)."""
    month = 3 * (number - 1) + 1
    opens = datetime(year, month, 2, 8, 0, tzinfo=WIB)
    due_month, due_year = (month + 3, year) if number < 4 else (1, year + 1)
    upload = datetime(due_year, due_month, 15, 23, 59, tzinfo=WIB)
    verify = datetime(due_year, due_month + 1, 15, 23, 59, tzinfo=WIB)
    return opens, upload, verify


def _demo_catalogue() -> None:
    """The demo's current year reports on a copy of the 2025 catalogue: KPK's 2026 catalogue is
    not shipped as data, and a demo on 26 November 2026 should have a termin open."""
    text = (CATALOGUES / "mcp-2025.yaml").read_text(encoding="utf-8")
    text = text.replace("year: 2025\n", f"year: {DEMO_YEAR}\n", 1)
    text = text.replace(
        'title: {id: "Katalog MCP 2025", en: "MCP 2025 catalogue"}',
        f'title: {{id: "Katalog MCP {DEMO_YEAR} (demo)", en: "MCP {DEMO_YEAR} catalogue (demo)"}}'
        '\nnote: "Demo: salinan katalog 2025."',
        1,
    )
    # Every indicator continues its 2025 namesake.
    text = "\n".join(line for line in text.splitlines() if "previous:" not in line) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"mcp-{DEMO_YEAR}-demo.yaml"
        path.write_text(text, encoding="utf-8")
        catalogue_import(path=path)


def _periods(koordinator: User) -> None:
    for year, open_number in ((2025, None), (DEMO_YEAR, 4)):
        for number in range(1, 5):
            if Period.objects.filter(year=year, number=number).exists():
                continue
            opens, upload, verify = termin_dates(year, number)
            period = period_create(
                actor=koordinator,
                year=year,
                number=number,
                opens_at=opens,
                upload_deadline=upload,
                verification_deadline=verify,
            )
            if open_number is None or number <= open_number:
                period_open(actor=koordinator, period_id=period.pk)
            if open_number is None or number < open_number:
                period_close(actor=koordinator, period_id=period.pk)
            if (year, number) == (DEMO_YEAR, open_number):
                period_extend(
                    actor=koordinator,
                    period_id=period.pk,
                    pemda=Pemda.objects.get(code="16.71"),
                    upload_deadline=upload.replace(day=22),
                    reason="Migrasi server Diskominfo Kota Palembang",
                )


def _assignments(admin: User, pemda: Pemda) -> None:
    catalogue = selectors.current_catalogue(year=DEMO_YEAR)
    if catalogue is None or IndicatorAssignment.objects.filter(pemda=pemda).exists():
        return
    opds = {o.short_name: o for o in Opd.objects.filter(pemda=pemda)}
    by_area: dict[str, list[int]] = {}
    for indicator in selectors.applicable_indicators(catalogue=catalogue, pemda=pemda).values(
        "pk", "area__code"
    ):
        by_area.setdefault(indicator["area__code"], []).append(indicator["pk"])
    for area, ids in by_area.items():
        opd = opds.get(AREA_OPD.get(area, ""))
        if opd is not None:
            indicator_assign(
                actor=admin, pemda=pemda, catalogue=catalogue, opd_id=opd.pk, indicator_ids=ids
            )


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _reporting(pemda: Pemda) -> None:
    """Binjai's report in the open termin, in every state: drafts, submitted, returned with a
    reason, approved; made through the same services people use."""
    period = selectors.open_period(year=DEMO_YEAR)
    if period is None or Answer.objects.filter(pemda=pemda, period=period).exists():
        return
    operator = User.objects.get(email="operator.binjai@cegah.test")
    admin = User.objects.get(email="admin.binjai@cegah.test")
    verifier = User.objects.get(email="verifikator.sumut@cegah.test")
    rows = selectors.work_rows(pemda=pemda, period=period)
    answerable = {"yes_no": 1, "choice": 0, "percentage": 85, "number": 420000}
    for row in rows[:40]:
        actor = admin  # the admin may answer for any OPD; operators only for their own
        if row.sub.evidence or row.sub.answer_type == "document":
            evidence_add(
                user=operator if row.sub.indicator.area.code in ("ANG", "BMD") else admin,
                pemda=pemda,
                period=period,
                sub_indicator_id=row.sub.pk,
                upload=SimpleUploadedFile(f"{row.sub.code}.pdf", DEMO_PDF + row.sub.code.encode()),
                effective_date=period.opens_at.date(),
                valid_until=None,
            )
        if row.sub.answer_type in answerable:
            answer = Answer.objects.filter(
                pemda=pemda, period=period, sub_indicator=row.sub
            ).first()
            answer_save(
                user=actor,
                pemda=pemda,
                period=period,
                sub_indicator_id=row.sub.pk,
                value=Decimal(answerable[row.sub.answer_type]),
                expected_version=answer.version if answer else 0,
            )
    planning = next(r.sub.indicator.area for r in rows if r.sub.indicator.area.code == "PRC")
    answers_submit(user=admin, pemda=pemda, period=period, area_id=planning.pk)
    submitted = list(
        Answer.objects.filter(pemda=pemda, period=period, state=Answer.State.SUBMITTED).order_by(
            "sub_indicator__indicator__position", "sub_indicator__position"
        )
    )
    for answer in submitted[:6]:
        answer_approve(verifier=verifier, answer_id=answer.pk)
    if len(submitted) > 6:
        answer_return(
            verifier=verifier,
            answer_id=submitted[6].pk,
            reason="Dokumen belum ditandatangani kepala daerah. Unggah versi bertanda tangan.",
        )


@transaction.atomic
def mcp_demo_seed() -> None:
    if selectors.current_catalogue(year=2025) is None:
        return  # `make run` imports data/mcp first; without it there is nothing to report on
    _demo_catalogue()
    koordinator = User.objects.get(email="koordinator@cegah.test")
    _periods(koordinator)
    superadmin = User.objects.get(email="superadmin@cegah.test")
    for pemda in Pemda.objects.filter(code__in=ASSIGNED_PEMDA):
        _assignments(superadmin, pemda)
    _reporting(Pemda.objects.get(code="12.75"))
