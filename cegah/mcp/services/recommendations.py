"""Recommendations (rekomendasi perbaikan) and their follow-up (tindak lanjut).

A verifier (for the Pemda assigned to them) or the Koordinator writes one; the Pemda records
follow-up with evidence, then asks for acceptance; the author accepts (done) or returns it with a
reason. Every move goes through cegah/mcp/workflows.py (RECOMMENDATION), locks the row, checks
who acts, is audited, and tells the other side in the app. Reminders go 7, 3 and 1 days before
the due date to the Pemda's Admin Pemda, each once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.audit import services as audit
from cegah.core.errors import AlreadyDone, DomainError
from cegah.mcp import access
from cegah.mcp.catalogue_file import FILE_TYPES
from cegah.mcp.models import (
    Area,
    FollowUp,
    FollowUpFile,
    Indicator,
    Recommendation,
    RecommendationStateChange,
)
from cegah.mcp.selectors import current_catalogue
from cegah.mcp.workflows import FOLLOW_UP_STATES, RECOMMENDATION
from cegah.notifications.services import notify
from cegah.regions.models import Pemda
from cegah.uploads.inspection import UploadRejected
from cegah.uploads.policy import UploadPolicy
from cegah.uploads.services import atomic_with_files, upload_store
from cegah.workflow.transitions import move

State = Recommendation.State

# Follow-up evidence is an official record like MCP evidence: kept as uploaded, once per Pemda.
FOLLOW_UP_UPLOADS = UploadPolicy(
    purpose="mcp.follow_up",
    allowed=FILE_TYPES,
    max_mb_setting="EVIDENCE_MAX_MB",
    folder="follow-up",
    deduplicate=True,
)
MAX_FILES = 5  # per follow-up entry
REMINDER_DAYS = (1, 3, 7)


def recommendation_url(recommendation: Recommendation) -> str:
    return reverse("mcp:recommendation_detail", kwargs={"pk": recommendation.pk})


def _day(value: date) -> str:
    """A day as pages show it, in the reader's language: 6 Desember 2026."""
    return formats.date_format(value, "j F Y")


def _locked(recommendation_id: int) -> Recommendation:
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("pemda", "author", "area", "indicator")
        .filter(pk=recommendation_id)
        .first()
    )
    if recommendation is None:
        raise Http404
    return recommendation


def _history(actor: User, reason: str = "") -> Callable[[Recommendation, str], object]:
    def write(recommendation: Recommendation, source: str) -> RecommendationStateChange:
        return RecommendationStateChange.objects.create(
            recommendation=recommendation,
            source=source,
            target=recommendation.state,
            actor=actor,
            at=timezone.now(),
            reason=reason,
        )

    return write


def _admins(pemda_ids: Sequence[int]) -> dict[int, list[User]]:
    """The active Admin Pemda of each Pemda."""
    found: dict[int, list[User]] = defaultdict(list)
    for role in RoleAssignment.objects.filter(
        role=Role.ADMIN_PEMDA, pemda_id__in=pemda_ids, user__is_active=True
    ).select_related("user"):
        found[role.pemda_id].append(role.user)  # type: ignore[index]  # a Pemda role has one
    return found


def _acceptors(recommendation: Recommendation) -> list[User]:
    """Who is asked to accept: the author while they may still decide, else the Koordinator."""
    author = recommendation.author
    if author.is_active and access.can_write_recommendation(
        user=author, pemda=recommendation.pemda
    ):
        return [author]
    return [
        user
        for user in User.objects.filter(roles__role=Role.KOORDINATOR, is_active=True).distinct()
        if not access.holds_role_in(user=user, pemda=recommendation.pemda)
    ]


def _pemda_side(recommendation: Recommendation) -> list[User]:
    """The Pemda's Admin and whoever recorded its follow-up: they hear the decision."""
    people = {u.pk: u for u in _admins([recommendation.pemda_id])[recommendation.pemda_id]}
    for user in User.objects.filter(
        pk__in=recommendation.follow_ups.values("author"), is_active=True
    ):
        people[user.pk] = user
    return list(people.values())


# --- Writing -------------------------------------------------------------------------------------


def _catalogue_choice(
    *, pemda: Pemda, year: int, area_id: int | None, indicator_id: int | None
) -> tuple[Area | None, Indicator | None]:
    """The area and indicator, of the year's catalogue in force; an indicator brings its area."""
    if area_id is None and indicator_id is None:
        return None, None
    catalogue = current_catalogue(year=year)
    if catalogue is None:
        raise DomainError(
            _("Belum ada katalog MCP tahun %(year)d.") % {"year": year}, code="catalogue"
        )
    if indicator_id is not None:
        indicator = (
            Indicator.objects.select_related("area")
            .filter(pk=indicator_id, catalogue=catalogue)
            .first()
        )
        if indicator is None or not indicator.applies_to(pemda.kind):
            raise DomainError(
                _("Indikator ini tidak ada di katalog %(year)d atau tidak berlaku untuk %(pemda)s.")
                % {"year": year, "pemda": pemda},
                code="indicator",
            )
        if area_id is not None and area_id != indicator.area_id:
            raise DomainError(
                _("Indikator %(code)s bukan bagian dari area yang dipilih.")
                % {"code": indicator.code},
                code="area_mismatch",
            )
        return indicator.area, indicator
    area = Area.objects.filter(pk=area_id or 0, catalogue=catalogue).first()
    if area is None:
        raise DomainError(
            _("Area ini tidak ada di katalog %(year)d.") % {"year": year}, code="area"
        )
    return area, None


@transaction.atomic
def recommendation_create(
    *,
    author: User,
    pemda: Pemda,
    year: int,
    title: str,
    text: str,
    due_on: date,
    area_id: int | None = None,
    indicator_id: int | None = None,
) -> Recommendation:
    """Writes a recommendation for the Pemda and tells its Admin Pemda."""
    access.ensure(access.can_write_recommendation(user=author, pemda=pemda))
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise DomainError(_("Tulis judul dan isi rekomendasi."), code="empty")
    # The Pemda's own day: a due date is a day there.
    if due_on < timezone.localdate(timezone=pemda.zoneinfo):
        raise DomainError(_("Tenggat tidak boleh di masa lalu."), code="past")
    area, indicator = _catalogue_choice(
        pemda=pemda, year=year, area_id=area_id, indicator_id=indicator_id
    )
    # A verifier whose assignment covers some areas writes about those areas only.
    if not access.covers_area(user=author, pemda=pemda, area_code=area.code if area else None):
        raise DomainError(
            _("Anda memverifikasi sebagian area %(pemda)s saja: pilih salah satu area itu.")
            % {"pemda": pemda},
            code="area",
        )
    recommendation = Recommendation.objects.create(
        pemda=pemda,
        year=year,
        area=area,
        indicator=indicator,
        title=title[:200],
        text=text,
        due_on=due_on,
        author=author,
    )
    notify(
        recipients=_admins([pemda.pk])[pemda.pk],
        title=lambda: _("Rekomendasi MCP baru: %(title)s") % {"title": recommendation.title},
        body=lambda: (
            _("%(who)s untuk %(pemda)s, tenggat %(due)s.")
            % {"who": author, "pemda": pemda, "due": _day(due_on)}
        ),
        url=recommendation_url(recommendation),
    )
    audit.record(
        actor=author,
        action="mcp.recommendation.create",
        obj=recommendation,
        data={
            "pemda": pemda.code,
            "year": year,
            "area": area.code if area else None,
            "indicator": indicator.code if indicator else None,
            "due_on": due_on,
        },
    )
    return recommendation


# --- The Pemda: follow-up, then ask for acceptance -----------------------------------------------


@atomic_with_files()
def recommendation_follow_up_add(
    *,
    user: User,
    recommendation_id: int,
    text: str,
    uploads: Sequence[UploadedFile[Any]] = (),
) -> FollowUp:
    """Records what the Pemda did, with evidence files; the first entry starts the follow-up.
    A refused file stores nothing of the entry."""
    recommendation = _locked(recommendation_id)
    access.ensure(access.can_follow_up(user=user, recommendation=recommendation))
    if recommendation.state == State.DONE:
        raise DomainError(_("Rekomendasi ini sudah selesai."), code="done")
    if recommendation.state not in FOLLOW_UP_STATES:
        raise DomainError(
            _("Tindak lanjut sudah diajukan untuk diterima; tunggu keputusan penulis rekomendasi."),
            code="awaiting",
        )
    text = text.strip()
    if not text:
        raise DomainError(_("Tulis apa yang sudah ditindaklanjuti."), code="empty")
    if len(uploads) > MAX_FILES:
        raise DomainError(
            _("Paling banyak %(count)d berkas sekali catat.") % {"count": MAX_FILES},
            code="too_many",
        )
    follow_up = FollowUp.objects.create(recommendation=recommendation, author=user, text=text)
    files = []
    for upload in uploads:
        try:
            accepted = upload_store(
                policy=FOLLOW_UP_UPLOADS,
                name=upload.name or "",
                file=upload,
                scope=recommendation.pemda.code,
            )
        except UploadRejected as exc:
            raise DomainError(
                _("“%(name)s” ditolak: %(reason)s") % {"name": upload.name, "reason": exc.message},
                code="rejected",
            ) from None
        FollowUpFile.objects.create(
            follow_up=follow_up, stored_file=accepted.stored, original_name=accepted.name
        )
        files.append({"name": accepted.name, "sha256": accepted.stored.sha256})
    source = recommendation.state
    if source == State.OPEN:
        move(
            workflow=RECOMMENDATION,
            obj=recommendation,
            to=State.IN_PROGRESS,
            actor=user,
            history=_history(user),
            update_fields=["updated_at"],
            locked=True,
        )
    else:
        recommendation.save(update_fields=["updated_at"])
    audit.record(
        actor=user,
        action="mcp.recommendation.follow_up",
        obj=recommendation,
        data={
            "follow_up": follow_up.pk,
            "files": files,
            "from": source,
            "to": recommendation.state,
        },
    )
    return follow_up


@transaction.atomic
def recommendation_acceptance_request(*, user: User, recommendation_id: int) -> Recommendation:
    """The Pemda says the recommendation is followed up (selesai ditindaklanjuti) and asks its
    author (or the Koordinator) to accept it. Asking twice is news, not an error."""
    recommendation = _locked(recommendation_id)
    access.ensure(access.can_follow_up(user=user, recommendation=recommendation))
    if recommendation.state == State.AWAITING:
        raise AlreadyDone(_("Tindak lanjut ini sudah diajukan untuk diterima."), code="already")
    if recommendation.state == State.DONE:
        raise AlreadyDone(_("Rekomendasi ini sudah selesai."), code="done")
    if recommendation.state == State.OPEN:
        raise DomainError(
            _("Catat tindak lanjutnya dulu, lalu ajukan untuk diterima."), code="no_follow_up"
        )
    recommendation.requested_at = timezone.now()
    notify(
        recipients=_acceptors(recommendation),
        title=lambda: (
            _("Tindak lanjut menunggu penerimaan: %(title)s") % {"title": recommendation.title}
        ),
        body=lambda: (
            _("%(pemda)s menyatakan rekomendasi ini selesai ditindaklanjuti.")
            % {"pemda": recommendation.pemda}
        ),
        url=recommendation_url(recommendation),
    )
    move(
        workflow=RECOMMENDATION,
        obj=recommendation,
        to=State.AWAITING,
        actor=user,
        history=_history(user),
        audit_action="mcp.recommendation.request",
        update_fields=["requested_at", "updated_at"],
        locked=True,
    )
    return recommendation


# --- The author (or the Koordinator): accept or return -------------------------------------------


def _decidable(user: User, recommendation_id: int) -> Recommendation:
    recommendation = _locked(recommendation_id)
    access.ensure(access.may_decide_recommendation(user=user, recommendation=recommendation))
    if recommendation.state == State.DONE:
        raise AlreadyDone(
            _("Rekomendasi ini sudah diterima oleh %(who)s.") % {"who": recommendation.accepted_by},
            code="done",
        )
    if recommendation.state != State.AWAITING:
        raise DomainError(
            _("Pemda belum mengajukan tindak lanjutnya untuk diterima."), code="state"
        )
    refusal = access.acceptance_refusal(user=user, recommendation=recommendation)
    if refusal:
        raise DomainError(refusal, code="not_acceptor")
    return recommendation


@transaction.atomic
def recommendation_accept(*, user: User, recommendation_id: int) -> Recommendation:
    """Accepts the Pemda's follow-up: the recommendation is done, and stays so."""
    recommendation = _decidable(user, recommendation_id)
    recommendation.accepted_by = user
    recommendation.accepted_at = timezone.now()
    notify(
        recipients=_pemda_side(recommendation),
        title=lambda: _("Tindak lanjut diterima: %(title)s") % {"title": recommendation.title},
        body=lambda: _("Rekomendasi ini selesai, diterima oleh %(who)s.") % {"who": user},
        url=recommendation_url(recommendation),
    )
    move(
        workflow=RECOMMENDATION,
        obj=recommendation,
        to=State.DONE,
        actor=user,
        history=_history(user),
        audit_action="mcp.recommendation.accept",
        update_fields=["accepted_by", "accepted_at", "updated_at"],
        locked=True,
    )
    return recommendation


@transaction.atomic
def recommendation_return(*, user: User, recommendation_id: int, reason: str) -> Recommendation:
    """Returns the follow-up to the Pemda with what is still missing."""
    recommendation = _decidable(user, recommendation_id)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Tulis alasan pengembalian, agar Pemda tahu apa yang masih kurang."),
            code="reason_required",
        )
    notify(
        recipients=_pemda_side(recommendation),
        title=lambda: _("Tindak lanjut dikembalikan: %(title)s") % {"title": recommendation.title},
        body=lambda: _("%(who)s. Alasan: %(reason)s") % {"who": user, "reason": reason},
        url=recommendation_url(recommendation),
    )
    move(
        workflow=RECOMMENDATION,
        obj=recommendation,
        to=State.IN_PROGRESS,
        actor=user,
        history=_history(user, reason),
        audit_action="mcp.recommendation.return",
        audit_data={"reason": reason},
        update_fields=["updated_at"],
        locked=True,
    )
    return recommendation


# --- Reminders -----------------------------------------------------------------------------------


def _threshold(days_left: int) -> int | None:
    """The smallest threshold the days left are within; a missed daily run still sends it. The
    due day itself still counts (1): overdue starts the day after."""
    if days_left < 0:
        return None
    return next((d for d in REMINDER_DAYS if days_left <= d), None)


def recommendation_reminders_send(*, now: datetime) -> int:
    """Reminds the Admin Pemda of recommendations their Pemda still works on (open, in progress)
    7, 3 and 1 days before the due date, counted in the Pemda's own day. Each threshold is sent
    once per recommendation and due date, however often this runs; returns how many were new."""
    # Wide enough for every zone's day; each recommendation is then counted in its own.
    start = (now - timedelta(days=1)).date()
    end = (now + timedelta(days=max(REMINDER_DAYS) + 1)).date()
    recommendations = list(
        Recommendation.objects.filter(
            state__in=FOLLOW_UP_STATES, due_on__gte=start, due_on__lte=end
        ).select_related("pemda")
    )
    admins = _admins(list({r.pemda_id for r in recommendations}))
    sent = 0
    for recommendation in recommendations:
        today = timezone.localdate(now, timezone=recommendation.pemda.zoneinfo)
        days_left = (recommendation.due_on - today).days
        threshold = _threshold(days_left)
        if threshold is None:
            continue
        sent += len(
            notify(
                recipients=admins.get(recommendation.pemda_id, []),
                title=partial(_reminder_title, days_left=days_left),
                body=partial(_reminder_body, recommendation=recommendation),
                url=recommendation_url(recommendation),
                key=(
                    f"mcp-recommendation:{recommendation.pk}:"
                    f"{recommendation.due_on:%Y%m%d}:{threshold}"
                ),
            )
        )
    return sent


def _reminder_title(*, days_left: int) -> str:
    if days_left == 0:
        return _("Hari ini: tenggat rekomendasi MCP")
    return ngettext(
        "%(days)d hari lagi: tenggat rekomendasi MCP",
        "%(days)d hari lagi: tenggat rekomendasi MCP",
        days_left,
    ) % {"days": days_left}


def _reminder_body(*, recommendation: Recommendation) -> str:
    return _("%(pemda)s: “%(title)s”, tenggat %(due)s, belum selesai ditindaklanjuti.") % {
        "pemda": recommendation.pemda,
        "title": recommendation.title,
        "due": _day(recommendation.due_on),
    }


__all__ = [
    "FOLLOW_UP_UPLOADS",
    "recommendation_accept",
    "recommendation_acceptance_request",
    "recommendation_create",
    "recommendation_follow_up_add",
    "recommendation_reminders_send",
    "recommendation_return",
    "recommendation_url",
]
