"""Background work of the public pages, run by `manage.py db_worker`."""

from __future__ import annotations

from django_tasks import task

from .warm import public_pages_warm


@task()
def pages_warm(year: int) -> dict[str, int]:
    return public_pages_warm(year=year)
