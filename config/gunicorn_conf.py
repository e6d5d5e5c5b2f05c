"""gunicorn settings (`gunicorn -c python:config.gunicorn_conf`).

The access log never holds a client address or browser, and has no line at all for the
whistle-blowing reporter pages: a line with their time would tell when someone reported.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

REPORTER_PREFIX = "/lapor/"
# Request line, status, bytes, duration in ms. No %(h)s (address), %(a)s (agent), %(f)s (referer).
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


class PrivateAccessLogger(Logger):
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        if str(environ.get("PATH_INFO", "")).startswith(REPORTER_PREFIX):
            return
        super().access(resp, req, environ, request_time)


logger_class = PrivateAccessLogger
