from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from .selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """The badge count, read only when a template shows it: the templates call a callable, and
    an htmx fragment (no menu) then sends no count query."""
    user: Any = getattr(request, "user", None)

    @cache
    def count() -> int:
        return unread_count(user=user) if user is not None else 0

    return {"unread_notifications": count}
