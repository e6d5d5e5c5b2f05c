import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import config.wsgi
from django.urls import get_resolver
resolver = get_resolver()
print("url_patterns" in resolver.__dict__, sorted(resolver._reverse_dict))
"""


def test_a_server_process_has_its_views_and_url_names_before_its_first_request() -> None:
    # A fresh interpreter, as a gunicorn worker starts: loading the WSGI application is all
    # that has happened.
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert probe.stdout.split() == ["True", "['en',", "'id']"]


def test_a_server_process_has_its_cache_client_before_its_first_request() -> None:
    # The Redis client took 0.2 s to import on each process's first request (bench/README.md).
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, config.wsgi; print('redis' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/15"},
    )
    assert probe.stdout.split() == ["True"]
