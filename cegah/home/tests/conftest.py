"""The home reads several domains: their test worlds, borrowed from their own fixtures."""

from cegah.mcp.tests.conftest import catalogue_2025, reporting  # noqa: F401
from cegah.wbs.tests.conftest import submit  # noqa: F401
