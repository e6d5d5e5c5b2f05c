"""Reads of the WBS module. Decrypting happens here, only for someone already allowed to read."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cegah.accounts.models import Role, User
from cegah.regions.models import Pemda
from cegah.workdays.days import working_days_between

from . import crypto
from .access import handlers_at, reports_handled_by
from .models import (
    CLOSED_STATES,
    Attachment,
    Conflict,
    HandlerKey,
    IdentityDisclosure,
    Message,
    Report,
    ReportGrant,
    ReportState,
    ReportType,
    StateChange,
)
from .services import ReportContent
from .workflows import handler_moves

# What each state means, in the words a reporter reads on the follow-up page.
STATE_EXPLAINED = {
    ReportState.RECEIVED: _(
        "Laporan Anda sudah kami terima dan menunggu diperiksa oleh penangan. Pemeriksaan awal "
        "selesai paling lambat %(days)s hari kerja setelah laporan masuk."
    ),
    ReportState.VERIFYING: _(
        "Penangan sedang memeriksa apakah laporan Anda cukup jelas dan termasuk wewenangnya. "
        "Mereka mungkin mengirim pertanyaan lewat halaman ini."
    ),
    ReportState.REJECTED: _(
        "Laporan tidak dapat ditindaklanjuti. Alasannya tertulis di bawah. Anda boleh mengirim "
        "laporan baru bila punya keterangan atau bukti tambahan."
    ),
    ReportState.FORWARDED: _(
        "Laporan diteruskan kepada lembaga yang berwenang menanganinya (misalnya APH atau "
        "instansi lain). Keterangannya tertulis di bawah."
    ),
    ReportState.FOLLOWED_UP: _(
        "Laporan sedang ditindaklanjuti dengan audit atau pemeriksaan. Proses ini bisa memakan "
        "waktu; Anda akan melihat hasilnya di halaman ini."
    ),
    ReportState.DONE: _("Penanganan laporan selesai. Hasilnya tertulis di bawah."),
}


@dataclass
class ThreadItem:
    side: str
    author: str
    body: str
    created_on: date
    asks_for_information: bool = False
    attachments: list[tuple[int, str, int]] = field(default_factory=list)


@dataclass
class ReportView:
    report: Report
    content: ReportContent
    thread: list[ThreadItem]
    history: list[tuple[str, str, str, date]]  # state, label, note, day
    attachments: list[tuple[int, str, int]]  # attachments sent with the report itself
    has_identity: bool


def _author_label(*, message: Message, for_handler: bool) -> str:
    """Handlers see each other's names; the reporter sees only "Penangan"."""
    if message.side == Message.Side.REPORTER:
        return str(_("Pelapor") if for_handler else _("Anda (pelapor)"))
    if for_handler and message.author:
        return message.author.full_name
    return str(_("Penangan"))


def _system_note() -> str:
    """The note of the one move the system makes, closing a report whose reporter did not answer:
    stored empty, since the server holds no report key, and the same words for everyone."""
    return gettext(
        "Ditutup karena pelapor tidak menjawab permintaan informasi dalam %(days)d hari "
        "kerja. Laporan baru tetap dapat dikirim kapan saja."
    ) % {"days": settings.WBS_REPORTER_REPLY_DAYS}


def report_view(*, report: Report, key: bytes, for_handler: bool) -> ReportView:
    """The report as its key (a handler's or the reporter's, opened by the caller) reads it."""
    content = ReportContent(**json.loads(crypto.unseal(key, bytes(report.sealed_content))))
    files: dict[int | None, list[tuple[int, str, int]]] = {}
    attachments = (
        Attachment.objects.filter(report=report)
        .select_related("stored_file")
        .only("pk", "message_id", "number", "extension", "stored_file__size")
    )
    for attachment in attachments:
        size = attachment.stored_file.size
        files.setdefault(attachment.message_id, []).append((attachment.pk, attachment.name, size))
    thread = []
    for message in Message.objects.filter(report=report).select_related("author"):
        author = _author_label(message=message, for_handler=for_handler)
        thread.append(
            ThreadItem(
                side=message.side,
                author=author,
                body=crypto.unseal(key, bytes(message.sealed_body)).decode(),
                created_on=message.created_on,
                asks_for_information=message.asks_for_information,
                attachments=files.get(message.pk, []),
            )
        )
    history = [
        (
            change.state,
            str(ReportState(change.state).label),
            crypto.unseal(key, bytes(change.sealed_note)).decode()
            if bytes(change.sealed_note)
            else _system_note(),
            change.created_on,
        )
        for change in StateChange.objects.filter(report=report)
    ]
    return ReportView(
        report=report,
        content=content,
        thread=thread,
        history=history,
        attachments=files.get(None, []),
        has_identity=report.sealed_identity is not None,
    )


def was_disclosed_to(*, report: Report, user: User) -> bool:
    """The user asked for the reporter's identity and another handler approved."""
    return IdentityDisclosure.objects.filter(
        report=report, user=user, approved_on__isnull=False
    ).exists()


def identity_opened_on(*, report: Report) -> list[date]:
    """The days the reporter's identity was opened to a handler: the reporter reads them."""
    days = IdentityDisclosure.objects.filter(report=report, approved_on__isnull=False)
    return sorted({d for d in days.values_list("approved_on", flat=True) if d is not None})


# What a handler's button says: the act, where the state's own name says what has been done.
ACTIONS = {
    ReportState.VERIFYING: _("Mulai verifikasi"),
    ReportState.REJECTED: _("Tolak"),
    ReportState.FORWARDED: _("Teruskan"),
    ReportState.FOLLOWED_UP: _("Tindak lanjuti"),
    ReportState.DONE: _("Selesaikan"),
}


def next_states(*, report: Report) -> list[tuple[str, str, bool]]:
    """(state, the button's words, whether the reporter must be told why) of each allowed move."""
    return [
        (state, str(ACTIONS[ReportState(state)]), needs_note)
        for state, needs_note in handler_moves(report.state)
    ]


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    due: str = ""  # "", "overdue", "due"
    type: str = ""
    assignee: str = ""  # "", "saya" (mine), "belum" (nobody's yet)


def handler_queue(*, user: User, filters: QueueFilters) -> QuerySet[Report]:
    today = timezone.localdate()
    reports = reports_handled_by(user=user).select_related("pemda", "handler_pemda")
    if filters.state == "terbuka":
        reports = reports.exclude(state__in=CLOSED_STATES)
    elif filters.state in ReportState.values:
        reports = reports.filter(state=filters.state)
    if filters.type in ReportType.values:
        reports = reports.filter(type=filters.type)
    if filters.due == "overdue":
        reports = reports.filter(due_on__lt=today)
    elif filters.due == "due":
        reports = reports.filter(due_on__gte=today)
    if filters.assignee == "saya":
        reports = reports.filter(assignee=user)
    elif filters.assignee == "belum":
        reports = reports.filter(assignee__isnull=True)
    return reports.select_related("assignee").order_by("due_on", "received_on", "pk")


def queue_summary(*, user: User) -> tuple[int, int]:
    """Open reports this person handles, and how many of them are overdue."""
    open_reports = reports_handled_by(user=user).exclude(state__in=CLOSED_STATES)
    return open_reports.count(), open_reports.filter(due_on__lt=timezone.localdate()).count()


@dataclass
class Statistics:
    total: int
    by_type: list[tuple[str, int]]
    by_state: list[tuple[str, int]]
    closed: int
    median_days: float | None
    per_pemda: list[tuple[Pemda, int, int]]


def public_statistics(*, pemda: Pemda | None = None, today: date | None = None) -> Statistics:
    """Counts and handling times only, never a word of any report, and never today's: the
    figures stand as they were at the end of the previous day (polling them cannot date a report
    in a small Pemda). A report counts under the Pemda whose inspectorate handles it, not the one
    it is about (a report about an inspectorate goes to the province). Counts under 5 are shown
    as "< 5" by the page (`small_count`)."""
    today = today or timezone.localdate()
    reports = Report.objects.filter(received_on__lt=today)
    if pemda is not None:
        reports = reports.filter(handler_pemda=pemda)
    # Each report's state at the end of yesterday: its last move before today.
    state_of: dict[int, str] = {}
    for report_id, state in (
        StateChange.objects.filter(report__in=reports, created_on__lt=today)
        .order_by("report_id", "created_on", "pk")
        .values_list("report_id", "state")
    ):
        state_of[report_id] = state
    rows = list(reports.values_list("pk", "type", "received_on", "closed_on", "handler_pemda"))
    type_counts = Counter(t for _pk, t, *_rest in rows)
    state_counts = Counter(state_of.get(pk, ReportState.RECEIVED) for pk, *_rest in rows)
    spans = [
        working_days_between(received, closed)
        for pk, _t, received, closed, _h in rows
        if closed is not None and closed < today and state_of.get(pk) in CLOSED_STATES
    ]
    per_pemda: list[tuple[Pemda, int, int]] = []
    if pemda is None:
        handled = Counter(h for *_rest, h in rows if h is not None)
        closed_by = Counter(
            h
            for pk, _t, _r, closed, h in rows
            if h is not None and closed is not None and state_of.get(pk) in CLOSED_STATES
        )
        names = Pemda.objects.in_bulk([h for h, _n in handled.most_common(50)])
        per_pemda = [(names[h], n, closed_by.get(h, 0)) for h, n in handled.most_common(50)]
    return Statistics(
        total=len(rows),
        by_type=[(str(label), type_counts.get(value, 0)) for value, label in ReportType.choices],
        by_state=[(str(label), state_counts.get(value, 0)) for value, label in ReportState.choices],
        closed=len(spans),
        median_days=statistics.median(spans) if spans else None,
        per_pemda=per_pemda,
    )


def losses_possibly_misread() -> list[tuple[Report, int]]:
    """Reports whose estimated loss the number field before the shared input probably misread:
    it kept "50.000" as Rp50, so an amount under Rp1.000 is listed for a handler to check. Only
    the report's reference and the amount leave this function, never its content. Those reports
    were all made before key pairs: the key file opens them until `wbs_keys migrate` has run,
    and no report made since can be read by the server at all."""
    found = []
    for report in Report.objects.exclude(key_id="").select_related("pemda").order_by("pk"):
        key = crypto.unwrap_legacy_key(report.key_id, bytes(report.sealed_key or b""))
        loss = json.loads(crypto.unseal(key, bytes(report.sealed_content))).get("estimated_loss")
        if isinstance(loss, int) and 0 < loss < 1000:
            found.append((report, loss))
    return found


@dataclass(frozen=True)
class NextStep:
    what: str
    due_on: date
    overdue: bool


def next_step(*, report: Report, today: date) -> NextStep | None:
    """What the reporter waits for and by which day (the working days the service levels give,
    computed when the report arrived or moved); None once the report is closed."""
    if report.is_closed or report.due_on is None:
        return None
    what = (
        _("kabar hasil tindak lanjut")
        if report.state == ReportState.FOLLOWED_UP
        else _("pemeriksaan awal")
    )
    return NextStep(str(what), report.due_on, report.due_on < today)


def handler_recusals(*, pemda: Pemda) -> list[tuple[str, date, int]]:
    """Handlers of the Pemda's inspectorate who stepped aside from reports for a conflict of
    interest: (name, month, how many), for the conflict-of-interest register. Nothing of the
    reports, not even their day: the register is read by people who do not handle them."""
    counts: dict[tuple[str, date], int] = {}
    for name, at in (
        Conflict.objects.filter(user__roles__role=Role.INSPEKTORAT, user__roles__pemda=pemda)
        .distinct()
        .values_list("user__full_name", "declared_at")
    ):
        month = timezone.localtime(at).date().replace(day=1)
        counts[(name, month)] = counts.get((name, month), 0) + 1
    return sorted(((n, m, c) for (n, m), c in counts.items()), key=lambda r: (r[1], r[0]))


@dataclass(frozen=True)
class AwaitingGrant:
    user: User
    reports: int


def grants_awaited(*, user: User) -> list[AwaitingGrant]:
    """Colleagues who handle reports with this handler, have a key pair and hold no key to some
    of those reports that this handler can open: after a forgotten password, or newcomers."""
    mine = reports_handled_by(user=user).filter(Q(grants__user=user) | ~Q(key_id=""))
    reports = list(mine.distinct().only("pk", "level", "handler_pemda_id"))
    if not reports:
        return []
    ids = [r.pk for r in reports]
    held = set(ReportGrant.objects.filter(report_id__in=ids).values_list("report_id", "user_id"))
    declared = set(Conflict.objects.filter(report_id__in=ids).values_list("report_id", "user_id"))
    keyed = set(HandlerKey.objects.values_list("user_id", flat=True))
    at: dict[tuple[str, int | None], list[User]] = {}
    counts: Counter[int] = Counter()
    people: dict[int, User] = {}
    for report in reports:
        place = (report.level, report.handler_pemda_id)
        if place not in at:
            at[place] = list(handlers_at(level=place[0], handler_pemda_id=place[1]))
        for colleague in at[place]:
            pair = (report.pk, colleague.pk)
            if colleague.pk == user.pk or colleague.pk not in keyed:
                continue
            if pair not in held and pair not in declared:
                counts[colleague.pk] += 1
                people[colleague.pk] = colleague
    return [
        AwaitingGrant(people[pk], n)
        for pk, n in sorted(counts.items(), key=lambda item: people[item[0]].full_name)
    ]


def colleagues_without_key(*, user: User) -> list[User]:
    """Handlers of this handler's levels who have not signed in since key pairs came: nothing
    can be sealed to them until they do."""
    places = set(reports_handled_by(user=user).values_list("level", "handler_pemda_id").distinct())
    keyed = HandlerKey.objects.values("user_id")
    found: dict[int, User] = {}
    for level, pemda_id in places:
        for person in handlers_at(level=level, handler_pemda_id=pemda_id).exclude(pk__in=keyed):
            found[person.pk] = person
    return sorted(found.values(), key=lambda person: person.full_name)


def substantiated_by_pemda(*, year: int) -> dict[int, int]:
    """Reports received in the year that were followed up (an audit or investigation opened),
    counted by the Pemda they are about: for the Koordinator's signals, never public."""
    return dict(
        Report.objects.filter(received_on__year=year, state_changes__state=ReportState.FOLLOWED_UP)
        .values_list("pemda_id")
        .annotate(n=Count("pk", distinct=True))
    )


def public_counts_by_pemda(*, today: date) -> dict[int, tuple[int, int]]:
    """(received, closed) reports by the Pemda whose inspectorate handles them, as of the end of
    yesterday: for the open-data figures (shown through the small-count rule)."""
    received = dict(
        Report.objects.filter(received_on__lt=today)
        .values_list("handler_pemda_id")
        .annotate(n=Count("pk"))
    )
    closed = dict(
        Report.objects.filter(received_on__lt=today, closed_on__lt=today)
        .values_list("handler_pemda_id")
        .annotate(n=Count("pk"))
    )
    return {pk: (n, closed.get(pk, 0)) for pk, n in received.items() if pk is not None}
