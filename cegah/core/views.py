import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults

from .middleware import API_PREFIX


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page, or for the open-data API, JSON as its other errors: an address no route
    matches (a year that is not a number, a list that does not exist) is read by a program."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {
                "detail": _("Alamat ini tidak ada di API; daftarnya ada di %(docs)s.")
                % {"docs": reverse("api_docs")}
            },
            status=404,
        )
    return defaults.page_not_found(request, exception)


# What a person is told to wait before trying again while the database is unreachable: about
# how long a restart of PostgreSQL takes (faults/README.md measured it).
RETRY_AFTER_SECONDS = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; but while the database cannot be reached (restarted, failed over, out of
    connections) a 503 that says to try again, with Retry-After, as JSON for the API. The
    connection is opened anew by the next request (CONN_HEALTH_CHECKS)."""
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            {"detail": _("Layanan sedang sibuk. Coba lagi sebentar lagi.")}, status=503
        )
    else:
        # Rendered without the request: its context processors read the database.
        page = loader.get_template("503.html").render({"seconds": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
