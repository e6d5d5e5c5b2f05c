"""Zona Integritas pages: a Pemda's units and declaration, a unit's LKE (answered by the unit,
reviewed by the TPI) and its verdict."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cegah.accounts.requests import user_of
from cegah.core.errors import AlreadyDone, DomainError
from cegah.core.i18n import text_in_reader_language
from cegah.regions.models import Pemda
from cegah.uploads.responses import download_response
from cegah.zi import access, scoring, selectors, services
from cegah.zi.forms import (
    DecisionForm,
    DeclarationForm,
    ProposalFilters,
    ProposalForm,
    RevokeForm,
    StageForm,
    StartForm,
    UnitForm,
)
from cegah.zi.models import (
    Answer,
    AnswerEvidence,
    Assessment,
    Designation,
    Predicate,
    Proposal,
    StageRecord,
    Unit,
)
from cegah.zi.workflows import EDITABLE, NEXT_STAGE


def _pemda_for(request: HttpRequest, code: str) -> Pemda:
    pemda = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    access.ensure(access.can_see_pemda(user=user_of(request), pemda=pemda))
    return pemda


def _year_asked(request: HttpRequest, default: int) -> int:
    asked = request.GET.get("tahun", "")
    return (
        int(asked)
        if asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= 2100
        else default
    )


def _dashboard(units: list[Unit], year: int) -> dict[str, Any]:
    """The Pemda's units by stage (of the year's proposals) and by predicate held now, and the
    year's proposals, from the units as prefetched (no query of its own)."""
    proposals = [
        p for u in units for a in u.assessments.all() if a.year == year for p in a.proposals.all()
    ]
    by_stage = dict.fromkeys(Proposal.State.values, 0)
    for p in proposals:
        by_stage[p.state] += 1
    held = dict.fromkeys(Predicate.values, 0)
    for u in units:
        for predicate in {d.predicate for d in u.designations.all() if d.revoked_on is None}:
            held[predicate] += 1
    years = sorted({a.year for u in units for a in u.assessments.all()} | {year}, reverse=True)
    return {
        "year": year,
        "years": years,
        "deadline": services.proposal_deadline(year),
        "year_proposals": proposals,
        "by_stage": [(Proposal.State(s).label, n) for s, n in by_stage.items()],
        "held": list(held.items()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest, code: str) -> HttpResponse:
    """The Pemda's integrity zones: units, declarations, and each unit's LKE by year."""
    user = user_of(request)
    pemda = _pemda_for(request, code)
    manager = access.can_manage(user=user, pemda=pemda)
    unit_form = UnitForm(request.POST if "unit" in request.POST else None, pemda=pemda)
    declaration_form = DeclarationForm(
        request.POST if "declare" in request.POST else None,
        request.FILES if "declare" in request.POST else None,
        pemda=pemda,
    )
    if request.method == "POST":
        access.ensure(manager)
        try:
            if "unit" in request.POST and unit_form.is_valid():
                services.unit_create(actor=user, pemda=pemda, **unit_form.cleaned_data)
                messages.success(request, _("Unit ditambahkan."))
                return redirect("zi:units", code=code)
            if "declare" in request.POST and declaration_form.is_valid():
                data = declaration_form.cleaned_data
                services.declaration_create(
                    actor=user,
                    pemda=pemda,
                    declared_on=data["declared_on"],
                    upload=data["document"],
                    units=list(data["units"]),
                    note=data["note"],
                )
                messages.success(request, _("Pencanangan dicatat."))
                return redirect("zi:units", code=code)
        except DomainError as exc:
            (unit_form if "unit" in request.POST else declaration_form).add_error(None, exc)
    listed = list(
        Unit.objects.filter(pemda=pemda)
        .select_related("pemda", "opd", "declaration")
        .prefetch_related("assessments__proposals", "designations")
        .order_by("name")
    )
    this_year = timezone.localdate().year
    shown = [u for u in listed if access.can_see(user=user, unit=u)]
    return render(
        request,
        "zi/units.html",
        {
            "pemda": pemda,
            "units": shown,
            "manager": manager,
            "unit_form": unit_form,
            "declaration_form": declaration_form,
            "start_years": [this_year, this_year + 1],
            "predicates": Predicate.choices,
            **_dashboard(shown, _year_asked(request, this_year)),
        },
        status=400 if unit_form.errors or declaration_form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    unit = get_object_or_404(Unit.objects.select_related("pemda"), pk=pk)
    access.ensure(access.can_answer(user=user, unit=unit))
    this_year = timezone.localdate().year
    form = StartForm(request.POST, years=[this_year, this_year + 1])
    if not form.is_valid():
        messages.error(request, _("Pilih tahun LKE."))
        return redirect("zi:units", code=unit.pemda.code)
    try:
        assessment = services.assessment_start(
            actor=user, unit=unit, year=form.cleaned_data["year"]
        )
    except AlreadyDone:
        assessment = get_object_or_404(Assessment, unit=unit, year=form.cleaned_data["year"])
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("zi:units", code=unit.pemda.code)
    return redirect("zi:assessment", pk=assessment.pk)


def _assessment_for(request: HttpRequest, pk: int) -> tuple[Assessment, Any]:
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit__pemda__province", "unit__opd", "lke"), pk=pk
    )
    user = user_of(request)
    access.ensure(access.can_see(user=user, unit=assessment.unit))
    return assessment, user


def _sections(assessment: Assessment, answers: dict[str, Answer]) -> list[dict[str, Any]]:
    """The LKE as the page shows it: areas, their Pemenuhan and Reform sub-components and
    questions with each answer, then the Hasil items."""
    structure = assessment.lke.structure
    sections = []
    for area in structure["areas"]:
        parts = []
        for part in ("pemenuhan", "reform"):
            subs = [
                s
                for s in structure["subcomponents"]
                if s["area"] == area["code"] and s["part"] == part
            ]
            parts.append(
                {
                    "part": part,
                    "subs": [
                        {
                            "sub": s,
                            "name": text_in_reader_language(s["name"]),
                            "questions": [
                                {
                                    "q": q,
                                    "text": text_in_reader_language(q["question"]),
                                    "answer": answers[q["code"]],
                                    "choices": structure["choices"].get(q["answer"]["type"], []),
                                }
                                for q in s["questions"]
                            ],
                        }
                        for s in subs
                    ],
                }
            )
        sections.append(
            {"area": area, "name": text_in_reader_language(area["name"]), "parts": parts}
        )
    hasil = [
        {"item": h, "name": text_in_reader_language(h["name"]), "answer": answers[h["code"]]}
        for h in structure["hasil"]
    ]
    return [*sections, {"hasil": hasil}]


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit fills in its LKE (all answers of the page saved at once, with files), sends it
    to the TPI; the TPI reviews each answer on the same page."""
    item, user = _assessment_for(request, pk)
    unit = item.unit
    answering = access.can_answer(user=user, unit=unit)
    reviewing = access.is_tpi(user=user, pemda=unit.pemda)
    answers = {a.code: a for a in item.answers.prefetch_related("evidence")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if "submit" in request.POST:
            access.ensure(answering)
            try:
                sent = services.assessment_submit(user=user, assessment_id=item.pk)
                messages.success(request, _("%(count)d jawaban dikirim ke TPI.") % {"count": sent})
            except DomainError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("zi:assessment", pk=item.pk)
        access.ensure(answering or reviewing)
        errors = _save_page(request, user, answers, answering=answering, reviewing=reviewing)
        if not errors:
            messages.success(request, _("Tersimpan."))
            return redirect("zi:assessment", pk=item.pk)
        answers = {a.code: a for a in item.answers.prefetch_related("evidence")}
    own, tpi = selectors.assessment_scores(assessment=item)
    return render(
        request,
        "zi/assessment.html",
        {
            "assessment": item,
            "unit": unit,
            "sections": _sections(item, answers),
            "answering": answering,
            "reviewing": reviewing,
            "editable": EDITABLE,
            "errors": errors,
            "typed": request.POST if errors else {},
            "own": own,
            "tpi": tpi,
        },
        status=400 if errors else 200,
    )


def _save_page(
    request: HttpRequest, user: Any, answers: dict[str, Answer], *, answering: bool, reviewing: bool
) -> dict[str, str]:
    """Saves what changed on the page; each refusal is kept by question, the rest is saved."""
    errors: dict[str, str] = {}
    for code, answer in answers.items():
        try:
            if answering and answer.state in EDITABLE:
                value = request.POST.get(f"v-{code}", answer.value)
                note = request.POST.get(f"n-{code}", answer.note)
                if (value.strip(), note.strip()) != (answer.value, answer.note):
                    version = request.POST.get(f"ver-{code}", "")
                    services.answer_save(
                        user=user,
                        answer_id=answer.pk,
                        value=value,
                        note=note,
                        expected_version=int(version) if version.isdigit() else -1,
                    )
                upload = request.FILES.get(f"f-{code}")
                if upload is not None:
                    services.answer_evidence_add(user=user, answer_id=answer.pk, upload=upload)
            if reviewing and answer.state in (Answer.State.SUBMITTED, Answer.State.REVIEWED):
                action = request.POST.get(f"tpi-{code}", "")
                if action == "value":
                    value = request.POST.get(f"tv-{code}", "")
                    note = request.POST.get(f"tn-{code}", "")
                    if (value.strip(), note.strip()) != (
                        answer.tpi_value,
                        answer.tpi_note,
                    ) or answer.state != Answer.State.REVIEWED:
                        services.answer_review(
                            reviewer=user, answer_id=answer.pk, value=value, note=note
                        )
                elif action == "return":
                    services.answer_return(
                        reviewer=user,
                        answer_id=answer.pk,
                        reason=request.POST.get(f"tr-{code}", ""),
                    )
        except DomainError as exc:
            errors[code] = " ".join(exc.messages)
    return errors


@login_required
@require_safe
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(
        AnswerEvidence.objects.select_related("stored_file", "answer__assessment__unit__pemda"),
        pk=pk,
    )
    access.ensure(access.can_see(user=user_of(request), unit=evidence.answer.assessment.unit))
    return download_response(
        filename=evidence.original_name,
        content_type=evidence.stored_file.content_type,
        stored=evidence.stored_file,
    )


@login_required
@require_safe
def verdict(request: HttpRequest, pk: int) -> HttpResponse:
    """Total, Pengungkit, each area as a share of its weight, Hasil, each against the WBK and
    WBBM thresholds, with what blocks each predicate in words; the unit's and the TPI's
    values side by side."""
    item, _user = _assessment_for(request, pk)
    return render(request, "zi/verdict.html", selectors.verdict_context(assessment=item))


# --- Proposals, the TPN's stages, designations --------------------------------------------------


@login_required
@require_http_methods(["POST"])
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The Admin Pemda's "Usulkan": refused with the reason, said on the Pemda's page."""
    user = user_of(request)
    assessment = get_object_or_404(Assessment.objects.select_related("unit__pemda"), pk=pk)
    pemda = assessment.unit.pemda
    access.ensure(access.can_manage(user=user, pemda=pemda))
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih predikat WBK atau WBBM."))
        return redirect("zi:units", code=pemda.code)
    try:
        proposal = services.proposal_create(
            actor=user, assessment_id=assessment.pk, predicate=form.cleaned_data["predicate"]
        )
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("zi:units", code=pemda.code)
    messages.success(request, _("Unit diusulkan untuk %(p)s.") % {"p": proposal.predicate})
    return redirect("zi:proposal", pk=proposal.pk)


@login_required
@require_safe
def proposals(request: HttpRequest) -> HttpResponse:
    """The TPN's work list: every Pemda's proposals by stage, filtered; the Koordinator reads it."""
    user = user_of(request)
    access.ensure(access.can_revoke(user=user))
    filters = ProposalFilters(request.GET or None, this_year=timezone.localdate().year)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    province = chosen.get("provinsi")
    qs = selectors.proposals(
        state=chosen.get("tahap") or "",
        year=chosen.get("tahun"),
        province=province.code if province else "",
        predicate=chosen.get("predikat") or "",
    )
    page = Paginator(qs, 50).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "zi/proposals.html",
        {
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
            "tpn": access.is_tpn(user=user),
        },
        status=400 if filters.errors else 200,
    )


def _proposal_forms(
    proposal: Proposal, request: HttpRequest | None = None, *, bound: str = ""
) -> tuple[StageForm | None, DecisionForm | None]:
    """The TPN's two forms for the proposal's state; `bound` (stage | decide) gets the POST."""

    def data(name: str) -> tuple[Any, Any]:
        return (request.POST, request.FILES) if request and bound == name else (None, None)

    stage = NEXT_STAGE.get(Proposal.State(proposal.state))
    stage_form = (
        StageForm(*data("stage"), initial={"stage": stage}, prefix="stage") if stage else None
    )
    decision_form = (
        DecisionForm(
            *data("decide"),
            prefix="decide",
            can_designate=proposal.state == Proposal.State.EVALUASI_LAPANGAN,
        )
        if proposal.is_open
        else None
    )
    return stage_form, decision_form


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal with its stage history; the TPN records each stage and the penetapan here,
    and the TPN or the Koordinator revokes the predicate."""
    user = user_of(request)
    item = get_object_or_404(
        Proposal.objects.select_related(
            "assessment__unit__pemda__province", "assessment__unit__opd", "proposed_by"
        ),
        pk=pk,
    )
    unit = item.assessment.unit
    access.ensure(access.can_see(user=user, unit=unit))
    evaluating = access.is_tpn(user=user)
    stage_form, decision_form = _proposal_forms(item)
    if request.method == "POST":
        access.ensure(evaluating)
        which = "stage" if "record_stage" in request.POST else "decide"
        stage_form, decision_form = _proposal_forms(item, request, bound=which)
        form = stage_form if which == "stage" else decision_form
        if form is None:
            messages.error(request, _("Tahap ini sudah dicatat, atau usulan sudah diputuskan."))
            return redirect("zi:proposal", pk=item.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "stage":
                    services.proposal_advance(
                        actor=user,
                        proposal_id=item.pk,
                        stage=data["stage"],
                        note=data["note"],
                        upload=data["evidence"],
                    )
                else:
                    services.proposal_decide(
                        actor=user,
                        proposal_id=item.pk,
                        designated=data["decision"] == Proposal.State.DESIGNATED,
                        note=data["note"],
                        upload=data["evidence"],
                    )
                messages.success(request, _("Tahap dicatat."))
                return redirect("zi:proposal", pk=item.pk)
            except DomainError as exc:
                form.add_error(None, exc)
    designation = Designation.objects.filter(proposal=item).select_related("revoked_by").first()
    errors = any(f is not None and f.errors for f in (stage_form, decision_form))
    return render(
        request,
        "zi/proposal.html",
        {
            "proposal": item,
            "unit": unit,
            "stages": item.stages.select_related("decided_by"),
            "designation": designation,
            "evaluating": evaluating,
            "stage_form": stage_form,
            "next_stage": Proposal.State(stage_form.initial["stage"]).label if stage_form else "",
            "decision_form": decision_form,
            "revoke_form": RevokeForm() if access.can_revoke(user=user) else None,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def designation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    designation = get_object_or_404(Designation.objects.select_related("unit__pemda"), pk=pk)
    access.ensure(access.can_revoke(user=user))
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Tulis alasan pencabutan."), code="reason")
        services.designation_revoke(
            actor=user, designation_id=designation.pk, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Predikat dicabut."))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("zi:proposal", pk=designation.proposal_id)


@login_required
@require_safe
def stage_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    record = get_object_or_404(
        StageRecord.objects.select_related("evidence", "proposal__assessment__unit__pemda"),
        pk=pk,
        evidence__isnull=False,
    )
    access.ensure(access.can_see(user=user_of(request), unit=record.proposal.assessment.unit))
    if record.evidence is None:  # pragma: no cover - the query asks for one
        raise Http404
    return download_response(
        filename=record.evidence_name,
        content_type=record.evidence.content_type,
        stored=record.evidence,
    )


@login_required
@require_safe
def whatif(request: HttpRequest, pk: int) -> HttpResponse:
    """What if the answers were these: the verdict for answers given in the address (any not
    given keep the TPI's value, else the unit's), scored by the same code as the saved ones.
    Nothing is saved: it is a GET."""
    assessment, _user = _assessment_for(request, pk)
    structure = assessment.lke.structure
    stored = {
        c: (t or v) for c, v, t in assessment.answers.values_list("code", "value", "tpi_value")
    }
    tried = {c: request.GET.get(f"v-{c}", stored.get(c, "")) for c in stored}
    problems: dict[str, str] = {}
    for code, text in list(tried.items()):
        try:
            if text.strip():
                scoring.check(structure, code, text)
        except scoring.AnswerInvalid as exc:
            problems[code] = str(exc)
            tried[code] = stored.get(code, "")
    result = scoring.score(structure, tried, held=selectors.held_predicates(unit=assessment.unit))
    context = {
        "assessment": assessment,
        "unit": assessment.unit,
        "result": result,
        "problems": problems,
        "area_names": {a["code"]: text_in_reader_language(a["name"]) for a in structure["areas"]},
        "questions": [
            {
                "code": q["code"],
                "text": text_in_reader_language(q["question"]),
                "question": q,
                "choices": structure["choices"].get(q["answer"]["type"], []),
                "value": tried[q["code"]],
            }
            for s in structure["subcomponents"]
            for q in s["questions"]
        ]
        + [
            {
                "code": h["code"],
                "text": text_in_reader_language(h["name"]),
                "question": h,
                "choices": [],
                "value": tried[h["code"]],
            }
            for h in structure["hasil"]
        ],
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "zi/_whatif_result.html", context)
    return render(request, "zi/whatif.html", context)
