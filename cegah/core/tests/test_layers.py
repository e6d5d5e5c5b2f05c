"""The layers in .importlinter hold, and a wrong import breaks them (so `make test` fails)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / ".importlinter"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy_of_the_code(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "cegah",
        tmp_path / "cegah",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "*.yaml", "*.html"),
    )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "wrong_import", "broken"),
    [
        ("cegah/wbs/services.py", "import cegah.mcp.models", "Domains never import each other"),
        ("cegah/core/errors.py", "import cegah.accounts.models", "imports no Cegah"),
        ("cegah/uploads/services.py", "import cegah.wbs.crypto", "Layers"),
        ("cegah/home/selectors.py", "import cegah.mcp.services.scores", "Readers"),
    ],
)
def test_a_wrong_import_breaks_a_contract(copy_of_the_code, module, wrong_import, broken) -> None:
    assert _lint(copy_of_the_code).returncode == 0  # the copy is clean before the change
    target = copy_of_the_code / module
    target.write_text(target.read_text() + f"\n{wrong_import}  # the mistake\n")
    result = _lint(copy_of_the_code)
    assert result.returncode == 1
    assert broken in result.stdout and "BROKEN" in result.stdout
