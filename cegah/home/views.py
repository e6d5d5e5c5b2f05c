from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cegah.accounts import selectors as access
from cegah.accounts.requests import user_of

from .selectors import home_tasks


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return render(
        request,
        "home/home.html",
        {
            "assignments": access.role_assignments(user=user),
            "tasks": home_tasks(user=user),
        },
    )
