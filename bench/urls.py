"""The app's URLs plus the baselines the benchmarks compare pages against."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

BASELINE: dict[str, bytes] = {}


def baseline(request: HttpRequest, name: str) -> HttpResponse:
    # The same rows, serialised beforehand: what Django costs to answer at all.
    return HttpResponse(BASELINE[name], content_type="application/json")


@login_required
def signed_in_baseline(request: HttpRequest, name: str) -> HttpResponse:
    # The same bytes for a signed-in person only: a page for staff cannot skip reading who asks.
    return HttpResponse(BASELINE[name], content_type="application/json")


@login_required
def signed_in_layout(request: HttpRequest) -> HttpResponse:
    # The application's layout around nothing, for the same person: what any signed-in page
    # costs here before it shows a row (menu, roles, notifications badge, messages).
    page = engines["django"].from_string('{% extends "base.html" %}')
    return HttpResponse(page.render({}, request))


urlpatterns = [
    path("__baseline__/layout/", signed_in_layout),
    path("__baseline__/<str:name>/", baseline),
    path("__baseline__/<str:name>/masuk/", signed_in_baseline),
    path("", include("config.urls")),
]
