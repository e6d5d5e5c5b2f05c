from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cegah.accounts import selectors as access
from cegah.accounts.requests import user_of

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
