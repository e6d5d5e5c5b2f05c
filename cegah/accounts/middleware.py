from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

# Pages a signed-in person may open before completing the second factor.
EXEMPT_VIEWS = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp_verify",
    "accounts:otp_setup",
    "set_language",
}

# Open to everyone, signed in or not: the open data and the whistle-blowing pages.
PUBLIC_APPS = {"public", "wbs_public"}


class RequireTwoFactorMiddleware:
    """Every account is a staff account, so every signed-in request needs a verified TOTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
            return None
        if user.is_verified():  # type: ignore[attr-defined]  # added by django-otp's middleware
            return None
        match = request.resolver_match
        if match is None or match.view_name in EXEMPT_VIEWS or match.app_name in PUBLIC_APPS:
            return None
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        target = reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
