from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from cegah.accounts.models import User

from . import selectors, services


@login_required
@require_safe  # a page to read: any other method is 405
def notification_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    items = list(selectors.notifications_for(user=user)[:100])
    return render(request, "notifications/list.html", {"items": items})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)  # type: ignore[arg-type]
    return redirect("notifications:list")
