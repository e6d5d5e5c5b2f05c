from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cegah.accounts import selectors as access
from cegah.accounts.models import User

from .selectors import home_tasks


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "core/home.html",
        {
            "assignments": access.role_assignments(user=user),
            "tasks": home_tasks(user=user),
        },
    )
