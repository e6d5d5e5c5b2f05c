"""What each person should do next, for the home page. Later modules add their own tasks."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cegah.accounts import selectors as access
from cegah.accounts.models import Role, User
from cegah.mcp import selectors as mcp
from cegah.regions.models import Pemda
from cegah.regions.templatetags.pemda_time import pemda_time
from cegah.wbs.selectors import queue_summary as wbs_queue_summary


@dataclass(frozen=True)
class Note:
    """A line of a task's state; `late` ones (a passed deadline, returned items) stand out."""

    text: str
    late: bool = False


@dataclass(frozen=True)
class Task:
    title: str
    detail: str
    url: str = ""
    notes: tuple[Note, ...] = ()
    termin: mcp.TerminDeadline | None = None  # said before the notes, as the work page says it


def home_tasks(*, user: User) -> list[Task]:
    tasks: list[Task] = []
    wbs_listed = False
    for a in access.role_assignments(user=user):
        if a.role == Role.OPERATOR and a.opd:
            tasks.append(
                _report_task(
                    _("Laporan MCP %(opd)s") % {"opd": a.opd.name},
                    _("Isi jawaban dan unggah bukti untuk indikator yang ditugaskan ke OPD Anda."),
                    reverse("mcp:work") + f"?opd={a.opd_id}",
                    a.opd.pemda,
                    opd_ids=[a.opd.pk],
                )
            )
        elif a.role == Role.ADMIN_PEMDA and a.pemda:
            opd_count = a.pemda.opds.filter(is_active=True).count()
            detail = (
                _("Belum ada OPD. Tambahkan OPD dulu, lalu undang operatornya.")
                if opd_count == 0
                else _("%(count)d OPD aktif. Undang operator untuk tiap OPD.")
                % {"count": opd_count}
            )
            tasks.append(
                Task(
                    _("Kelola OPD %(pemda)s") % {"pemda": a.pemda},
                    detail,
                    reverse("accounts:opd_list", kwargs={"code": a.pemda.code}),
                )
            )
            tasks.append(
                _report_task(
                    _("Laporan MCP %(pemda)s") % {"pemda": a.pemda},
                    _("Pantau kemajuan per OPD dan area, lalu kirim ke verifikator."),
                    reverse("mcp:report_review", kwargs={"code": a.pemda.code}),
                    a.pemda,
                )
            )
            tasks.append(
                Task(
                    _("Penugasan indikator MCP %(pemda)s") % {"pemda": a.pemda},
                    _("Tugaskan setiap indikator yang berlaku ke OPD yang menjawabnya."),
                    reverse("mcp:assignment_board", kwargs={"code": a.pemda.code}),
                )
            )
            tasks.append(
                Task(
                    _("Kelola pengguna %(pemda)s") % {"pemda": a.pemda},
                    _("Undang operator, admin dan Inspektorat Pemda Anda."),
                    reverse("accounts:pemda_members", kwargs={"code": a.pemda.code}),
                )
            )
        elif a.role == Role.INSPEKTORAT and a.pemda and not wbs_listed:
            wbs_listed = True
            tasks.append(_wbs_task(user=user))
        elif a.role == Role.VERIFIKATOR:
            pemdas = list(access.pemda_verified_by(user=user))
            tasks.append(
                Task(
                    _("Verifikasi"),
                    ngettext(
                        "Anda ditugaskan memverifikasi %(count)d Pemda.",
                        "Anda ditugaskan memverifikasi %(count)d Pemda.",
                        len(pemdas),
                    )
                    % {"count": len(pemdas)},
                    reverse("mcp:verify_queue"),
                    _queue_notes(pemdas),
                )
            )
    if access.is_national_coordinator(user=user):
        tasks.append(
            Task(
                _("Penugasan verifikator"),
                _("Tugaskan verifikator ke Pemda dan undang pengguna nasional."),
                reverse("accounts:verifier_list"),
            )
        )
        tasks.append(
            Task(
                _("Skor MCP"),
                _("Hitung ulang dan terbitkan skor, peringkat dan penghargaan."),
                reverse("mcp:score_admin"),
            )
        )
        tasks.append(
            Task(
                _("Termin MCP"),
                _("Buka dan tutup termin, beri perpanjangan batas unggah."),
                reverse("mcp:period_list"),
            )
        )
        if not wbs_listed:
            tasks.append(_wbs_task(user=user))
    return tasks


def _wbs_task(*, user: User) -> Task:
    open_count, overdue = wbs_queue_summary(user=user)
    return Task(
        _("Laporan WBS"),
        # Two counts, two plurals: English says "1 open report" but "2 open reports".
        _("%(open)s, %(overdue)s.")
        % {
            "open": ngettext("%(count)d laporan terbuka", "%(count)d laporan terbuka", open_count)
            % {"count": open_count},
            "overdue": ngettext(
                "%(count)d melewati batas waktu", "%(count)d melewati batas waktu", overdue
            )
            % {"count": overdue},
        },
        reverse("wbs:queue"),
    )


def _report_task(
    title: str, detail: str, url: str, pemda: Pemda, *, opd_ids: list[int] | None = None
) -> Task:
    """A report's task with the open termin's deadline and the report's progress (the OPD's
    items, or the Pemda's), as the work page counts it: at a deadline, the first thing people
    look for."""
    summary = mcp.work_summary(pemda=pemda, opd_ids=opd_ids)
    if summary is None:
        return Task(title, detail, url, notes=(Note(_("Belum ada termin yang dibuka.")),))
    progress = summary.progress
    notes = [
        Note(
            ngettext(
                "%(done)s dari %(total)s item lengkap",
                "%(done)s dari %(total)s item lengkap",
                progress.total,
            )
            % {"done": progress.complete, "total": progress.total}
        ),
    ]
    if progress.returned:
        notes.append(
            Note(
                ngettext(
                    "%(count)s dikembalikan verifikator",
                    "%(count)s dikembalikan verifikator",
                    progress.returned,
                )
                % {"count": progress.returned},
                late=True,
            )
        )
    return Task(title, detail, url, notes=tuple(notes), termin=summary.termin)


def _queue_notes(pemdas: list[Pemda]) -> tuple[Note, ...]:
    count, oldest = mcp.waiting_for_verifier(pemdas=pemdas)
    if not count:
        return (Note(_("Tidak ada item yang menunggu.")),)
    return (
        Note(
            ngettext(
                "%(count)d item menunggu keputusan Anda; yang terlama dikirim %(when)s.",
                "%(count)d item menunggu keputusan Anda; yang terlama dikirim %(when)s.",
                count,
            )
            % {"count": count, "when": pemda_time(oldest)}
        ),
    )
