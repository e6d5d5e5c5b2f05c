from django.http import HttpRequest, HttpResponse, JsonResponse
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
