"""A Redis cache that is stopped is a cache that misses: pages come from the database, and no
request fails because of it."""

import socket

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from cegah.core.cache import ForgivingRedisCache


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: nothing listens there


def _stopped_redis() -> dict[str, object]:
    return {
        "default": {
            "BACKEND": "cegah.core.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_every_call_to_a_stopped_redis_is_a_miss() -> None:
    stopped = ForgivingRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})
    assert stopped.get("a", "default") == "default"
    assert stopped.get_many(["a", "b"]) == {}
    assert stopped.has_key("a") is False
    stopped.set("a", 1)
    assert stopped.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert stopped.add("a", 1) is True  # as if new: what waits on it goes ahead
    with pytest.raises(ValueError):
        stopped.incr("a")
    assert stopped.delete("a") is False
    stopped.delete_many(["a"])
    stopped.clear()


@pytest.mark.django_db
def test_public_pages_are_served_from_the_database_while_redis_is_stopped(regions) -> None:
    client = Client(raise_request_exception=False)
    with override_settings(CACHES=_stopped_redis()):
        assert isinstance(caches["default"], ForgivingRedisCache)
        for url in ("/", "/publik/", "/publik/pemda/11.01/profil/", "/api/v1/pemda/"):
            assert client.get(url).status_code == 200, url
