"""The site's address: a visitor meets the public front door, a signed-in person their own work.
Here, above the layers, because it chooses between two apps of the top layer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from cegah.home.views import home
from cegah.public.profile import front_door


def root(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return home(request)
    return front_door(request)
