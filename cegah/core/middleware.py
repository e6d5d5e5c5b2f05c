import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from .request_context import current_request_id, reset_request_id, set_request_id

# The open-data API's addresses (config/urls.py): its errors are JSON, as its clients read them.
API_PREFIX = "/api/"
# Accept an upstream proxy's id only if it looks like one, so logs cannot be forged with it.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class ReporterPrivacyLogFilter(logging.Filter):
    """Drops log records about the whistle-blowing reporter pages: a line with a time and a path
    would say when someone reported."""

    PREFIX = "/lapor/"
    MENTION = re.compile(r"(^|[\s:\"'])/lapor/")

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", "") or ""
        return not path.startswith(self.PREFIX) and not self.MENTION.search(record.getMessage())


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the person chose English with the language switch.

    Many officials' browsers are set to English; the browser's Accept-Language is therefore not
    taken as a choice, only the language cookie set by the switch is.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulMiddleware:
    """PostgreSQL text cannot hold a NUL (0x00) character: a request carrying one in its
    address, query, cookies or form fields would fail in the database with a server error. It
    is refused as malformed (400) before any view reads it. No person types one; a scanner
    does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in value for value in _texts_of(request)):
            if request.path.startswith(API_PREFIX):
                return JsonResponse(
                    {
                        "detail": _(
                            "Permintaan ini memuat karakter NUL (0x00), yang tidak dapat diproses."
                        )
                    },
                    status=400,
                )
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


def _texts_of(request: HttpRequest) -> list[str]:
    # Upload names need no look: Django drops unprintable characters from them.
    texts = [*request.COOKIES.keys(), *request.COOKIES.values()]
    for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for key, values in data.lists():
            texts += [key, *values]
    return texts
