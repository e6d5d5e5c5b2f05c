"""Each person's work, for the signed-in home: not links to it but the work itself, a section per
role, the most urgent first. Later modules add their own sections.

- Operator OPD: the OPD's items still to do (returned first), with the Pemda's deadline in its
  own time zone.
- Admin Pemda: the report's state per area and the returned items; then the Pemda's settings.
- Verifikator: the queue's size and its oldest items, with their values and evidence.
- Inspektorat (and the Koordinator, who handles national reports): the open WBS reports by due
  date, with nothing of what was reported and no word of who reported it
  (docs/subsystems/wbs-privacy.md). Nobody else sees anything about WBS reports.
- Koordinator Nasional (and the Superadmin): the open termin across the country.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cegah.accounts import selectors as access
from cegah.accounts.models import Role, RoleAssignment, User
from cegah.coi import selectors as coi
from cegah.mcp import access as mcp_access
from cegah.mcp import selectors as mcp
from cegah.regions.models import Opd, Pemda
from cegah.regions.templatetags.pemda_time import pemda_time
from cegah.upg import selectors as upg
from cegah.wbs import selectors as wbs

if TYPE_CHECKING:
    from cegah.wbs.models import Report

# How urgent a section is, most urgent first: something late (a passed deadline, items the
# verifier returned, overdue reports), a deadline within days, work waiting, nothing waiting.
LATE, SOON, WAITING, CALM = range(4)
SOON_DAYS = 7  # a deadline this close makes a section's work "soon"
SHOWN = 5  # items listed per section; the rest are a link away


@dataclass(frozen=True)
class Note:
    """A line of a section's state; `late` ones (a passed deadline, returned items) stand out."""

    text: str
    late: bool = False


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Section:
    """One role's work on the home; `template` shows it (home/_<kind>.html)."""

    template: str
    title: str
    url: str = ""
    detail: str = ""
    notes: tuple[Note, ...] = ()
    urgency: int = CALM
    due: date | None = None  # the nearest deadline, to order sections of the same urgency
    more: Link | None = None  # the whole list, when more than SHOWN wait


@dataclass(frozen=True)
class ReportSection(Section):
    """An OPD's part of the report (its operator) or the whole Pemda's (its admin)."""

    termin: mcp.TerminDeadline | None = None
    rows: tuple[mcp.WorkRow, ...] = ()
    rows_title: str = ""
    areas: tuple[mcp.Progress, ...] = ()
    opd: Opd | None = None  # the operator's OPD: its rows open on its work page
    admin: bool = False  # rows open on the item's own page


@dataclass(frozen=True)
class QueueSection(Section):
    rows: tuple[mcp.QueueRow, ...] = ()


@dataclass(frozen=True)
class WbsSection(Section):
    reports: tuple[Report, ...] = ()
    today: date = field(default_factory=timezone.localdate)


@dataclass(frozen=True)
class OverviewSection(Section):
    overview: mcp.NationalOverview | None = None
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class LinksSection(Section):
    links: tuple[Link, ...] = ()


def home_sections(*, user: User) -> list[Section]:
    """The person's sections, the most urgent first (then the nearest deadline, then the order
    of their roles)."""
    sections: list[Section] = []
    roles = access.role_assignments(user=user)
    for a in roles:
        if a.role == Role.OPERATOR and a.opd:
            sections.append(_operator_section(a.opd))
        elif a.role == Role.ADMIN_PEMDA and a.pemda:
            sections.append(_admin_section(a.pemda))
            sections.append(_settings_section(a.pemda))
    if any(a.role == Role.VERIFIKATOR for a in roles):
        sections.append(_queue_section(user=user))
    if _handles_wbs(roles):
        sections.append(_wbs_section(user=user))
    if any(a.role == Role.PEGAWAI for a in roles):
        sections.append(_gratification_section(user=user))
        sections.append(_conflict_section(user=user))
    for a in roles:
        if a.role == Role.UPG and a.pemda:
            sections.append(_upg_section(a.pemda))
    if access.is_national_coordinator(user=user):
        sections.append(_overview_section())
    return sorted(sections, key=lambda s: (s.urgency, s.due or date.max))


def _handles_wbs(roles: list[RoleAssignment]) -> bool:
    """The roles that handle WBS reports (cegah/wbs/access.py): an Inspektorat, and the
    Koordinator for national reports. The Superadmin is not one."""
    return any(a.role in (Role.INSPEKTORAT, Role.KOORDINATOR) for a in roles)


# --- The MCP report: the operator's OPD, the admin's Pemda -------------------------------------


def _progress_notes(summary: mcp.WorkSummary) -> list[Note]:
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
    return notes


def _report_urgency(summary: mcp.WorkSummary) -> int:
    termin = summary.termin
    if termin.locked or not summary.to_do:
        return CALM  # nothing the Pemda can still do
    if summary.returned:
        return LATE
    return SOON if termin.remaining <= timedelta(days=SOON_DAYS) else WAITING


def _due(summary: mcp.WorkSummary) -> date:
    return timezone.localtime(summary.termin.deadline, summary.termin.pemda.zoneinfo).date()


def _operator_section(opd: Opd) -> ReportSection:
    title = _("Laporan MCP %(opd)s") % {"opd": opd.name}
    url = reverse("mcp:work") + f"?opd={opd.pk}"
    detail = _("Isi jawaban dan unggah bukti untuk indikator yang ditugaskan ke OPD Anda.")
    summary = mcp.work_summary(pemda=opd.pemda, opd_ids=[opd.pk])
    if summary is None:
        return ReportSection(
            "home/_report.html",
            title,
            url,
            detail,
            notes=(Note(_("Belum ada termin yang dibuka.")),),
        )
    to_do = summary.to_do
    deadline = pemda_time(summary.termin.deadline, opd.pemda)
    return ReportSection(
        "home/_report.html",
        title,
        url,
        detail,
        notes=tuple(_progress_notes(summary)),
        urgency=_report_urgency(summary),
        due=_due(summary),
        more=_more(
            len(to_do),
            ngettext(
                "Semua %(count)d item yang perlu dikerjakan",
                "Semua %(count)d item yang perlu dikerjakan",
                len(to_do),
            ),
            url,
        ),
        termin=summary.termin,
        rows=tuple(to_do[:SHOWN]),
        rows_title=_("Perlu dikerjakan sebelum %(deadline)s") % {"deadline": deadline}
        if to_do and not summary.termin.locked
        else "",
        opd=opd,
    )


def _admin_section(pemda: Pemda) -> ReportSection:
    title = _("Laporan MCP %(pemda)s") % {"pemda": pemda}
    url = reverse("mcp:report_review", kwargs={"code": pemda.code})
    detail = _("Pantau kemajuan per OPD dan area, lalu kirim ke verifikator.")
    summary = mcp.work_summary(pemda=pemda)
    if summary is None:
        return ReportSection(
            "home/_report.html",
            title,
            url,
            detail,
            notes=(Note(_("Belum ada termin yang dibuka.")),),
        )
    notes = _progress_notes(summary)
    ready = summary.progress.ready
    if ready and not summary.termin.locked:
        notes.append(
            Note(
                ngettext(
                    "%(count)s item lengkap siap dikirim ke verifikator",
                    "%(count)s item lengkap siap dikirim ke verifikator",
                    ready,
                )
                % {"count": ready}
            )
        )
    returned = summary.returned
    urgency = _report_urgency(summary)
    if urgency == WAITING and ready and summary.termin.remaining <= timedelta(days=SOON_DAYS):
        urgency = SOON
    return ReportSection(
        "home/_report.html",
        title,
        url,
        detail,
        notes=tuple(notes),
        urgency=urgency,
        due=_due(summary),
        more=_more(
            len(returned),
            ngettext(
                "Semua %(count)d item yang dikembalikan",
                "Semua %(count)d item yang dikembalikan",
                len(returned),
            ),
            url,
        ),
        termin=summary.termin,
        rows=tuple(returned[:SHOWN]),
        rows_title=_("Dikembalikan verifikator") if returned else "",
        areas=tuple(summary.by_area),
        admin=True,
    )


def _settings_section(pemda: Pemda) -> LinksSection:
    opd_count = access.opds_of(pemda=pemda, active_only=True).count()
    detail = (
        _("Belum ada OPD. Tambahkan OPD dulu, lalu undang operatornya.")
        if opd_count == 0
        else _("%(count)d OPD aktif. Undang operator untuk tiap OPD.") % {"count": opd_count}
    )
    return LinksSection(
        "home/_links.html",
        _("Pengelolaan %(pemda)s") % {"pemda": pemda},
        # Without an OPD nobody can report: that comes before the rest.
        urgency=WAITING if opd_count == 0 else CALM,
        links=(
            Link(
                _("Kelola OPD %(pemda)s") % {"pemda": pemda},
                reverse("accounts:opd_list", kwargs={"code": pemda.code}),
                detail,
            ),
            Link(
                _("Penugasan indikator MCP %(pemda)s") % {"pemda": pemda},
                reverse("mcp:assignment_board", kwargs={"code": pemda.code}),
                _("Tugaskan setiap indikator yang berlaku ke OPD yang menjawabnya."),
            ),
            Link(
                _("Kelola pengguna %(pemda)s") % {"pemda": pemda},
                reverse("accounts:pemda_members", kwargs={"code": pemda.code}),
                _("Undang operator, admin dan Inspektorat Pemda Anda."),
            ),
            Link(
                _("Daftar pegawai %(pemda)s") % {"pemda": pemda},
                reverse("accounts:staff_list", kwargs={"code": pemda.code}),
                _("Impor daftar ASN dari BKPSDM: pelaporan gratifikasi dan benturan kepentingan."),
            ),
        ),
    )


# --- Gratification control: the civil servant's own, the UPG's queue ---------------------------


def _urgency(*, count: int, late: int, nearest: date | None) -> int:
    """How urgent waiting work is: something past its deadline, one within days, any."""
    if late:
        return LATE
    if nearest and nearest <= timezone.localdate() + timedelta(days=SOON_DAYS):
        return SOON
    return WAITING if count else CALM


def _gratification_section(*, user: User) -> LinksSection:
    waiting = upg.waiting_on_reporter(user=user)
    notes = []
    if waiting.count and waiting.nearest is not None:
        notes.append(
            Note(
                ngettext(
                    "%(count)d laporan perlu Anda lengkapi, paling lambat %(day)s.",
                    "%(count)d laporan perlu Anda lengkapi, yang terdekat %(day)s.",
                    waiting.count,
                )
                % {"count": waiting.count, "day": waiting.nearest.strftime("%d-%m-%Y")},
                late=bool(waiting.late),
            )
        )
    return LinksSection(
        "home/_links.html",
        _("Gratifikasi"),
        url=reverse("upg:mine"),
        notes=tuple(notes),
        urgency=_urgency(count=waiting.count, late=waiting.late, nearest=waiting.nearest),
        due=waiting.nearest,
        links=(
            Link(
                _("Laporkan gratifikasi"),
                reverse("upg:report_new"),
                _("Pemberian karena jabatan, diterima atau ditolak: paling lambat 30 hari kerja."),
            ),
        ),
    )


def _conflict_section(*, user: User) -> LinksSection:
    """A civil servant's declarations; for a superior, the decisions waiting on them."""
    waiting = coi.waiting_on(user=user)
    notes = []
    if waiting.count and waiting.nearest is not None:
        notes.append(
            Note(
                ngettext(
                    "%(count)d pernyataan benturan kepentingan menunggu keputusan Anda, "
                    "paling lambat %(day)s.",
                    "%(count)d pernyataan benturan kepentingan menunggu keputusan Anda, "
                    "yang terdekat %(day)s.",
                    waiting.count,
                )
                % {"count": waiting.count, "day": waiting.nearest.strftime("%d-%m-%Y")},
                late=bool(waiting.late),
            )
        )
    return LinksSection(
        "home/_links.html",
        _("Benturan kepentingan"),
        url=reverse("coi:mine"),
        notes=tuple(notes),
        urgency=_urgency(count=waiting.count, late=waiting.late, nearest=waiting.nearest),
        due=waiting.nearest,
        links=(
            Link(
                _("Nyatakan benturan kepentingan"),
                reverse("coi:declare"),
                _("Kepentingan pribadi yang bersinggungan dengan tugas: nyatakan ke atasan."),
            ),
        ),
    )


def _upg_section(pemda: Pemda) -> LinksSection:
    waiting = upg.waiting_on_upg(pemda=pemda)
    notes = []
    if waiting.count:
        notes.append(
            Note(
                ngettext(
                    "%(count)d laporan menunggu diperiksa (%(late)d lewat batas).",
                    "%(count)d laporan menunggu diperiksa (%(late)d lewat batas).",
                    waiting.count,
                )
                % {"count": waiting.count, "late": waiting.late},
                late=bool(waiting.late),
            )
        )
    queue = reverse("upg:queue", kwargs={"code": pemda.code})
    return LinksSection(
        "home/_links.html",
        _("UPG %(pemda)s") % {"pemda": pemda},
        url=queue,
        notes=tuple(notes),
        urgency=_urgency(count=waiting.count, late=waiting.late, nearest=waiting.nearest),
        due=waiting.nearest,
        links=(
            Link(_("Laporan gratifikasi"), queue),
            Link(
                _("Register barang titipan"),
                reverse("upg:custody", kwargs={"code": pemda.code}),
            ),
            Link(
                _("Statistik dan register"),
                reverse("upg:statistics", kwargs={"code": pemda.code}),
            ),
        ),
    )


def _more(count: int, title: str, url: str) -> Link | None:
    return Link(title % {"count": count}, url) if count > SHOWN else None


# --- The verifier's queue ----------------------------------------------------------------------


def _queue_section(*, user: User) -> QueueSection:
    pemdas = list(access.pemda_verified_by(user=user))
    limits = mcp_access.area_limits(user=user)
    detail = ngettext(
        "Anda ditugaskan memverifikasi %(count)d Pemda.",
        "Anda ditugaskan memverifikasi %(count)d Pemda.",
        len(pemdas),
    ) % {"count": len(pemdas)}
    count, oldest = mcp.waiting_for_verifier(pemdas=pemdas, area_limits=limits)
    if not count:
        return QueueSection(
            "home/_queue.html",
            _("Antrean verifikasi"),
            detail=detail,
            notes=(Note(_("Tidak ada item yang menunggu.")),),
        )
    waited = timezone.now() - oldest if oldest else timedelta(0)
    return QueueSection(
        "home/_queue.html",
        _("Antrean verifikasi"),
        detail=detail,
        notes=(
            Note(
                ngettext(
                    "%(count)d item menunggu keputusan Anda; yang terlama dikirim %(when)s.",
                    "%(count)d item menunggu keputusan Anda; yang terlama dikirim %(when)s.",
                    count,
                )
                % {"count": count, "when": pemda_time(oldest)},
                late=waited > timedelta(days=SOON_DAYS),
            ),
        ),
        urgency=SOON if waited > timedelta(days=SOON_DAYS) else WAITING,
        more=Link(
            ngettext("Buka antrean: %(count)d item", "Buka antrean: %(count)d item", count)
            % {"count": count},
            reverse("mcp:verify_queue"),
        ),
        rows=tuple(mcp.oldest_waiting(pemdas=pemdas, limit=SHOWN, area_limits=limits)),
    )


# --- WBS reports, for their handlers only ----------------------------------------------------


def _wbs_section(*, user: User) -> WbsSection:
    open_count, overdue = wbs.queue_summary(user=user)
    reports = tuple(wbs.handler_queue(user=user, filters=wbs.QueueFilters(state="terbuka"))[:SHOWN])
    today = timezone.localdate()
    due = min((r.due_on for r in reports if r.due_on), default=None)
    if overdue:
        urgency = LATE
    elif due is not None and due <= today + timedelta(days=2):
        urgency = SOON
    else:
        urgency = WAITING if open_count else CALM
    return WbsSection(
        "home/_wbs.html",
        _("Laporan WBS"),
        reverse("wbs:queue"),
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
        urgency=urgency,
        due=due,
        more=_more(
            open_count,
            ngettext(
                "Semua %(count)d laporan terbuka", "Semua %(count)d laporan terbuka", open_count
            ),
            reverse("wbs:queue"),
        ),
        reports=reports,
        today=today,
    )


# --- The Koordinator: the country ----------------------------------------------------------


def _overview_section() -> OverviewSection:
    overview = mcp.national_overview()
    notes: list[Note] = []
    urgency = CALM
    if overview is None:
        notes.append(Note(_("Belum ada termin yang dibuka.")))
    else:
        if overview.unverified_pemdas:
            urgency = SOON
            notes.append(
                Note(
                    ngettext(
                        "%(count)d Pemda menunggu verifikasi tetapi belum punya verifikator.",
                        "%(count)d Pemda menunggu verifikasi tetapi belum punya verifikator.",
                        overview.unverified_pemdas,
                    )
                    % {"count": overview.unverified_pemdas},
                    late=True,
                )
            )
        elif overview.waiting:
            urgency = WAITING
    return OverviewSection(
        "home/_overview.html",
        _("Ringkasan nasional MCP"),
        detail=_("Kemajuan termin yang dibuka di seluruh Pemda."),
        notes=tuple(notes),
        urgency=urgency,
        overview=overview,
        links=(
            Link(
                _("Penugasan verifikator"),
                reverse("accounts:verifier_list"),
                _("Tugaskan verifikator ke Pemda dan undang pengguna nasional."),
            ),
            Link(
                _("Termin MCP"),
                reverse("mcp:period_list"),
                _("Buka dan tutup termin, beri perpanjangan batas unggah."),
            ),
            Link(
                _("Penerbitan skor"),
                reverse("mcp:score_admin"),
                _("Hitung ulang dan terbitkan skor, peringkat dan penghargaan."),
            ),
        ),
    )
