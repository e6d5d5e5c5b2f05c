"""Work a server process does once, done while it starts instead of on its first requests.

The first request of a fresh gunicorn process imported every view through the URLconf and
built each language's URL names; its other threads waited on the import lock meanwhile. At the
start of a surge (bench/README.md) that was seconds of waiting for several processes at once.
Likewise the first use of the cache imported its client: 0.2 s for Redis's, on the first
request of every process, while a publication-day spike was queuing behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every URLconf, and with it every view
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # loads the language's catalogue
            resolver.reverse_dict  # noqa: B018 - URL names, built once per language
    for alias in settings.CACHES:
        caches[alias]  # imports the cache's backend and its client library
