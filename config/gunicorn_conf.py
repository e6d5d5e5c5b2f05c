"""gunicorn settings (`gunicorn -c python:config.gunicorn_conf`).

The access log never holds a client address or browser, and has no line at all for the
whistle-blowing reporter pages: a line with their time would tell when someone reported.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

# gunicorn's own advice, (2 x cores) + 1 processes, each with threads that wait on the database.
# Measured in bench/ (make loadtest): on 2 cores, 2 processes x 16 threads left the tail 6x
# the idle one; 4 to 5 processes keep it under 5x.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Longer than a person's pause between clicks, or the server closes a connection the browser is
# about to reuse (behind a proxy, the proxy's keep-alive plays this part).
keepalive = 30

REPORTER_PREFIX = "/lapor/"
# Assets only the reporter pages load: a line for one dates a report as well as the page does.
REPORTER_ASSETS = ("/static/js/wbs",)
# Request line, status, bytes, duration in ms. No %(h)s (address), %(a)s (agent), %(f)s (referer).
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


class PrivateAccessLogger(Logger):
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith(REPORTER_PREFIX) or path.startswith(REPORTER_ASSETS):
            return
        super().access(resp, req, environ, request_time)


logger_class = PrivateAccessLogger
