from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cegah.accounts import selectors as access
from cegah.accounts.requests import user_of
from cegah.coi import access as coi_access
from cegah.regions.models import Pemda

from .related import related_to_register
from .selectors import home_sections


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each person lands on their work: a section per role, the most urgent first."""
    user = user_of(request)
    return render(
        request,
        "home/home.html",
        {
            "assignments": access.role_assignments(user=user),
            "sections": home_sections(user=user),
        },
    )


@login_required
@require_safe
def coi_related(request: HttpRequest, code: str) -> HttpResponse:
    """Beside the conflict-of-interest register: WBS recusals and gifts from declared parties,
    for those who read the register (the Pemda's Inspektorat and appointed officer)."""
    pemda = get_object_or_404(Pemda, code=code)
    if not coi_access.can_see_register(user=user_of(request), pemda=pemda):
        raise Http404
    return render(
        request,
        "home/coi_related.html",
        {"pemda": pemda, "related": related_to_register(pemda=pemda)},
    )
