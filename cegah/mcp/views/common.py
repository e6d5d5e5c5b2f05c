"""Small helpers every MCP view module shares."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from cegah.accounts import selectors as accounts
from cegah.accounts.models import User
from cegah.accounts.requests import user_of


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def coordinator_or_404(request: HttpRequest) -> User:
    # 404, never 403: national pages are not confirmed to exist for others.
    user = user_of(request)
    if not accounts.is_national_coordinator(user=user):
        raise Http404
    return user
