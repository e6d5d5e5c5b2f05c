"""A Pemda's civil servants: the list (its Admin Pemda and Inspektorat), and the staff import
(its Admin Pemda): a file is checked first, every problem by line and column or what loading it
would change in numbers, then confirmed and loaded; invitations go out in the background."""

from __future__ import annotations

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cegah.core.confirm import confirmed
from cegah.core.errors import DomainError
from cegah.core.tables import stream_table

from . import selectors, staff_selectors
from .models import User
from .staff import staff_plan
from .staff_forms import StaffFileForm
from .staff_services import StaffListRefused, staff_import

SALT = "accounts.staff.file"
CHECKED_FOR_SECONDS = 3600
# The checked copy travels back with the page (base64, signed and compressed) within the
# address's 5 MB body limit; 8,000 staff are about 1 MB of CSV, 0.4 MB of Excel.
MAX_FILE_BYTES = 3 * 1024 * 1024
PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
@require_GET
def staff_list(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    # 404 rather than 403: a Pemda the user may not read is not confirmed to exist.
    pemda = get_object_or_404(staff_selectors.pemda_staff_visible_to(user=user), code=code)
    opds = selectors.opds_of(pemda=pemda)
    search = request.GET.get("q", "")[:100]
    state = request.GET.get("status", staff_selectors.StaffState.ACTIVE)
    opd_text = request.GET.get("opd", "")
    opd_id = int(opd_text) if opd_text.isdigit() else None
    employees = staff_selectors.employees_of(pemda=pemda, search=search, opd_id=opd_id, state=state)
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("halaman"))
    for employee in page:
        employee.invitation = staff_selectors.invitation_state(employee)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "accounts/staff_list.html",
        {
            "pemda": pemda,
            "page": page,
            "opds": opds,
            "search": search,
            "state": state,
            "opd_id": opd_id,
            "query_string": query.urlencode(),
            "may_import": selectors.can_administer(user=user, pemda=pemda),
        },
    )


def _file(form: StaffFileForm) -> tuple[str, bytes]:
    """The chosen file, or the copy the check page signed (a newer choice wins)."""
    upload = form.cleaned_data.get("file")
    if upload:
        if upload.size > MAX_FILE_BYTES:
            raise DomainError(_("Berkas lebih dari 3 MB."), code="too_large")
        return upload.name, upload.read()
    name, content = signing.loads(
        form.cleaned_data["checked"], salt=SALT, max_age=CHECKED_FOR_SECONDS
    )
    return str(name), base64.b64decode(content)


def _sign(name: str, content: bytes) -> str:
    return signing.dumps([name, base64.b64encode(content).decode()], salt=SALT, compress=True)


@login_required
@require_http_methods(["GET", "POST"])
def staff_import_page(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    pemda = get_object_or_404(selectors.pemda_administered_by(user=user), code=code)
    form = StaffFileForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"pemda": pemda, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            name, content = _file(form)
            table = stream_table(content, filename=name)
        except signing.BadSignature:
            form.add_error("file", _("Pemeriksaan sudah kedaluwarsa. Pilih berkasnya lagi."))
        except DomainError as exc:
            form.add_error("file", exc)
        else:
            checked = _sign(name, content)
            sha256 = hashlib.sha256(content).hexdigest()
            # A file chosen now is checked first, whatever button was pressed: what loads is
            # always what the page showed.
            fresh = bool(form.cleaned_data.get("file"))
            try:
                if "load" in request.POST and not fresh:
                    if not confirmed(request):
                        plan = staff_plan(pemda=pemda, table=table)
                        if plan.problems:
                            raise StaffListRefused(plan.problems)
                        return render(
                            request,
                            "accounts/staff_confirm.html",
                            {"pemda": pemda, "plan": plan, "checked": checked, "name": name},
                        )
                    record, _plan = staff_import(
                        actor=user,
                        pemda=pemda,
                        table=table,
                        file_name=name,
                        file_sha256=sha256,
                        dry_run=False,
                    )
                    messages.success(
                        request,
                        _("Daftar pegawai dimuat: %(rows)d pegawai.") % {"rows": record.rows},
                    )
                    return redirect("accounts:staff_import_detail", code=pemda.code, pk=record.pk)
                record, plan = staff_import(
                    actor=user,
                    pemda=pemda,
                    table=table,
                    file_name=name,
                    file_sha256=sha256,
                    dry_run=True,
                )
                context |= {"record": record, "plan": plan, "checked": checked, "name": name}
            except StaffListRefused as exc:
                context |= {"problems": exc.problems, "name": name}
            except DomainError as exc:
                form.add_error(None, exc)
    refused = bool(form.errors) or "problems" in context
    context["imports"] = staff_selectors.staff_imports_of(pemda=pemda)[:10]
    return render(request, "accounts/staff_import.html", context, status=400 if refused else 200)


@login_required
@require_GET
def staff_import_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    pemda = get_object_or_404(selectors.pemda_administered_by(user=_user(request)), code=code)
    record = staff_selectors.staff_import_of(pemda=pemda, pk=pk)
    if record is None:
        raise Http404
    if request.headers.get("HX-Request"):
        return render(request, "accounts/_staff_invitations.html", {"record": record})
    return render(request, "accounts/staff_import_detail.html", {"pemda": pemda, "record": record})
