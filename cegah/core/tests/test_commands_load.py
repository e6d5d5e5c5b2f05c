"""Every management command starts in a fresh interpreter, as `make run` calls them: an import
cycle hidden by the test process's earlier imports would show here."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]
OURS = sorted(name for name, app in get_commands().items() if app.startswith("cegah."))


@pytest.mark.parametrize("name", OURS)
def test_the_command_imports_on_its_own(name) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), name, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
