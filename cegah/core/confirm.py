"""Acts that cannot simply be undone ask first: the view shows `core/confirm.html`, which sends
the same form again with its answer."""

from django.http import HttpRequest


def confirmed(request: HttpRequest) -> bool:
    """The post is the confirmation page's yes, not the first click that asks."""
    return request.POST.get("confirm") == "yes"
