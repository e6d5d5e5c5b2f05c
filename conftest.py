"""The pytest fixtures every app shares; what they build lives in cegah.testing."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from pytest_django import DjangoDbBlocker, Settings

from cegah.accounts.models import User
from cegah.testing.clients import sign_in
from cegah.testing.world import World, build_world, ensure_regions


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    # The 546 Pemda are reference data: load them once per test database.
    with django_db_blocker.unblock():
        call_command("load_regions", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _wbs_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Each test process gets its own WBS key file, as `make run` creates one for the demo.
    from django.conf import settings

    from cegah.wbs import crypto

    path = tmp_path_factory.mktemp("wbs-keys") / "wbs.keys"
    settings.WBS_KEY_FILE = path
    crypto.write_keyring(crypto.new_ring())
    return path


@pytest.fixture(scope="session", autouse=True)
def _audit_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Each test process keys its audit chain, as `make run` creates the key for the demo.
    from django.conf import settings

    from cegah.audit.keys import write_audit_key

    path = tmp_path_factory.mktemp("audit-key") / "audit.key"
    settings.AUDIT_KEY_FILE = path
    write_audit_key(since_seq=1)
    return path


@pytest.fixture(autouse=True)
def _media_root(settings: Settings, tmp_path: Path) -> None:
    # Uploaded files go to each test's own folder: tests can look at exactly what was stored.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Rolled-back rows give their ids to the next test's rows: a fragment cached by one test
    # could otherwise be served in another.
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request leaves its language active in the thread; each test starts in Indonesian.
    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture
def demo_on(settings: Settings) -> None:
    """The demo's seeding runs only where DEMO is on; on the PostgreSQL run (DATABASE_URL set)
    it is off by default, as on a production server."""
    settings.DEMO = True


@pytest.fixture
def regions(db: None) -> None:
    ensure_regions()


@pytest.fixture
def world(regions: None) -> World:
    return build_world()


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    return lambda user: sign_in(client, user)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Lets the browser fixture save a screenshot when the test body failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
