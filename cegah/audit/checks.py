"""`check --deploy`: a production server has its audit key, readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register("security", deploy=True)
def audit_key_file(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    path = Path(settings.AUDIT_KEY_FILE)
    if not path.exists():
        return [
            Error(
                f"The audit key file {path} does not exist: nothing can be audited.",
                hint="Run `manage.py audit_key init` once; keep the file out of database backups.",
                id="cegah.E001",
            )
        ]
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [
            Warning(
                f"The audit key file {path} can be read by other users.",
                hint=f"chmod 600 {path}",
                id="cegah.W001",
            )
        ]
    return []
