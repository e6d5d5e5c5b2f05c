"""The app's URLs plus the baseline the benchmarks compare pages against."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BASELINE: dict[str, bytes] = {}


def baseline(request: HttpRequest, name: str) -> HttpResponse:
    # The same rows, serialised beforehand: what Django costs to answer at all.
    return HttpResponse(BASELINE[name], content_type="application/json")


urlpatterns = [
    path("__baseline__/<str:name>/", baseline),
    path("", include("config.urls")),
]
